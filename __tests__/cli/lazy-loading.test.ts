/**
 * What each command loads: `--help` only the argument parser; a plan review or check neither the HCL
 * parser (WASM), nor the HCL evaluator and configuration loaders, nor cdktf, nor the report formats
 * and options it was not asked for. Start-up time is measured in `npm run bench`; this pins down the cause.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, ROOT } from "./cli-helpers";

/** The modules (paths under the package root) a process running the CLI with `args` had loaded when it exited. */
function loadedBy(args: string[]): string[] {
  const script = `require(${JSON.stringify(CLI)}).run(process.argv.slice(1), { stdout: () => {}, stderr: () => {}, isTty: false, env: process.env }).then((code) => process.stderr.write("@@" + code + "@@" + JSON.stringify(Object.keys(require.cache))));`;
  const r = spawnSync(process.execPath, ["-e", script, "--", ...args], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH, POSTURE_TODAY: "2026-11-29" } });
  const m = /@@(\d)@@(.*)$/.exec(r.stderr);
  if (!m || m[1] === "2") throw new Error(`the command failed: ${r.stderr}`);
  return (JSON.parse(m[2]) as string[]).map((p) => p.slice(ROOT.length + 1));
}

const scratch = mkdtempSync(join(tmpdir(), "posture-lazy-"));

describe("lazy loading", () => {
  it("--help loads the argument parser and nothing of the engine", () => {
    const loaded = loadedBy(["--help"]);
    expect(loaded).toContain("dist/cli/args.js");
    // errors, and the rule definitions the argument parser takes the profile names from: nothing that loads or judges.
    expect(loaded.filter((p) => p.startsWith("dist/engine/") && p !== "dist/engine/errors.js" && p !== "dist/engine/model/rule.js")).toEqual([]);
    expect(loaded.filter((p) => p.startsWith("dist/policies/") && p !== "dist/policies/rule.js")).toEqual([]);
    expect(loaded.some((p) => p.startsWith("node_modules/"))).toBe(false);
  });

  it("a plan review loads the engine but neither the HCL parser nor cdktf", () => {
    const loaded = loadedBy(["review", join("__tests__", "fixtures", "review", "pr-plan.json"), "--format", "json"]);
    expect(loaded).toContain("dist/engine/load/plan-reader.js");
    expect(loaded.filter((p) => /hcl2json|cdktf|constructs/.test(p))).toEqual([]);
  });

  /** The configuration side of the loader: the HCL evaluator and what only a configuration needs. */
  const configurationLoaders = (loaded: string[]) => loaded.filter((p) => /^dist\/engine\/(hcl\/(?!resolve\.js)|load\/(config-files|load-config|hcl-cache|limits)\.js)/.test(p));
  /** What only some runs use: other modes, --synth, --repo-root, baselines, the catalogue, formats. */
  const optional = (loaded: string[]) => loaded.filter((p) => /^dist\/(engine\/review\/(drift|synth-join|repo-locations)|engine\/evaluate\/baseline|report\/(catalogue|sarif|junit|markdown|text|json))\.js$/.test(p));
  const plan = join("__tests__", "fixtures", "review", "pr-plan.json");

  it("a plan review (and a check of a plan) loads neither the HCL evaluator nor the configuration loaders", () => {
    const review = loadedBy(["review", plan, "--format", "json"]);
    expect(configurationLoaders(review)).toEqual([]);
    expect(optional(review)).toEqual(["dist/report/json.js"]);
    const check = loadedBy(["check", plan, "--format", "sarif"]);
    expect(configurationLoaders(check)).toEqual([]);
    expect(optional(check)).toEqual(["dist/report/sarif.js"]);
    expect(check.filter((p) => p.startsWith("dist/engine/review/"))).toEqual([]);
    // --repo-root locates findings in the repository's files without evaluating them.
    const located = loadedBy(["review", plan, "--format", "json", "--repo-root", "examples"]);
    expect(configurationLoaders(located)).toEqual([]);
    expect(optional(located)).toEqual(["dist/engine/review/repo-locations.js", "dist/report/json.js"]);
  });

  it("a configuration, a drift, a baseline and several formats load what they use", () => {
    const config = loadedBy(["check", join("examples", "okta-cloudflare"), "--format", "text", "--format", "markdown", "--output", join(scratch, "report.txt"), "--output", join(scratch, "report.md"), "--write-baseline", join(scratch, "baseline.json")]);
    expect(config).toEqual(expect.arrayContaining(["dist/engine/hcl/hcl-eval.js", "dist/engine/hcl/config-eval.js", "dist/engine/load/config-files.js"]));
    expect(optional(config).sort()).toEqual(["dist/engine/evaluate/baseline.js", "dist/report/markdown.js", "dist/report/text.js"]);
    const drift = loadedBy(["drift", join("__tests__", "fixtures", "review", "drift-refresh-only.json"), "--format", "junit"]);
    expect(configurationLoaders(drift)).toEqual([]);
    expect(optional(drift).sort()).toEqual(["dist/engine/review/drift.js", "dist/report/junit.js"]);
  });
});
