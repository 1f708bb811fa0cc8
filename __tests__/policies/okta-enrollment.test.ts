import { cases, res, tf, unknownVar } from "../helpers";

const mfa = (body: object) => res("okta_policy_mfa", "p", { name: "p", is_oie: true, okta_password: { enroll: "REQUIRED" }, ...body });
const dflt = (body: object) => res("okta_policy_mfa_default", "d", { is_oie: true, okta_password: { enroll: "REQUIRED" }, ...body });

cases("OKTA-MFA-1", [
  { name: "webauthn required", tf: mfa({ webauthn: { enroll: "REQUIRED" } }), expect: "pass" },
  { name: "default policy, webauthn required", tf: dflt({ webauthn: { enroll: "REQUIRED" } }), expect: "pass" },
  { name: "webauthn optional", tf: mfa({ webauthn: { enroll: "OPTIONAL" } }), expect: "fail" },
  { name: "webauthn absent", tf: dflt({}), expect: "fail" },
  { name: "inactive policy", tf: mfa({ status: "INACTIVE" }), expect: "not-applicable" },
  { name: "enroll from a variable", tf: tf(unknownVar("e"), mfa({ webauthn: { enroll: "${var.e}" } })), expect: "unknown" },
  { name: "enroll from a variable default", tf: tf({ variable: { e: { default: "REQUIRED" } } }, mfa({ webauthn: { enroll: "${var.e}" } })), expect: "pass" },
]);

cases("OKTA-MFA-2", [
  { name: "webauthn and password only", tf: mfa({ webauthn: { enroll: "REQUIRED" } }), expect: "pass" },
  { name: "okta verify optional (recommended)", tf: mfa({ okta_verify: { enroll: "OPTIONAL" } }), expect: "pass", profile: "recommended" },
  { name: "okta verify optional (strict)", tf: mfa({ okta_verify: { enroll: "OPTIONAL" } }), expect: "fail", profile: "strict" },
  { name: "okta verify required", tf: mfa({ okta_verify: { enroll: "REQUIRED" } }), expect: "fail" },
  { name: "phone optional", tf: mfa({ phone_number: { enroll: "OPTIONAL" } }), expect: "fail" },
  { name: "classic sms required", tf: dflt({ okta_sms: { enroll: "REQUIRED" } }), expect: "fail" },
  { name: "google otp not allowed", tf: dflt({ google_otp: { enroll: "NOT_ALLOWED" } }), expect: "pass" },
  { name: "email allowed", tf: dflt({ okta_email: { enroll: "REQUIRED" } }), expect: "pass" },
  { name: "security question unknown", tf: tf(unknownVar("e"), mfa({ security_question: { enroll: "${var.e}" } })), expect: "unknown" },
  { name: "policy status unknown but passing", tf: tf(unknownVar("s"), mfa({ status: "${var.s}" })), expect: "pass" },
  { name: "policy status unknown and failing", tf: tf(unknownVar("s"), mfa({ status: "${var.s}", duo: { enroll: "OPTIONAL" } })), expect: "unknown" },
]);
