import { cases, findingsOf, res, tf, unknownVar } from "../helpers";

const org = (body: object) => res("cloudflare_zero_trust_organization", "o", { account_id: "a", session_duration: "12h", is_ui_read_only: true, ...body });

cases("CF-ORG-1", [
  { name: "12h, no warp auth", tf: org({}), expect: "pass" },
  { name: "warp auth bounded", tf: org({ allow_authenticate_via_warp: true, warp_auth_session_duration: "4h" }), expect: "pass" },
  { name: "warp auth unbounded", tf: org({ allow_authenticate_via_warp: true }), expect: "fail" },
  { name: "session not set", tf: org({ session_duration: undefined }), expect: "fail" },
  { name: "24h", tf: org({ session_duration: "24h" }), expect: "fail" },
  { name: "v4 access organization", tf: res("cloudflare_access_organization", "o", { session_duration: "8h" }), expect: "pass" },
  { name: "session unknown", tf: tf(unknownVar("d"), org({ session_duration: "${var.d}" })), expect: "unknown" },
]);

cases("CF-ORG-2", [
  { name: "read-only", tf: org({}), expect: "pass" },
  { name: "writable", tf: org({ is_ui_read_only: false }), expect: "fail" },
  { name: "not set", tf: org({ is_ui_read_only: undefined }), expect: "fail" },
  { name: "unknown", tf: tf(unknownVar("r"), org({ is_ui_read_only: "${var.r}" })), expect: "unknown" },
]);

const idp = (body: object) => res("cloudflare_zero_trust_access_identity_provider", "i", { account_id: "a", name: "i", ...body });
cases("CF-IDP-1", [
  { name: "okta with PKCE", tf: idp({ type: "okta", config: { pkce_enabled: true } }), expect: "pass" },
  { name: "okta without PKCE", tf: idp({ type: "okta", config: { client_id: "x" } }), expect: "fail" },
  { name: "one-time PIN", tf: idp({ type: "onetimepin", config: {} }), expect: "fail" },
  { name: "v4 block config", tf: res("cloudflare_access_identity_provider", "i", { type: "okta", config: [{ pkce_enabled: true }] }), expect: "pass" },
  { name: "type unknown", tf: tf(unknownVar("t"), idp({ type: "${var.t}" })), expect: "unknown" },
]);

const job = (name: string, dataset: string, body: object = {}) => res("cloudflare_logpush_job", name, { account_id: "a", dataset, enabled: true, destination_conf: "s3://logs/zt?region=us-east-1", ...body });
const jobs = tf(job("a", "access_requests"), job("b", "audit_logs"), job("c", "device_posture_results"));

cases("CF-LOG-1", [
  { name: "the three datasets (recommended)", tf: jobs, expect: "pass", profile: "recommended" },
  { name: "without network sessions (strict)", tf: jobs, expect: "fail", profile: "strict" },
  { name: "with network sessions", tf: tf(jobs, job("d", "zero_trust_network_sessions")), expect: "pass" },
  { name: "audit_logs_v2", tf: tf(job("a", "access_requests"), job("b", "audit_logs_v2"), job("c", "device_posture_results")), expect: "pass", profile: "recommended" },
  { name: "enabled omitted (default false)", tf: tf(job("a", "access_requests"), job("b", "audit_logs"), job("c", "device_posture_results", { enabled: undefined })), expect: "fail" },
  { name: "gateway in use, no gateway logs", tf: tf(jobs, res("cloudflare_zero_trust_gateway_policy", "g", { action: "block" })), expect: "fail", profile: "recommended" },
  { name: "enabled unknown", tf: tf(unknownVar("e"), job("a", "access_requests"), job("b", "audit_logs"), job("c", "device_posture_results", { enabled: "${var.e}" })), expect: "unknown" },
]);

describe("CF-LOG-1 message", () => {
  it("names the jobs it found disabled, explicitly or by the default", () => {
    const disabled = tf(job("a", "access_requests", { enabled: false }), job("b", "audit_logs", { enabled: undefined }), job("c", "device_posture_results"));
    expect(findingsOf("CF-LOG-1", disabled).map((f) => f.message)).toEqual([
      "no enabled cloudflare_logpush_job ships access_requests, audit_logs or audit_logs_v2; disabled (enabled is false, its default when unset): cloudflare_logpush_job.a (access_requests), cloudflare_logpush_job.b (audit_logs)",
    ]);
  });
});

cases("CF-LOG-2", [
  { name: "s3", tf: job("a", "audit_logs"), expect: "pass" },
  { name: "https with a token from a variable", tf: tf(unknownVar("t", true), job("a", "audit_logs", { destination_conf: "https://siem.example.com/in?header_Authorization=Bearer%20${var.t}" })), expect: "pass" },
  { name: "plain http", tf: job("a", "audit_logs", { destination_conf: "http://siem.example.com/in" }), expect: "fail" },
  { name: "verification off", tf: job("a", "audit_logs", { destination_conf: "splunk://siem.example.com:8088/services/collector/raw?channel=1&insecure-skip-verify=true" }), expect: "fail" },
  { name: "whole destination from a variable", tf: tf(unknownVar("d"), job("a", "audit_logs", { destination_conf: "${var.d}" })), expect: "unknown" },
  { name: "scheme from a variable", tf: tf(unknownVar("s"), job("a", "audit_logs", { destination_conf: "${var.s}://siem.example.com/in" })), expect: "unknown" },
  { name: "verification flag from a variable beside a token", tf: tf(unknownVar("t", true), unknownVar("skip"), job("a", "audit_logs", { destination_conf: "https://x/in?header_Authorization=${var.t}&insecure-skip-verify=${var.skip}" })), expect: "unknown" },
  { name: "a non-credential parameter from a variable", tf: tf(unknownVar("c"), job("a", "audit_logs", { destination_conf: "splunk://siem.example.com:8088/services/collector/raw?channel=${var.c}" })), expect: "unknown" },
  { name: "a path segment after an = from a variable", tf: tf(unknownVar("p"), job("a", "audit_logs", { destination_conf: "https://siem.example.com/a=${var.p}" })), expect: "unknown" },
  { name: "credentials of S3, Datadog and a custom header from variables", tf: tf(unknownVar("k", true), unknownVar("s", true), unknownVar("d", true), unknownVar("h", true), job("a", "audit_logs", { destination_conf: "https://x.example.com/in?access-key-id=${var.k}&secret-access-key=${var.s}&header_DD-API-KEY=${var.d}&header_X-Token=${urlencode(var.h)}" })), expect: "pass" },
  { name: "a token from a variable beside a literal insecure-skip-verify=true", tf: tf(unknownVar("t", true), job("a", "audit_logs", { destination_conf: "splunk://h:8088/raw?channel=1&insecure-skip-verify=true&header_Authorization=Splunk%20${var.t}" })), expect: "fail" },
  { name: "a template directive", tf: tf(unknownVar("t", true), unknownVar("v"), job("a", "audit_logs", { destination_conf: "%{ if var.v }http%{ else }https%{ endif }://x/in?header_Authorization=${var.t}" })), expect: "unknown" },
]);

cases("CF-LOG-3", [
  { name: "alert on disabled job", tf: tf(jobs, res("cloudflare_notification_policy", "n", { alert_type: "failing_logpush_job_disabled_alert" })), expect: "pass" },
  { name: "no alert", tf: jobs, expect: "fail" },
  { name: "no jobs", tf: res("cloudflare_zero_trust_organization", "o", {}), expect: "not-applicable" },
  { name: "alert type unknown", tf: tf(unknownVar("t"), jobs, res("cloudflare_notification_policy", "n", { alert_type: "${var.t}" })), expect: "unknown" },
]);

const gw = (body: object) => res("cloudflare_zero_trust_gateway_policy", "g", { account_id: "a", name: "g", action: "allow", ...body });
cases("CF-GW-1", [
  { name: "session re-checked every 12h", tf: gw({ rule_settings: { check_session: { enforce: true, duration: "12h" } } }), expect: "pass" },
  { name: "v4 teams rule blocks", tf: res("cloudflare_teams_rule", "t", { action: "allow", rule_settings: [{ check_session: [{ enforce: true, duration: "8h" }] }] }), expect: "pass" },
  { name: "no session check", tf: gw({}), expect: "fail" },
  { name: "24h", tf: gw({ rule_settings: { check_session: { enforce: true, duration: "24h" } } }), expect: "fail" },
  { name: "block rule", tf: gw({ action: "block" }), expect: "not-applicable" },
  { name: "enforce unknown", tf: tf(unknownVar("e"), gw({ rule_settings: { check_session: { enforce: "${var.e}", duration: "1h" } } })), expect: "unknown" },
]);
