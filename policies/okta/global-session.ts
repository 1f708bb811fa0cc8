import type { Resource } from "../../engine/model/model";
import { defineRule, fail, pass, type Verdict } from "../rule";
import { allOf, decide, dflt, getBool, getNumber, getString, whenActiveAllow } from "../shared/read";

const STOLEN_SESSIONS =
  "The 2023 Okta support breach was a session-token theft: the shorter and more tightly bound a session is, the less a stolen one is worth.";

export const sessionIdle = defineRule({
  id: "OKTA-SES-1",
  kind: "resource",
  severity: "error",
  title: "Global session idle timeout is short",
  rationale: `${STOLEN_SESSIONS} An idle timeout ends sessions that nobody is using.`,
  references: ["NIST SP 800-63B AAL3 (15 min inactivity)", "DISA Okta IDaaS STIG V1R1 (idle 15 min)"],
  passes: "every active ALLOW `okta_policy_rule_signon` has `session_idle` (default 120) ≤ 30 min; `strict` ≤ 15",
  provider: "okta",
  resourceTypes: ["okta_policy_rule_signon"],
  reads: ["status", "access", "session_idle"],
  weakens: [{ attribute: "session_idle", scale: "number" }],
  thresholds: { maxIdleMinutes: { recommended: 30, strict: 15, weaker: "higher", description: "maximum session_idle in minutes" } },
  evaluate: (r, ctx) =>
    whenActiveAllow(r, () =>
      decide(getNumber(r, "session_idle"), (idle, d) =>
        idle !== undefined && idle <= (ctx.t.maxIdleMinutes as number)
          ? pass()
          : fail("session_idle", idle, `session idle timeout is ${idle} minutes${dflt(d)}; at most ${ctx.t.maxIdleMinutes} allowed`),
      ),
    ),
});

export const sessionLifetime = defineRule({
  id: "OKTA-SES-2",
  kind: "resource",
  severity: "error",
  title: "Global session lifetime is bounded",
  rationale: `${STOLEN_SESSIONS} A bounded lifetime forces re-authentication with a hardware key at least twice a day.`,
  references: ["NIST SP 800-63B AAL3 (re-authenticate every 12 h)", "DISA Okta IDaaS STIG V1R1"],
  passes: "`session_lifetime` (default 120) is not 0 (0 = unlimited) and ≤ 720 min",
  provider: "okta",
  resourceTypes: ["okta_policy_rule_signon"],
  reads: ["status", "access", "session_lifetime"],
  weakens: [{ attribute: "session_lifetime", scale: "number" }],
  thresholds: { maxMinutes: { recommended: 720, strict: 720, weaker: "higher", description: "maximum session_lifetime in minutes" } },
  evaluate: (r, ctx) =>
    whenActiveAllow(r, () =>
      decide(getNumber(r, "session_lifetime"), (lifetime, d) => {
        if (lifetime === 0) return fail("session_lifetime", 0, "session lifetime is 0 (unlimited); set it to at most " + ctx.t.maxMinutes + " minutes");
        return lifetime !== undefined && lifetime <= (ctx.t.maxMinutes as number)
          ? pass()
          : fail("session_lifetime", lifetime, `session lifetime is ${lifetime} minutes${dflt(d)}; at most ${ctx.t.maxMinutes} allowed`);
      }),
    ),
});

export const noPersistentCookies = defineRule({
  id: "OKTA-SES-3",
  kind: "resource",
  severity: "error",
  title: "No persistent session cookies",
  rationale: `${STOLEN_SESSIONS} A persistent cookie survives the browser closing, and with it the chance for the session to end.`,
  references: ["DISA Okta IDaaS STIG V1R1 (no persistent cookies)"],
  passes: "`session_persistent` (default false) is false",
  provider: "okta",
  resourceTypes: ["okta_policy_rule_signon"],
  reads: ["status", "access", "session_persistent"],
  evaluate: (r) =>
    whenActiveAllow(r, () =>
      decide(getBool(r, "session_persistent"), (persistent) =>
        persistent ? fail("session_persistent", true, "session cookies persist across browser restarts; set session_persistent = false") : pass(),
      ),
    ),
});

export const mfaEverySignIn = defineRule({
  id: "OKTA-SES-4",
  kind: "resource",
  severity: "error",
  title: "Global session requires MFA, every sign-in",
  rationale: `${STOLEN_SESSIONS} Asking for the second factor at every sign-in means a stolen password alone never opens a session.`,
  references: ["NIST SP 800-63B AAL3", "DISA Okta IDaaS STIG V1R1"],
  passes:
    "`mfa_required = true` (default false), `mfa_prompt` is `ALWAYS` (`SESSION` allowed in `recommended` when `mfa_lifetime` (unset: the provider sends 0) ≤ `session_lifetime`), `mfa_remember_device` not true",
  provider: "okta",
  resourceTypes: ["okta_policy_rule_signon"],
  reads: ["status", "access", "mfa_required", "mfa_prompt", "mfa_lifetime", "session_lifetime", "mfa_remember_device"],
  weakens: [
    { attribute: "mfa_prompt", scale: ["ALWAYS", "SESSION", "DEVICE"] },
    { attribute: "mfa_lifetime", scale: "number" },
  ],
  thresholds: {
    allowSessionPrompt: {
      recommended: true,
      strict: false,
      weaker: "true",
      description: "mfa_prompt SESSION is accepted when mfa_lifetime ≤ session_lifetime",
    },
  },
  evaluate: (r, ctx) =>
    whenActiveAllow(r, () =>
      allOf(
        () =>
          decide(getBool(r, "mfa_required"), (req, d) =>
            req ? pass() : fail("mfa_required", req ?? false, `mfa_required is false${dflt(d)}; set mfa_required = true`),
          ),
        () =>
          decide(getString(r, "mfa_prompt"), (prompt) => {
            if (prompt === "ALWAYS") return pass();
            if (prompt === "SESSION" && ctx.t.allowSessionPrompt) return sessionPromptBounded(r);
            const allowed = ctx.t.allowSessionPrompt ? "ALWAYS (or SESSION with mfa_lifetime ≤ session_lifetime)" : "ALWAYS";
            return fail("mfa_prompt", prompt ?? null, `mfa_prompt is ${prompt ?? "not set"}; must be ${allowed}`);
          }),
        () =>
          decide(getBool(r, "mfa_remember_device"), (remember) =>
            remember ? fail("mfa_remember_device", true, "MFA is skipped on remembered devices; set mfa_remember_device = false") : pass(),
          ),
      ),
    ),
});

/**
 * An unset `mfa_lifetime` is sent as 0: the provider builds the rule with
 * `FactorLifetime: int64(d.Get("mfa_lifetime").(int))` and the schema has no default
 * (okta/resource_okta_policy_rule_sign_on.go:51-55 and :316 @ v4.20.0), and 0 is within any session.
 */
function sessionPromptBounded(r: Resource): Verdict {
  return decide(getNumber(r, "mfa_lifetime"), (set) =>
    decide(getNumber(r, "session_lifetime"), (sessionLifetime) => {
      const mfaLifetime = set ?? 0;
      if (sessionLifetime !== undefined && sessionLifetime !== 0 && mfaLifetime <= sessionLifetime) return pass();
      return fail("mfa_lifetime", mfaLifetime, `mfa_prompt is SESSION and mfa_lifetime ${mfaLifetime} exceeds session_lifetime ${sessionLifetime}`);
    }),
  );
}
