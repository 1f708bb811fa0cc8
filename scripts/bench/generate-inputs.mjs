/**
 * Inputs for the growth scenarios of `npm run bench` (deterministic for a given size):
 * a plan with many Cloudflare Access apps and policies in one scope, one large `.tf.json`, and a
 * directory of many `.tf` files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `n` v5 Access applications and `n` reusable policies, each app linked by id to its own policy and
 * every fifth also to a shared one: no-op changes, so both sides of the review are judged.
 */
export function accessPlan(n) {
  const planned = [];
  const changes = [];
  const entry = (type, name, values) => {
    planned.push({ address: `${type}.${name}`, mode: "managed", type, name, provider_name: "registry.terraform.io/cloudflare/cloudflare", schema_version: 0, values, sensitive_values: {} });
    changes.push({ address: `${type}.${name}`, mode: "managed", type, name, provider_name: "registry.terraform.io/cloudflare/cloudflare", change: { actions: ["no-op"], before: values, after: values, after_unknown: {}, before_sensitive: {}, after_sensitive: {} } });
  };
  const policy = (i) => ({
    id: `pol${String(i).padStart(29, "0")}`,
    account_id: "0123456789abcdef0123456789abcdef",
    name: `policy-${i}`,
    decision: "allow",
    session_duration: "8h",
    include: [{ group: { id: `grp-${i % 50}` } }],
    require: [{ auth_method: { auth_method: "hwk" } }, { device_posture: { integration_uid: "warp-check" } }],
  });
  entry("cloudflare_zero_trust_access_policy", "shared", { ...policy(n), id: "shared00000000000000000000000000" });
  for (let i = 0; i < n; i++) {
    entry("cloudflare_zero_trust_access_policy", `p${i}`, policy(i));
    const policies = [{ id: policy(i).id, precedence: 1 }, ...(i % 5 === 0 ? [{ id: "shared00000000000000000000000000", precedence: 2 }] : [])];
    entry("cloudflare_zero_trust_access_application", `a${i}`, { id: `app${String(i).padStart(29, "0")}`, account_id: "0123456789abcdef0123456789abcdef", name: `app-${i}`, domain: `app${i}.example.com`, type: "self_hosted", session_duration: "8h", enable_binding_cookie: true, policies });
  }
  const values = { root_module: { resources: planned } };
  return { format_version: "1.2", terraform_version: "1.11.4", planned_values: values, resource_changes: changes, prior_state: { format_version: "1.0", terraform_version: "1.11.4", values }, complete: true, errored: false };
}

const AWS = ["aws_instance", "aws_s3_bucket", "aws_iam_role", "aws_security_group", "aws_lambda_function", "aws_route53_record"];

/** One Terraform JSON configuration of `n` resources: 96% AWS, 2% Okta groups, 2% Okta sign-on rules. */
export function tfJson(n) {
  const resource = {};
  for (let i = 0; i < n; i++) {
    const roll = i % 50;
    const type = roll === 0 ? "okta_group" : roll === 1 ? "okta_policy_rule_signon" : AWS[i % AWS.length];
    const body =
      type === "okta_group"
        ? { name: `group-${i}`, description: "a group" }
        : type === "okta_policy_rule_signon"
          ? { name: `rule-${i}`, policy_id: "${okta_group.r0.id}", access: "ALLOW", session_idle: 15, session_lifetime: 720, session_persistent: false, mfa_required: true, mfa_prompt: "ALWAYS" }
          : { ami: `ami-${i.toString(16).padStart(8, "0")}`, instance_type: "t3.micro", tags: { Name: `r${i}`, Team: "platform", Environment: "production" }, root_block_device: [{ volume_size: 20, encrypted: true }] };
    (resource[type] ??= {})[`r${i}`] = body;
  }
  return { terraform: { required_providers: { okta: { source: "okta/okta", version: "4.20.0" } } }, provider: { okta: [{ org_name: "example", base_url: "okta.com" }] }, resource };
}

/** A directory of `files` `.tf` files, each one AWS instance and one Okta group, plus a variables file. */
export function writeHclDirectory(dir, files) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "variables.tf"), 'variable "team" {\n  default = "platform"\n}\n');
  for (let i = 0; i < files; i++) {
    writeFileSync(
      join(dir, `f${String(i).padStart(5, "0")}.tf`),
      `resource "aws_instance" "r${i}" {\n  ami           = "ami-${String(i).padStart(8, "0")}"\n  instance_type = "t3.micro"\n  tags = {\n    Name = "r${i}"\n    Team = var.team\n  }\n}\n\nresource "okta_group" "g${i}" {\n  name        = "group-${i}"\n  description = "team \${var.team}"\n}\n`,
    );
  }
}
