import { cases, res, tf, unknownVar } from "../helpers";

const strong = { password_min_length: 15, password_max_lockout_attempts: 3, password_dictionary_lookup: true, question_recovery: "INACTIVE" };
const ruleOf = (body: object = {}) => res("okta_policy_rule_password", "r", { name: "r", policy_id: "${okta_policy_password.p.id}", ...body });
const pol = (body: object) => tf(res("okta_policy_password", "p", { name: "p", ...strong, ...body }), ruleOf());
const ruleless = (rule?: object) => tf(res("okta_policy_password", "p", { name: "p", ...strong }), ...(rule ? [rule] : []));
const dflt = (body: object) => res("okta_policy_password_default", "d", { ...strong, ...body });

cases("OKTA-PWD-1", [
  { name: "15 chars, lockout 3, dictionary", tf: pol({}), expect: "pass" },
  { name: "12 chars, lockout 10 (recommended)", tf: pol({ password_min_length: 12, password_max_lockout_attempts: 10 }), expect: "pass", profile: "recommended" },
  { name: "12 chars (strict)", tf: pol({ password_min_length: 12 }), expect: "fail", profile: "strict" },
  { name: "lockout 10 (strict)", tf: dflt({ password_max_lockout_attempts: 10 }), expect: "fail", profile: "strict" },
  { name: "no lockout (0)", tf: pol({ password_max_lockout_attempts: 0 }), expect: "fail" },
  { name: "provider defaults", tf: tf(res("okta_policy_password", "p", { name: "p" }), ruleOf()), expect: "fail" },
  { name: "a created policy without a rule (Okta skips it)", tf: ruleless(), expect: "fail" },
  { name: "its only rule is inactive", tf: ruleless(ruleOf({ status: "INACTIVE" })), expect: "fail" },
  { name: "a rule of another policy", tf: ruleless(ruleOf({ policy_id: "00p-other" })), expect: "fail" },
  { name: "a rule whose policy_id is a variable", tf: tf(ruleless(ruleOf({ policy_id: "${var.p}" })), unknownVar("p")), expect: "unknown" },
  { name: "a rule whose status is a variable", tf: tf(ruleless(ruleOf({ status: "${var.s}" })), unknownVar("s")), expect: "unknown" },
  { name: "the default policy needs no rule", tf: dflt({}), expect: "pass" },
  { name: "no dictionary check", tf: dflt({ password_dictionary_lookup: false }), expect: "fail" },
  { name: "inactive policy", tf: pol({ status: "INACTIVE", password_min_length: 4 }), expect: "not-applicable" },
  { name: "length unknown", tf: tf(unknownVar("l"), pol({ password_min_length: "${var.l}" })), expect: "unknown" },
]);

cases("OKTA-PWD-2", [
  { name: "all recovery inactive", tf: pol({}), expect: "pass" },
  { name: "question recovery omitted (default ACTIVE)", tf: pol({ question_recovery: undefined }), expect: "fail" },
  { name: "sms recovery active", tf: dflt({ sms_recovery: "ACTIVE" }), expect: "fail" },
  { name: "call recovery active", tf: pol({ call_recovery: "ACTIVE" }), expect: "fail" },
  { name: "recovery unknown", tf: tf(unknownVar("r"), pol({ sms_recovery: "${var.r}" })), expect: "unknown" },
]);
