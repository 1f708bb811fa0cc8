import { cases, findingsOf, res, tf, unknownVar } from "../helpers";

const stream = (token: string) => res("okta_log_stream", "s", { name: "s", type: "splunk_cloud_logstreaming", settings: { host: "acme.splunkcloud.com", edition: "aws", token } });
/** A plan with one log stream whose token is `token`; `expr` is its configuration expression, if any. */
const plan = (expr?: object) => ({
  format_version: "1.2",
  planned_values: { root_module: { resources: [{ address: "okta_log_stream.s", mode: "managed", type: "okta_log_stream", name: "s", values: { name: "s", settings: [{ token: "planned-token-value" }] }, sensitive_values: { settings: [{ token: true }] } }] } },
  resource_changes: [{ address: "okta_log_stream.s", mode: "managed", type: "okta_log_stream", name: "s", change: { actions: ["create"], before: null, after: { name: "s" }, after_unknown: { id: true } } }],
  ...(expr ? { configuration: { root_module: { resources: [{ address: "okta_log_stream.s", mode: "managed", type: "okta_log_stream", name: "s", expressions: { settings: [{ token: expr }] } }] } } } : {}),
});
/** A plan with one Logpush job: Terraform has already put the variable's value into destination_conf. */
const jobPlan = (expr: object) => ({
  format_version: "1.2",
  planned_values: { root_module: { resources: [{ address: "cloudflare_logpush_job.j", mode: "managed", type: "cloudflare_logpush_job", name: "j", values: { dataset: "audit_logs", destination_conf: "https://x.example.com/in?header_Authorization=Splunk%20resolved-token-value" }, sensitive_values: {} }] } },
  resource_changes: [{ address: "cloudflare_logpush_job.j", mode: "managed", type: "cloudflare_logpush_job", name: "j", change: { actions: ["create"], before: null, after: { dataset: "audit_logs" }, after_unknown: { id: true } } }],
  configuration: { root_module: { resources: [{ address: "cloudflare_logpush_job.j", mode: "managed", type: "cloudflare_logpush_job", name: "j", expressions: { dataset: { constant_value: "audit_logs" }, destination_conf: expr } }] } },
});
const hook = (auth: object, headers?: object[]) => res("okta_event_hook", "h", { name: "h", events: ["user.lifecycle.create"], auth, ...(headers ? { headers } : {}) });

cases("SECRET-1", [
  { name: "log stream token from a sensitive variable", tf: tf(unknownVar("t", true), stream("${var.t}")), expect: "pass" },
  { name: "log stream token literal", tf: stream("11111111-2222-3333-4444-555555555555"), expect: "fail" },
  { name: "log stream token from a variable default", tf: tf({ variable: { t: { default: "literal-in-a-default" } } }, stream("${var.t}")), expect: "fail" },
  { name: "log stream token from a data source", tf: stream("${data.aws_secretsmanager_secret_version.hec.secret_string}"), expect: "pass" },
  { name: "v4 settings block", tf: res("okta_log_stream", "s", { name: "s", settings: [{ token: "hard-coded-token" }] }), expect: "fail" },
  { name: "event hook auth literal", tf: hook({ type: "HEADER", key: "Authorization", value: "Bearer abc" }), expect: "fail" },
  { name: "event hook credential-shaped header", tf: hook({ type: "HEADER", key: "Authorization", value: "${var.x}" }, [{ key: "X-Api-Key", value: "a1b2c3d4e5f6" }]), expect: "fail" },
  { name: "event hook harmless header", tf: hook({ type: "HEADER", key: "Authorization", value: "${var.x}" }, [{ key: "X-Source", value: "okta" }]), expect: "pass" },
  { name: "idp client secret literal", tf: res("cloudflare_zero_trust_access_identity_provider", "i", { type: "okta", config: { client_secret: "s3cr3t-value" } }), expect: "fail" },
  { name: "provider api token literal", tf: { provider: { okta: { org_name: "x", api_token: "00abcdefghijklmnopqrstuvwxyz" } } }, expect: "fail" },
  { name: "provider api token from a variable", tf: tf(unknownVar("t", true), { provider: { cloudflare: { api_token: "${var.t}" } } }), expect: "pass" },
  { name: "logpush header literal", tf: res("cloudflare_logpush_job", "j", { dataset: "audit_logs", destination_conf: "https://x.example.com/in?header_Authorization=Splunk%20abc123" }), expect: "fail" },
  { name: "logpush header interpolated", tf: tf(unknownVar("t", true), res("cloudflare_logpush_job", "j", { dataset: "audit_logs", destination_conf: "https://x.example.com/in?header_Authorization=Splunk%20${var.t}" })), expect: "pass" },
  { name: "logpush header literal inside a function call", tf: res("cloudflare_logpush_job", "j", { dataset: "audit_logs", destination_conf: 'splunk://h:443/x?channel=1&header_Authorization=Splunk%20${urlencode("hard-coded-token")}' }), expect: "fail" },
  { name: "idp client secret from a function of a literal", tf: res("cloudflare_zero_trust_access_identity_provider", "i", { type: "okta", config: { client_secret: '${base64decode("c2VjcmV0")}' } }), expect: "fail" },
  { name: "logpush without credentials", tf: res("cloudflare_logpush_job", "j", { dataset: "audit_logs", destination_conf: "s3://bucket/path?region=us-east-1" }), expect: "pass" },
  { name: "plan: token written as a constant", tf: plan({ constant_value: "planned-token-value" }), expect: "fail" },
  { name: "plan: token from a variable", tf: plan({ references: ["var.token"] }), expect: "pass" },
  { name: "plan without its configuration section", tf: plan(), expect: "unknown" },
  { name: "plan: logpush header from a variable (already resolved in the plan)", tf: jobPlan({ references: ["var.tok"] }), expect: "pass" },
  { name: "plan: logpush header written as a constant", tf: jobPlan({ constant_value: "https://x.example.com/in?header_Authorization=Splunk%20resolved-token-value" }), expect: "fail" },
  { name: "a resource that holds no secret", tf: res("okta_group", "g", { name: "g" }), expect: "not-applicable" },
]);

describe("SECRET-1 on unknown inputs", () => {
  it("a value from a variable is not a literal, whatever it holds", () => {
    expect(findingsOf("SECRET-1", tf(unknownVar("t", true), stream("${var.t}")))).toEqual([]);
  });
  it("never prints the secret", () => {
    const [f] = findingsOf("SECRET-1", stream("super-secret-token-value"));
    expect(JSON.stringify(f)).not.toContain("super-secret-token-value");
    expect(f.after).toBe("(sensitive)");
  });
});
