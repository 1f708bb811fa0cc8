/** posture drift: findings on the refreshed state labelled drift, and DRIFT-1 for out-of-band changes. */
import { driftPlan } from "../../engine/review/drift";
import { brief, type Entry, logStream, oktaTenant, options, plan, signon } from "./plan-builder";

/** A refresh-only plan: prior_state holds the refreshed objects, resource_drift says what changed. */
function refreshOnly(drift: Entry[], unchanged: Entry[] = []) {
  const refreshed: Entry[] = [...oktaTenant, ...unchanged, ...drift.filter((d) => d.after).map((d) => ({ address: d.address, actions: ["no-op"], before: d.after, after: d.after, beforeSensitive: d.afterSensitive, afterSensitive: d.afterSensitive }))];
  const doc = plan(refreshed, { drift });
  doc.resource_changes = [];
  return doc;
}
const drifted = (address: string, before: Record<string, unknown>, after: Record<string, unknown> | null, extra: Partial<Entry> = {}): Entry => ({
  address,
  actions: after ? ["update"] : ["delete"],
  before,
  after,
  ...extra,
});
const run = (drift: Entry[], unchanged: Entry[] = [], o: Parameters<typeof options>[0] = {}) => driftPlan(refreshOnly(drift, unchanged), "drift.json", options(o));
const stream = { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() };

describe("drift", () => {
  it("a change that still passes is DRIFT-1 only, with before and after", () => {
    const r = run([drifted("okta_policy_rule_signon.g", signon({ session_idle: 15 }), signon({ session_idle: 30 }))], [stream]);
    expect(r.findings.map(brief)).toEqual(["DRIFT-1 okta_policy_rule_signon.g drift fail"]);
    expect(r.findings[0]).toMatchObject({ attribute: "session_idle", before: 15, after: 30, severity: "error", message: "was changed outside Terraform; OKTA-SES-1 reads it, so the change skipped code review" });
  });

  it("a change that breaks a rule is that rule's drift finding too", () => {
    const r = run([drifted("okta_policy_rule_signon.g", signon(), signon({ session_persistent: true }))], [stream]);
    expect(r.findings.map(brief)).toEqual(["DRIFT-1 okta_policy_rule_signon.g drift fail", "OKTA-SES-3 okta_policy_rule_signon.g drift fail"]);
    expect(r.findings[1]).toMatchObject({ before: false, after: true });
  });

  it("an object deleted outside Terraform is one DRIFT-1, and the scope rule it satisfied drifts", () => {
    const r = run([drifted("okta_log_stream.siem", logStream(), null)]);
    expect(r.findings.map(brief)).toEqual(["DRIFT-1 okta_log_stream.siem drift fail", "OKTA-LOG-1 (scope) drift fail"]);
    expect(r.findings[0].message).toBe("okta_log_stream.siem was deleted outside Terraform: the last applied state has it, the provider no longer does");
  });

  it("a change to an attribute no rule reads is not DRIFT-1", () => {
    const r = run([drifted("okta_policy_rule_signon.g", signon({ name: "a" }), signon({ name: "b" }))], [stream]);
    expect(r.findings).toEqual([]);
    expect(r.evaluated).toContainEqual(expect.objectContaining({ ruleId: "DRIFT-1", address: "okta_policy_rule_signon.g", outcome: "pass" }));
  });

  it("a failure the applied state had too is existing, not drift, and does not count", () => {
    const r = run([drifted("okta_policy_rule_signon.g", signon({ session_lifetime: 1440, name: "a" }), signon({ session_lifetime: 1440, session_idle: 20 }))], [stream]);
    expect(r.findings.map(brief)).toEqual(["DRIFT-1 okta_policy_rule_signon.g drift fail", "OKTA-SES-2 okta_policy_rule_signon.g existing fail"]);
  });

  it("a sensitive or credential-shaped value prints as (sensitive)", () => {
    const token = "hec-token-0123456789abcdef0123";
    const r = run(
      [
        drifted("okta_log_stream.siem", logStream({ settings: { token: "old-token-value-aaaa" } }), logStream({ settings: { token } }), {
          beforeSensitive: { settings: { token: true } },
          afterSensitive: { settings: { token: true } },
        }),
        drifted(
          "okta_event_hook.responder",
          { name: "responder", status: "ACTIVE", events: [], headers: [{ key: "Authorization", value: "Bearer old-value-x1" }] },
          { name: "responder", status: "ACTIVE", events: [], headers: [{ key: "Authorization", value: "Bearer new-value-y2" }] },
        ),
      ],
    );
    const d = r.findings.filter((f) => f.ruleId === "DRIFT-1").map((f) => [f.address, f.attribute, f.before, f.after]);
    expect(d).toContainEqual(["okta_log_stream.siem", "settings.token", "(sensitive)", "(sensitive)"]);
    expect(d).toContainEqual(["okta_event_hook.responder", "headers", [{ key: "Authorization", value: "(sensitive)" }], [{ key: "Authorization", value: "(sensitive)" }]]);
    expect(JSON.stringify(r.findings)).not.toMatch(/old-token|hec-token|old-value|new-value/);
  });

  it("a failure that drift removed is listed as fixed (the next apply may bring it back)", () => {
    const r = run([drifted("okta_policy_rule_signon.g", signon({ session_lifetime: 1440 }), signon())], [stream]);
    expect(r.fixed.map((f) => `${f.ruleId} ${f.address}`)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.g"]);
  });

  it("no resource_drift: nothing drifted, and it says so; DRIFT-1 can be disabled", () => {
    const r = run([], [stream]);
    expect(r.findings).toEqual([]);
    expect(r.notices.map((n) => n.message)).toContain("the plan records no drift (no resource_drift): nothing changed outside Terraform since the last apply");
    const off = run([drifted("okta_policy_rule_signon.g", signon({ session_idle: 15 }), signon({ session_idle: 30 }))], [stream], { config: { disabled: ["DRIFT-1"] } });
    expect(off.findings).toEqual([]);
  });
});
