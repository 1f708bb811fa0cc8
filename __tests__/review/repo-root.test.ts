/**
 * `--repo-root`: every finding of a plan review points at a file inside the repository (the declaring
 * `.tf` file and line, through the plan's configuration; a stack's cdk.tf.json line with `--synth`),
 * and SARIF keeps the plan entry as a related location. The configuration's shape (module_calls with
 * `source` and `module.resources` addressed within the module) is what `terraform show -json` 1.11
 * writes for a local module (checked with terraform_data resources).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posture, ROOT } from "../cli/cli-helpers";
import { type Entry, logStream, oktaTenant, plan, signon } from "./plan-builder";

const repo = mkdtempSync(join(tmpdir(), "posture-repo-"));
const write = (rel: string, text: string) => {
  mkdirSync(join(repo, rel, ".."), { recursive: true });
  writeFileSync(join(repo, rel), text);
};
write(
  "infra/main.tf",
  [
    'terraform {\n  required_providers {\n    okta = { source = "okta/okta" }\n  }\n}',
    'resource "okta_policy_rule_signon" "global" {\n  name = "Global"\n}',
    'module "idp" {\n  source = "./modules/idp"\n}',
    'module "vendor" {\n  source  = "acme/okta-vendor/okta"\n  version = "1.0.0"\n}',
    "",
  ].join("\n"),
);
write("infra/tenant.tf", ['resource "okta_authenticator" "webauthn" {}', 'resource "okta_event_hook" "responder" {}', 'resource "okta_threat_insight_settings" "ti" {}', ""].join("\n"));
write("infra/modules/idp/main.tf", ['# the identity module', 'resource "okta_log_stream" "siem" {}', "", 'resource "okta_policy_rule_signon" "r" {', "  count = 2", "}", ""].join("\n"));
// a directory that declares part of the root module only: not the root
write("sandbox/main.tf", 'resource "okta_policy_rule_signon" "global" {}\n');
write("posture.config.json", JSON.stringify({ thresholds: { "OKTA-SES-1": { maxIdleMinutes: 45 } } }));

const entries: Entry[] = [
  // no blocklist zone: OKTA-ZONE-1 fails for the whole scope
  ...oktaTenant.filter((e) => e.address !== "okta_network_zone.tor"),
  { address: "okta_policy_rule_signon.global", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) },
  { address: "module.idp.okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() },
  { address: "module.idp.okta_policy_rule_signon.r[1]", actions: ["create"], after: signon({ session_idle: 90 }) },
  { address: "module.vendor.okta_policy_rule_signon.v", actions: ["update"], before: signon(), after: signon({ session_persistent: true }) },
  // removed from the code: PLAN-1, with no declaration left
  { address: "okta_log_stream.old", actions: ["delete"], before: logStream(), reason: "delete_because_no_resource_config" },
];
const doc = plan(entries);
const res = (address: string) => ({ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1] });
doc.configuration = {
  provider_config: {},
  root_module: {
    resources: ["okta_policy_rule_signon.global", "okta_authenticator.webauthn", "okta_event_hook.responder", "okta_threat_insight_settings.ti"].map(res),
    module_calls: {
      idp: { source: "./modules/idp", module: { resources: [res("okta_log_stream.siem"), res("okta_policy_rule_signon.r")] } },
      vendor: { source: "acme/okta-vendor/okta", version_constraint: "1.0.0", module: { resources: [res("okta_policy_rule_signon.v")] } },
    },
  },
};
// The plan sits outside the repository, as in $RUNNER_TEMP.
const planFile = join(mkdtempSync(join(tmpdir(), "posture-runner-temp-")), "plan.json");
writeFileSync(planFile, JSON.stringify(doc));

const lineOf = (rel: string, needle: string) => readFileSync(join(repo, rel), "utf8").split("\n").findIndex((l) => l.includes(needle)) + 1;

interface SarifResult {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } }; logicalLocations: Array<{ fullyQualifiedName: string }> }>;
  relatedLocations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } } }>;
}

describe("posture review --repo-root (HCL)", () => {
  const config = join(repo, "posture.config.json");
  const json = JSON.parse(posture(["review", "--format", "json", "--config", config, "--repo-root", repo, planFile]).stdout);
  const where = (rule: string, address: string) => {
    const f = json.findings.find((x: { ruleId: string; address: string }) => x.ruleId === rule && x.address === address);
    return `${f.file}:${f.line}`;
  };

  it("points each finding at the file and line that declare its resource, through module calls", () => {
    expect(where("OKTA-SES-2", "okta_policy_rule_signon.global")).toBe(`infra/main.tf:${lineOf("infra/main.tf", '"okta_policy_rule_signon" "global"')}`);
    expect(where("OKTA-SES-1", "module.idp.okta_policy_rule_signon.r[1]")).toBe(`infra/modules/idp/main.tf:${lineOf("infra/modules/idp/main.tf", '"okta_policy_rule_signon" "r"')}`);
    // a registry module's code is not in the repository: its module block is
    expect(where("OKTA-SES-3", "module.vendor.okta_policy_rule_signon.v")).toBe(`infra/main.tf:${lineOf("infra/main.tf", 'module "vendor"')}`);
    // a resource removed from the code, and a scope finding: the root module's main.tf
    expect(where("PLAN-1", "okta_log_stream.old")).toBe("infra/main.tf:1");
    expect(where("OKTA-ZONE-1", "(scope)")).toBe("infra/main.tf:1");
    expect(where("CONFIG-1", "(config)")).toBe("posture.config.json:undefined");
  });

  it("keeps the plan entry on each finding (plan, planLine, planColumn)", () => {
    const f = json.findings.find((x: { ruleId: string }) => x.ruleId === "OKTA-SES-2");
    expect(f.plan).toBe(planFile);
    const text = readFileSync(planFile, "utf8");
    expect(text.slice(f.planColumn - 1)).toMatch(/^"address":"okta_policy_rule_signon\.global"/);
  });

  it("every SARIF result points at a file inside the repository, with the plan as a related location, and validates", () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-repo-sarif-"));
    const out = join(dir, "posture.sarif");
    const r = posture(["review", "--format", "sarif", "--output", out, "--config", config, "--repo-root", repo, planFile]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out, "utf8"));
    const run = sarif.runs[0];
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toBe(`file://${repo}/`);
    const results: SarifResult[] = run.results;
    expect(results.map((x) => x.ruleId).sort()).toEqual(["CONFIG-1", "OKTA-SES-1", "OKTA-SES-2", "OKTA-SES-3", "OKTA-ZONE-1", "PLAN-1"]);
    for (const res of results) {
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|file:|\.\.)/);
      expect(() => readFileSync(join(repo, decodeURIComponent(loc.artifactLocation.uri)))).not.toThrow();
    }
    const ses2 = results.find((x) => x.ruleId === "OKTA-SES-2")!;
    expect(ses2.relatedLocations?.[0].physicalLocation.artifactLocation.uri).toBe(`file://${planFile}`);
    expect(ses2.relatedLocations?.[0].physicalLocation.region?.startColumn).toBeGreaterThan(1);
    const v = spawnSync(join(ROOT, "node_modules", ".bin", "sarif-multitool"), ["validate", out, "--output", `${out}.v.sarif`, "--log", "ForceOverwrite"], { encoding: "utf8" });
    expect(v.status).toBe(0);
    const problems = (JSON.parse(readFileSync(`${out}.v.sarif`, "utf8")).runs[0].results ?? []).filter((x: { level?: string }) => x.level === "error");
    expect(problems).toEqual([]);
  });

  it("says so, and keeps the plan location, when no directory declares the plan's root module", () => {
    const empty = mkdtempSync(join(tmpdir(), "posture-empty-repo-"));
    const r = JSON.parse(posture(["review", "--format", "json", "--repo-root", empty, planFile]).stdout);
    expect(r.findings.find((f: { ruleId: string }) => f.ruleId === "OKTA-SES-2").file).toBe(planFile);
    expect(r.notices.map((n: { message: string }) => n.message)).toContain(`${planFile}: no directory under ${empty} declares the plan's root module; its findings point at the plan`);
    expect(posture(["review", "--repo-root", join(empty, "nope"), planFile]).stderr).toBe(`posture: ${join(empty, "nope")}: --repo-root is not a directory\n`);
  });
});

describe("posture review --repo-root with copies of one root module", () => {
  it("picks the directory the plan is named for, and says which it chose", () => {
    const root = mkdtempSync(join(tmpdir(), "posture-envs-"));
    for (const env of ["dev", "prod"]) {
      mkdirSync(join(root, "envs", env), { recursive: true });
      writeFileSync(join(root, "envs", env, "main.tf"), '\nresource "okta_policy_rule_signon" "global" {\n}\n');
    }
    const p = plan([{ address: "okta_policy_rule_signon.global", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) }]);
    (p.configuration as { root_module: object }).root_module = { resources: [res("okta_policy_rule_signon.global")] };
    const file = join(mkdtempSync(join(tmpdir(), "posture-runner-temp-")), "prod.json");
    writeFileSync(file, JSON.stringify(p));
    const report = JSON.parse(posture(["review", "--format", "json", "--repo-root", root, file]).stdout);
    const ses2 = report.findings.find((f: { ruleId: string }) => f.ruleId === "OKTA-SES-2");
    expect(`${ses2.file}:${ses2.line}`).toBe("envs/prod/main.tf:2");
    expect(report.notices.map((n: { message: string }) => n.message)).toContain(`${file}: 2 directories declare its root module (${join(root, "envs", "dev")}, ${join(root, "envs", "prod")}); findings point at ${join(root, "envs", "prod")}`);
  });
});

describe("posture review --repo-root with bare block labels and JSON syntax", () => {
  it("finds a resource declared with unquoted labels (valid HCL) and one in a .tf.json file of the same root module", () => {
    const root = mkdtempSync(join(tmpdir(), "posture-labels-"));
    mkdirSync(join(root, "infra"));
    writeFileSync(join(root, "infra", "main.tf"), 'resource terraform_data a {\n}\n\nresource okta_policy_rule_signon global {\n  name = "Global"\n}\n');
    writeFileSync(join(root, "infra", "apps.tf.json"), JSON.stringify({ resource: { okta_policy_rule_signon: { contractors: { name: "Contractors" } } } }, null, 2) + "\n");
    const d = plan([
      ...oktaTenant,
      { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() },
      { address: "okta_policy_rule_signon.global", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) },
      { address: "okta_policy_rule_signon.contractors", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) },
    ]);
    const declared = ["terraform_data.a", "okta_authenticator.webauthn", "okta_event_hook.responder", "okta_threat_insight_settings.ti", "okta_network_zone.tor", "okta_log_stream.siem", "okta_policy_rule_signon.global", "okta_policy_rule_signon.contractors"];
    d.configuration = { provider_config: {}, root_module: { resources: declared.map(res) } };
    // the tenant's other resources, declared quoted in a second file
    writeFileSync(join(root, "infra", "tenant.tf"), ["okta_authenticator.webauthn", "okta_event_hook.responder", "okta_threat_insight_settings.ti", "okta_network_zone.tor", "okta_log_stream.siem"].map((a) => `resource "${a.split(".")[0]}" "${a.split(".")[1]}" {}\n`).join(""));
    const file = join(mkdtempSync(join(tmpdir(), "posture-runner-temp-")), "plan.json");
    writeFileSync(file, JSON.stringify(d));
    const r = JSON.parse(posture(["review", "--format", "json", "--repo-root", root, file]).stdout);
    const at = (address: string) => r.findings.filter((f: { ruleId: string; address: string }) => f.ruleId === "OKTA-SES-2" && f.address === address).map((f: { file: string; line: number }) => `${f.file}:${f.line}`);
    expect(at("okta_policy_rule_signon.global")).toEqual(["infra/main.tf:4"]);
    expect(at("okta_policy_rule_signon.contractors")).toEqual(["infra/apps.tf.json:4"]);
    expect(r.notices.map((n: { message: string }) => n.message).join("\n")).not.toMatch(/no directory under|outside --repo-root/);
  });
});
