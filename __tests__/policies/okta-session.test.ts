import { cases, findingsOf, res, tf, unknownVar } from "../helpers";

const good = { session_idle: 15, session_lifetime: 720, session_persistent: false, mfa_required: true, mfa_prompt: "ALWAYS" };
const rule = (body: object) => res("okta_policy_rule_signon", "r", { policy_id: "00p1", name: "r", ...good, ...body });

cases("OKTA-SES-1", [
  { name: "15 minutes", tf: rule({}), expect: "pass" },
  { name: "30 minutes (recommended)", tf: rule({ session_idle: 30 }), expect: "pass", profile: "recommended" },
  { name: "30 minutes (strict)", tf: rule({ session_idle: 30 }), expect: "fail", profile: "strict" },
  { name: "provider default 120", tf: res("okta_policy_rule_signon", "r", { policy_id: "p", name: "r" }), expect: "fail" },
  { name: "numeric string", tf: rule({ session_idle: "20" }), expect: "pass", profile: "recommended" },
  { name: "deny rule", tf: rule({ access: "DENY", session_idle: 600 }), expect: "not-applicable" },
  { name: "inactive rule", tf: rule({ status: "INACTIVE", session_idle: 600 }), expect: "not-applicable" },
  { name: "idle from a variable", tf: tf(unknownVar("idle"), rule({ session_idle: "${var.idle}" })), expect: "unknown" },
  { name: "idle from a local", tf: tf({ locals: { idle: 10 } }, rule({ session_idle: "${local.idle}" })), expect: "pass" },
  { name: "wrong type", tf: rule({ session_idle: true }), expect: "fail" },
]);

cases("OKTA-SES-2", [
  { name: "720 minutes", tf: rule({}), expect: "pass" },
  { name: "provider default 120", tf: res("okta_policy_rule_signon", "r", { policy_id: "p", name: "r" }), expect: "pass" },
  { name: "unlimited (0)", tf: rule({ session_lifetime: 0 }), expect: "fail" },
  { name: "1440 minutes", tf: rule({ session_lifetime: 1440 }), expect: "fail" },
  { name: "lifetime unknown", tf: tf(unknownVar("l"), rule({ session_lifetime: "${var.l}" })), expect: "unknown" },
]);

cases("OKTA-SES-3", [
  { name: "not persistent", tf: rule({}), expect: "pass" },
  { name: "default (false)", tf: res("okta_policy_rule_signon", "r", { policy_id: "p", name: "r" }), expect: "pass" },
  { name: "persistent", tf: rule({ session_persistent: true }), expect: "fail" },
  { name: "persistence unknown", tf: tf(unknownVar("p"), rule({ session_persistent: "${var.p}" })), expect: "unknown" },
]);

cases("OKTA-SES-4", [
  { name: "MFA always", tf: rule({}), expect: "pass" },
  { name: "MFA not required (default)", tf: res("okta_policy_rule_signon", "r", { policy_id: "p", name: "r" }), expect: "fail" },
  { name: "prompt per session within lifetime (recommended)", tf: rule({ mfa_prompt: "SESSION", mfa_lifetime: 60 }), expect: "pass", profile: "recommended" },
  { name: "prompt per session (strict)", tf: rule({ mfa_prompt: "SESSION", mfa_lifetime: 60 }), expect: "fail", profile: "strict" },
  { name: "prompt per session beyond lifetime", tf: rule({ mfa_prompt: "SESSION", mfa_lifetime: 1440 }), expect: "fail" },
  // The provider sends an unset mfa_lifetime as 0 (resource_okta_policy_rule_sign_on.go:316 @ v4.20.0).
  { name: "prompt per session, mfa_lifetime unset (0)", tf: rule({ mfa_prompt: "SESSION", mfa_lifetime: undefined }), expect: "pass", profile: "recommended" },
  { name: "prompt per device", tf: rule({ mfa_prompt: "DEVICE" }), expect: "fail" },
  { name: "remembered devices", tf: rule({ mfa_remember_device: true }), expect: "fail" },
  { name: "prompt unknown", tf: tf(unknownVar("p"), rule({ mfa_prompt: "${var.p}" })), expect: "unknown" },
]);

describe("OKTA-SES messages", () => {
  it("say the value, the default and the limit", () => {
    const [f] = findingsOf("OKTA-SES-1", res("okta_policy_rule_signon", "r", { policy_id: "p", name: "r" }));
    expect(f.message).toBe("session idle timeout is 120 minutes (provider default); at most 30 allowed");
    expect(f.attribute).toBe("session_idle");
    expect(f.after).toBe(120);
  });
});
