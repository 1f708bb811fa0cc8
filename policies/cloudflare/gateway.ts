import { goDurationMinutes } from "../../engine/model/duration";
import { defineRule, fail, notApplicable, pass } from "../rule";
import { allOf, decide, getBool, getString } from "../shared/read";

export const gatewayRechecksSession = defineRule({
  id: "CF-GW-1",
  kind: "resource",
  severity: "warning",
  title: "Gateway allow rules re-check the session",
  rationale:
    "A Gateway allow rule with session checks sends the user back through Access (and so through the IdP and device posture) when the session is old, bounding a stolen session behind the proxy too.",
  references: ["Cloudflare Gateway: enforce session duration"],
  passes: 'every `cloudflare_zero_trust_gateway_policy` with `action = "allow"` has `rule_settings.check_session.enforce = true` and `duration` ≤ `12h`',
  provider: "cloudflare",
  resourceTypes: ["cloudflare_zero_trust_gateway_policy"],
  reads: ["action", "rule_settings.check_session.enforce", "rule_settings.check_session.duration"],
  weakens: [{ attribute: "rule_settings.check_session.duration", scale: "go-duration" }],
  thresholds: { maxSessionMinutes: { recommended: 720, strict: 720, weaker: "higher", description: "maximum check_session.duration in minutes" } },
  evaluate: (r, ctx) =>
    decide(getString(r, "action"), (action) =>
      action !== "allow"
        ? notApplicable()
        : allOf(
            () =>
              decide(getBool(r, "rule_settings.check_session.enforce"), (on) =>
                on ? pass() : fail("rule_settings.check_session.enforce", on ?? null, "allow rule does not re-check the session; set rule_settings.check_session.enforce = true"),
              ),
            () =>
              decide(getString(r, "rule_settings.check_session.duration"), (d) => {
                const max = ctx.t.maxSessionMinutes as number;
                const m = d === undefined ? undefined : goDurationMinutes(d);
                if (m === undefined) return fail("rule_settings.check_session.duration", d ?? null, `check_session.duration is ${d === undefined ? "not set" : JSON.stringify(d)}; set at most ${max / 60}h`);
                return m <= max ? pass() : fail("rule_settings.check_session.duration", d, `check_session.duration is ${d}; at most ${max / 60}h allowed`);
              }),
          ),
    ),
});
