import type { Resource } from "../../engine/model/model";
import { defineRule, fail, notApplicable, pass, unknown, type RuleContext, type Verdict } from "../rule";
import { allOf, decide, dflt, getBool, getNumber, getString, isActive, whenPolicyActive } from "../shared/read";
import { someNames } from "./links";

const PASSWORD_POLICIES = ["okta_policy_password", "okta_policy_password_default"];

/**
 * A created password policy applies only through a rule: Okta moves on to the next policy when no rule
 * matches, so a policy without one leaves length, lockout and recovery to the Default policy. The
 * default policy (`okta_policy_password_default`) has its built-in rule.
 */
function hasRule(r: Resource, ctx: RuleContext): Verdict {
  if (r.kind !== "okta_policy_password") return notApplicable("the default policy has a built-in rule");
  const ruled = someNames(ctx.scope, ["okta_policy_rule_password"], "policy_id", r, isActive);
  if (ruled === true) return pass();
  const why = "Okta skips a password policy that no rule matches, so the Default policy's settings apply instead";
  if (ruled === "unknown") return unknown("okta_policy_rule_password", `an okta_policy_rule_password may name this policy (its policy_id, status or count is not known before apply); ${why}`);
  return fail("okta_policy_rule_password", null, `no active okta_policy_rule_password in this configuration names this policy; ${why}: add one (password change and reset allowed)`);
}

export const passwordStrength = defineRule({
  id: "OKTA-PWD-1",
  kind: "resource",
  severity: "warning",
  title: "Password policy resists guessing",
  rationale:
    "Cloudflare advised watching password events after the 2023 Okta support breach; a password that survives guessing and a lockout that stops spraying keep the first factor from being the weak link.",
  references: ["DISA Okta IDaaS STIG V1R1 (length 15, lockout 3)", "NIST SP 800-63B 5.1.1.2"],
  passes:
    "every active `okta_policy_password` / `okta_policy_password_default`: `password_min_length` ≥ 12 (`strict` 15), `password_max_lockout_attempts` between 1 and 10 (`strict` 3), `password_dictionary_lookup = true`; and an `okta_policy_password` is named by the `policy_id` of an active `okta_policy_rule_password` in the same configuration (Okta skips a password policy without a rule, so the Default policy decides)",
  provider: "okta",
  resourceTypes: PASSWORD_POLICIES,
  reads: ["status", "password_min_length", "password_max_lockout_attempts", "password_dictionary_lookup"],
  weakens: [
    { attribute: "password_min_length", scale: "number", weaker: "lower" },
    { attribute: "password_max_lockout_attempts", scale: "number" },
  ],
  thresholds: {
    minLength: { recommended: 12, strict: 15, weaker: "lower", description: "minimum password_min_length" },
    maxLockoutAttempts: { recommended: 10, strict: 3, weaker: "higher", description: "maximum password_max_lockout_attempts (0, no lockout, always fails)" },
  },
  evaluate: (r, ctx) =>
    whenPolicyActive(r, () =>
      allOf(
        () =>
          decide(getNumber(r, "password_min_length"), (len, d) =>
            len !== undefined && len >= (ctx.t.minLength as number)
              ? pass()
              : fail("password_min_length", len, `minimum password length is ${len}${dflt(d)}; at least ${ctx.t.minLength} required`),
          ),
        () =>
          decide(getNumber(r, "password_max_lockout_attempts"), (n, d) =>
            n !== undefined && n >= 1 && n <= (ctx.t.maxLockoutAttempts as number)
              ? pass()
              : fail(
                  "password_max_lockout_attempts",
                  n,
                  `lockout after ${n === 0 ? "unlimited (0)" : n} attempts${dflt(d)}; must be between 1 and ${ctx.t.maxLockoutAttempts}`,
                ),
          ),
        () =>
          decide(getBool(r, "password_dictionary_lookup"), (on, d) =>
            on ? pass() : fail("password_dictionary_lookup", on ?? false, `common-password check is off${dflt(d)}; set password_dictionary_lookup = true`),
          ),
        () => {
          const v = hasRule(r, ctx);
          return v.outcome === "not-applicable" ? pass() : v;
        },
      ),
    ),
});

const RECOVERY = ["sms_recovery", "call_recovery", "question_recovery"];

export const noPhishableRecovery = defineRule({
  id: "OKTA-PWD-2",
  kind: "resource",
  severity: "error",
  title: "Password recovery cannot go through phishable channels",
  rationale:
    "Recovery is sign-in by another door: SMS, voice and security questions let an attacker who phished or socially engineered a user reset the password and enroll a factor of their own.",
  references: ["NIST SP 800-63B 5.1.3.3", "Okta: password policy recovery settings"],
  passes: "those policies have `sms_recovery`, `call_recovery` and `question_recovery` absent or `INACTIVE` (note: `question_recovery` defaults to `ACTIVE`, so a policy that omits it fails)",
  provider: "okta",
  resourceTypes: PASSWORD_POLICIES,
  reads: ["status", ...RECOVERY],
  evaluate: (r) =>
    whenPolicyActive(r, () =>
      allOf(
        ...RECOVERY.map((attr) => () =>
          decide(getString(r, attr), (v, d) =>
            v === "INACTIVE" ? pass() : fail(attr, v ?? null, `${attr} is ${v}${dflt(d)}; set ${attr} = "INACTIVE"`),
          ),
        ),
      ),
    ),
});
