import { cases, findingsOf, res, tf, unknownVar } from "../helpers";

const pr = JSON.stringify({ possession: { required: true, phishingResistant: "REQUIRED", userVerification: "REQUIRED" } });
const hw = JSON.stringify({ possession: { required: true, phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" } });
const rule = (body: object) => res("okta_app_signon_policy_rule", "r", { policy_id: "rst1", name: "r", re_authentication_frequency: "PT12H", inactivity_period: "PT15M", constraints: [pr], ...body });

cases("OKTA-APP-1", [
  { name: "phishing-resistant (recommended)", tf: rule({}), expect: "pass", profile: "recommended" },
  { name: "phishing-resistant without hardware (strict)", tf: rule({}), expect: "fail", profile: "strict" },
  { name: "hardware-protected", tf: rule({ constraints: [hw] }), expect: "pass" },
  { name: "one factor", tf: rule({ factor_mode: "1FA" }), expect: "fail" },
  { name: "no constraints", tf: rule({ constraints: undefined }), expect: "fail" },
  { name: "a phishable alternative beside the phishing-resistant entry", tf: rule({ constraints: [hw, JSON.stringify({ knowledge: { types: ["password"] } })] }), expect: "fail" },
  { name: "two phishing-resistant alternatives", tf: rule({ constraints: [hw, hw] }), expect: "pass" },
  { name: "constraints via jsonencode", tf: rule({ constraints: ['${jsonencode({ possession = { required = true, phishingResistant = "REQUIRED", hardwareProtection = "REQUIRED" } })}'] }), expect: "pass" },
  { name: "required absent (the provider sends false)", tf: rule({ constraints: [JSON.stringify({ possession: { phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" } })] }), expect: "fail" },
  { name: "required false", tf: rule({ constraints: [JSON.stringify({ possession: { required: false, phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" } })] }), expect: "fail" },
  { name: "one of two entries not required", tf: rule({ constraints: [hw, JSON.stringify({ possession: { phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" } })] }), expect: "fail" },
  { name: "deny rule", tf: rule({ access: "DENY", constraints: undefined }), expect: "not-applicable" },
  { name: "constraints from a variable", tf: tf(unknownVar("c"), rule({ constraints: ["${var.c}"] })), expect: "unknown" },
  { name: "access unknown and failing", tf: tf(unknownVar("a"), rule({ access: "${var.a}", factor_mode: "1FA" })), expect: "unknown" },
]);

cases("OKTA-APP-2", [
  { name: "12 hours and 15 minutes", tf: rule({}), expect: "pass" },
  { name: "once per session", tf: rule({ re_authentication_frequency: "PT43800H" }), expect: "fail" },
  { name: "default PT2H, no inactivity (recommended)", tf: rule({ re_authentication_frequency: undefined, inactivity_period: undefined }), expect: "pass", profile: "recommended" },
  { name: "inactivity not set (strict)", tf: rule({ inactivity_period: undefined }), expect: "fail", profile: "strict" },
  { name: "inactivity one hour (strict)", tf: rule({ inactivity_period: "PT1H" }), expect: "fail", profile: "strict" },
  { name: "not a duration", tf: rule({ re_authentication_frequency: "12 hours" }), expect: "fail" },
  { name: "frequency unknown", tf: tf(unknownVar("f"), rule({ re_authentication_frequency: "${var.f}" })), expect: "unknown" },
]);

cases("OKTA-APP-3", [
  { name: "known keys", tf: rule({ constraints: [JSON.stringify({ knowledge: { required: true, types: ["password"], reauthenticateIn: "PT2H" }, possession: { deviceBound: "REQUIRED", userPresence: "REQUIRED", phishingResistant: "REQUIRED" } })] }), expect: "pass" },
  { name: "typo in a possession key", tf: rule({ constraints: [JSON.stringify({ possession: { phishingResistent: "REQUIRED" } })] }), expect: "fail" },
  { name: "possession-only key under knowledge", tf: rule({ constraints: [JSON.stringify({ knowledge: { phishingResistant: "REQUIRED" } })] }), expect: "fail" },
  { name: "unknown top-level key", tf: rule({ constraints: [JSON.stringify({ inherence: {} })] }), expect: "fail" },
  { name: "no constraints", tf: rule({ constraints: undefined }), expect: "not-applicable" },
  { name: "constraints unknown", tf: tf(unknownVar("c"), rule({ constraints: "${var.c}" })), expect: "unknown" },
]);

describe("OKTA-APP-3 message", () => {
  it("names the dropped key", () => {
    const [f] = findingsOf("OKTA-APP-3", rule({ constraints: [JSON.stringify({ possession: { phishingResistent: "REQUIRED" } })] }));
    expect(f.message).toContain('"phishingResistent"');
  });
});

const policy = res("okta_app_signon_policy", "p", { name: "p" });
cases("OKTA-APP-4", [
  { name: "assigned through an app's authentication_policy", tf: tf(policy, res("okta_app_saml", "a", { label: "a", authentication_policy: "${okta_app_signon_policy.p.id}" })), expect: "pass" },
  { name: "assigned with okta_app_access_policy_assignment", tf: tf(policy, res("okta_app_access_policy_assignment", "a", { app_id: "0oa1", policy_id: "${okta_app_signon_policy.p.id}" })), expect: "pass" },
  { name: "nothing assigned", tf: policy, expect: "fail" },
  { name: "an app uses another policy", tf: tf(policy, res("okta_app_oauth", "a", { label: "a", type: "web", authentication_policy: "rst-other" })), expect: "fail" },
  { name: "the app's policy is a variable", tf: tf(policy, unknownVar("pid"), res("okta_app_bookmark", "a", { label: "a", url: "https://x", authentication_policy: "${var.pid}" })), expect: "unknown" },
]);

describe("OKTA-APP-1 and OKTA-APP-4 messages", () => {
  it("says why an absent required fails", () => {
    const [f] = findingsOf("OKTA-APP-1", rule({ constraints: [JSON.stringify({ possession: { phishingResistant: "REQUIRED" } })] }), { profile: "recommended" });
    expect(f.message).toMatch(/constraints\[0\]\.possession\.required is absent; the provider sends "required": false unless it is true, so Okta stores the phishing-resistant factor as not required/);
  });

  it("warns that an unassigned policy protects nothing", () => {
    const [f] = findingsOf("OKTA-APP-4", policy);
    expect(f).toEqual(expect.objectContaining({ severity: "warning", message: expect.stringMatching(/its rules protect nothing/) }));
  });
});
// Provider 5.0.0+: AUTH_METHOD_CHAIN rules carry `chains` instead of `constraints`
// (okta/services/idaas/resource_okta_app_signon_policy_rule.go:253 @ v6.12.0).
const step = (methods: object[], next?: object) => ({ authenticationMethods: methods, ...(next ? { next: [next] } : {}) });
const password = { key: "okta_password", method: "password" };
const webauthn = { key: "webauthn", method: "webauthn", phishingResistant: "REQUIRED", userVerification: "REQUIRED" };
const yubikey = { ...webauthn, hardwareProtection: "REQUIRED" };
const chain = (...chains: object[]) => rule({ type: "AUTH_METHOD_CHAIN", constraints: undefined, chains: chains.map((c) => JSON.stringify(c)) });
cases("OKTA-APP-1", [
  { name: "chains: password then a phishing-resistant step (recommended)", tf: chain(step([password], step([webauthn]))), expect: "pass", profile: "recommended" },
  { name: "chains: phishing-resistant without hardware (strict)", tf: chain(step([password], step([webauthn]))), expect: "fail", profile: "strict" },
  { name: "chains: hardware-protected step", tf: chain(step([yubikey])), expect: "pass" },
  { name: "chains: a step that also offers email", tf: chain(step([webauthn, { key: "okta_email", method: "email" }])), expect: "fail" },
  { name: "chains: one weak chain beside a strong one", tf: chain(step([yubikey]), step([password], step([{ key: "okta_email", method: "email" }]))), expect: "fail" },
  { name: "chains: no chains", tf: chain(), expect: "fail" },
  { name: "chains: from a variable", tf: tf(unknownVar("c"), rule({ type: "AUTH_METHOD_CHAIN", constraints: undefined, chains: "${var.c}" })), expect: "unknown" },
  { name: "type from a variable", tf: tf(unknownVar("t"), rule({ type: "${var.t}" })), expect: "unknown" },
]);
