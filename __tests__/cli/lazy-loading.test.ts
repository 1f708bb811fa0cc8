/**
 * What each command loads: `--help` only the argument parser, a plan review neither the HCL parser
 * (WASM) nor cdktf. Start-up time is measured in `npm run bench`; this pins down the cause.
 */
import { spawnSync } from "node:child_process";
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
});
