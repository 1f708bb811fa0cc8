import { goDurationMinutes } from "../../engine/model/duration";
import type { Resource } from "../../engine/model/model";
import type { Scope } from "../../engine/model/scope";
import { read } from "../../engine/model/view";
import { defineRule, fail, notApplicable, pass, unknown, type RuleContext, type Tri, type Verdict } from "../rule";
import { allOf, and, decide, dflt, getBool, getString, whenApplies } from "../shared/read";
import { ACCESS_POLICY, type AccessPolicy, asAccessPolicy, attachedPolicies, decision, inheritsAppSession, outsideApplication, requiresAuthMethod, requiresDevicePosture, ruleKinds, ruleList } from "./access-policies";

const DOOR =
  "Cloudflare Access stopped the 2023 Okta-breach attacker at the door: only people with hardware keys on healthy, managed devices got in.";

const GUARDED_TYPES = ["self_hosted", "ssh", "vnc", "rdp", "saas", "infrastructure"];
const APP = "cloudflare_zero_trust_access_application";

/**
 * A v4 policy bound by a literal `application_id` to an application outside the configuration:
 * `check` judges the policy itself; any other policy is judged with its application (not applicable here).
 */
function outsidePolicy(policy: Resource, scope: Scope, check: (p: AccessPolicy, app: string) => Verdict): Verdict {
  const app = outsideApplication(policy, scope);
  if (app === undefined) return notApplicable("judged with the application it guards");
  const d = decision(asAccessPolicy(policy));
  return whenApplies(d === "unknown" ? "unknown" : d === "allow", "an allow policy", () => check(asAccessPolicy(policy), app));
}

/** Runs `check` on an application of a guarded type (type absent reads as self_hosted). */
function guardedApp(app: Resource, check: () => Verdict): Verdict {
  return decide(getString(app, "type"), (type) => (type !== undefined && GUARDED_TYPES.includes(type) ? check() : notApplicable(`type ${type}`)));
}

/**
 * Applies `satisfied` to every allow policy of the app: fails on the first allow policy that certainly
 * fails it, and when the app certainly has no allow policy; is unknown when an unknown value (a
 * decision, a require entry, a link that cannot be followed, a v4 application_id) could change that.
 */
function everyAllowPolicy(app: Resource, scope: Scope, attribute: string, satisfied: (p: AccessPolicy) => Tri, problem: string, onNoAllow: "fail" | "not-applicable" = "fail"): Verdict {
  const attached = attachedPolicies(app, scope);
  let allows = 0;
  let uncertain = attached.unresolved;
  // Why the app may have a satisfying allow policy that is not certainly attached or certainly allow.
  let mayGuard = attached.unresolved;
  for (const p of attached.policies) {
    const d = decision(p);
    if (d !== "allow" && d !== "unknown") continue;
    const ok = satisfied(p);
    if (d === "unknown") {
      if (ok === true) mayGuard ??= `the decision of ${p.label} is not known before apply`;
      else uncertain ??= `the decision of ${p.label} is not known before apply`;
      continue;
    }
    allows++;
    if (ok === true) continue;
    if (ok === false && !p.uncertain) return fail(attribute, null, `${p.label} ${problem}`);
    uncertain ??= `${p.label} ${problem}, unless its unknown values say otherwise`;
  }
  for (const p of attached.maybe) {
    const d = decision(p);
    if (d !== "allow" && d !== "unknown") continue;
    const why = `${p.label} may guard this application (its application_id is not known before apply)`;
    if (satisfied(p) === true) mayGuard ??= why;
    else uncertain ??= `${why}, and it ${problem}`;
  }
  if (allows === 0 && mayGuard === undefined) {
    // CF-ACC-1 reports an app with no allow policy; the other rules about allow policies do not repeat it.
    return onNoAllow === "fail" ? fail("policies", null, "no allow policy guards this application") : notApplicable("no allow policy guards this application (CF-ACC-1 reports it)");
  }
  if (uncertain) return unknown(attribute, uncertain);
  if (allows === 0) return unknown("policies", `no allow policy certainly guards this application: ${mayGuard}`);
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
    "every `cloudflare_zero_trust_access_application` of `type` `self_hosted` (default), `ssh`, `vnc`, `rdp`, `saas` or `infrastructure` has at least one policy (inline in `policies`, or a `cloudflare_zero_trust_access_policy` referenced by `policies[].id`) with `decision = \"allow\"`, and every such allow policy has a `require` entry with `device_posture`; a v4 allow policy bound by a literal `application_id` to an application outside the evaluated configuration is unknown (that application's other policies are not known)",
  provider: "cloudflare",
  resourceTypes: [APP, ACCESS_POLICY],
  reads: ["type", "policies", "application_id", "decision"],
  evaluate: (r, ctx) =>
    r.kind === ACCESS_POLICY
      ? outsidePolicy(r, ctx.scope, (_p, app) => unknown("application_id", `this policy guards application ${app}, which is not in the evaluated configuration: whether every allow policy of that application requires device posture is not known`))
      : guardedApp(r, () => everyAllowPolicy(r, ctx.scope, "policies", requiresDevicePosture, "requires no device posture")),
});

export const hardwareKeyRequired = defineRule({
  id: "CF-ACC-2",
  kind: "resource",
  severity: "error",
  title: "Allow policies demand a hardware key",
  rationale: `${DOOR} Requiring the hwk auth method makes Access itself refuse sessions signed in without a security key.`,
  references: ["Cloudflare Zero Trust: Access policy authentication method (amr)", "NIST SP 800-63B AAL3"],
  passes:
    'every allow policy attached to an application has a `require` entry `auth_method.auth_method = "hwk"` (`recommended` also accepts `"mfa"`); a v4 allow policy bound by a literal `application_id` to an application outside the evaluated configuration is judged on its own',
  provider: "cloudflare",
  resourceTypes: [APP, ACCESS_POLICY],
  reads: ["type", "policies", "application_id", "decision", "require"],
  thresholds: { acceptMfa: { recommended: true, strict: false, weaker: "true", description: 'auth_method "mfa" is accepted in place of "hwk"' } },
  evaluate: (app, ctx) => {
    const accepted = ctx.t.acceptMfa ? ["hwk", "mfa"] : ["hwk"];
    if (app.kind === ACCESS_POLICY) {
      return outsidePolicy(app, ctx.scope, (p) => {
        const ok = requiresAuthMethod(p, accepted);
        if (ok === true) return pass();
        const problem = `${p.label} requires no ${accepted.join(" or ")} auth method`;
        return ok === false ? fail("require", null, problem) : unknown("require", `${problem}, unless its unknown values say otherwise`);
      });
    }
    return guardedApp(app, () => everyAllowPolicy(app, ctx.scope, "policies", (p) => requiresAuthMethod(p, accepted), `requires no ${accepted.join(" or ")} auth method`, "not-applicable"));
  },
});

const BROAD = new Set(["everyone", "any_valid_service_token", "email_domain"]);

type Judged = { outcome: "ok" } | { outcome: "fail" | "unknown"; attribute: string; message: string };

/** One policy under CF-ACC-3. */
function admitsEveryone(p: AccessPolicy): Judged {
  const d = decision(p);
  if (d !== "allow" && d !== "unknown") return { outcome: "ok" };
  const kinds = ruleKinds(ruleList(p, "include"));
  const possible = [...kinds.possible];
  // Whether broad kinds are the include's only kinds (include entries are ORed).
  let broadOnly: Tri;
  if ([...kinds.certain].some((k) => !BROAD.has(k))) broadOnly = false;
  else if (!kinds.open && !possible.some((k) => BROAD.has(k))) broadOnly = false;
  else if (!kinds.open && kinds.certain.size > 0 && possible.every((k) => BROAD.has(k))) broadOnly = true;
  else broadOnly = "unknown";
  if (broadOnly === false) return { outcome: "ok" };
  const guarded = and(requiresDevicePosture(p), requiresAuthMethod(p));
  if (guarded === true) return { outcome: "ok" };
  if (d === "unknown") return { outcome: "unknown", attribute: "decision", message: `the decision of ${p.label} is not known before apply` };
  const shown = possible.filter((k) => BROAD.has(k)).join(" / ") || "everyone";
  if (broadOnly === "unknown") {
    return { outcome: "unknown", attribute: "include", message: `${p.label} may admit ${shown} (its include is not known before apply) without requiring device posture and an auth method` };
  }
  if (guarded === "unknown") {
    return { outcome: "unknown", attribute: "require", message: `${p.label} admits ${shown}, and whether it requires device posture and an auth method is not known before apply` };
  }
  return { outcome: "fail", attribute: "include", message: `${p.label} admits ${shown} without requiring device posture and an auth method` };
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
  resourceTypes: [ACCESS_POLICY, APP],
  reads: ["decision", "include", "require", "policies"],
  evaluate(r, ctx: RuleContext): Verdict {
    let policies: AccessPolicy[];
    let uncertain: Verdict | undefined;
    if (r.kind === APP) {
      const a = attachedPolicies(r, ctx.scope);
      // Linked policies are judged as resources of their own; only inline ones here.
      policies = a.policies.filter((p) => p.resource === undefined);
      if (a.openInline) uncertain = unknown("policies", `${a.openInline}: it may hold inline policies`);
    } else policies = [{ label: r.address, values: r.values, uncertain: false, resource: r }];
    if (policies.length === 0 && !uncertain) return notApplicable("no inline policies");
    for (const p of policies) {
      const j = admitsEveryone(p);
      if (j.outcome === "fail") return fail(j.attribute, null, j.message);
      if (j.outcome === "unknown") uncertain ??= unknown(j.attribute, j.message);
    }
    return uncertain ?? pass();
  },
});

/** The finding on a session duration over `max` minutes, or a pass. */
function sessionWithin(d: string | undefined, defaulted: boolean, max: number, why = ""): Verdict {
  const minutes = d === undefined ? undefined : goDurationMinutes(d);
  if (minutes === undefined) return fail("session_duration", d ?? null, `session_duration ${JSON.stringify(d)} is not a duration`);
  return minutes <= max ? pass() : fail("session_duration", d, `session duration is ${d}${dflt(defaulted)}${why}; at most ${max / 60}h allowed`);
}

/**
 * CF-ACC-4 follows the provider rather than the letter of CONTROLS.md (which names only the
 * application's session_duration): in provider v5, `cloudflare_zero_trust_access_policy.session_duration`
 * defaults to "24h" in the schema (terraform-provider-cloudflare PR #7221), and "the policy session
 * duration takes precedence over the application session duration" (cloudflare-docs PR #11817). So an
 * app of 1h behind a v5 policy that omits session_duration issues 24h sessions. A v4 policy has no
 * default (see {@link inheritsAppSession}): without session_duration it takes the application's. Every allow policy resource is judged on its own session_duration; an application on
 * its own, and unknown when a policy it links to cannot be followed. Inline (v5) app policies have no
 * session_duration: the application's applies to them.
 */
export const shortAppSessions = defineRule({
  id: "CF-ACC-4",
  kind: "resource",
  severity: "error",
  title: "Application sessions are short",
  rationale: `${DOOR} Access has no idle timeout, so a short application token is the compensating control for a stolen session.`,
  references: ["NIST SP 800-63B AAL3", "Cloudflare Zero Trust: session management", "Cloudflare Zero Trust: Access policy session duration (takes precedence over the application's)"],
  passes:
    "`session_duration` (default `24h`) ≤ `8h`; `strict` ≤ `1h`. Judged on every guarded application except `infrastructure` ones (they cannot set it: not applicable) and on every allow `cloudflare_zero_trust_access_policy` (its `session_duration`, default `24h` in provider v5, takes precedence over the application's; a v4 policy without one, and inline policies, take the application's); an application whose linked policy is outside the evaluated configuration is unknown",
  provider: "cloudflare",
  resourceTypes: [APP, ACCESS_POLICY],
  reads: ["type", "session_duration", "policies", "decision"],
  weakens: [{ attribute: "session_duration", scale: "go-duration" }],
  thresholds: { maxSessionMinutes: { recommended: 480, strict: 60, weaker: "higher", description: "maximum session_duration in minutes" } },
  evaluate: (r, ctx) => {
    const max = ctx.t.maxSessionMinutes as number;
    if (r.kind === ACCESS_POLICY) {
      const d = read(r, "decision");
      const allow: Tri = d.state === "unknown" ? "unknown" : d.state === "known" && d.value === "allow";
      return whenApplies(allow, "an allow policy", () => {
        if (inheritsAppSession(r)) {
          const outside = outsideApplication(r, ctx.scope);
          if (outside !== undefined) return unknown("session_duration", `a v4 policy without session_duration takes the session duration of its application ${outside}, which is not in the evaluated configuration`);
          return notApplicable("a v4 policy without session_duration takes its application's, judged on the application");
        }
        return decide(getString(r, "session_duration"), (s, defaulted) => sessionWithin(s, defaulted, max, ", and a policy's session duration takes precedence over the application's"));
      });
    }
    return guardedApp(r, () => {
      // v5 gives session_duration only to session-duration-compatible types and refuses it on
      // infrastructure apps (zero_trust_access_application/plan_modifiers.go:21, 134 and schema.go:453-460@v5.14.0).
      const type = read(r, "type");
      if (type.state === "known" && type.value === "infrastructure") return notApplicable("infrastructure applications have no session_duration");
      const own = decide(getString(r, "session_duration"), (s, defaulted) => sessionWithin(s, defaulted, max));
      if (own.outcome !== "pass") return own;
      const attached = attachedPolicies(r, ctx.scope);
      if (attached.unresolved) return unknown("policies", `${attached.unresolved}, so its session duration, which takes precedence over the application's, is not known`);
      return own;
    });
  },
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
