/**
 * The CI recipes are files a user copies, so they are tested: docs/ci.md holds the example workflows
 * verbatim; the action's review step runs the built CLI and hands its exit code on; the action's
 * comment script creates one comment and then updates it; every posture command line in them parses.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "../../cli/args";
import { markerOf } from "../../report/markdown";
import { CLI, ROOT } from "../cli/cli-helpers";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const ACTION = read("action.yml");
const EXAMPLES = ["examples/ci/github-review.yml", "examples/ci/github-drift.yml", "examples/ci/gitlab-ci.yml"];

/** The literal block (`key: |`) that follows the first line matching `after`, dedented. */
function literalBlock(text: string, after: RegExp, key: string): string {
  const lines = text.split("\n");
  let i = lines.findIndex((l) => after.test(l));
  expect(i).toBeGreaterThanOrEqual(0);
  while (!new RegExp(`^\\s+${key}: \\|$`).test(lines[i])) i++;
  const indent = lines[i].search(/\S/);
  const body: string[] = [];
  for (let j = i + 1; j < lines.length && (lines[j].trim() === "" || lines[j].search(/\S/) > indent); j++) body.push(lines[j]);
  const pad = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(pad)).join("\n");
}

describe("docs/ci.md", () => {
  it("holds every example file verbatim, and names the nightly drift commands", () => {
    const doc = read("docs/ci.md");
    for (const f of EXAMPLES) expect(doc).toContain(read(f).trimEnd());
    expect(doc).toContain("terraform plan -refresh-only -out=drift.tfplan && terraform show -json drift.tfplan > drift.json");
  });

  it("uses the markers the Markdown report starts with", () => {
    expect(ACTION).toContain(`const marker = "${markerOf("review")}";`);
    expect(read("examples/ci/github-drift.yml")).toContain(`const marker = "${markerOf("drift")}";`);
    expect(read("examples/ci/gitlab-ci.yml")).toContain(markerOf("review"));
  });

  it("every posture command line in the recipes parses", () => {
    const commands = [ACTION, ...EXAMPLES.map(read), read("docs/ci.md")]
      .join("\n")
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .flatMap((l) => [...l.matchAll(/(?:npx|--) posture (review|drift|check) ([^|;&#\n]*)/g)].map((m) => `${m[1]} ${m[2]}`));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const c of commands) {
      const argv = c.trim().replace(/"\$[^"]*"|\$\S+/g, "x.json").split(/\s+/);
      expect(() => parseArgs(argv)).not.toThrow();
    }
  });
});

describe("action.yml", () => {
  const step = literalBlock(ACTION, /id: review$/, "run");

  function runStep(plan: string) {
    const dir = mkdtempSync(join(tmpdir(), "posture-action-"));
    const files = { output: join(dir, "github-output"), summary: join(dir, "summary") };
    writeFileSync(files.output, "");
    const r = spawnSync("bash", ["--norc", "--noprofile", "-c", step], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        POSTURE_TODAY: "2026-11-29",
        PLAN_JSON: plan,
        FAIL_ON: "new",
        PROFILE: "",
        CONFIG: "",
        UNKNOWN: "warn",
        VERSION: "0.1.0",
        COMMAND: `${process.execPath} ${CLI}`,
        OUT: join(dir, "out"),
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
      },
    });
    const outputs = Object.fromEntries(readFileSync(files.output, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
    return { r, outputs, summary: existsSync(files.summary) ? readFileSync(files.summary, "utf8") : "" };
  }

  it("the review step writes every report, hands on exit code 1, and puts the comment in the job summary", () => {
    const { r, outputs, summary } = runStep("__tests__/fixtures/review/pr-plan.json");
    expect(r.status).toBe(0);
    expect(outputs["exit-code"]).toBe("1");
    for (const k of ["json", "sarif", "markdown"]) expect(existsSync(outputs[k])).toBe(true);
    expect(summary.startsWith(markerOf("review"))).toBe(true);
    expect(r.stdout).toMatch(/^FAIL identity-posture review/m);
  });

  it("the review step fails at once on exit 2, with an error annotation", () => {
    const { r, outputs } = runStep("missing-plan.json");
    expect(r.status).toBe(2);
    expect(outputs).toEqual({ "exit-code": "2" });
    expect(r.stdout).toContain("::error title=identity-posture::posture review could not review missing-plan.json (exit 2)");
    expect(r.stderr).toBe("posture: missing-plan.json: no such file or directory\n");
  });

  it("the comment script creates one comment, then updates it, and only warns when it cannot write", async () => {
    const script = literalBlock(ACTION, /name: Comment on the pull request/, "script");
    const md = join(mkdtempSync(join(tmpdir(), "posture-comment-")), "posture.md");
    writeFileSync(md, `${markerOf("review")}\n### identity-posture review: ❌ FAIL\n`);
    const calls: string[] = [];
    const warnings: string[] = [];
    let comments: Array<{ id: number; body: string }> = [{ id: 1, body: "LGTM" }];
    let denied = false;
    const rest = {
      issues: {
        listComments: "listComments",
        createComment: async ({ body }: { body: string }) => {
          if (denied) throw Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
          calls.push("create");
          comments = [...comments, { id: 2, body }];
        },
        updateComment: async ({ comment_id }: { comment_id: number }) => void calls.push(`update ${comment_id}`),
      },
    };
    const github = { rest, paginate: async () => comments };
    const context = { repo: { owner: "o", repo: "r" }, payload: { pull_request: { number: 7 } } };
    const core = { warning: (m: string) => void warnings.push(m) };
    const run = new Function("github", "context", "core", "require", "process", `return (async () => {\n${script}\n})();`);
    const env = { env: { MARKDOWN: md } };
    await run(github, context, core, require, env);
    await run(github, context, core, require, env);
    expect(calls).toEqual(["create", "update 2"]);
    comments = [];
    denied = true;
    await run(github, context, core, require, env);
    expect(warnings).toEqual(["identity-posture could not comment on the pull request (403 Resource not accessible by integration); the report is in the job summary"]);
  });
});
