import { cases, findingsOf, res, tf, unknownVar } from "../helpers";

const POLICY = "cloudflare_zero_trust_access_policy";
const APP = "cloudflare_zero_trust_access_application";
const strong = {
  decision: "allow",
  include: [{ group: { id: "staff" } }],
  require: [{ device_posture: { integration_uid: "${cloudflare_zero_trust_device_posture_rule.warp.id}" } }, { auth_method: { auth_method: "hwk" } }],
};
const policy = (name: string, body: object) => res(POLICY, name, { account_id: "a", name, ...body });
const app = (body: object) => res(APP, "app", { account_id: "a", name: "app", domain: "app.example.com", session_duration: "1h", ...body });
const linked = (p: object, a: object = {}) => tf(policy("p", p), app({ policies: [{ id: `\${${POLICY}.p.id}`, precedence: 1 }], ...a }));

cases("CF-ACC-1", [
  { name: "linked policy requiring posture", tf: linked(strong), expect: "pass" },
  { name: "inline policy requiring posture", tf: app({ policies: [{ ...strong, name: "inline" }] }), expect: "pass" },
  { name: "linked policy without posture", tf: linked({ ...strong, require: [{ auth_method: { auth_method: "hwk" } }] }), expect: "fail" },
  { name: "no policy at all", tf: app({}), expect: "fail" },
  { name: "only a deny policy", tf: linked({ ...strong, decision: "deny" }), expect: "fail" },
  { name: "policy id not in the configuration", tf: app({ policies: [{ id: "f174e90a-fafe-4643-bbbc-4a0ed4fc8415" }] }), expect: "unknown" },
  { name: "policies from a variable", tf: tf(unknownVar("p"), app({ policies: "${var.p}" })), expect: "unknown" },
  { name: "v4 policy pointing at its app", tf: tf(res("cloudflare_access_application", "app", { name: "app", domain: "x" }), res("cloudflare_access_policy", "p", { application_id: "${cloudflare_access_application.app.id}", decision: "allow", include: [{ email: ["a@b.c"] }], require: [{ device_posture: ["id1"] }] })), expect: "pass" },
  { name: "bookmark app", tf: app({ type: "bookmark" }), expect: "not-applicable" },
]);

cases("CF-ACC-2", [
  { name: "hardware key", tf: linked(strong), expect: "pass" },
  { name: "mfa (recommended)", tf: linked({ ...strong, require: [{ device_posture: { integration_uid: "x" } }, { auth_method: { auth_method: "mfa" } }] }), expect: "pass", profile: "recommended" },
  { name: "mfa (strict)", tf: linked({ ...strong, require: [{ device_posture: { integration_uid: "x" } }, { auth_method: { auth_method: "mfa" } }] }), expect: "fail", profile: "strict" },
  { name: "v4 auth_method string", tf: tf(res("cloudflare_access_application", "app", { name: "app", domain: "x" }), res("cloudflare_access_policy", "p", { application_id: "${cloudflare_access_application.app.id}", decision: "allow", include: [{ email: ["a@b.c"] }], require: [{ auth_method: "hwk" }] })), expect: "pass" },
  { name: "no auth method", tf: linked({ ...strong, require: [{ device_posture: { integration_uid: "x" } }] }), expect: "fail" },
  { name: "auth method unknown", tf: tf(unknownVar("m"), linked({ ...strong, require: [{ device_posture: { integration_uid: "x" } }, { auth_method: { auth_method: "${var.m}" } }] })), expect: "unknown" },
]);

cases("CF-ACC-3", [
  { name: "group include", tf: policy("p", strong), expect: "pass" },
  { name: "everyone with posture and auth method", tf: policy("p", { ...strong, include: [{ everyone: {} }] }), expect: "pass" },
  { name: "everyone, nothing required", tf: policy("p", { decision: "allow", include: [{ everyone: {} }] }), expect: "fail" },
  { name: "email domain only, posture only", tf: policy("p", { decision: "allow", include: [{ email_domain: { domain: "example.com" } }], require: [{ device_posture: { integration_uid: "x" } }] }), expect: "fail" },
  { name: "v4 everyone block", tf: res("cloudflare_access_policy", "p", { decision: "allow", include: [{ everyone: true }] }), expect: "fail" },
  { name: "everyone on a deny policy", tf: policy("p", { decision: "deny", include: [{ everyone: {} }] }), expect: "pass" },
  { name: "inline everyone on an app", tf: app({ policies: [{ decision: "allow", include: [{ everyone: {} }] }] }), expect: "fail" },
  { name: "decision unknown", tf: tf(unknownVar("d"), policy("p", { decision: "${var.d}", include: [{ everyone: {} }] })), expect: "unknown" },
]);

cases("CF-ACC-4", [
  { name: "one hour", tf: app({}), expect: "pass" },
  { name: "eight hours (recommended)", tf: app({ session_duration: "8h" }), expect: "pass", profile: "recommended" },
  { name: "eight hours (strict)", tf: app({ session_duration: "8h" }), expect: "fail", profile: "strict" },
  { name: "default 24h", tf: app({ session_duration: undefined }), expect: "fail" },
  { name: "minutes", tf: app({ session_duration: "30m" }), expect: "pass" },
  { name: "not a duration", tf: app({ session_duration: "1 day" }), expect: "fail" },
  { name: "duration unknown", tf: tf(unknownVar("d"), app({ session_duration: "${var.d}" })), expect: "unknown" },
]);

const cookies = { enable_binding_cookie: true, http_only_cookie_attribute: true, same_site_cookie_attribute: "strict" };
cases("CF-ACC-5", [
  { name: "binding, http-only, strict", tf: app(cookies), expect: "pass" },
  { name: "no binding cookie (default false)", tf: app({ ...cookies, enable_binding_cookie: undefined }), expect: "fail" },
  { name: "script-readable cookie", tf: app({ ...cookies, http_only_cookie_attribute: false }), expect: "fail" },
  { name: "same-site none", tf: app({ ...cookies, same_site_cookie_attribute: "none" }), expect: "fail" },
  { name: "saas app", tf: app({ type: "saas" }), expect: "not-applicable" },
  { name: "binding cookie unknown", tf: tf(unknownVar("b"), app({ ...cookies, enable_binding_cookie: "${var.b}" })), expect: "unknown" },
]);

describe("CF-ACC messages", () => {
  it("name the policy that fails", () => {
    const [f] = findingsOf("CF-ACC-1", linked({ ...strong, require: [] }));
    expect(f.message).toBe(`${POLICY}.p requires no device posture`);
  });
});
