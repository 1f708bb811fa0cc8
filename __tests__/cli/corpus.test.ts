/**
 * Every public Terraform file in ../shared/corpus is either checked (exit 0 or 1 with a JSON report)
 * or refused with exit 2 and a one- or two-line message naming the file; never a crash.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { run } from "../../cli/posture";
import { ROOT } from "./cli-helpers";

const CORPUS = join(ROOT, "..", "shared", "corpus");

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? files(p) : n.endsWith(".tf") || n.endsWith(".json") ? [p] : [];
    });
}

async function check(path: string) {
  let stdout = "";
  let stderr = "";
  const code = await run(["check", "--format", "json", path], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: {} });
  return { code, stdout, stderr };
}

const corpus = existsSync(CORPUS) ? files(CORPUS) : [];
const describeCorpus = corpus.length > 0 ? describe : describe.skip;

describeCorpus("the shared corpus", () => {
  it.each(corpus.map((f) => [f.slice(CORPUS.length + 1), f]))("%s is checked or refused cleanly", async (_name, file) => {
    const r = await check(file);
    if (r.code === 2) {
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(lines[0]).toContain(file);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } else {
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).toBe("");
      const report = JSON.parse(r.stdout);
      expect(report.reportVersion).toBe(1);
      expect(report.inputs[0].path).toBe(file);
    }
  });

  it("evaluates the directories too", async () => {
    const dir = join(CORPUS, "tedilabs__terraform-okta-modules", "modules", "global-session-policy");
    const r = await check(dir);
    expect([0, 1]).toContain(r.code);
  });

  it("reads the UTF-16 plan and refuses nothing that Terraform accepts", async () => {
    const r = await check(join(CORPUS, "bridgecrewio__checkov", "tests", "terraform", "parser", "resources", "plan_encodings", "tfplan_win_utf16.json"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs[0].kind).toBe("plan");
  });
});
