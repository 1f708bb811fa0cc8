/**
 * How Access applications find their policies, and what unknown include/require entries mean, in
 * configurations, plans and states of provider v5 and v4; and CF-ACC-4 on the policies' own session
 * durations (a policy's session duration takes precedence over the application's).
 */
import { CATALOGUE } from "../../policies";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { evaluate } from "../../engine/evaluate/evaluate";
import { loadJsonDocument } from "../../engine/load/load";
import type { Profile } from "../../policies/rule";
import { cases, findingsOf, res, tf, unknownVar, verdictOf } from "../helpers";

const POLICY = "cloudflare_zero_trust_access_policy";
const APP = "cloudflare_zero_trust_access_application";
const posture = { device_posture: { integration_uid: "posture-rule" } };
const hwk = { auth_method: { auth_method: "hwk" } };
const strong = { decision: "allow", include: [{ group: { id: "staff" } }], require: [posture, hwk], session_duration: "1h" };
const policy = (name: string, body: object) => res(POLICY, name, { account_id: "a", name, ...body });
const app = (body: object) => res(APP, "app", { account_id: "a", name: "app", domain: "app.example.com", session_duration: "1h", ...body });
const linked = (p: object, a: object = {}) => tf(policy("p", p), app({ policies: [{ id: `\${${POLICY}.p.id}`, precedence: 1 }], ...a }));
const v4app = (body: object = {}) => res("cloudflare_access_application", "app", { name: "app", domain: "x", session_duration: "1h", ...body });
const v4policy = (name: string, body: object) => res("cloudflare_access_policy", name, { name, decision: "allow", include: [{ email: ["a@b.c"] }], session_duration: "1h", ...body });
const APP_ADDRESS = `${APP}.app`;

cases("CF-ACC-1", [
  { name: "app with no allow policy at all", tf: linked({ ...strong, decision: "deny" }), expect: "fail", address: APP_ADDRESS },
  { name: "v4 policies as a list of id references", tf: tf(v4app({ policies: ["${cloudflare_access_policy.p.id}"] }), v4policy("p", { require: [{ device_posture: ["id1"], auth_method: "hwk" }] })), expect: "pass" },
  { name: "v4 policies list of id references, policy without posture", tf: tf(v4app({ policies: ["${cloudflare_access_policy.p.id}"] }), v4policy("p", { require: [{ auth_method: "hwk" }] })), expect: "fail" },
  { name: "a reference that also repeats the decision", tf: tf(policy("p", strong), app({ policies: [{ id: `\${${POLICY}.p.id}`, precedence: 1, decision: "allow" }] })), expect: "pass" },
  { name: "v4 device_posture from a variable (may be empty)", tf: tf(unknownVar("ids"), v4app(), v4policy("p", { application_id: "${cloudflare_access_application.app.id}", require: [{ device_posture: "${var.ids}", auth_method: "hwk" }] })), expect: "unknown", address: "cloudflare_access_application.app" },
  { name: "require from a variable", tf: tf(unknownVar("r"), linked({ ...strong, require: "${var.r}" })), expect: "unknown" },
  { name: "one require entry from a variable, posture elsewhere", tf: tf(unknownVar("r"), linked({ ...strong, require: [posture, hwk, "${var.r}"] })), expect: "pass" },
  { name: "a certain failure beats an unresolved link", tf: tf(policy("p", { ...strong, require: [hwk] }), app({ policies: [{ id: `\${${POLICY}.p.id}`, precedence: 1 }, { id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", precedence: 2 }] })), expect: "fail" },
]);

cases("CF-ACC-2", [
  { name: "v4 policies as a list of id references", tf: tf(v4app({ policies: ["${cloudflare_access_policy.p.id}"] }), v4policy("p", { require: [{ device_posture: ["id1"], auth_method: "hwk" }] })), expect: "pass" },
  { name: "v4 auth_method empty string is no auth method", tf: tf(v4app({ policies: ["${cloudflare_access_policy.p.id}"] }), v4policy("p", { require: [{ device_posture: ["id1"], auth_method: "" }] })), expect: "fail" },
  { name: "require from a variable", tf: tf(unknownVar("r"), linked({ ...strong, require: "${var.r}" })), expect: "unknown" },
  // CF-ACC-1 reports an app with no allow policy; CF-ACC-2 does not say it again.
  { name: "app with no allow policy at all", tf: linked({ ...strong, decision: "deny" }), expect: "not-applicable", address: APP_ADDRESS },
]);

const broad = (body: object) => policy("p", { decision: "allow", ...body });
cases("CF-ACC-3", [
  { name: "include from a variable, nothing required", tf: tf(unknownVar("i"), broad({ include: "${var.i}" })), expect: "unknown" },
  { name: "include from a variable, posture and auth method required", tf: tf(unknownVar("i"), broad({ include: "${var.i}", require: [posture, hwk] })), expect: "pass" },
  { name: "one include entry from a variable beside everyone", tf: tf(unknownVar("i"), broad({ include: [{ everyone: {} }, "${var.i}"] })), expect: "unknown" },
  { name: "v4 everyone from a variable", tf: tf(unknownVar("e"), res("cloudflare_access_policy", "p", { decision: "allow", include: [{ everyone: "${var.e}" }] })), expect: "unknown" },
  { name: "everyone, require from a variable", tf: tf(unknownVar("r"), broad({ include: [{ everyone: {} }], require: "${var.r}" })), expect: "unknown" },
  { name: "everyone, auth method from a variable, posture required", tf: tf(unknownVar("m"), broad({ include: [{ everyone: {} }], require: [posture, { auth_method: { auth_method: "${var.m}" } }] })), expect: "pass" },
  { name: "group include, require from a variable", tf: tf(unknownVar("r"), broad({ include: [{ group: { id: "staff" } }], require: "${var.r}" })), expect: "pass" },
  { name: "everyone with a name from a variable", tf: tf(unknownVar("n"), broad({ name: "${var.n}", include: [{ everyone: {} }] })), expect: "fail" },
  { name: "v4 everyone beside empty v4 rule attributes", tf: res("cloudflare_access_policy", "p", { decision: "allow", include: [{ everyone: true, auth_method: "", common_name: "", email: [], group: [], certificate: false }] }), expect: "fail" },
  { name: "inline policies of an app from a variable", tf: tf(unknownVar("p"), app({ policies: "${var.p}" })), expect: "unknown", address: APP_ADDRESS },
  { name: "inline everyone beside an unresolved reference", tf: app({ policies: [{ decision: "allow", include: [{ everyone: {} }] }, { id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415" }] }), expect: "fail", address: APP_ADDRESS },
]);

cases("CF-ACC-4", [
  { name: "policy of 1h", tf: policy("p", strong), expect: "pass" },
  { name: "policy without session_duration (default 24h)", tf: policy("p", { ...strong, session_duration: undefined }), expect: "fail" },
  { name: "policy of 8h (recommended)", tf: policy("p", { ...strong, session_duration: "8h" }), expect: "pass", profile: "recommended" },
  { name: "policy of 8h (strict)", tf: policy("p", { ...strong, session_duration: "8h" }), expect: "fail", profile: "strict" },
  { name: "policy session from a variable", tf: tf(unknownVar("d"), policy("p", { ...strong, session_duration: "${var.d}" })), expect: "unknown" },
  { name: "deny policy of 24h", tf: policy("p", { ...strong, decision: "deny", session_duration: "24h" }), expect: "not-applicable" },
  { name: "policy of 24h whose decision is not known", tf: tf(unknownVar("x"), policy("p", { ...strong, decision: "${var.x}", session_duration: "24h" })), expect: "unknown" },
  // v4 has no default: the policy takes its application's session, judged on the application.
  { name: "v4 policy without session_duration", tf: v4policy("p", { session_duration: undefined }), expect: "not-applicable", address: "cloudflare_access_policy.p" },
  { name: "v4 policy without session_duration, app of 1h", tf: tf(v4app({ policies: ["${cloudflare_access_policy.p.id}"] }), v4policy("p", { session_duration: undefined })), expect: "pass" },
  { name: "v4 policy without session_duration, app of 24h", tf: tf(v4app({ session_duration: "24h", policies: ["${cloudflare_access_policy.p.id}"] }), v4policy("p", { session_duration: undefined })), expect: "fail" },
  { name: "v4-shaped zero_trust policy bound by application_id without session_duration", tf: tf(app({}), policy("p", { ...strong, application_id: `\${${APP}.app.id}`, session_duration: undefined })), expect: "not-applicable", address: `${POLICY}.p` },
  { name: "v4 policy of 24h", tf: v4policy("p", { session_duration: "24h" }), expect: "fail" },
  { name: "app of 1h linked to a policy of 24h", tf: linked({ ...strong, session_duration: "24h" }), expect: "fail" },
  { name: "app of 1h linked to a policy of 1h", tf: linked(strong), expect: "pass" },
  { name: "app linked to a policy outside the configuration", tf: app({ policies: [{ id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", precedence: 1 }] }), expect: "unknown", address: APP_ADDRESS },
  { name: "app of 24h, linked outside the configuration", tf: app({ session_duration: "24h", policies: [{ id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", precedence: 1 }] }), expect: "fail", address: APP_ADDRESS },
  { name: "app with an inline policy takes the app's duration", tf: app({ policies: [{ decision: "allow", include: [{ group: { id: "staff" } }], require: [posture, hwk] }] }), expect: "pass", address: APP_ADDRESS },
]);

describe("CF-ACC-4 messages", () => {
  it("name the policy whose default session takes precedence", () => {
    const [f] = findingsOf("CF-ACC-4", policy("p", { ...strong, session_duration: undefined }));
    expect(f).toMatchObject({ address: `${POLICY}.p`, attribute: "session_duration", after: "24h" });
    expect(f.message).toBe("session duration is 24h (provider default), and a policy's session duration takes precedence over the application's; at most 8h allowed");
  });
  it("say why an app linked outside the configuration is unknown", () => {
    const [f] = findingsOf("CF-ACC-4", app({ policies: [{ id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", precedence: 1 }] }));
    expect(f).toMatchObject({ outcome: "unknown", attribute: "policies" });
    expect(f.message).toMatch(/policies\[0\] refers to a policy that is not in the evaluated configuration/);
  });
});

/** Each rule's verdict per address, on a plan or state fixture loaded as `posture check` loads it. */
function verdicts(name: string, profile: Profile = "recommended"): Record<string, Record<string, string>> {
  const file = join(__dirname, "..", "fixtures", "access", name);
  const text = readFileSync(file, "utf8");
  const result = evaluate(loadJsonDocument(JSON.parse(text), text, file).resources, { rules: CATALOGUE, profile, config: EMPTY_CONFIG, unknown: "warn", today: "2026-11-29" });
  const out: Record<string, Record<string, string>> = {};
  for (const e of result.evaluated) if (e.ruleId.startsWith("CF-ACC-")) (out[e.ruleId] ??= {})[e.address] = e.outcome;
  return out;
}

describe("plan and state inputs: links by id", () => {
  it("v5 state: policies[].id links to the policy with that id; null inline keys do not make an inline policy", () => {
    const v = verdicts("v5-state.json");
    expect(v["CF-ACC-1"]).toEqual({ [`${APP}.admin`]: "pass", [`${APP}.wiki`]: "fail", [`${APP}.external`]: "unknown" });
    expect(v["CF-ACC-2"]).toEqual({ [`${APP}.admin`]: "pass", [`${APP}.wiki`]: "fail", [`${APP}.external`]: "unknown" });
    expect(v["CF-ACC-3"]).toEqual({ [`${POLICY}.strong`]: "pass", [`${POLICY}.weak`]: "fail" });
    expect(v["CF-ACC-4"]).toEqual({ [`${POLICY}.strong`]: "pass", [`${POLICY}.weak`]: "fail", [`${APP}.admin`]: "pass", [`${APP}.wiki`]: "pass", [`${APP}.external`]: "unknown" });
  });

  it("v5 plan: the same links in the planned values", () => {
    const v = verdicts("v5-plan.json");
    expect(v["CF-ACC-1"]).toEqual({ [`${APP}.admin`]: "pass", [`${APP}.wiki`]: "fail", [`${APP}.external`]: "unknown" });
    expect(v["CF-ACC-2"]).toEqual({ [`${APP}.admin`]: "pass", [`${APP}.wiki`]: "fail", [`${APP}.external`]: "unknown" });
  });

  it("v4 state: application_id links a legacy policy to its app; `policies` lists reusable policy ids", () => {
    const v = verdicts("v4-state.json");
    expect(v["CF-ACC-1"]).toEqual({ "cloudflare_access_application.legacy": "pass", [`${APP}.listed`]: "fail" });
    expect(v["CF-ACC-2"]).toEqual({ "cloudflare_access_application.legacy": "pass", [`${APP}.listed`]: "fail" });
    // v4 writes every rule attribute, empty when unset: `auth_method = ""` is not an include kind.
    expect(v["CF-ACC-3"]).toEqual({ "cloudflare_access_policy.legacy": "pass", [`${POLICY}.reusable`]: "fail" });
    expect(v["CF-ACC-4"]).toEqual({ "cloudflare_access_application.legacy": "pass", "cloudflare_access_policy.legacy": "pass", [`${APP}.listed`]: "pass", [`${POLICY}.reusable`]: "fail" });
  });

  it("v4 plan creating an app and its policy: ids are not known before apply, the configuration's application_id reference links them", () => {
    const v = verdicts("v4-plan.json");
    expect(v["CF-ACC-1"]).toEqual({ "cloudflare_access_application.legacy": "pass" });
    expect(v["CF-ACC-2"]).toEqual({ "cloudflare_access_application.legacy": "pass" });
  });

  it("v4 plan without its configuration section: the link is not known before apply, so the app is unknown, not failed", () => {
    const doc = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "access", "v4-plan.json"), "utf8"));
    delete doc.configuration;
    expect(verdictOf("CF-ACC-1", doc, { address: "cloudflare_access_application.legacy" })).toBe("unknown");
  });
});

describe("a v4 policy bound by a literal application_id to an application outside the configuration", () => {
  const outside = (body: object) => v4policy("p", { application_id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415", ...body });
  const hwk = { require: [{ device_posture: ["id1"], auth_method: "hwk" }] };
  const address = "cloudflare_access_policy.p";
  it("is judged on its own by CF-ACC-2 and CF-ACC-3", () => {
    expect(verdictOf("CF-ACC-2", outside(hwk), { address })).toBe("pass");
    expect(verdictOf("CF-ACC-2", outside({ require: [{ device_posture: ["id1"], auth_method: "" }] }), { address })).toBe("fail");
    expect(verdictOf("CF-ACC-3", outside({ ...hwk, include: [{ everyone: true }], require: [{ auth_method: "" }] }), { address })).toBe("fail");
  });
  it("leaves CF-ACC-1 and an inherited CF-ACC-4 unknown, saying why", () => {
    expect(findingsOf("CF-ACC-1", outside(hwk)).map((f) => [f.address, f.outcome, f.message])).toEqual([
      [address, "unknown", "this policy guards application f174e90a-fafe-4643-bbbc-4a0ed4fc8415, which is not in the evaluated configuration: whether every allow policy of that application requires device posture is not known"],
    ]);
    expect(findingsOf("CF-ACC-4", outside({ ...hwk, session_duration: undefined })).map((f) => [f.address, f.outcome])).toEqual([[address, "unknown"]]);
    expect(verdictOf("CF-ACC-4", outside({ ...hwk, session_duration: "1h" }), { address })).toBe("pass");
  });
  it("is judged with its application when that application is in the configuration", () => {
    expect(verdictOf("CF-ACC-2", tf(v4app(), v4policy("p", { application_id: "${cloudflare_access_application.app.id}", ...hwk })), { address })).toBe("not-applicable");
  });
});
