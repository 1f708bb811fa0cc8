import { type Resource, valueFromCode } from "../../engine/model/model";
import { read, walk } from "../../engine/model/view";
import { defineRule, fail, notApplicable, pass, unknown, type Verdict } from "../rule";
import { and, decide, equals, getJson, getString, isActive, whenApplies } from "../shared/read";
import { requireSome } from "../shared/scope";

const BREACH =
  "In the October 2023 Okta support breach, Cloudflare's hardware keys (WebAuthn) resisted the phishing and session replay that followed.";

export const webauthnActive = defineRule({
  id: "OKTA-AUTH-1",
  kind: "scope",
  severity: "error",
  title: "WebAuthn (FIDO2) authenticator is active",
  rationale: `${BREACH} Without an active WebAuthn authenticator no user can enroll a phishing-resistant factor.`,
  references: ["NIST SP 800-63B AAL3", "DISA Okta IDaaS STIG V1R1 (phishing-resistant MFA)", "Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)"],
  passes: 'an `okta_authenticator` with `key = "webauthn"` is active',
  provider: "okta",
  resourceTypes: ["okta_authenticator"],
  reads: ["key", "status"],
  evaluate: (scope) =>
    requireSome(
      scope,
      "okta",
      scope.ofKind("okta_authenticator"),
      (r) => and(equals(r, "key", "webauthn"), isActive(r)),
      "no active okta_authenticator with key webauthn",
    ),
});

const PHISHABLE_KEYS = [
  "phone_number",
  "security_question",
  "okta_email",
  "google_otp",
  "duo",
  "rsa_token",
  "symantec_vip",
  "yubikey_token",
  "custom_otp",
  "onprem_mfa",
];
/**
 * Authenticators whose `settings` provider 4.20 never sends: Okta types webauthn, yubikey_token and
 * onprem_mfa as `security_key`, and for that type the provider builds a RADIUS provider block instead
 * of sending settings (okta/resource_okta_authenticator.go:60, 302-314@v4.20.0). Any update of a
 * `security_key` authenticator demands RADIUS fields (253, 366-381), so configured settings are
 * dropped on create and make an update that fails. `custom_otp` is not one of them: its settings go
 * out in a separate call when the provider creates it (200-210, `buildOTP` 352-364).
 */
export const SETTINGS_NOT_SENT: readonly string[] = ["webauthn", "yubikey_token", "onprem_mfa"];

/**
 * Authenticators whose `settings.allowedFor` never reaches Okta, so the code cannot limit them to
 * recovery: those of {@link SETTINGS_NOT_SENT}, and `custom_otp`, whose settings are sent as the OTP
 * settings object, which has no `allowedFor` (sdk/v2_authenticatorSettingsOTP.go:6-13@v4.20.0).
 */
const ALLOWED_FOR_NOT_SENT: readonly string[] = [...SETTINGS_NOT_SENT, "custom_otp"];

const STRICT_INACTIVE_KEYS = ["phone_number", "security_question"];

/** The authenticator's `settings` JSON, or the verdict when it cannot decide. */
function withSettings(r: Resource, check: (settings: unknown) => Verdict): Verdict {
  return decide(getJson(r, "settings"), (settings) =>
    settings === undefined
      ? unknown("settings", "settings is not managed here, so the tenant's current value decides; set it explicitly")
      : check(settings),
  );
}

export const phishableAuthenticators = defineRule({
  id: "OKTA-AUTH-2",
  kind: "resource",
  severity: "error",
  title: "Phishable authenticators are not usable for sign-in",
  rationale: `${BREACH} SMS, voice, email codes and OTPs can be relayed by a phishing proxy; keep them for recovery at most.`,
  references: ["NIST SP 800-63B 5.1.3.3 (restricted authenticators)", "DISA Okta IDaaS STIG V1R1"],
  passes:
    "every active `okta_authenticator` whose `key` is " +
    PHISHABLE_KEYS.map((k) => `\`${k}\``).join(", ") +
    " has `settings.allowedFor` of `recovery` or `none` (in a configuration or a plan that sets their `settings`, `yubikey_token`, `onprem_mfa` and `custom_otp` must be `INACTIVE`: provider 4.20 never sends their `allowedFor`); `strict`: `phone_number` and `security_question` must be `INACTIVE`",
  provider: "okta",
  resourceTypes: ["okta_authenticator"],
  reads: ["key", "status", "settings"],
  weakens: [{ attribute: "settings", json: "allowedFor", scale: ["none", "recovery"] }],
  thresholds: {
    phoneAndQuestionInactive: {
      recommended: false,
      strict: true,
      weaker: "false",
      description: "phone_number and security_question authenticators must be INACTIVE",
    },
  },
  evaluate(r, ctx) {
    return decide(getString(r, "key"), (key) => {
      if (key === undefined || !PHISHABLE_KEYS.includes(key)) return { outcome: "not-applicable" };
      return whenApplies(isActive(r), "an active authenticator", () => {
        if (ctx.t.phoneAndQuestionInactive && STRICT_INACTIVE_KEYS.includes(key)) {
          return fail("status", "ACTIVE", `${key} authenticator is active; the strict profile requires it INACTIVE`);
        }
        // The code's allowedFor never reaches Okta for these keys (ALLOWED_FOR_NOT_SENT), so recovery-only cannot be configured.
        if (valueFromCode(r, "settings") && ALLOWED_FOR_NOT_SENT.includes(key)) {
          const why = key === "custom_otp" ? "sends only the OTP fields of its settings, never allowedFor" : "never sends its settings";
          return fail("status", "ACTIVE", `${key} authenticator is active, and provider 4.20 ${why}, so it cannot be limited to recovery; set it INACTIVE`);
        }
        return withSettings(r, (settings) => {
          const allowedFor = walk(settings, "allowedFor");
          if (allowedFor === "recovery" || allowedFor === "none") return pass();
          return fail(
            "settings.allowedFor",
            allowedFor ?? null,
            `${key} authenticator is allowed for ${allowedFor === undefined ? "any use (allowedFor unset)" : JSON.stringify(allowedFor)}; allow it for recovery or none`,
          );
        });
      });
    });
  },
});

export const oktaVerifyHardened = defineRule({
  id: "OKTA-AUTH-3",
  kind: "resource",
  severity: "error",
  title: "Okta Verify, when active, is hardened",
  rationale: `${BREACH} Okta Verify resists push fatigue and relay only with number challenge and user verification.`,
  references: ["Okta: Okta Verify authenticator settings", "DISA Okta IDaaS STIG V1R1 (FIPS)"],
  passes:
    'an active `okta_authenticator` `key = "okta_verify"` has `settings.channelBinding.required = "ALWAYS"` and `settings.userVerification = "REQUIRED"`; `strict` also `settings.compliance.fips = "REQUIRED"`',
  provider: "okta",
  resourceTypes: ["okta_authenticator"],
  reads: ["key", "status", "settings"],
  thresholds: {
    requireFips: { recommended: false, strict: true, weaker: "false", description: "settings.compliance.fips must be REQUIRED" },
  },
  evaluate(r, ctx) {
    return decide(getString(r, "key"), (key) => {
      if (key !== "okta_verify") return { outcome: "not-applicable" };
      return whenApplies(isActive(r), "an active authenticator", () =>
        withSettings(r, (s) => {
          const checks: Array<[string, unknown, string]> = [
            ["channelBinding.required", "ALWAYS", "number challenge must always be required"],
            ["userVerification", "REQUIRED", "user verification (biometrics or PIN) must be required"],
          ];
          if (ctx.t.requireFips) checks.push(["compliance.fips", "REQUIRED", "FIPS-compliant devices must be required"]);
          for (const [path, want, why] of checks) {
            const got = walk(s, path);
            if (got !== want) return fail(`settings.${path}`, got ?? null, `settings.${path} is ${JSON.stringify(got ?? null)}; ${why} (${JSON.stringify(want)})`);
          }
          return pass();
        }),
      );
    });
  },
});

export const noIgnoredSettings = defineRule({
  id: "OKTA-AUTH-4",
  kind: "resource",
  severity: "error",
  title: "No authenticator carries settings the provider never sends",
  rationale: `${BREACH} Provider 4.20 drops the settings of WebAuthn and the other security-key authenticators, so a configuration that sets user verification there claims a control Okta never receives, and its first update fails.`,
  references: ["okta/terraform-provider-okta v4.20.0: okta/resource_okta_authenticator.go (buildAuthenticator, validateAuthenticator)", "okta_authenticator_method_webauthn (provider 6.11+) manages WebAuthn user verification"],
  passes:
    "no `okta_authenticator` whose `key` is " +
    SETTINGS_NOT_SENT.map((k) => `\`${k}\``).join(", ") +
    " sets `settings` in a configuration or a plan that creates it or changes its `settings` (provider 4.20 never sends them; WebAuthn user verification is a method setting, managed by hand or with `okta_authenticator_method_webauthn` in provider 6.11+)",
  provider: "okta",
  resourceTypes: ["okta_authenticator"],
  reads: ["key", "settings"],
  evaluate(r) {
    return decide(getString(r, "key"), (key) => {
      if (key === undefined || !SETTINGS_NOT_SENT.includes(key)) return { outcome: "not-applicable" };
      // A state, or a plan that leaves settings as they are, holds the settings the API returned on read
      // (resource_okta_authenticator.go:402-408@v4.20.0), not the code's; a planned create or a changing update holds the code's.
      if (!valueFromCode(r, "settings")) return notApplicable("settings here are what the API returned, not the code's");
      const s = read(r, "settings");
      if (s.state === "absent" || (s.state === "known" && s.value === "")) return pass();
      if (s.state === "unknown") return unknown("settings", "settings is not known before apply; the provider never sends it for this key, so leave it out");
      return fail("settings", null, `${key} has settings, which provider 4.20 never sends (the security_key branch skips them) and whose change makes an update that fails; remove settings${key === "webauthn" ? " and set WebAuthn user verification on its method by hand" : ""}`);
    });
  },
});
