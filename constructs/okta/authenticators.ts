import { Authenticator } from "@cdktf/provider-okta/lib/authenticator";
import { Construct } from "constructs";
import { type PostureConstructProps, PropChecker, threshold } from "../props";

/** Authenticators that can be phished (codes and pushes an attacker's proxy can relay). */
export type PhishableAuthenticatorKey = "phone_number" | "security_question" | "okta_email" | "google_otp" | "duo" | "rsa_token" | "symantec_vip" | "yubikey_token" | "custom_otp" | "onprem_mfa";

/** The phishable authenticators Okta can use for account recovery (`settings.allowedFor: recovery`). */
export type RecoveryAuthenticatorKey = "okta_email" | "phone_number" | "security_question";

export interface PhishingResistantAuthenticatorsProps extends PostureConstructProps {
  /**
   * Keep Okta Verify active, hardened with number challenge and user verification.
   * @default true
   */
  readonly oktaVerify?: boolean;
  /**
   * Require FIPS-compliant devices for Okta Verify.
   * @default false, true under the strict profile
   */
  readonly oktaVerifyFips?: boolean;
  /**
   * Phishable authenticators kept for account recovery only (`allowedFor: recovery`). Under the strict
   * profile `phone_number` and `security_question` may not be listed.
   * @default ["okta_email"]
   */
  readonly recoveryOnly?: RecoveryAuthenticatorKey[];
  /**
   * Phishable authenticators set INACTIVE. Under the strict profile it must include `phone_number` and
   * `security_question`. Okta refuses to deactivate an authenticator that an enrollment policy still
   * offers: make these depend on the enrollment policy that stops offering them (OktaPosture does).
   * @default ["phone_number", "security_question"]
   */
  readonly inactive?: PhishableAuthenticatorKey[];
  /**
   * Ids of authenticators that already exist in the org (every org has them), by key, to import into
   * Terraform state through import blocks (Terraform ≥ 1.5). Without an id the provider adopts the
   * existing authenticator on create but applies only its status: the settings (user verification,
   * number challenge, recovery-only) take effect on the second `terraform apply`.
   * @default none: the provider adopts them
   */
  readonly importIds?: Partial<Record<"webauthn" | "okta_verify" | PhishableAuthenticatorKey, string>>;
}

const RECOVERY_KEYS: readonly RecoveryAuthenticatorKey[] = ["okta_email", "phone_number", "security_question"];

const NAMES: Record<string, string> = {
  webauthn: "Security Key or Biometric",
  okta_verify: "Okta Verify",
  phone_number: "Phone",
  security_question: "Security Question",
  okta_email: "Email",
  google_otp: "Google Authenticator",
  duo: "Duo Security",
  rsa_token: "RSA SecurID",
  symantec_vip: "Symantec VIP",
  yubikey_token: "YubiKey OTP",
  custom_otp: "Custom OTP",
  onprem_mfa: "On-Prem MFA",
};

/**
 * The org's authenticators set for phishing resistance: WebAuthn active with user verification,
 * Okta Verify hardened (number challenge always, user verification required), phishable authenticators
 * kept for recovery or made inactive. Passes OKTA-AUTH-1, OKTA-AUTH-2 and OKTA-AUTH-3.
 *
 * Authenticators are built-in objects of every org: pass `importIds` to import the existing ones (or
 * apply twice: an adopted authenticator gets its settings on the second apply).
 */
export class PhishingResistantAuthenticators extends Construct {
  /** The WebAuthn authenticator. */
  readonly webauthn: Authenticator;
  /** The authenticators by key. */
  readonly byKey: Readonly<Record<string, Authenticator>>;
  /** The authenticators set INACTIVE (to order after the policies that stop offering them). */
  readonly inactive: readonly Authenticator[];

  constructor(scope: Construct, id: string, props: PhishingResistantAuthenticatorsProps = {}) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "PhishingResistantAuthenticators", props);
    const recoveryOnly = props.recoveryOnly ?? ["okta_email"];
    const inactive = props.inactive ?? ["phone_number", "security_question"];
    for (const key of recoveryOnly) {
      if (!RECOVERY_KEYS.includes(key)) check.invalid("recoveryOnly", `lists ${key}, which Okta cannot use for recovery (allowed: ${RECOVERY_KEYS.join(", ")})`);
      if (inactive.includes(key)) check.invalid("recoveryOnly", `and inactive both list ${key}`);
    }
    if (threshold("OKTA-AUTH-2", "phoneAndQuestionInactive", profile)) {
      for (const key of ["phone_number", "security_question"] as const) {
        check.require(inactive.includes(key), inactive, "inactive", `must include ${key} under the ${profile} profile`, "OKTA-AUTH-2");
      }
    }
    const fips = props.oktaVerifyFips ?? (threshold("OKTA-AUTH-3", "requireFips", profile) as boolean);
    check.require(fips || !threshold("OKTA-AUTH-3", "requireFips", profile), fips, "oktaVerifyFips", `FIPS is required under the ${profile} profile`, "OKTA-AUTH-3");

    const byKey: Record<string, Authenticator> = {};
    const make = (key: string, status: "ACTIVE" | "INACTIVE", settings?: object) => {
      const a = new Authenticator(this, key, { key, name: NAMES[key], status, ...(settings ? { settings: JSON.stringify(settings) } : {}) });
      const importId = props.importIds?.[key as keyof typeof props.importIds];
      if (importId) a.importFrom(importId);
      byKey[key] = a;
      return a;
    };
    this.webauthn = make("webauthn", "ACTIVE", { userVerification: "REQUIRED" });
    make("okta_verify", props.oktaVerify === false ? "INACTIVE" : "ACTIVE", {
      channelBinding: { style: "NUMBER_CHALLENGE", required: "ALWAYS" },
      compliance: { fips: fips ? "REQUIRED" : "OPTIONAL" },
      userVerification: "REQUIRED",
    });
    for (const key of recoveryOnly) make(key, "ACTIVE", { allowedFor: "recovery" });
    this.inactive = inactive.map((key) => make(key, "INACTIVE", RECOVERY_KEYS.includes(key as RecoveryAuthenticatorKey) ? { allowedFor: "recovery" } : undefined));
    this.byKey = byKey;
  }
}
