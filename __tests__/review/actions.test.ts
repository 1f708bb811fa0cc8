/** Every `actions` combination, modules, instances, deposed objects, moves and data sources in `posture review`. */
import { reviewPlan } from "../../engine/review/review";
import { brief, type Entry, logStream, oktaTenant, options, plan, signon } from "./plan-builder";

const FILE = "plan.json";
const base: Entry[] = [...oktaTenant, { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() }];

function review(entries: Entry[], opts: Parameters<typeof plan>[1] = {}, o: Parameters<typeof options>[0] = {}) {
  return reviewPlan(plan([...base, ...entries], opts), FILE, options(o));
}
const briefs = (r: ReturnType<typeof review>) => r.findings.map(brief);

describe("actions", () => {
  it("create: a failing new resource is new; a passing one adds nothing", () => {
    const r = review([
      { address: "okta_policy_rule_signon.bad", actions: ["create"], after: signon({ session_lifetime: 1440 }) },
      { address: "okta_policy_rule_signon.good", actions: ["create"], after: signon() },
    ]);
    expect(briefs(r)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.bad new fail"]);
    expect(r.findings[0].before).toBeUndefined();
    expect(r.findings[0].after).toBe(1440);
    expect(r.fixed).toEqual([]);
  });

  it("update: pass -> fail is a regression with before and after; fail -> fail is existing; fail -> pass is fixed", () => {
    const r = review([
      { address: "okta_policy_rule_signon.a", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) },
      { address: "okta_policy_rule_signon.b", actions: ["update"], before: signon({ session_idle: 60 }), after: signon({ session_idle: 90 }) },
      { address: "okta_policy_rule_signon.c", actions: ["update"], before: signon({ session_persistent: true }), after: signon() },
    ]);
    expect(briefs(r)).toEqual(["OKTA-SES-1 okta_policy_rule_signon.b existing fail", "OKTA-SES-2 okta_policy_rule_signon.a regression fail"]);
    expect(r.findings.map((f) => [f.before, f.after])).toEqual([
      [60, 90],
      [600, 1440],
    ]);
    expect(r.fixed.map((f) => [f.ruleId, f.address, f.before, f.after])).toEqual([["OKTA-SES-3", "okta_policy_rule_signon.c", true, false]]);
  });

  it("delete of a posture resource is PLAN-1; delete of another resource is not, and its findings are fixed", () => {
    const r = review([
      { address: "okta_policy_rule_signon.old", actions: ["delete"], before: signon(), reason: "delete_because_no_resource_config" },
      { address: "okta_org_support.grant", actions: ["delete"], before: { extend_by: "1" } },
    ]);
    expect(briefs(r)).toEqual(["PLAN-1 okta_policy_rule_signon.old new fail"]);
    expect(r.findings[0].message).toBe("okta_policy_rule_signon.old is destroyed (its block was removed from the configuration): the control it carries goes away");
    expect(r.fixed.map((f) => `${f.ruleId} ${f.address} ${f.message}`)).toEqual([
      "OKTA-SUP-1 okta_org_support.grant okta_org_support grants Okta Support standing access to the tenant; grant it per case instead (the resource is destroyed by this change)",
    ]);
  });

  it.each([
    [["delete", "create"], true],
    [["create", "delete"], false],
    [["create", "forget"], false],
  ])("replace %j is not PLAN-1; it is judged like an update (delete-first notice: %s)", (actions, deleteFirst) => {
    const r = review([{ address: "okta_log_stream.siem2", actions, before: logStream({ type: "splunk_cloud_logstreaming" }), after: logStream() }]);
    expect(r.findings.filter((f) => f.ruleId === "PLAN-1")).toEqual([]);
    expect(r.evaluated).toContainEqual(expect.objectContaining({ ruleId: "PLAN-1", address: "okta_log_stream.siem2", outcome: "pass" }));
    expect(r.notices.some((n) => n.message.startsWith("okta_log_stream.siem2 is replaced delete-first"))).toBe(deleteFirst);
    const replaced = review([{ address: "okta_policy_rule_signon.r", actions, before: signon(), after: signon({ session_lifetime: 0 }) }]);
    expect(briefs(replaced)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.r regression fail"]);
  });

  it("forget is PLAN-1, and the forgotten object leaves the after side although planned_values still lists it", () => {
    const r = reviewPlan(plan([...oktaTenant, { address: "okta_log_stream.siem", actions: ["forget"], before: logStream(), reason: "delete_because_no_resource_config" }]), FILE, options());
    expect(briefs(r)).toEqual(["OKTA-LOG-1 (scope) regression fail", "PLAN-1 okta_log_stream.siem new fail"]);
    expect(r.findings[1].message).toBe(
      "okta_log_stream.siem is removed from Terraform state (forget) (its block was removed from the configuration): it stays in Okta, but no code manages or reviews it any more",
    );
  });

  it("read (a data source) and no-op add no PLAN finding; a data source is never PLAN-1", () => {
    const r = review([
      { address: "data.okta_policy.default", mode: "data", actions: ["read"], after: { name: "Default Policy", type: "OKTA_SIGN_ON" }, afterUnknown: { id: true } },
      { address: "data.okta_log_stream.x", mode: "data", actions: ["delete"], before: logStream() },
      { address: "okta_policy_rule_signon.same", actions: ["no-op"], before: signon({ session_lifetime: 900 }), after: signon({ session_lifetime: 900 }) },
    ]);
    expect(briefs(r)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.same existing fail"]);
  });

  it("a whole scope rule: deleting the only log stream is a scope regression; adding one fixes the scope finding", () => {
    const gone = reviewPlan(plan([...oktaTenant, { address: "okta_log_stream.siem", actions: ["delete"], before: logStream() }]), FILE, options());
    expect(briefs(gone)).toEqual(["OKTA-LOG-1 (scope) regression fail", "PLAN-1 okta_log_stream.siem new fail"]);
    const added = reviewPlan(plan([...oktaTenant, { address: "okta_log_stream.siem", actions: ["create"], after: logStream() }]), FILE, options());
    expect(briefs(added)).toEqual([]);
    expect(added.fixed.map((f) => `${f.ruleId} ${f.address}`)).toEqual(["OKTA-LOG-1 (scope)"]);
  });
});

describe("addresses", () => {
  it("modules and count/for_each instances keep their full address", () => {
    const r = review([
      { address: 'module.idp.okta_log_stream.s["splunk"]', actions: ["delete"], before: logStream() },
      { address: "module.idp.okta_policy_rule_signon.r[0]", actions: ["update"], before: signon(), after: signon({ session_idle: 45 }) },
      { address: "module.idp.okta_policy_rule_signon.r[1]", actions: ["create"], after: signon({ session_idle: 45 }) },
    ]);
    expect(briefs(r)).toEqual([
      "OKTA-SES-1 module.idp.okta_policy_rule_signon.r[0] regression fail",
      "OKTA-SES-1 module.idp.okta_policy_rule_signon.r[1] new fail",
      'PLAN-1 module.idp.okta_log_stream.s["splunk"] new fail',
    ]);
  });

  it("a deposed object being destroyed is not PLAN-1 and is not judged; the notice says so", () => {
    const r = review([
      { address: "okta_policy_rule_signon.r", actions: ["no-op"], before: signon(), after: signon() },
      { address: "okta_policy_rule_signon.r", deposed: "00000001", actions: ["delete"], before: signon({ session_lifetime: 1440 }) },
    ]);
    expect(briefs(r)).toEqual([]);
    expect(r.fixed).toEqual([]);
    expect(r.notices.map((n) => n.message)).toContain("okta_policy_rule_signon.r deposed object 00000001 is destroyed: a leftover of an earlier create_before_destroy replacement, not judged");
  });

  it("previous_address: the before of the old address is the before of the new one", () => {
    const moved = { address: "okta_policy_rule_signon.renamed", previous: "okta_policy_rule_signon.old", actions: ["no-op"] };
    const existing = review([{ ...moved, before: signon({ session_lifetime: 1440 }), after: signon({ session_lifetime: 1440 }) }]);
    expect(briefs(existing)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.renamed existing fail"]);
    const regression = review([{ ...moved, actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }), priorAtPrevious: true }]);
    expect(briefs(regression)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.renamed regression fail"]);
    expect(regression.findings[0].before).toBe(600);
    // a v4 -> v5 type move (cf-terraforming / tf-migrate write these moved blocks)
    const app = { type: "self_hosted", domain: "x.example.com", session_duration: "24h", enable_binding_cookie: true, same_site_cookie_attribute: "lax", policies: [] };
    const typeMove = review([{ address: "cloudflare_zero_trust_access_application.x", previous: "cloudflare_access_application.x", actions: ["update"], before: app, after: app, priorAtPrevious: true }]);
    expect(briefs(typeMove).filter((b) => b.startsWith("CF-ACC-4"))).toEqual(["CF-ACC-4 cloudflare_zero_trust_access_application.x existing fail"]);
  });

  it("without prior_state the before side comes from each change's before", () => {
    const r = review([{ address: "okta_policy_rule_signon.a", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) }], { noPriorState: true });
    expect(briefs(r)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.a regression fail"]);
  });
});

describe("unknown values and incomplete plans", () => {
  it("a value in after_unknown is unknown, never a pass; --unknown fail makes it a counted failure", () => {
    const entry: Entry = { address: "okta_policy_rule_signon.a", actions: ["update"], before: signon(), after: signon({ session_idle: undefined }), afterUnknown: { session_idle: true } };
    const warn = review([entry]);
    expect(briefs(warn)).toEqual(["OKTA-SES-1 okta_policy_rule_signon.a regression unknown"]);
    expect(warn.findings[0].severity).toBe("warning");
    expect(warn.evaluated).toContainEqual(expect.objectContaining({ ruleId: "OKTA-SES-1", address: "okta_policy_rule_signon.a", outcome: "unknown" }));
    const failing = review([entry], {}, { unknown: "fail" });
    expect(briefs(failing)).toEqual(["OKTA-SES-1 okta_policy_rule_signon.a regression fail"]);
    expect(failing.findings[0].severity).toBe("error");
  });

  it("complete: false and errored: true are said in notices", () => {
    const r = review([], { complete: false, errored: true });
    const messages = r.notices.map((n) => n.message);
    expect(messages.some((m) => m.startsWith("the plan is incomplete (complete: false)"))).toBe(true);
    expect(messages.some((m) => m.startsWith("the plan errored (errored: true)"))).toBe(true);
  });

  it("a plan that touches no Okta or Cloudflare resource says so", () => {
    const r = reviewPlan(plan([{ address: "aws_s3_bucket.logs", actions: ["create"], after: { bucket: "logs" } }]), FILE, options());
    expect(r.findings).toEqual([]);
    expect(r.notices.map((n) => n.message)).toContain("the plan creates, updates or destroys no Okta or Cloudflare resource");
  });
});

describe("waivers", () => {
  it("apply to PLAN-1 and to labelled findings, and a PLAN-1 waiver is not reported stale", () => {
    const config = {
      waivers: [
        { rule: "PLAN-1", resource: "okta_log_stream.old", reason: "replaced by okta_log_stream.siem in SEC-9", expires: "2027-01-01" },
        { rule: "OKTA-SES-2", resource: "okta_policy_rule_signon.*", reason: "migration window, SEC-10", expires: "2027-01-01" },
      ],
    };
    const r = review(
      [
        { address: "okta_log_stream.old", actions: ["delete"], before: logStream() },
        { address: "okta_policy_rule_signon.a", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) },
      ],
      {},
      { config },
    );
    expect(briefs(r)).toEqual(["OKTA-SES-2 okta_policy_rule_signon.a regression waived", "PLAN-1 okta_log_stream.old new waived"]);
    expect(r.notices.filter((n) => n.message.startsWith("stale waiver"))).toEqual([]);
  });

  it("disabled rules are not run on either side", () => {
    const r = review([{ address: "okta_log_stream.old", actions: ["delete"], before: logStream() }], {}, { config: { disabled: ["PLAN-1"] } });
    expect(briefs(r)).toEqual([]);
  });
});
