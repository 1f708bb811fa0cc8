import type { Resource } from "../../engine/model/model";
import { isoDurationMinutes } from "../../engine/model/duration";
import { walk } from "../../engine/model/view";
import { defineRule, fail, pass, type Tri, unknown, type Verdict } from "../rule";
import { chainSteps, type JsonStrings, jsonStrings } from "../shared/okta-shapes";
import { allOf, decide, dflt, getString, isActive, whenActiveAllow, whenApplies } from "../shared/read";
import { someNames } from "./links";

const LESSON =
  "After the 2023 Okta support breach, phishing-resistant factors in front of every app (and the Admin Console above all) are what kept stolen passwords and relayed codes useless.";

/** The parsed `constraints` entries (a list of JSON strings in the provider schema). */
function constraintsOf(r: Resource): JsonStrings {
  return jsonStrings(r, "constraints");
}

/**
 * OKTA-APP-1 for an `AUTH_METHOD_CHAIN` rule (provider 5.0.0+; `type` defaults to ASSURANCE): each
 * chain is one way to sign in, so every chain needs a step whose every method is phishing-resistant.
 */
function phishingResistantChains(r: Resource, hw: boolean): Verdict {
  const c = jsonStrings(r, "chains");
  if (!c.ok) return c.verdict;
  const want = hw ? "phishingResistant and hardwareProtection" : "phishingResistant";
  if (c.entries.length === 0) return fail("chains", null, `an AUTH_METHOD_CHAIN rule with no chains entry whose methods set ${want} = "REQUIRED"`);
  const strong = (m: unknown) => walk(m, "phishingResistant") === "REQUIRED" && (!hw || walk(m, "hardwareProtection") === "REQUIRED");
  const weak = c.entries.findIndex((chain) => !chainSteps(chain).some((methods) => methods.length > 0 && methods.every(strong)));
  if (weak < 0) return pass();
  return fail(`chains.${weak}`, null, `chains[${weak}] has no step whose every method sets ${want} = "REQUIRED", and Okta accepts any one chain`);
}

export const phishingResistantApps = defineRule({
  id: "OKTA-APP-1",
  kind: "resource",
  severity: "error",
  title: "App sign-on rules demand phishing-resistant 2FA",
  rationale: LESSON,
  references: ["DISA Okta IDaaS STIG V1R1 (phishing-resistant MFA for Dashboard and Admin Console)", "Okta: authentication policy constraints"],
  passes:
    'every active `okta_app_signon_policy_rule` with `access` (default `ALLOW`) `ALLOW` has `factor_mode` (default `2FA`) `2FA` and `constraints` entries that all have `possession.phishingResistant = "REQUIRED"` and `possession.required = true` (Okta accepts any one entry, so every entry must be; provider 4.x sends `"required": false` when it is absent); `strict` also `possession.hardwareProtection = "REQUIRED"`. A rule of `type = "AUTH_METHOD_CHAIN"` (provider 5.0.0+) is judged on its `chains` instead: every chain has a step whose every `authenticationMethods` entry has `phishingResistant = "REQUIRED"` (`strict` also `hardwareProtection`)',
  providerVersions: "Okta provider 4.20.0 to 6.12.0: `constraints` (`type` ASSURANCE, the default); `chains` with `type = \"AUTH_METHOD_CHAIN\"` from 5.0.0",
  provider: "okta",
  resourceTypes: ["okta_app_signon_policy_rule"],
  reads: ["status", "access", "factor_mode", "type", "constraints", "chains"],
  thresholds: {
    requireHardwareProtection: {
      recommended: false,
      strict: true,
      weaker: "false",
      description: "the phishing-resistant constraint must also require possession.hardwareProtection",
    },
  },
  evaluate: (r, ctx) =>
    whenActiveAllow(r, () =>
      allOf(
        () =>
          decide(getString(r, "factor_mode"), (mode, d) =>
            mode === "2FA" ? pass() : fail("factor_mode", mode ?? null, `factor_mode is ${mode}${dflt(d)}; must be 2FA`),
          ),
        () => {
          const hw = ctx.t.requireHardwareProtection === true;
          const type = getString(r, "type");
          if (!type.ok) return type.verdict;
          if (type.value === "AUTH_METHOD_CHAIN") return phishingResistantChains(r, hw);
          const c = constraintsOf(r);
          if (!c.ok) return c.verdict;
          const want = hw ? "possession.phishingResistant and possession.hardwareProtection" : "possession.phishingResistant";
          if (c.entries.length === 0) return fail("constraints", null, `no constraints entry sets ${want} = "REQUIRED"`);
          // Okta ORs the entries (each is one way to satisfy the rule), so every entry must be phishing-resistant.
          const weak = c.entries.findIndex(
            (e) => walk(e, "possession.phishingResistant") !== "REQUIRED" || (hw && walk(e, "possession.hardwareProtection") !== "REQUIRED"),
          );
          if (weak >= 0) return fail(`constraints.${weak}`, null, `constraints[${weak}] does not set ${want} = "REQUIRED", and Okta accepts any one entry`);
          // sdk/v2_possessionConstraint.go:10@v4.20.0: `Required bool` without omitempty, so an absent
          // "required" reaches Okta as false and the possession factor is stored as optional.
          const optional = c.entries.findIndex((e) => walk(e, "possession.required") !== true);
          if (optional < 0) return pass();
          const got = walk(c.entries[optional], "possession.required");
          return fail(
            `constraints.${optional}.possession.required`,
            got ?? null,
            `constraints[${optional}].possession.required is ${got === undefined ? "absent" : JSON.stringify(got)}; the provider sends "required": false unless it is true, so Okta stores the phishing-resistant factor as not required: set "required": true`,
          );
        },
      ),
    ),
});

export const boundedReauthentication = defineRule({
  id: "OKTA-APP-2",
  kind: "resource",
  severity: "error",
  title: "App re-authentication is bounded",
  rationale: `${LESSON} Bounded re-authentication limits how long a stolen app session stays useful.`,
  references: ["NIST SP 800-63B AAL3 (12 h, 15 min inactivity)"],
  passes:
    "those rules have `re_authentication_frequency` ≤ PT12H (ISO-8601; `PT43800H` means once per session and fails); `strict` also `inactivity_period` set and ≤ PT15M",
  provider: "okta",
  resourceTypes: ["okta_app_signon_policy_rule"],
  reads: ["status", "access", "re_authentication_frequency", "inactivity_period"],
  weakens: [
    { attribute: "re_authentication_frequency", scale: "iso-duration" },
    { attribute: "inactivity_period", scale: "iso-duration" },
  ],
  thresholds: {
    maxReauthMinutes: { recommended: 720, strict: 720, weaker: "higher", description: "maximum re_authentication_frequency in minutes" },
    requireInactivityPeriod: { recommended: false, strict: true, weaker: "false", description: "inactivity_period must be set explicitly" },
    maxInactivityMinutes: { recommended: 15, strict: 15, weaker: "higher", description: "maximum inactivity_period in minutes, when required" },
  },
  evaluate: (r, ctx) =>
    whenActiveAllow(r, () =>
      allOf(
        () =>
          decide(getString(r, "re_authentication_frequency"), (freq, d) => {
            const max = ctx.t.maxReauthMinutes as number;
            const minutes = freq === undefined ? undefined : isoDurationMinutes(freq);
            if (minutes === undefined) return fail("re_authentication_frequency", freq ?? null, `re_authentication_frequency ${JSON.stringify(freq)} is not an ISO-8601 duration`);
            if (minutes <= max) return pass();
            return fail("re_authentication_frequency", freq, `re-authentication every ${freq}${dflt(d)}${freq === "PT43800H" ? " (once per session)" : ""}; at most every ${max} minutes (PT${max / 60}H) allowed`);
          }),
        () => {
          if (!ctx.t.requireInactivityPeriod) return pass();
          const max = ctx.t.maxInactivityMinutes as number;
          return decide(getString(r, "inactivity_period"), (period, d) => {
            if (d || period === undefined) return fail("inactivity_period", period ?? null, `inactivity_period is not set; set it to at most PT${max}M`);
            const minutes = isoDurationMinutes(period);
            if (minutes !== undefined && minutes <= max) return pass();
            return fail("inactivity_period", period, `inactivity_period is ${period}; at most PT${max}M allowed`);
          });
        },
      ),
    ),
});

const TOP_KEYS = new Set(["knowledge", "possession"]);
const INNER_KEYS = new Set(["types", "methods", "reauthenticateIn", "required", "authenticationMethods", "excludedAuthenticationMethods"]);
const POSSESSION_ONLY = new Set(["deviceBound", "hardwareProtection", "phishingResistant", "userPresence", "userVerification", "userVerificationMethods"]);

export const constraintKeysKept = defineRule({
  id: "OKTA-APP-3",
  kind: "resource",
  severity: "error",
  title: "Constraint JSON has only keys the provider keeps",
  rationale:
    "The provider silently drops any constraint key it does not know, so a typo such as `phishingResistent` turns a phishing-resistant rule into a weaker one without an error.",
  references: ["okta/terraform-provider-okta v4.20.0: app_signon_policy_rule constraints"],
  passes:
    "every key in each `constraints` JSON is one of: top level `knowledge`, `possession`; inside them `types`, `methods`, `reauthenticateIn`, `required`, `authenticationMethods`, `excludedAuthenticationMethods`, and in `possession` also `deviceBound`, `hardwareProtection`, `phishingResistant`, `userPresence`, `userVerification`, `userVerificationMethods`",
  provider: "okta",
  resourceTypes: ["okta_app_signon_policy_rule"],
  reads: ["constraints"],
  evaluate(r) {
    const c = constraintsOf(r);
    if (!c.ok) return c.verdict;
    if (c.entries.length === 0) return { outcome: "not-applicable", reason: "no constraints" };
    for (const [i, entry] of c.entries.entries()) {
      if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
        return fail(`constraints.${i}`, undefined, `constraints[${i}] is not a JSON object`);
      }
      for (const [top, inner] of Object.entries(entry)) {
        if (!TOP_KEYS.has(top)) return fail(`constraints.${i}`, top, `constraints[${i}] has key "${top}", which the provider drops; allowed: knowledge, possession`);
        if (inner === null || typeof inner !== "object" || Array.isArray(inner)) continue;
        for (const k of Object.keys(inner)) {
          if (INNER_KEYS.has(k) || (top === "possession" && POSSESSION_ONLY.has(k))) continue;
          return fail(`constraints.${i}`, `${top}.${k}`, `constraints[${i}].${top} has key "${k}", which the provider drops`);
        }
      }
    }
    return pass();
  },
});

const APPS_WITH_POLICY = ["okta_app_oauth", "okta_app_saml", "okta_app_bookmark"];
const ASSIGNMENT = "okta_app_access_policy_assignment";

export const policyAssigned = defineRule({
  id: "OKTA-APP-4",
  kind: "resource",
  severity: "warning",
  title: "Authentication policies protect something",
  rationale: `${LESSON} A phishing-resistant authentication policy that no app uses passes every rule on its rules while protecting nothing.`,
  references: ["okta/terraform-provider-okta v4.20.0: okta_app_oauth / okta_app_saml / okta_app_bookmark `authentication_policy`, okta_app_access_policy_assignment"],
  passes:
    "every active `okta_app_signon_policy` is named by an `okta_app_oauth`, `okta_app_saml` or `okta_app_bookmark` `authentication_policy`, or by an `okta_app_access_policy_assignment` `policy_id`, in the same configuration (a warning: apps assigned elsewhere can be waived)",
  provider: "okta",
  resourceTypes: ["okta_app_signon_policy"],
  reads: ["status"],
  evaluate: (r, ctx) =>
    whenApplies(isActive(r), "an active policy", () => {
      const assigned = or(
        someNames(ctx.scope, APPS_WITH_POLICY, "authentication_policy", r),
        someNames(ctx.scope, [ASSIGNMENT], "policy_id", r),
      );
      if (assigned === true) return pass();
      if (assigned === "unknown") return unknown("authentication_policy", "an app may use this policy (its authentication_policy, policy_id or count is not known before apply)");
      return fail(undefined, null, "no app in this configuration uses this authentication policy (authentication_policy or okta_app_access_policy_assignment), so its rules protect nothing; assign the apps, or add rules to the policies the apps use (the Okta Admin Console and Okta Dashboard policies above all)");
    }),
});

function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  return a === "unknown" || b === "unknown" ? "unknown" : false;
}
