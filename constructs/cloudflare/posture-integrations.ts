/**
 * Typed inputs for the device posture rules that come from an EDR or MDM (service-to-service
 * integrations) and from client certificates. Each kind sets the input that means "healthy" for that
 * product, so a rule cannot exist without checking something.
 */
import type { ZeroTrustDevicePostureRuleInput } from "@cdktf/provider-cloudflare/lib/zero-trust-device-posture-rule";
import { terraformLiteral, terraformLiterals } from "./terraform-text";

/** The desktop platforms the WARP client checks. */
export type DesktopPlatform = "windows" | "mac" | "linux";

/** What every integration check names. */
export interface PostureIntegrationBase {
  /**
   * The id of the posture integration (`cloudflare_zero_trust_device_posture_integration`), which
   * holds the product's API credentials; create it where those secrets live.
   */
  readonly connectionId: string;
  /**
   * The platforms the product runs on; devices of other platforms are not asked for it.
   * @default every platform of the baseline
   */
  readonly platforms?: DesktopPlatform[];
}

/** CrowdStrike Falcon Zero Trust Assessment (`crowdstrike_s2s`). */
export interface CrowdStrikeCheck extends PostureIntegrationBase {
  /** The posture rule type. */
  readonly type: "crowdstrike_s2s";
  /** The lowest overall ZTA score (1 to 100) a device may have. */
  readonly minimumOverallScore: number;
}

/** SentinelOne (`sentinelone_s2s`): the agent is active and reports no active threat and no infection. */
export interface SentinelOneCheck extends PostureIntegrationBase {
  /** The posture rule type. */
  readonly type: "sentinelone_s2s";
}

/** Microsoft Intune (`intune`) or Workspace ONE (`workspace_one`): the device is compliant. */
export interface MdmComplianceCheck extends PostureIntegrationBase {
  /** The posture rule type. */
  readonly type: "intune" | "workspace_one";
}

/** Kolide (`kolide`): at most this many open issues. */
export interface KolideCheck extends PostureIntegrationBase {
  /** The posture rule type. */
  readonly type: "kolide";
  /**
   * The most open Kolide issues a device may have.
   * @default 0
   */
  readonly maximumIssues?: number;
}

/** Tanium (`tanium_s2s`): the risk level is at most this. */
export interface TaniumCheck extends PostureIntegrationBase {
  /** The posture rule type. */
  readonly type: "tanium_s2s";
  /**
   * The highest risk level a device may have.
   * @default "low"
   */
  readonly maximumRiskLevel?: "low" | "medium" | "high";
}

/** A posture rule backed by an EDR or MDM integration; any one satisfies CF-DEV-1 under `strict`. */
export type PostureIntegrationCheck = CrowdStrikeCheck | SentinelOneCheck | MdmComplianceCheck | KolideCheck | TaniumCheck;

/** A client certificate the device must hold (`client_certificate_v2`, one rule per platform). */
export interface ClientCertificateCheck {
  /** The id of the Cloudflare-managed certificate (an Access mTLS certificate) that issued the device certificates. */
  readonly certificateId: string;
  /**
   * The common name the device certificate must carry; WARP expands `${serial_number}` and
   * `${hostname}`. Write it as Cloudflare documents it: the construct escapes `${` and `%{` for
   * Terraform (as `$${` and `%%{`), so do not escape them yourself. A token is passed unchanged.
   */
  readonly commonName: string;
  /**
   * Confirm the device holds the private key (the certificate was not copied from another device).
   * @default true
   */
  readonly checkPrivateKey?: boolean;
  /**
   * Where to look on Windows and macOS.
   * @default ["system"]
   */
  readonly trustStores?: Array<"system" | "user">;
  /**
   * Where to look on Linux (required when the baseline includes Linux). Written as given: `${` and
   * `%{` are escaped for Terraform, like `commonName`. @default none
   */
  readonly linuxPaths?: string[];
}

/** The posture rule input that means "healthy" for an integration. */
export function integrationInput(c: PostureIntegrationCheck): ZeroTrustDevicePostureRuleInput {
  switch (c.type) {
    case "crowdstrike_s2s":
      return { connectionId: c.connectionId, overall: String(c.minimumOverallScore), operator: ">=" };
    case "sentinelone_s2s":
      return { connectionId: c.connectionId, activeThreats: 0, operator: "<=", infected: false, isActive: true };
    case "intune":
    case "workspace_one":
      return { connectionId: c.connectionId, complianceStatus: "compliant" };
    case "kolide":
      return { connectionId: c.connectionId, countOperator: "<=", issueCount: String(c.maximumIssues ?? 0) };
    case "tanium_s2s":
      return { connectionId: c.connectionId, operator: "<=", riskLevel: c.maximumRiskLevel ?? "low" };
  }
}

/** A rule name that says what the integration check demands. */
export function integrationRuleName(c: PostureIntegrationCheck): string {
  switch (c.type) {
    case "crowdstrike_s2s":
      return `CrowdStrike ZTA score ${c.minimumOverallScore} or more`;
    case "sentinelone_s2s":
      return "SentinelOne active, no threat";
    case "intune":
      return "Intune compliant";
    case "workspace_one":
      return "Workspace ONE compliant";
    case "kolide":
      return `Kolide: at most ${c.maximumIssues ?? 0} issues`;
    case "tanium_s2s":
      return `Tanium risk ${c.maximumRiskLevel ?? "low"} or lower`;
  }
}

/** The `client_certificate_v2` input for one platform. */
export function clientCertificateInput(c: ClientCertificateCheck, platform: DesktopPlatform): ZeroTrustDevicePostureRuleInput {
  return {
    certificateId: c.certificateId,
    cn: terraformLiteral(c.commonName),
    checkPrivateKey: c.checkPrivateKey ?? true,
    operatingSystem: platform,
    locations: platform === "linux" ? { paths: terraformLiterals(c.linuxPaths) } : { trustStores: c.trustStores ?? ["system"] },
  };
}
