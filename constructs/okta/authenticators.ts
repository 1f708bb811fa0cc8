import { Authenticator } from "@cdktf/provider-okta/lib/authenticator";
import { Construct } from "constructs";
import { SETTINGS_NOT_SENT } from "../../policies/okta/authenticators";
import { isToken, type PostureConstructProps, PropChecker, threshold } from "../props";

/** Authenticators that can be phished (codes and pushes an attacker's proxy can relay). */
export type PhishableAuthenticatorKey = "phone_number" | "security_question" | "okta_email" | "google_otp" | "duo" | "rsa_token" | "symantec_vip" | "yubikey_token" | "custom_otp" | "onprem_mfa";

/** The phishable authenticators Okta can use for account recovery (`settings.allowedFor: recovery`). */
export type RecoveryAuthenticatorKey = "okta_email" | "phone_number" | "security_question";

/** Authenticators that can be imported without a first plan whose update fails. */
export type ImportableAuthenticatorKey = "okta_verify" | Exclude<PhishableAuthenticatorKey, "yubikey_token" | "onprem_mfa" | "custom_otp">;

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
   * existing authenticator on create but applies only its status: the settings (number challenge,
   * recovery-only, email token lifetime) take effect on the second `terraform apply`. WebAuthn is
   * never imported: an imported `security_key` authenticator plans an update the provider refuses
   * without RADIUS fields, while adoption needs no settings for it.
   * @default none: the provider adopts them
   */
  readonly importIds?: Partial<Record<ImportableAuthenticatorKey, string>>;
  /**
   * Lifetime of an email verification code or link, in minutes (`settings.tokenLifetimeInMinutes` of
   * `okta_email`). The API always returns it, so leaving it out would show an update on every plan.
   * @default 5
   */
  readonly emailTokenLifetimeMinutes?: number;
  /**
   * The Okta Verify app instance id (`settings.appInstanceId`), as the API returns it for
   * `okta_verify` (Admin Console > Security > Authenticators > Okta Verify, or
   * `GET /api/v1/authenticators`). The provider compares the whole settings object, so without it
   * every plan shows an update of Okta Verify's settings (harmless, but noise in every review).
   * @default not managed
   */
  readonly oktaVerifyAppInstanceId?: string;
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
 * The org's authenticators set for phishing resistance: WebAuthn active, Okta Verify hardened (number
 * challenge always, user verification required), phishable authenticators kept for recovery or made
 * inactive. Passes OKTA-AUTH-1 to OKTA-AUTH-4.
 *
 * WebAuthn carries no `settings`: provider 4.20 never sends them (okta/resource_okta_authenticator.go:302-314@v4.20.0). Requiring
 * user verification for WebAuthn is a setting of the authenticator's *method*, which provider 4.20
 * cannot manage (`okta_authenticator_method_webauthn` arrives in 6.11): set it by hand (docs/constructs.md).
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
    if (props.importIds) {
      for (const key of Object.keys(props.importIds)) {
        if (SETTINGS_NOT_SENT.includes(key)) check.invalid("importIds", `has ${key}: an imported security_key authenticator plans an update that provider 4.20 refuses without RADIUS fields; leave it out (the provider adopts it by key)`);
        // An import plans an update, and provider 4.20 refuses any update of custom_otp (okta/resource_okta_authenticator.go:36, 378-380@v4.20.0).
        if (key === "custom_otp") check.invalid("importIds", "has custom_otp: an imported custom_otp authenticator plans an update, which provider 4.20 refuses; leave it out");
      }
    }
    const emailMinutes = props.emailTokenLifetimeMinutes ?? 5;
    if (!isToken(emailMinutes) && !(Number.isInteger(emailMinutes) && emailMinutes >= 1 && emailMinutes <= 1440)) {
      check.invalid("emailTokenLifetimeMinutes", `is ${emailMinutes}; give a whole number of minutes between 1 and 1440`);
    }
    const fips = props.oktaVerifyFips ?? (threshold("OKTA-AUTH-3", "requireFips", profile) as boolean);
    check.require(fips || !threshold("OKTA-AUTH-3", "requireFips", profile), fips, "oktaVerifyFips", `FIPS is required under the ${profile} profile`, "OKTA-AUTH-3");

    const byKey: Record<string, Authenticator> = {};
    const make = (key: string, status: "ACTIVE" | "INACTIVE", settings?: object) => {
      const sent = settings && !SETTINGS_NOT_SENT.includes(key);
      const a = new Authenticator(this, key, { key, name: NAMES[key], status, ...(sent ? { settings: JSON.stringify(settings) } : {}) });
      const importId = props.importIds?.[key as ImportableAuthenticatorKey];
      if (importId) a.importFrom(importId);
      byKey[key] = a;
      return a;
    };
    // The settings the API returns for each key, in full: the provider compares the whole object
    // (okta/utils.go:643-656@v4.20.0), so a key the API adds (email's token lifetime) would be a diff forever.
    const recovery = (key: string) => (key === "okta_email" ? { allowedFor: "recovery", tokenLifetimeInMinutes: emailMinutes } : { allowedFor: "recovery" });
    this.webauthn = make("webauthn", "ACTIVE");
    make("okta_verify", props.oktaVerify === false ? "INACTIVE" : "ACTIVE", {
      ...(props.oktaVerifyAppInstanceId ? { appInstanceId: props.oktaVerifyAppInstanceId } : {}),
      channelBinding: { style: "NUMBER_CHALLENGE", required: "ALWAYS" },
      compliance: { fips: fips ? "REQUIRED" : "OPTIONAL" },
      userVerification: "REQUIRED",
    });
    for (const key of recoveryOnly) make(key, "ACTIVE", recovery(key));
    this.inactive = inactive.map((key) => make(key, "INACTIVE", RECOVERY_KEYS.includes(key as RecoveryAuthenticatorKey) ? recovery(key) : undefined));
    this.byKey = byKey;
  }
}
