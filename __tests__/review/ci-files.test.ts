/**
 * The CI recipes are files a user copies, so they are tested: docs/ci.md holds the example workflows
 * and the action's inputs; the markers match the Markdown report's; every posture command line in
 * them parses; the package ships them; the GitLab review job runs under `bash -eo pipefail` against a
 * fake GitLab API, with identity-posture fetched at a pinned commit. (action.yml and the GitHub
 * workflows run in ci-action.test.ts.)
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "../../cli/args";
import { markerOf } from "../../report/markdown";
import { ROOT } from "../cli/cli-helpers";
import { loadYaml } from "./ci-runner";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const ACTION = read("action.yml");
const EXAMPLES = ["examples/ci/github-review.yml", "examples/ci/github-cdktf.yml", "examples/ci/github-drift.yml", "examples/ci/gitlab-ci.yml"];

describe("docs/ci.md", () => {
  it("holds every example file verbatim, and names the nightly drift commands", () => {
    const doc = read("docs/ci.md");
    for (const f of EXAMPLES) expect(doc).toContain(read(f).trimEnd());
    expect(doc).toContain("terraform plan -refresh-only -out=drift.tfplan && terraform show -json drift.tfplan > drift.json");
  });

  it("names every input of the action, with its default", () => {
    const doc = read("docs/ci.md");
    for (const [name, spec] of Object.entries(loadYaml(join(ROOT, "action.yml")).inputs as Record<string, { default?: string }>)) {
      expect(doc).toContain(`| \`${name}\` |`);
      if (spec.default) expect(doc).toMatch(new RegExp(`\\| \`${name}\` \\| [^|]*${spec.default.replace(/[$.{}()|[\]\\]/g, "\\$&")}`));
    }
  });

  it("uses the markers the Markdown report starts with", () => {
    expect(ACTION).toContain("const marker = `<!-- identity-posture:${process.env.COMMAND} -->`;");
    expect(markerOf("review")).toBe("<!-- identity-posture:review -->");
    expect(read("examples/ci/github-drift.yml")).toContain(`const marker = "${markerOf("drift")}";`);
    expect(read("examples/ci/gitlab-ci.yml")).toContain(markerOf("review"));
  });

  it("every posture command line in the recipes parses", () => {
    const commands = [ACTION, ...EXAMPLES.map(read), read("docs/ci.md")]
      .join("\n")
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .flatMap((l) => [...l.matchAll(/(?:npx posture|posture\.js) (review|drift|check) ([^|;&#\n]*)/g)].map((m) => `${m[1]} ${m[2]}`));
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const c of commands) {
      const argv = c.trim().replace(/"\$[^"]*"|\$\S+/g, "x.json").split(/\s+/);
      expect(() => parseArgs(argv)).not.toThrow();
    }
  });
});

describe("the npm package", () => {
  it("ships action.yml, the example workflows and the docs, docs/cli.md among them", () => {
    const files: string[] = JSON.parse(read("package.json")).files;
    for (const f of ["action.yml", "examples", "docs"]) expect(files).toContain(f);
    expect(existsSync(join(ROOT, "docs", "cli.md"))).toBe(true);
    expect(read("README.md")).toContain("(docs/cli.md)");
    expect(read("README.md")).not.toContain("../shared/spec/CLI.md");
  });
});

/** GitLab's `!reference [.key, script]`, read as a marker the test resolves. */
function loadGitlab(): Record<string, any> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require("js-yaml");
  const reference = new yaml.Type("!reference", { kind: "sequence", construct: (path: string[]) => ({ reference: path }) });
  // js-yaml 3 (jest's) builds a schema with Schema.create; js-yaml 4 with extend
  const schema = yaml.Schema.create ? yaml.Schema.create([reference]) : yaml.DEFAULT_SCHEMA.extend([reference]);
  return yaml.load(read("examples/ci/gitlab-ci.yml"), { schema });
}

function jobScript(doc: Record<string, any>, job: string): string {
  return (doc[job].script as Array<string | { reference: string[] }>)
    .flatMap((line) => (typeof line === "string" ? [line] : line.reference.reduce((o: any, k: string) => o[k], doc)))
    .join("\n");
}

describe("gitlab-ci.yml posture-review, run as GitLab runs it (bash -eo pipefail)", () => {
  it("builds identity-posture from the pinned commit, writes the reports, posts one note then updates it, and exits 1", async () => {
    const doc = loadGitlab();
    expect(doc.variables.POSTURE_COMMIT).toMatch(/^[0-9a-f]{40}$/);
    // the identity-posture repository, at a commit (a local one: no network)
    const repo = mkdtempSync(join(tmpdir(), "posture-upstream-"));
    const git = (...a: string[]) => spawnSync("git", a, { cwd: repo, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
    git("init", "--quiet");
    writeFileSync(join(repo, "package.json"), "{}");
    git("add", ".");
    git("commit", "--quiet", "-m", "pinned");
    git("config", "uploadpack.allowAnySHA1InWant", "true");
    const sha = git("rev-parse", "HEAD").stdout.trim();
    // npm stands in for `npm ci` and `npm run build`: the build is the one `npm test` made
    const shims = mkdtempSync(join(tmpdir(), "posture-shims-"));
    const log = join(shims, "calls.log");
    writeFileSync(join(shims, "npm"), `#!/usr/bin/env bash\necho "npm $(basename "$PWD") $(git rev-parse HEAD) $*" >> "${log}"\nif [ "$1" = run ]; then ln -s "${ROOT}/dist" dist; fi\n`, { mode: 0o755 });
    const project = mkdtempSync(join(tmpdir(), "posture-project-"));
    mkdirSync(join(project, "infra"));
    copyFileSync(join(ROOT, "__tests__", "fixtures", "review", "pr-plan.json"), join(project, "infra", "plan.json"));

    const notes: Array<{ id: number; body: string }> = [];
    const calls: string[] = [];
    let apiDown = false;
    const server = createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d)).on("end", () => {
        calls.push(`${req.method} ${req.url} ${req.headers["private-token"]}`);
        if (apiDown) return void res.writeHead(500).end("{}");
        if (req.method === "POST") notes.push({ id: 9, body: JSON.parse(raw).body });
        if (req.method === "PUT") notes[0].body = JSON.parse(raw).body;
        res.writeHead(200, { "content-type": "application/json" }).end(req.method === "GET" ? JSON.stringify(notes) : "{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`;
    const script = join(shims, "script.sh");
    writeFileSync(script, jobScript(doc, "posture-review"));
    const runJob = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
          cwd: project,
          env: {
            PATH: `${shims}:${process.execPath.replace(/\/node$/, "")}:${process.env.PATH}`,
            HOME: process.env.HOME ?? "/tmp",
            POSTURE_TODAY: "2026-11-29",
            POSTURE_REPO: repo,
            POSTURE_COMMIT: sha,
            CI_PROJECT_DIR: project,
            CI_API_V4_URL: api,
            CI_PROJECT_ID: "5",
            CI_MERGE_REQUEST_IID: "3",
            POSTURE_GITLAB_TOKEN: "glpat-fake",
          },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    try {
      const first = await runJob();
      expect(first.stderr).toBe("");
      expect(first.code).toBe(1);
      expect(first.stdout).toMatch(/^FAIL identity-posture review/m);
      expect(readFileSync(log, "utf8").trim().split("\n")).toEqual([`npm .identity-posture ${sha} ci --no-audit --no-fund --ignore-scripts`, `npm .identity-posture ${sha} run build`]);
      for (const f of ["posture.json", "posture.md", "posture-junit.xml"]) expect(existsSync(join(project, f))).toBe(true);
      expect(notes).toEqual([{ id: 9, body: readFileSync(join(project, "posture.md"), "utf8") }]);
      spawnSync("rm", ["-rf", join(project, ".identity-posture")]);
      const second = await runJob();
      expect(second.code).toBe(1);
      expect(calls.map((c) => c.replace(/\?.*? /, " "))).toEqual([
        "GET /api/v4/projects/5/merge_requests/3/notes glpat-fake",
        "POST /api/v4/projects/5/merge_requests/3/notes glpat-fake",
        "GET /api/v4/projects/5/merge_requests/3/notes glpat-fake",
        "PUT /api/v4/projects/5/merge_requests/3/notes/9 glpat-fake",
      ]);
      // A notes API that fails costs the note, never posture's verdict (exit 1, not the shell's error).
      apiDown = true;
      spawnSync("rm", ["-rf", join(project, ".identity-posture")]);
      const third = await runJob();
      expect(third.code).toBe(1);
      expect(third.stdout).toMatch(/^FAIL identity-posture review/m);
      expect(third.stderr).toBe("warning: identity-posture could not list the merge request notes; posting a new one\nwarning: identity-posture could not post its merge request note\n");
      expect(calls.slice(4).map((c) => c.replace(/\?.*? /, " "))).toEqual(["GET /api/v4/projects/5/merge_requests/3/notes glpat-fake", "POST /api/v4/projects/5/merge_requests/3/notes glpat-fake"]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
