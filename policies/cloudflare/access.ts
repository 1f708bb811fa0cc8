import { goDurationMinutes } from "../../engine/duration";
import type { Resource } from "../../engine/model";
import type { Scope } from "../../engine/scope";
import { defineRule, fail, notApplicable, pass, unknown, type RuleContext, type Verdict } from "../rule";
import { allOf, decide, dflt, getBool, getString } from "../shared/read";
import { type AccessPolicy, attachedPolicies, decision, requiredAuthMethods, requiresDevicePosture, ruleEntries, ruleKinds } from "./access-policies";

const DOOR =
  "Cloudflare Access stopped the 2023 Okta-breach attacker at the door: only people with hardware keys on healthy, managed devices got in.";

const GUARDED_TYPES = ["self_hosted", "ssh", "vnc", "rdp", "saas", "infrastructure"];
const APP = "cloudflare_zero_trust_access_application";

/** Runs `check` on an application of a guarded type (type absent reads as self_hosted). */
function guardedApp(app: Resource, check: () => Verdict): Verdict {
  return decide(getString(app, "type"), (type) => (type !== undefined && GUARDED_TYPES.includes(type) ? check() : notApplicable(`type ${type}`)));
}

/**
 * Applies `test` to every allow policy of the app: fails on the first policy that certainly fails,
 * is unknown when a failing policy has unknown parts, and fails when the app has no allow policy.
 */
function everyAllowPolicy(app: Resource, scope: Scope, attribute: string, test: (p: AccessPolicy) => string | undefined): Verdict {
  const attached = attachedPolicies(app, scope);
  if (!attached.known) return unknown("policies", attached.why);
  let allows = 0;
  let uncertain: string | undefined;
  for (const p of attached.policies) {
    const d = decision(p);
    if (d === "unknown") {
      uncertain ??= `the decision of ${p.label} is not known before apply`;
      continue;
    }
    if (d !== "allow") continue;
    allows++;
    const problem = test(p);
    if (problem === undefined) continue;
    if (p.uncertain) uncertain ??= `${p.label} ${problem}, unless its unknown values say otherwise`;
    else return fail(attribute, null, `${p.label} ${problem}`);
  }
  if (uncertain) return unknown(attribute, uncertain);
  if (allows === 0) return fail("policies", null, "no allow policy guards this application");
  return pass();
}

export const devicePostureRequired = defineRule({
  id: "CF-ACC-1",
  kind: "resource",
  severity: "error",
  title: "Every Access application is guarded by an allow policy that requires device posture",
  rationale: `${DOOR} A stolen session on an unmanaged device fails the posture check.`,
  references: ["Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)", "Cloudflare Zero Trust: device posture"],
  passes:
    "every `cloudflare_zero_trust_access_application` of `type` `self_hosted` (default), `ssh`, `vnc`, `rdp`, `saas` or `infrastructure` has at least one policy (inline in `policies`, or a `cloudflare_zero_trust_access_policy` referenced by `policies[].id`) with `decision = \"allow\"`, and every such allow policy has a `require` entry with `device_posture`",
  provider: "cloudflare",
  resourceTypes: [APP],
  reads: ["type", "policies"],
  evaluate: (app, ctx) =>
    guardedApp(app, () => everyAllowPolicy(app, ctx.scope, "policies", (p) => (requiresDevicePosture(p) ? undefined : "requires no device posture"))),
});

export const hardwareKeyRequired = defineRule({
  id: "CF-ACC-2",
  kind: "resource",
  severity: "error",
  title: "Allow policies demand a hardware key",
  rationale: `${DOOR} Requiring the hwk auth method makes Access itself refuse sessions signed in without a security key.`,
  references: ["Cloudflare Zero Trust: Access policy authentication method (amr)", "NIST SP 800-63B AAL3"],
  passes: 'every allow policy attached to an application has a `require` entry `auth_method.auth_method = "hwk"` (`recommended` also accepts `"mfa"`)',
  provider: "cloudflare",
  resourceTypes: [APP],
  reads: ["type", "policies"],
  thresholds: { acceptMfa: { recommended: true, strict: false, weaker: "true", description: 'auth_method "mfa" is accepted in place of "hwk"' } },
  evaluate: (app, ctx) =>
    guardedApp(app, () =>
      everyAllowPolicy(app, ctx.scope, "policies", (p) => {
        const accepted = ctx.t.acceptMfa ? ["hwk", "mfa"] : ["hwk"];
        return requiredAuthMethods(p).some((m) => accepted.includes(m)) ? undefined : `requires no ${accepted.join(" or ")} auth method`;
      }),
    ),
});

const BROAD = new Set(["everyone", "any_valid_service_token", "email_domain"]);

/** The problem with one policy under CF-ACC-3, or undefined. */
function admitsEveryone(p: AccessPolicy): string | undefined {
  if (decision(p) !== "allow") return undefined;
  const kinds = ruleKinds(ruleEntries(p, "include"));
  if (kinds.size === 0 || ![...kinds].every((k) => BROAD.has(k))) return undefined;
  if (requiresDevicePosture(p) && requiredAuthMethods(p).length > 0) return undefined;
  return `admits ${[...kinds].join(" / ")} without requiring device posture and an auth method`;
}

export const noAllowEveryone = defineRule({
  id: "CF-ACC-3",
  kind: "resource",
  severity: "error",
  title: "No allow policy admits everyone",
  rationale: `${DOOR} An include of everyone (or of a whole email domain) admits whoever holds a stolen session, unless posture and auth method are required.`,
  references: ["Cloudflare Zero Trust: Access policy rules"],
  passes:
    "no allow policy has an `include` with `everyone`, `any_valid_service_token` or `email_domain` as its only kind of include unless it also has a `require` with `device_posture` and `auth_method`",
  provider: "cloudflare",
  resourceTypes: ["cloudflare_zero_trust_access_policy", APP],
  reads: ["decision", "include", "require", "policies"],
  evaluate(r, ctx: RuleContext): Verdict {
    const policies: AccessPolicy[] =
      r.kind === APP
        ? (() => {
            const a = attachedPolicies(r, ctx.scope);
            // Referenced policies are judged as resources of their own; only inline ones here.
            return a.known ? a.policies.filter((p) => p.label.startsWith(`${r.address} policies[`)) : [];
          })()
        : [{ label: r.address, values: r.values, uncertain: false }];
    if (policies.length === 0) return notApplicable("no inline policies");
    for (const p of policies) {
      if (decision(p) === "unknown") return unknown("decision", `the decision of ${p.label} is not known before apply`);
      const problem = admitsEveryone(p);
      if (problem) return fail("include", null, `${p.label} ${problem}`);
    }
    return pass();
  },
});

export const shortAppSessions = defineRule({
  id: "CF-ACC-4",
  kind: "resource",
  severity: "error",
  title: "Application sessions are short",
  rationale: `${DOOR} Access has no idle timeout, so a short application token is the compensating control for a stolen session.`,
  references: ["NIST SP 800-63B AAL3", "Cloudflare Zero Trust: session management"],
  passes: "`session_duration` (default `24h`) ≤ `8h`; `strict` ≤ `1h`",
  provider: "cloudflare",
  resourceTypes: [APP],
  reads: ["type", "session_duration"],
  weakens: [{ attribute: "session_duration", scale: "go-duration" }],
  thresholds: { maxSessionMinutes: { recommended: 480, strict: 60, weaker: "higher", description: "maximum session_duration in minutes" } },
  evaluate: (app, ctx) =>
    guardedApp(app, () =>
      decide(getString(app, "session_duration"), (d, defaulted) => {
        const max = ctx.t.maxSessionMinutes as number;
        const minutes = d === undefined ? undefined : goDurationMinutes(d);
        if (minutes === undefined) return fail("session_duration", d ?? null, `session_duration ${JSON.stringify(d)} is not a duration`);
        return minutes <= max ? pass() : fail("session_duration", d, `session duration is ${d}${dflt(defaulted)}; at most ${max / 60}h allowed`);
      }),
    ),
});

export const cookiesResistTheft = defineRule({
  id: "CF-ACC-5",
  kind: "resource",
  severity: "warning",
  title: "Session cookies resist theft",
  rationale: `${DOOR} A binding cookie ties the Access token to the browser that earned it, so a copied token is useless elsewhere.`,
  references: ["Cloudflare Zero Trust: Access cookie settings"],
  passes: "for `self_hosted` apps: `enable_binding_cookie = true`, `http_only_cookie_attribute` not false, `same_site_cookie_attribute` `lax` or `strict`",
  provider: "cloudflare",
  resourceTypes: [APP],
  reads: ["type", "enable_binding_cookie", "http_only_cookie_attribute", "same_site_cookie_attribute"],
  weakens: [{ attribute: "same_site_cookie_attribute", scale: ["strict", "lax"] }],
  evaluate: (app) =>
    decide(getString(app, "type"), (type) =>
      type !== "self_hosted"
        ? notApplicable()
        : allOf(
            () =>
              decide(getBool(app, "enable_binding_cookie"), (on, d) =>
                on ? pass() : fail("enable_binding_cookie", on ?? false, `binding cookie is off${dflt(d)}; set enable_binding_cookie = true`),
              ),
            () =>
              decide(getBool(app, "http_only_cookie_attribute"), (on) =>
                on === false ? fail("http_only_cookie_attribute", false, "cookie is readable by scripts; remove http_only_cookie_attribute = false") : pass(),
              ),
            () =>
              decide(getString(app, "same_site_cookie_attribute"), (s) =>
                s === "lax" || s === "strict" ? pass() : fail("same_site_cookie_attribute", s ?? null, `same_site_cookie_attribute is ${s ?? "not set"}; set lax or strict`),
              ),
          ),
    ),
});
