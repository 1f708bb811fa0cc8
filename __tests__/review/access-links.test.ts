/** `posture review` follows an Access app's policies[].id to the policy on both sides of the plan. */
import { reviewPlan } from "../../engine/review/review";
import { brief, type Entry, options, plan } from "./plan-builder";

const POLICY_ID = "6a1e0f52-4b7e-4c55-9d0e-1f3f6b0c2a11";
const posture = { device_posture: { integration_uid: "posture-rule" } };
const hwk = { auth_method: { auth_method: "hwk" } };
const policy = (require: object[], session = "1h") => ({ account_id: "a", id: POLICY_ID, name: "staff", decision: "allow", include: [{ group: { id: "staff" } }], require, session_duration: session });
// As a v5 plan prints a reference: the inline attributes are there, null.
const app = { account_id: "a", id: "3f0c8e9d-5a6b-4c7d-8e9f-0a1b2c3d4e5f", name: "admin", domain: "admin.example.com", type: "self_hosted", session_duration: "1h", enable_binding_cookie: true, same_site_cookie_attribute: "lax", policies: [{ id: POLICY_ID, precedence: 1, decision: null, include: null, require: null, exclude: null, name: null }] };
const APP = "cloudflare_zero_trust_access_application.admin";
const POLICY = "cloudflare_zero_trust_access_policy.staff";

function review(entries: Entry[]) {
  return reviewPlan(plan(entries), "plan.json", options());
}
const accessFindings = (r: ReturnType<typeof review>) => r.findings.filter((f) => f.ruleId.startsWith("CF-ACC-")).map(brief);

describe("review of Access links by id", () => {
  it("a policy that stops requiring device posture is a regression of the app that links to it", () => {
    const r = review([
      { address: POLICY, actions: ["update"], before: policy([posture, hwk]), after: policy([hwk]) },
      { address: APP, actions: ["no-op"], before: app, after: app },
    ]);
    expect(accessFindings(r)).toEqual([`CF-ACC-1 ${APP} regression fail`]);
  });

  it("an unchanged, compliant pair gives no Access finding", () => {
    const r = review([
      { address: POLICY, actions: ["no-op"], before: policy([posture, hwk]), after: policy([posture, hwk]) },
      { address: APP, actions: ["no-op"], before: app, after: app },
    ]);
    expect(accessFindings(r)).toEqual([]);
  });

  it("a policy's session widening within policy is PLAN-2; past the threshold it is a CF-ACC-4 regression", () => {
    const within = review([
      { address: POLICY, actions: ["update"], before: policy([posture, hwk], "1h"), after: policy([posture, hwk], "8h") },
      { address: APP, actions: ["no-op"], before: app, after: app },
    ]);
    expect(within.findings.filter((f) => f.ruleId === "PLAN-2").map((f) => [f.address, f.attribute, f.before, f.after])).toEqual([[POLICY, "session_duration", "1h", "8h"]]);
    const past = review([
      { address: POLICY, actions: ["update"], before: policy([posture, hwk], "1h"), after: policy([posture, hwk], "24h") },
      { address: APP, actions: ["no-op"], before: app, after: app },
    ]);
    expect(accessFindings(past)).toEqual([`CF-ACC-4 ${POLICY} regression fail`]);
  });
});
