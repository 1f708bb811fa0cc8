/**
 * Generates a realistic `terraform show -json` plan: mostly unrelated cloud resources (AWS), a few
 * percent Okta and Cloudflare, a mix of creates, updates, deletes and no-ops, with planned_values,
 * resource_changes, prior_state and configuration sections as Terraform writes them. Deterministic
 * for a given size (a seeded generator), about 2 KB of plan per resource.
 */
import { writeFileSync } from "node:fs";

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const AWS = ["aws_instance", "aws_s3_bucket", "aws_iam_role", "aws_security_group", "aws_lambda_function", "aws_route53_record"];

function awsValues(type, i, r) {
  return {
    arn: `arn:aws:${type.slice(4)}:us-east-1:123456789012:${type}/${i}`,
    id: `${type}-${i.toString(16).padStart(8, "0")}`,
    name: `${type.replace(/_/g, "-")}-${i}`,
    tags: { Name: `resource-${i}`, Team: ["platform", "payments", "growth"][i % 3], Environment: "production", CostCenter: `cc-${i % 97}` },
    instance_type: ["t3.micro", "m5.large", "c6g.xlarge"][i % 3],
    ami: `ami-${Math.floor(r() * 1e12).toString(16)}`,
    subnet_id: `subnet-${(i % 50).toString(16).padStart(8, "0")}`,
    vpc_security_group_ids: [`sg-${(i % 20).toString(16).padStart(8, "0")}`],
    root_block_device: [{ volume_size: 20 + (i % 100), volume_type: "gp3", encrypted: true, iops: 3000, throughput: 125 }],
  };
}

function oktaValues(i) {
  const kinds = [
    ["okta_policy_rule_signon", { name: `rule-${i}`, policy_id: `00p${i}`, access: "ALLOW", session_idle: 15 + (i % 20), session_lifetime: 600 + (i % 200), session_persistent: false, mfa_required: true, mfa_prompt: "ALWAYS" }],
    ["okta_app_signon_policy_rule", { name: `app-${i}`, policy_id: `rst${i}`, factor_mode: "2FA", re_authentication_frequency: "PT2H", inactivity_period: "PT15M", constraints: [JSON.stringify({ possession: { phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" } })] }],
    ["okta_group", { name: `group-${i}`, description: "a group" }],
    ["okta_log_stream", { name: `stream-${i}`, type: "splunk_cloud_logstreaming", status: "ACTIVE", settings: { host: "x.splunkcloud.com", edition: "aws", token: `token-${i}-planted` } }],
  ];
  return kinds[i % kinds.length];
}

function cloudflareValues(i) {
  const kinds = [
    ["cloudflare_zero_trust_access_application", { name: `app-${i}`, domain: `app${i}.example.com`, type: "self_hosted", session_duration: "8h", enable_binding_cookie: true, same_site_cookie_attribute: "lax", policies: [{ id: `pol-${i}`, precedence: 1 }] }],
    ["cloudflare_logpush_job", { dataset: ["access_requests", "audit_logs", "device_posture_results"][i % 3], enabled: true, destination_conf: `s3://logs-${i}/zt?region=us-east-1` }],
    ["cloudflare_zero_trust_device_posture_rule", { name: `posture-${i}`, type: ["warp", "disk_encryption", "os_version", "firewall"][i % 4], input: { require_all: true, enabled: true, version: "15.0.0", operator: ">=" } }],
  ];
  return kinds[i % kinds.length];
}

export function generatePlan(count, seed = 42) {
  const r = rng(seed + count);
  const planned = [];
  const changes = [];
  const prior = [];
  const configResources = new Map();
  for (let i = 0; i < count; i++) {
    const roll = r();
    let type;
    let values;
    if (roll < 0.02) [type, values] = oktaValues(i);
    else if (roll < 0.04) [type, values] = cloudflareValues(i);
    else {
      type = AWS[i % AWS.length];
      values = awsValues(type, i, r);
    }
    const name = `r${i}`;
    const address = i % 10 === 0 ? `module.m${i % 7}.${type}.${name}` : `${type}.${name}`;
    const a = r();
    const actions = a < 0.7 ? ["no-op"] : a < 0.85 ? ["update"] : a < 0.95 ? ["create"] : ["delete"];
    const before = actions[0] === "create" ? null : { ...values, name: `${values.name ?? name}-old` };
    const after = actions[0] === "delete" ? null : values;
    if (after) planned.push({ address, mode: "managed", type, name, provider_name: `registry.terraform.io/hashicorp/${type.split("_")[0]}`, schema_version: 0, values: after, sensitive_values: type === "okta_log_stream" ? { settings: { token: true } } : {} });
    if (before) prior.push({ address, mode: "managed", type, name, provider_name: `registry.terraform.io/hashicorp/${type.split("_")[0]}`, schema_version: 0, values: before, sensitive_values: {} });
    changes.push({
      address,
      mode: "managed",
      type,
      name,
      provider_name: `registry.terraform.io/hashicorp/${type.split("_")[0]}`,
      change: { actions, before, after, after_unknown: actions[0] === "create" ? { id: true, arn: true } : {}, before_sensitive: before ? {} : false, after_sensitive: after ? {} : false },
    });
    if (!configResources.has(type)) configResources.set(type, { address: `${type}.${name}`, mode: "managed", type, name, provider_config_key: type.split("_")[0], expressions: { name: { constant_value: name } }, schema_version: 0 });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    prior_state: { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { resources: prior } } },
    configuration: { root_module: { resources: [...configResources.values()] } },
    timestamp: "2026-11-29T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, out] = process.argv.slice(2);
  writeFileSync(out, JSON.stringify(generatePlan(Number(count))));
}
