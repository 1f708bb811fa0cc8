import { cases, res, tf, unknownVar } from "../helpers";
import { plan } from "../review/plan-builder";

const auth = (name: string, body: object) => res("okta_authenticator", name, body);
const settings = (o: object) => JSON.stringify(o);

const otpSettings = settings({ protocol: "TOTP", acceptableAdjacentIntervals: 3, timeIntervalInSeconds: 30, encoding: "base32", algorithm: "HMacSHA256", passCodeLength: 6 });

cases("OKTA-AUTH-1", [
  { name: "active webauthn", tf: auth("w", { key: "webauthn", name: "w" }), expect: "pass" },
  { name: "webauthn inactive", tf: auth("w", { key: "webauthn", name: "w", status: "INACTIVE" }), expect: "fail" },
  { name: "no webauthn at all", tf: auth("p", { key: "okta_password", name: "p" }), expect: "fail" },
  { name: "webauthn status from a variable", tf: tf(unknownVar("s"), auth("w", { key: "webauthn", name: "w", status: "${var.s}" })), expect: "unknown" },
  { name: "webauthn under an unknown count", tf: tf(unknownVar("n"), auth("w", { key: "webauthn", name: "w", count: "${var.n}" })), expect: "unknown" },
  { name: "webauthn with count = 0", tf: tf(auth("w", { key: "webauthn", name: "w", count: 0 }), auth("p", { key: "okta_password", name: "p" })), expect: "fail" },
  { name: "cloudflare-only scope", tf: res("cloudflare_logpush_job", "j", { dataset: "audit_logs" }), expect: "not-applicable" },
]);

cases("OKTA-AUTH-2", [
  { name: "phone for recovery only", tf: auth("p", { key: "phone_number", name: "p", settings: settings({ allowedFor: "recovery" }) }), expect: "pass", profile: "recommended" },
  { name: "phone inactive", tf: auth("p", { key: "phone_number", name: "p", status: "INACTIVE" }), expect: "not-applicable" },
  { name: "phone recovery-only is still active in strict", tf: auth("p", { key: "phone_number", name: "p", settings: settings({ allowedFor: "recovery" }) }), expect: "fail", profile: "strict" },
  { name: "email for recovery in strict", tf: auth("e", { key: "okta_email", name: "e", settings: settings({ allowedFor: "recovery" }) }), expect: "pass", profile: "strict" },
  { name: "email allowed for any", tf: auth("e", { key: "okta_email", name: "e", settings: settings({ allowedFor: "any" }) }), expect: "fail" },
  { name: "hcl jsonencode settings", tf: auth("e", { key: "google_otp", name: "e", settings: '${jsonencode({ allowedFor = "none" })}' }), expect: "pass" },
  { name: "settings not managed", tf: auth("e", { key: "okta_email", name: "e" }), expect: "unknown" },
  { name: "settings from a variable", tf: tf(unknownVar("s"), auth("e", { key: "okta_email", name: "e", settings: "${var.s}" })), expect: "unknown" },
  { name: "settings not JSON", tf: auth("e", { key: "okta_email", name: "e", settings: "{allowedFor" }), expect: "fail" },
  { name: "not a phishable key", tf: auth("w", { key: "webauthn", name: "w" }), expect: "not-applicable" },
  { name: "active yubikey_token: its recovery-only settings are never sent", tf: auth("y", { key: "yubikey_token", name: "y", settings: settings({ allowedFor: "recovery" }) }), expect: "fail" },
  { name: "inactive yubikey_token", tf: auth("y", { key: "yubikey_token", name: "y", status: "INACTIVE" }), expect: "not-applicable" },
  { name: "active custom_otp: its OTP settings carry no allowedFor", tf: auth("o", { key: "custom_otp", name: "o", settings: settings({ allowedFor: "recovery" }) }), expect: "fail" },
  { name: "inactive custom_otp with OTP settings", tf: auth("o", { key: "custom_otp", name: "o", status: "INACTIVE", settings: otpSettings }), expect: "not-applicable" },
  {
    name: "active yubikey_token in a plan, recovery-only as the API reports it",
    tf: plan([{ address: "okta_authenticator.y", actions: ["no-op"], before: { key: "yubikey_token", name: "y", status: "ACTIVE", settings: settings({ allowedFor: "recovery" }) }, after: { key: "yubikey_token", name: "y", status: "ACTIVE", settings: settings({ allowedFor: "recovery" }) } }]),
    expect: "pass",
    profile: "recommended",
  },
  { name: "plan creates an active yubikey_token with recovery-only settings (never sent)", tf: plan([{ address: "okta_authenticator.y", actions: ["create"], after: { key: "yubikey_token", name: "y", status: "ACTIVE", settings: settings({ allowedFor: "recovery" }) } }]), expect: "fail" },
]);

const ov = (s: object) => auth("ov", { key: "okta_verify", name: "Okta Verify", settings: settings(s) });
const hardened = { channelBinding: { style: "NUMBER_CHALLENGE", required: "ALWAYS" }, userVerification: "REQUIRED" };

cases("OKTA-AUTH-3", [
  { name: "number challenge and user verification", tf: ov(hardened), expect: "pass", profile: "recommended" },
  { name: "without FIPS in strict", tf: ov(hardened), expect: "fail", profile: "strict" },
  { name: "with FIPS", tf: ov({ ...hardened, compliance: { fips: "REQUIRED" } }), expect: "pass" },
  { name: "user verification preferred", tf: ov({ ...hardened, userVerification: "PREFERRED" }), expect: "fail" },
  { name: "no number challenge", tf: ov({ userVerification: "REQUIRED" }), expect: "fail" },
  { name: "inactive okta verify", tf: auth("ov", { key: "okta_verify", name: "ov", status: "INACTIVE", settings: "{}" }), expect: "not-applicable" },
  { name: "settings unknown", tf: tf(unknownVar("s"), auth("ov", { key: "okta_verify", name: "ov", settings: "${var.s}" })), expect: "unknown" },
]);

const webauthnRead = { key: "webauthn", name: "w", status: "ACTIVE", settings: settings({ userVerification: "PREFERRED", attachment: "ANY" }) };

cases("OKTA-AUTH-4", [
  { name: "webauthn without settings", tf: res("okta_authenticator", "w", { key: "webauthn", name: "Security Key or Biometric" }), expect: "pass" },
  { name: "webauthn with user verification in settings (never sent)", tf: res("okta_authenticator", "w", { key: "webauthn", name: "Security Key or Biometric", settings: JSON.stringify({ userVerification: "REQUIRED" }) }), expect: "fail" },
  { name: "yubikey_token with settings", tf: res("okta_authenticator", "y", { key: "yubikey_token", name: "YubiKey", status: "INACTIVE", settings: "{}" }), expect: "fail" },
  { name: "custom_otp with OTP settings (sent when the provider creates it)", tf: res("okta_authenticator", "o", { key: "custom_otp", name: "Custom OTP", status: "INACTIVE", settings: otpSettings }), expect: "not-applicable" },
  { name: "okta_verify settings are sent", tf: res("okta_authenticator", "v", { key: "okta_verify", name: "Okta Verify", settings: "{}" }), expect: "not-applicable" },
  { name: "settings from a variable", tf: tf(unknownVar("s"), res("okta_authenticator", "w", { key: "webauthn", name: "x", settings: "${var.s}" })), expect: "unknown" },
  { name: "key from a variable", tf: tf(unknownVar("k"), res("okta_authenticator", "w", { key: "${var.k}", name: "x", settings: "{}" })), expect: "unknown" },
  // A planned create or an update that changes settings carries the code's settings; a no-op, the API's.
  { name: "plan creates webauthn with settings", tf: plan([{ address: "okta_authenticator.w", actions: ["create"], after: { ...webauthnRead, settings: settings({ userVerification: "REQUIRED" }) } }]), expect: "fail" },
  { name: "plan creates webauthn without settings", tf: plan([{ address: "okta_authenticator.w", actions: ["create"], after: { key: "webauthn", name: "w", status: "ACTIVE" } }]), expect: "pass" },
  { name: "plan creates webauthn, settings known after apply", tf: plan([{ address: "okta_authenticator.w", actions: ["create"], after: { key: "webauthn", name: "w", status: "ACTIVE" }, afterUnknown: { settings: true } }]), expect: "unknown" },
  { name: "plan updates webauthn settings", tf: plan([{ address: "okta_authenticator.w", actions: ["update"], before: webauthnRead, after: { ...webauthnRead, settings: settings({ userVerification: "REQUIRED" }) } }]), expect: "fail" },
  { name: "plan updates webauthn status, settings as the API returned them", tf: plan([{ address: "okta_authenticator.w", actions: ["update"], before: { ...webauthnRead, status: "INACTIVE" }, after: webauthnRead }]), expect: "not-applicable" },
  { name: "plan leaves webauthn as it is", tf: plan([{ address: "okta_authenticator.w", actions: ["no-op"], before: webauthnRead, after: webauthnRead }]), expect: "not-applicable" },
]);
