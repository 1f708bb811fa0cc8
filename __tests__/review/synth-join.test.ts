/**
 * `--synth cdktf.out`: a plan loses cdktf's `"//"` metadata, so review joins each plan to its stack's
 * cdk.tf.json by logical id: construct paths come back and `Posture.waive` waivers are honoured as at
 * synth. The stack is chosen by content (the plan declares exactly the stack's resources), its name
 * breaking ties; a plan that fits no stack, or several, is refused.
 */
import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { App, TerraformStack } from "cdktf";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GlobalSessionPolicy, Posture } from "../../constructs";
import { posture } from "../cli/cli-helpers";
import { type Entry, logStream, plan, signon } from "./plan-builder";

const WAIVER = { rule: "OKTA-SES-2", reason: "kiosk app, tracked in SEC-123", expires: "2027-03-31" };

/** Synthesizes stacks with the same construct tree (a raw, waived sign-on rule and a global session policy). */
function synth(names: string[], outdir = mkdtempSync(join(tmpdir(), "posture-cdktf-out-"))): string {
  const app = new App({ outdir });
  for (const name of names) {
    const s = new TerraformStack(app, name);
    new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
    new GlobalSessionPolicy(s, "GlobalSession", { groupsIncluded: ["00g1"] });
    const raw = new PolicyRuleSignon(s, "raw-rule", { name: "kiosk", policyId: "00p1", sessionLifetime: 600, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
    Posture.waive(raw, { ...WAIVER });
  }
  app.synth();
  return outdir;
}

/** A plan of one synthesized stack: its configuration names the stack's resources; `entries` are its changes. */
function planOf(outdir: string, stack: string, entries: (addresses: string[]) => Entry[]): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const addresses = Object.entries(doc.resource as Record<string, Record<string, unknown>>).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`));
  const p = plan(entries(addresses));
  (p.configuration as { root_module: { resources: object[] } }).root_module.resources = addresses.map((address) => ({ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1] }));
  return p;
}

/** The raw rule's lifetime raised to unlimited (waived in code), and the global session rule made weaker too (not waived). */
const weakened = (addresses: string[]): Entry[] => {
  const session = addresses.find((a) => a.startsWith("okta_policy_rule_signon.GlobalSession"))!;
  return [
    { address: "okta_policy_rule_signon.raw-rule", actions: ["update"], before: signon(), after: signon({ session_lifetime: 0 }) },
    { address: session, actions: ["update"], before: signon(), after: signon({ session_idle: 90 }) },
    { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() },
  ];
};

interface JsonFinding {
  ruleId: string;
  address: string;
  outcome: string;
  change?: string;
  constructPath?: string;
  plan?: string;
  file?: string;
  line?: number;
  waiver: { origin: string; reason: string } | null;
}

describe("posture review --synth cdktf.out", () => {
  const outdir = synth(["okta"]);
  const dir = mkdtempSync(join(tmpdir(), "posture-synth-"));
  const file = join(dir, "okta.json");
  writeFileSync(file, JSON.stringify(planOf(outdir, "okta", weakened)));

  it("without --synth the waived rule comes back as a blocking regression, with no construct path", () => {
    const r = posture(["review", "--format", "json", file]);
    expect(r.code).toBe(1);
    const ses2 = JSON.parse(r.stdout).findings.find((f: JsonFinding) => f.ruleId === "OKTA-SES-2");
    expect(ses2).toMatchObject({ address: "okta_policy_rule_signon.raw-rule", change: "regression", outcome: "fail", waiver: null });
    expect(ses2.constructPath).toBeUndefined();
  });

  it("with --synth the in-code waiver is honoured and construct paths are shown, in JSON, text and markdown", () => {
    const r = posture(["review", "--format", "json", "--synth", outdir, file]);
    const report = JSON.parse(r.stdout);
    const ses2 = report.findings.find((f: JsonFinding) => f.ruleId === "OKTA-SES-2");
    expect(ses2).toMatchObject({ outcome: "waived", constructPath: "okta/raw-rule", plan: file, waiver: { origin: "code", reason: WAIVER.reason } });
    const ses1 = report.findings.find((f: JsonFinding) => f.ruleId === "OKTA-SES-1");
    expect(ses1).toMatchObject({ change: "regression", outcome: "fail", constructPath: "okta/GlobalSession/session" });
    expect(r.code).toBe(1);
    expect(report.notices.map((n: { message: string }) => n.message)).toContain(`${file}: joined to stack okta (${join(outdir, "stacks", "okta", "cdk.tf.json")}): construct paths and in-code waivers from the synth`);
    expect(report.notices.filter((n: { message: string }) => n.message.startsWith("stale waiver"))).toEqual([]);
    const text = posture(["review", "--no-color", "--synth", outdir, file]).stdout;
    expect(text).toContain("okta_policy_rule_signon.raw-rule  (okta/raw-rule)");
    expect(text).toContain("(waiver until 2027-03-31: kiosk app, tracked in SEC-123)");
    expect(posture(["review", "--format", "markdown", "--synth", join(outdir, "manifest.json"), file]).stdout).toContain("<sub>okta/GlobalSession/session</sub>");
  });

  it("an expired in-code waiver stops applying, as at synth", () => {
    const r = posture(["review", "--format", "json", "--synth", outdir, file], { env: { POSTURE_TODAY: "2027-04-01" } });
    const ses2 = JSON.parse(r.stdout).findings.find((f: JsonFinding) => f.ruleId === "OKTA-SES-2");
    expect(ses2).toMatchObject({ outcome: "fail", waiver: { origin: "code", expired: true } });
  });
});

describe("which stack a plan belongs to", () => {
  const outdir = synth(["dev", "prod"]);
  const dir = mkdtempSync(join(tmpdir(), "posture-synth-two-"));
  const write = (path: string, stack: string) => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify(planOf(outdir, stack, weakened)));
    return path;
  };

  it("stacks that declare the same resources are told apart by the plan's name or directory", () => {
    const dev = write(join(dir, "dev.json"), "dev");
    const prod = write(join(outdir, "stacks", "prod", "plan.json"), "prod");
    const r = posture(["review", "--format", "json", "--synth", outdir, dev, prod]);
    const report = JSON.parse(r.stdout);
    const paths = report.findings.filter((f: JsonFinding) => f.ruleId === "OKTA-SES-2").map((f: JsonFinding) => `${f.constructPath} ${f.outcome} ${f.plan}`);
    expect(paths.sort()).toEqual([`dev/raw-rule waived ${dev}`, `prod/raw-rule waived ${prod}`]);
  });

  it("refuses a plan that fits several stacks without a name, one named for a stack it does not fit, and one that fits none", () => {
    const anon = write(join(dir, "tfplan.json"), "dev");
    expect(posture(["review", "--synth", outdir, anon]).stderr).toBe(
      `posture: ${anon}: declares the resources of stacks dev and prod of ${outdir} alike; name the plan after its stack (dev.json) or keep it in ${outdir}/stacks/dev/\n`,
    );
    const other = mkdtempSync(join(tmpdir(), "posture-synth-other-"));
    const wrong = join(other, "dev.json");
    writeFileSync(wrong, JSON.stringify(planOf(outdir, "dev", () => [])).replace(/okta_policy_rule_signon\.raw-rule/g, "okta_policy_rule_signon.renamed"));
    const r = posture(["review", "--synth", outdir, wrong]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `posture: ${wrong}: is named for stack dev of ${outdir}, but does not declare its resources (the plan has okta_policy_rule_signon.renamed which the stack lacks; the stack has okta_policy_rule_signon.raw-rule which the plan lacks); plan the stack you synthesized\n`,
    );
    const none = join(other, "x.json");
    writeFileSync(none, readFileSync(wrong));
    expect(posture(["review", "--synth", outdir, none]).stderr).toBe(`posture: ${none}: matches no stack of ${outdir} (dev, prod): plan each stack of the synth you pass with --synth\n`);
    expect(posture(["review", "--synth", join(other, "missing"), none]).stderr).toBe(`posture: ${join(other, "missing", "manifest.json")}: no such file or directory\n`);
  });

  it("says which stacks have no plan: scope rules do not see them", () => {
    const dev = write(join(dir, "only", "dev.json"), "dev");
    const report = JSON.parse(posture(["review", "--format", "json", "--synth", outdir, dev]).stdout);
    expect(report.notices.map((n: { message: string }) => n.message)).toContain(`stack prod of ${outdir} has no plan in this run: its resources are not judged, and scope rules do not see them`);
  });
});

describe("posture review --synth --repo-root", () => {
  it("points every SARIF result at its stack's cdk.tf.json line inside the repository, the construct path in the message", () => {
    const repo = mkdtempSync(join(tmpdir(), "posture-cdktf-repo-"));
    const outdir = synth(["okta"], join(repo, "cdktf.out"));
    const file = join(mkdtempSync(join(tmpdir(), "posture-runner-")), "okta.json");
    writeFileSync(file, JSON.stringify(planOf(outdir, "okta", weakened)));
    const sarif = JSON.parse(posture(["review", "--format", "sarif", "--synth", outdir, "--repo-root", repo, file]).stdout);
    const results = sarif.runs[0].results as Array<{ ruleId: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number } }; logicalLocations: Array<{ fullyQualifiedName: string }> }> }>;
    expect(results.length).toBeGreaterThan(0);
    const stackFile = readFileSync(join(outdir, "stacks", "okta", "cdk.tf.json"), "utf8").split("\n");
    for (const r of results) {
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: "cdktf.out/stacks/okta/cdk.tf.json", uriBaseId: "%SRCROOT%" });
    }
    const ses1 = results.find((r) => r.ruleId === "OKTA-SES-1")!;
    const logicalId = ses1.locations[0].logicalLocations[0].fullyQualifiedName.split(".")[1];
    expect(stackFile[ses1.locations[0].physicalLocation.region!.startLine - 1]).toContain(`"${logicalId}": {`);
    expect(ses1.locations[0].logicalLocations[1].fullyQualifiedName).toBe("okta/GlobalSession/session");
    expect(ses1.message.text).toMatch(/^\[regression\] okta_policy_rule_signon\.\S+ \(okta\/GlobalSession\/session\) session_idle: /);
  });
});

describe("posture drift --synth cdktf.out", () => {
  it("shows the construct path of a setting changed outside Terraform, and honours the waiver in code", () => {
    const outdir = synth(["okta"]);
    const file = join(mkdtempSync(join(tmpdir(), "posture-drift-synth-")), "okta.json");
    const doc = planOf(outdir, "okta", () => [{ address: "okta_policy_rule_signon.raw-rule", actions: ["no-op"], before: signon({ session_lifetime: 0 }), after: signon({ session_lifetime: 0 }) }]);
    doc.resource_drift = [{ address: "okta_policy_rule_signon.raw-rule", mode: "managed", type: "okta_policy_rule_signon", name: "raw-rule", change: { actions: ["update"], before: signon(), after: signon({ session_lifetime: 0 }), after_unknown: {}, before_sensitive: {}, after_sensitive: {} } }];
    writeFileSync(file, JSON.stringify(doc));
    const report = JSON.parse(posture(["drift", "--format", "json", "--synth", outdir, file]).stdout);
    const byRule = Object.fromEntries(report.findings.map((f: JsonFinding) => [f.ruleId, f]));
    expect(byRule["DRIFT-1"]).toMatchObject({ constructPath: "okta/raw-rule", change: "drift", outcome: "fail", plan: file });
    expect(byRule["OKTA-SES-2"]).toMatchObject({ constructPath: "okta/raw-rule", change: "drift", outcome: "waived" });
  });
});
