/**
 * The Atlantis recipe (examples/atlantis) is run, not just read: its policy-check `run` step is
 * executed as Atlantis executes it (`bash --noprofile --norc -eo pipefail -c <command>` in the
 * project directory, `$SHOWFILE` holding `terraform show -json` of the plan), and its output is
 * judged with Atlantis's own rule for custom policy checks (server/events/project_command_runner.go,
 * v0.39.0 and later: a failure when the output matches `([1-9][0-9]* failure|failures": \[)` or starts
 * with FAIL) and placed in the ```diff block of the PR comment Atlantis posts.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, posture, ROOT } from "../cli/cli-helpers";

const REPOS = readFileSync(join(ROOT, "examples/atlantis/repos.yaml"), "utf8");
const ATLANTIS = readFileSync(join(ROOT, "examples/atlantis/atlantis.yaml"), "utf8");
const PASSING = join(ROOT, "__tests__/fixtures/review/drift-refresh-only.json");
const FAILING = join(ROOT, "__tests__/fixtures/review/pr-plan.json");

/** The `command: |` literal block of the workflow's run step, dedented as YAML reads it. */
function runCommand(yaml: string): string {
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => /^\s+command: \|$/.test(l));
  expect(at).toBeGreaterThan(0);
  const indent = lines[at].search(/\S/);
  const body: string[] = [];
  for (let i = at + 1; i < lines.length && (lines[i].trim() === "" || lines[i].search(/\S/) > indent); i++) body.push(lines[i]);
  while (body.length && body[body.length - 1].trim() === "") body.pop();
  const pad = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(pad)).join("\n") + "\n";
}

/** Atlantis's verdict on a custom policy check's output (project_command_runner.go, doPolicyCheck). */
function atlantisPasses(output: string): boolean {
  if (output === "") return false;
  return !/([1-9][0-9]* failure|failures": \[)/.test(output) && !output.trim().startsWith("FAIL");
}

/** The policy set part of Atlantis's policy check comment (templates/policy_check.tmpl). */
function comment(output: string): string {
  return `#### Policy Set: \`identity-posture\`\n\`\`\`diff\n${output}\n\`\`\`\n`;
}

function runStep(showfile: string, dirFiles: Record<string, string> = {}, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "posture-atlantis-"));
  const bin = mkdtempSync(join(tmpdir(), "posture-bin-"));
  // `posture` on the PATH, as `npm install -g identity-posture` puts it in the Atlantis image.
  writeFileSync(join(bin, "posture"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, "posture"), 0o755);
  for (const [name, text] of Object.entries(dirFiles)) writeFileSync(join(dir, name), text);
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", runCommand(REPOS)], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: `${bin}:${process.env.PATH}`, SHOWFILE: showfile, DIR: dir, WORKSPACE: "default", PLANFILE: join(dir, "default.tfplan"), POSTURE_TODAY: "2026-11-29", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("examples/atlantis/repos.yaml", () => {
  it("enables a custom policy check whose workflow shows the plan, then runs posture under bash -eo pipefail", () => {
    expect(REPOS).toMatch(/^\s+policy_check: true$/m);
    expect(REPOS).toMatch(/^\s+custom_policy_check: true$/m);
    expect(REPOS).toMatch(/policy_check:\n\s+steps:\n(\s+#.*\n)?\s+- show\n\s+- run:\n\s+shell: bash\n\s+shellArgs: \["--noprofile", "--norc", "-eo", "pipefail", "-c"\]\n\s+command: \|/);
    expect(REPOS).toMatch(/policy_sets:\n(\s+#.*\n)?\s+- name: identity-posture\n\s+path: \S+\n\s+source: local/);
    // The repo-level file selects that workflow and the override the server allows.
    expect(ATLANTIS).toMatch(/^version: 3$/m);
    expect(ATLANTIS).toContain("workflow: identity-posture");
    expect(ATLANTIS).toContain("custom_policy_check: true");
    expect(REPOS).toContain("allowed_overrides: [workflow, custom_policy_check]");
  });

  it("a passing plan: exit 0, Atlantis counts the policy set as passed, the verdict heads the comment", () => {
    const r = runStep(PASSING);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^PASS identity-posture review/);
    expect(atlantisPasses(r.stdout.trim())).toBe(true);
    // The whole text report follows, as `posture review` prints it.
    expect(r.stdout).toContain(posture(["review", PASSING, "--no-color"]).stdout.trim());
    // Real `terraform show -json` output (Terraform 1.11, terraform_data only) passes through the step too.
    const real = runStep(join(ROOT, "__tests__/fixtures/real/terraform-data-plan.json"));
    expect(real.code).toBe(0);
    expect(atlantisPasses(real.stdout.trim())).toBe(true);
    expect(real.stdout).toContain("the plan creates, updates or destroys no Okta or Cloudflare resource");
  });

  it("a failing plan: exit 0 (a policy failure owners can approve, not an error), Atlantis counts it failed, no secret in the comment", () => {
    const r = runStep(FAILING);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toMatch(/^FAIL identity-posture review \(recommended\): [1-9]\d* errors?/);
    expect(atlantisPasses(r.stdout.trim())).toBe(false);
    const body = comment(r.stdout.trim());
    // Nothing in the output can close the ```diff block early.
    expect(body.match(/```/g)).toHaveLength(2);
    for (const secret of ["root-var-secret-7Yq2Lm9Pz4Xw8Kd1", "hook-token-0d9c8b7a6f5e4d3c2b1a", "sk-before-4f9c2a7e1b8d3c6a5e0f"]) expect(body).not.toContain(secret);
  });

  it("reads posture.config.json from the project directory, or POSTURE_CONFIG", () => {
    const report = JSON.parse(posture(["review", FAILING, "--format", "json"]).stdout);
    const blocking = report.findings.filter((f: any) => f.outcome === "fail" && f.severity === "error" && (f.change === "new" || f.change === "regression"));
    expect(blocking.length).toBeGreaterThan(0);
    const config = JSON.stringify({ waivers: blocking.map((f: any) => ({ rule: f.ruleId, resource: f.address, reason: "approved exception for the test", expires: "2027-01-31" })) });
    const local = runStep(FAILING, { "posture.config.json": config });
    expect(local.stdout.split("\n")[0]).toMatch(/^PASS /);
    const central = mkdtempSync(join(tmpdir(), "posture-central-"));
    writeFileSync(join(central, "c.json"), config);
    expect(runStep(FAILING, {}, { POSTURE_CONFIG: join(central, "c.json") }).stdout.split("\n")[0]).toMatch(/^PASS /);
  });

  it("a plan that cannot be read stops the workflow with posture's message and exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-bad-"));
    writeFileSync(join(dir, "show.json"), '{"format_version": "1.2", "resource_changes": [');
    const r = runStep(join(dir, "show.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`posture: ${join(dir, "show.json")}: is not valid JSON`);
    expect(r.stdout).toBe("");
    const missing = runStep(join(dir, "absent.json"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file or directory");
  });
});
