import { ZeroTrustDevicePostureRule, type ZeroTrustDevicePostureRuleInput } from "@cdktf/provider-cloudflare/lib/zero-trust-device-posture-rule";
import { Construct } from "constructs";
import { isToken, type PostureConstructProps, PropChecker, threshold } from "../props";
import { type ClientCertificateCheck, clientCertificateInput, type DesktopPlatform, integrationInput, integrationRuleName, type PostureIntegrationCheck } from "./posture-integrations";

/** The lowest OS version a platform may run. */
export interface OsVersionMinimum {
  /** A semantic version (`"14.5.0"`, `"10.0.22631"`; Cloudflare needs three parts: write `1.2.0`, not `1.2`). For Linux, the kernel version. */
  readonly version: string;
  /**
   * How the device's version compares with `version`.
   * @default ">="
   */
  readonly operator?: ">=" | ">" | "==";
  /** Linux only: the distribution name (e.g. `"ubuntu"`). @default any distribution */
  readonly distroName?: string;
  /** Linux only: the lowest distribution version (e.g. `"22.4.0"`). @default any version */
  readonly distroRevision?: string;
}

/** The rules a device of one platform must pass, for an Access policy to require. */
export interface PostureRequirement {
  /** The platform (or any label for a group of rules that apply together). */
  readonly platform: string;
  /** Ids of the posture rules, all of which a device must pass. */
  readonly ruleIds: readonly string[];
}

export interface DevicePostureBaselineProps extends PostureConstructProps {
  /** The Cloudflare account id. */
  readonly accountId: string;
  /**
   * The platforms that may connect, each with its lowest OS version. Platforms left out get no
   * requirement, so Access policies built from `requirements` admit none of their devices.
   */
  readonly platforms: Partial<Record<DesktopPlatform, OsVersionMinimum>>;
  /**
   * How the device must be connected: through the WARP client (`warp`), or through Gateway (`gateway`).
   * @default "warp"
   */
  readonly connection?: "warp" | "gateway";
  /**
   * Check every disk for encryption, not just one (CF-DEV-2).
   * @default true
   */
  readonly requireAllDisks?: boolean;
  /** Limit the disk-encryption check to these volumes (with `requireAllDisks`, all of them). @default every disk */
  readonly checkDisks?: string[];
  /**
   * Require the OS firewall to be on (CF-DEV-1). Cloudflare checks it on Windows and macOS only.
   * @default true
   */
  readonly firewall?: boolean;
  /**
   * EDR or MDM checks through posture integrations (CrowdStrike, SentinelOne, Intune, Workspace ONE,
   * Kolide, Tanium). The strict profile needs one of these or `clientCertificate` (CF-DEV-1).
   * @default none
   */
  readonly integrations?: PostureIntegrationCheck[];
  /** A client certificate each device must hold (one `client_certificate_v2` rule per platform). @default none */
  readonly clientCertificate?: ClientCertificateCheck;
  /**
   * How often the WARP client (or the integration) re-runs each check.
   * @default "5m"
   */
  readonly schedule?: string;
  /**
   * How long a check result stays valid when no new result arrives (e.g. the device went offline).
   * @default none: a result stands until the next one replaces it
   */
  readonly expiration?: string;
}

const PLATFORM_ORDER: readonly DesktopPlatform[] = ["windows", "mac", "linux"];
const PLATFORM_NAMES: Readonly<Record<DesktopPlatform, string>> = { windows: "Windows", mac: "macOS", linux: "Linux" };
const FIREWALL_PLATFORMS: readonly DesktopPlatform[] = ["windows", "mac"];
const SEMVER = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * The device posture baseline that Access policies require: the device connects through WARP (or
 * Gateway), every disk is encrypted, the firewall is on (Windows, macOS), the OS is at least a
 * minimum version per platform, and optionally an EDR or MDM says the device is healthy and it holds
 * a client certificate. Passes CF-DEV-1 and CF-DEV-2. Pass `requirements` to HardenedAccessApplication:
 * one allow policy per platform, because an OS-version rule for macOS can never pass on Windows.
 */
export class DevicePostureBaseline extends Construct {
  /** Every posture rule, by construct id. */
  readonly rules: Readonly<Record<string, ZeroTrustDevicePostureRule>>;
  /** Ids of every posture rule. */
  readonly ruleIds: readonly string[];
  /** Per platform, the rules its devices must pass. */
  readonly requirements: readonly PostureRequirement[];

  constructor(scope: Construct, id: string, props: DevicePostureBaselineProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "DevicePostureBaseline", props);
    const platforms = PLATFORM_ORDER.filter((p) => props.platforms[p] !== undefined);
    if (platforms.length === 0) check.invalid("platforms", "names no platform; give at least one of windows, mac, linux with its minimum OS version");
    for (const p of platforms) validateOsVersion(check, p, props.platforms[p] as OsVersionMinimum);
    const requireAll = props.requireAllDisks ?? true;
    check.require(requireAll === true, requireAll, "requireAllDisks", "a device passes with one encrypted disk unless every disk is checked", "CF-DEV-2");
    const firewall = props.firewall ?? true;
    check.require(firewall === true, firewall, "firewall", "a firewall rule must exist", "CF-DEV-1");
    const firewallPlatforms = firewall ? platforms.filter((p) => FIREWALL_PLATFORMS.includes(p)) : [];
    if (firewall && firewallPlatforms.length === 0) {
      check.require(false, platforms, "platforms", "Cloudflare checks the firewall on Windows and macOS only, so a baseline without either has no firewall rule", "CF-DEV-1");
    }
    const integrations = props.integrations ?? [];
    integrations.forEach((c, i) => validateIntegration(check, c, i, platforms));
    if (props.clientCertificate && platforms.includes("linux") && !(props.clientCertificate.linuxPaths && props.clientCertificate.linuxPaths.length > 0)) {
      check.invalid("clientCertificate.linuxPaths", "is required when the baseline includes linux: Linux has no certificate store to search");
    }
    const edr = integrations.length > 0 || props.clientCertificate !== undefined;
    check.require(
      edr || !threshold("CF-DEV-1", "requireEdr", profile),
      integrations,
      "integrations",
      `the ${profile} profile needs an EDR or MDM integration check, or a clientCertificate`,
      "CF-DEV-1",
    );

    const common = { accountId: props.accountId, schedule: props.schedule ?? "5m", expiration: props.expiration };
    const rules: Record<string, ZeroTrustDevicePostureRule> = {};
    const perPlatform = new Map<DesktopPlatform, string[]>(platforms.map((p) => [p, []]));
    const add = (ruleId: string, name: string, type: string, on: readonly DesktopPlatform[], input?: ZeroTrustDevicePostureRuleInput) => {
      const rule = new ZeroTrustDevicePostureRule(this, ruleId, { ...common, name, type, match: on.map((platform) => ({ platform })), input });
      rules[ruleId] = rule;
      for (const p of on) perPlatform.get(p)?.push(rule.id);
    };

    const connection = props.connection ?? "warp";
    add(connection, connection === "warp" ? "Connected through WARP" : "Connected through Gateway", connection, platforms);
    add("disk-encryption", "Every disk encrypted", "disk_encryption", platforms, { requireAll: requireAll, checkDisks: props.checkDisks });
    for (const p of firewallPlatforms) add(`firewall-${p}`, `Firewall on (${PLATFORM_NAMES[p]})`, "firewall", [p], { enabled: true, operatingSystem: p });
    for (const p of platforms) {
      const v = props.platforms[p] as OsVersionMinimum;
      const op = v.operator ?? ">=";
      add(`os-version-${p}`, `${PLATFORM_NAMES[p]} ${op === ">=" ? `${v.version} or later` : `${op} ${v.version}`}`, "os_version", [p], {
        operatingSystem: p,
        version: v.version,
        operator: op,
        ...(p === "linux" ? { osDistroName: v.distroName, osDistroRevision: v.distroRevision } : {}),
      });
    }
    integrations.forEach((c, i) => add(`${c.type.replace(/_/g, "-")}-${i}`, integrationRuleName(c), c.type, c.platforms ?? platforms, integrationInput(c)));
    if (props.clientCertificate) {
      for (const p of platforms) add(`client-certificate-${p}`, `Client certificate (${PLATFORM_NAMES[p]})`, "client_certificate_v2", [p], clientCertificateInput(props.clientCertificate, p));
    }

    this.rules = rules;
    this.ruleIds = Object.values(rules).map((r) => r.id);
    this.requirements = platforms.map((platform) => ({ platform, ruleIds: perPlatform.get(platform) ?? [] }));
  }
}

function validateOsVersion(check: PropChecker, p: DesktopPlatform, v: OsVersionMinimum): void {
  if (!isToken(v.version) && !SEMVER.test(v.version)) {
    check.invalid(`platforms.${p}.version`, `is ${JSON.stringify(v.version)}; Cloudflare compares semantic versions, so write three parts such as "14.5.0"`);
  }
  const op = v.operator ?? ">=";
  check.require([">=", ">", "=="].includes(op), op, `platforms.${p}.operator`, "use >=, > or == so the version is a minimum", "CF-DEV-2");
  if (p !== "linux" && (v.distroName !== undefined || v.distroRevision !== undefined)) {
    check.invalid(`platforms.${p}.distroName`, "applies to linux only");
  }
}

function validateIntegration(check: PropChecker, c: PostureIntegrationCheck, i: number, platforms: readonly DesktopPlatform[]): void {
  const prop = `integrations[${i}]`;
  if (!c.connectionId) check.invalid(`${prop}.connectionId`, "is empty; pass the id of the posture integration");
  for (const p of c.platforms ?? []) {
    if (!platforms.includes(p)) check.invalid(`${prop}.platforms`, `has ${p}, which is not one of the baseline's platforms (${platforms.join(", ")})`);
  }
  if (c.type === "crowdstrike_s2s" && !isToken(c.minimumOverallScore)) {
    const s = c.minimumOverallScore;
    if (!(Number.isInteger(s) && s >= 1 && s <= 100)) check.invalid(`${prop}.minimumOverallScore`, `is ${s}; a CrowdStrike ZTA score is a whole number from 1 to 100`);
  }
  if (c.type === "kolide" && c.maximumIssues !== undefined && !isToken(c.maximumIssues) && !(Number.isInteger(c.maximumIssues) && c.maximumIssues >= 0)) {
    check.invalid(`${prop}.maximumIssues`, `is ${c.maximumIssues}; give a whole number of issues, 0 or more`);
  }
}
