import type { Resource } from "../../engine/model";
import { walk } from "../../engine/view";
import { defineRule, fail, pass, unknown, type Verdict } from "../rule";
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
    " has `settings.allowedFor` of `recovery` or `none`; `strict`: `phone_number` and `security_question` must be `INACTIVE`",
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
