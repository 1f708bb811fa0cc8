/**
 * `terraform.tfvars -> env/prod.tfvars` is a common layout: Terraform reads the variables through the
 * symlink, so the check must too (a value it ignored would silently judge the default instead).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posture } from "../cli/cli-helpers";

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "posture-tfvars-link-"));
  mkdirSync(join(dir, "env"));
  writeFileSync(
    join(dir, "main.tf"),
    'variable "lifetime" {\n  default = 60\n}\n\nresource "okta_policy_rule_signon" "r" {\n  policy_id        = "00p1"\n  name             = "r"\n  session_lifetime = var.lifetime\n}\n',
  );
  writeFileSync(join(dir, "env", "prod.tfvars"), "lifetime = 1440\n");
  return dir;
}

it.each(["terraform.tfvars", "prod.auto.tfvars"])("a symlinked %s inside the directory is read", (name) => {
  const dir = repo();
  symlinkSync(join("env", "prod.tfvars"), join(dir, name));
  const r = posture(["check", dir, "--only", "OKTA-SES-2", "--format", "json"]);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).findings).toEqual([expect.objectContaining({ ruleId: "OKTA-SES-2", outcome: "fail", after: 1440 })]);
});
