/**
 * SARIF from check, review and drift: valid for the SARIF Multitool (no error-level result), every
 * result with a physical and a logical location, every rule described, stable fingerprints.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CATALOGUE } from "../../policies";
import { posture, ROOT } from "../cli/cli-helpers";

const MULTITOOL = join(ROOT, "node_modules", ".bin", "sarif-multitool");
const FIXTURES = join(ROOT, "__tests__", "fixtures", "review");
const tmp = () => mkdtempSync(join(tmpdir(), "posture-sarif-"));

interface ValidationResult {
  ruleId: string;
  level?: string;
  message: { text?: string; arguments?: string[] };
}

/** Runs `sarif-multitool validate` and returns its results (level absent means warning). */
function validate(file: string): ValidationResult[] {
  const out = `${file}.validation.sarif`;
  const r = spawnSync(MULTITOOL, ["validate", file, "--output", out, "--log", "ForceOverwrite"], { encoding: "utf8" });
  expect(r.status).toBe(0);
  return JSON.parse(readFileSync(out, "utf8")).runs[0].results ?? [];
}

const errors = (results: ValidationResult[]) => results.filter((x) => x.level === "error").map((x) => `${x.ruleId}: ${(x.message.arguments ?? []).join(" ")}${x.message.text ?? ""}`);

/** A config whose findings carry lines, beside the example. */
function weakConfig(dir: string): string {
  const f = join(dir, "main.tf.json");
  writeFileSync(f, JSON.stringify({ resource: { okta_policy_rule_signon: { r: { name: "r", session_idle: 90, session_lifetime: 1440, mfa_required: true, mfa_prompt: "ALWAYS" } } } }, null, 2));
  return f;
}

const runs: Array<[string, (dir: string) => string[]]> = [
  ["check", (dir) => ["check", weakConfig(dir), join(ROOT, "examples", "okta-cloudflare")]],
  ["review", () => ["review", join(FIXTURES, "pr-plan.json")]],
  ["drift", () => ["drift", join(FIXTURES, "drift-refresh-only.json")]],
];

describe("SARIF", () => {
  it("has the SARIF Multitool (a devDependency)", () => {
    expect(existsSync(MULTITOOL)).toBe(true);
  });

  it("the validator runs here and reports a broken log as an error (so a clean result means something)", () => {
    const f = join(tmp(), "broken.sarif");
    writeFileSync(f, JSON.stringify({ runs: [{ tool: { driver: { name: "x" } }, results: [] }] }));
    expect(errors(validate(f)).length).toBeGreaterThan(0);
  });

  it.each(runs)("posture %s writes SARIF 2.1.0 that the Multitool validates with no error", (_mode, argsOf) => {
    const dir = tmp();
    const out = join(dir, "report.sarif");
    const r = posture([...argsOf(dir), "--format", "sarif", "--output", out]);
    expect([0, 1]).toContain(r.code);
    expect(errors(validate(out))).toEqual([]);
  });

  it.each(runs)("posture %s: every result has a physical location, a logical location, a level and a fingerprint", (mode, argsOf) => {
    const dir = tmp();
    const sarif = JSON.parse(posture([...argsOf(dir), "--format", "sarif"]).stdout);
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.automationDetails.id).toBe(`identity-posture/${mode}/`);
    for (const res of run.results) {
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      const loc = res.locations[0];
      expect(typeof loc.physicalLocation.artifactLocation.uri).toBe("string");
      expect(loc.physicalLocation.artifactLocation.uri.length).toBeGreaterThan(0);
      expect(loc.logicalLocations[0]).toEqual({ name: expect.any(String), fullyQualifiedName: loc.logicalLocations[0].name, kind: "resource" });
      expect(res.partialFingerprints["identityPosture/v1"]).toMatch(/^[0-9a-f]{64}$/);
      expect(res.message.text).toMatch(/\.$/);
    }
  });

  it("carries every rule of the catalogue with a short description, help and severity", () => {
    const rules = JSON.parse(posture(["review", "--format", "sarif", join(FIXTURES, "pr-plan.json")]).stdout).runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(CATALOGUE.map((r) => r.id));
    for (const r of rules) {
      expect(r.shortDescription.text.length).toBeGreaterThan(0);
      expect(r.help.text.length).toBeGreaterThan(0);
      expect(r.help.markdown.length).toBeGreaterThan(0);
      expect(["error", "warning"]).toContain(r.properties.severity);
      expect(r.defaultConfiguration.level).toBe(r.properties.severity);
    }
  });

  it("points config findings at the resource's line, plan findings at the plan file (line and column of the entry)", () => {
    const dir = tmp();
    const check = JSON.parse(posture(["check", weakConfig(dir), "--format", "sarif"]).stdout).runs[0].results;
    const ses2 = check.find((x: { ruleId: string }) => x.ruleId === "OKTA-SES-2");
    expect(ses2.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: `file://${join(dir, "main.tf.json")}` }, region: { startLine: 4 } });
    const review = JSON.parse(posture(["review", "--format", "sarif", "__tests__/fixtures/review/pr-plan.json"]).stdout).runs[0].results;
    const plan1 = review.find((x: { ruleId: string }) => x.ruleId === "PLAN-1");
    expect(plan1.locations[0].physicalLocation.artifactLocation.uri).toBe("__tests__/fixtures/review/pr-plan.json");
    expect(plan1.locations[0].physicalLocation.region).toEqual({ startLine: 951, startColumn: 7 });
    expect(plan1.baselineState).toBe("new");
    const scope = review.find((x: { ruleId: string }) => x.ruleId === "OKTA-LOG-1");
    expect(scope.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "__tests__/fixtures/review/pr-plan.json" } });
    expect(scope.locations[0].logicalLocations[0].name).toBe("(scope)");
  });

  it("fingerprints identify (rule, address, attribute), not values: a changed value keeps its alert", () => {
    const dir = tmp();
    const a = join(dir, "a.tf.json");
    const b = join(dir, "b.tf.json");
    const rule = (lifetime: number) => ({ resource: { okta_policy_rule_signon: { r: { name: "r", session_idle: 15, session_lifetime: lifetime, mfa_required: true, mfa_prompt: "ALWAYS" } } } });
    writeFileSync(a, JSON.stringify(rule(1440)));
    writeFileSync(b, JSON.stringify(rule(2880)));
    const fp = (f: string) =>
      JSON.parse(posture(["check", "--format", "sarif", f]).stdout)
        .runs[0].results.filter((x: { ruleId: string }) => x.ruleId === "OKTA-SES-2")
        .map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints["identityPosture/v1"]);
    expect(fp(a)).toEqual(fp(b));
    expect(fp(a)).toHaveLength(1);
  });

  it("a plan's fingerprints do not depend on how many plans are reviewed with it, nor on --repo-root", () => {
    const pr = "__tests__/fixtures/review/pr-plan.json";
    const other = "__tests__/fixtures/review/real-actions-plan.json";
    const prints = (args: string[]) =>
      (JSON.parse(posture(["review", "--format", "sarif", ...args]).stdout).runs[0].results as Array<{ ruleId: string; properties: { plan?: string }; locations: Array<{ logicalLocations: Array<{ name: string }> }>; partialFingerprints: Record<string, string> }>)
        .filter((x) => x.properties.plan === pr)
        .map((x) => `${x.ruleId} ${x.locations[0].logicalLocations[0].name} ${x.partialFingerprints["identityPosture/v1"]}`)
        .sort();
    const alone = prints([pr]);
    expect(alone.length).toBeGreaterThan(2);
    expect(prints([pr, other])).toEqual(expect.arrayContaining(alone.filter((l) => !l.includes("(scope)"))));
    expect(prints(["--repo-root", ROOT, pr])).toEqual(alone);
  });
});
