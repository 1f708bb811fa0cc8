import { defineRule, fail, pass } from "../rule";
import { allOf, decide, getString, whenPolicyActive } from "../shared/read";

const ENROLLMENT_POLICIES = ["okta_policy_mfa", "okta_policy_mfa_default"];

export const webauthnRequired = defineRule({
  id: "OKTA-MFA-1",
  kind: "resource",
  severity: "error",
  title: "Enrollment policies require WebAuthn",
  rationale:
    "Cloudflare's first recommendation after the 2023 Okta support breach: hardware MFA for every user. An enrollment policy that merely allows WebAuthn leaves users on phishable factors.",
  references: ["Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)", "NIST SP 800-63B AAL3"],
  passes: 'every active `okta_policy_mfa` and `okta_policy_mfa_default` has `webauthn.enroll = "REQUIRED"`',
  provider: "okta",
  resourceTypes: ENROLLMENT_POLICIES,
  reads: ["status", "webauthn.enroll"],
  weakens: [{ attribute: "webauthn.enroll", scale: ["REQUIRED", "OPTIONAL", "NOT_ALLOWED"] }],
  evaluate: (r) =>
    whenPolicyActive(r, () =>
      decide(getString(r, "webauthn.enroll"), (enroll) =>
        enroll === "REQUIRED"
          ? pass()
          : fail("webauthn.enroll", enroll ?? null, `webauthn enrollment is ${enroll ?? "not set (not allowed)"}; set webauthn = { enroll = "REQUIRED" }`),
      ),
    ),
});

const PHISHABLE = [
  "phone_number",
  "security_question",
  "google_otp",
  "okta_otp",
  "okta_sms",
  "okta_call",
  "okta_question",
  "rsa_token",
  "symantec_vip",
  "yubikey_token",
  "duo",
  "onprem_mfa",
  "custom_otp",
];

export const noPhishableEnrollment = defineRule({
  id: "OKTA-MFA-2",
  kind: "resource",
  severity: "error",
  title: "Enrollment policies allow no phishable authenticator",
  rationale:
    "Every phishable factor a user can enroll is one an attacker can relay, as in the 2023 Okta support breach. WebAuthn-only enrollment removes them.",
  references: ["NIST SP 800-63B AAL3", "DISA Okta IDaaS STIG V1R1"],
  passes:
    "in those policies every map among " +
    PHISHABLE.map((k) => `\`${k}\``).join(", ") +
    ' is absent or `enroll = "NOT_ALLOWED"`; `okta_verify` may be `OPTIONAL` in `recommended`, must be `NOT_ALLOWED` in `strict` (WebAuthn-only); `okta_password` and `okta_email` are allowed (the provider requires one of them)',
  provider: "okta",
  resourceTypes: ENROLLMENT_POLICIES,
  reads: ["status", ...PHISHABLE.map((k) => `${k}.enroll`), "okta_verify.enroll"],
  weakens: [{ attribute: "okta_verify.enroll", scale: ["NOT_ALLOWED", "OPTIONAL", "REQUIRED"] }],
  thresholds: {
    webauthnOnly: { recommended: false, strict: true, weaker: "false", description: "okta_verify enrollment must be NOT_ALLOWED" },
  },
  evaluate: (r, ctx) =>
    whenPolicyActive(r, () =>
      allOf(
        ...PHISHABLE.map((key) => () =>
          decide(getString(r, `${key}.enroll`), (enroll) =>
            enroll === undefined || enroll === "NOT_ALLOWED"
              ? pass()
              : fail(`${key}.enroll`, enroll, `${key} enrollment is ${enroll}; phishable authenticators must be NOT_ALLOWED`),
          ),
        ),
        () =>
          decide(getString(r, "okta_verify.enroll"), (enroll) => {
            const allowed = ctx.t.webauthnOnly ? ["NOT_ALLOWED"] : ["NOT_ALLOWED", "OPTIONAL"];
            if (enroll === undefined || allowed.includes(enroll)) return pass();
            return fail("okta_verify.enroll", enroll, `okta_verify enrollment is ${enroll}; allowed: ${allowed.join(" or ")}`);
          }),
      ),
    ),
});
