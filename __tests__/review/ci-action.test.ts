/**
 * action.yml and the example workflows, run as GitHub runs them (ci-runner.ts): every shell step under
 * `bash --noprofile --norc -eo pipefail`, with GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / RUNNER_TEMP files,
 * the comment and issue steps against a fake GitHub REST API on loopback, no network. The install step
 * runs with an `npm` that records what it was asked to do (the package was built by `npm test`), and
 * the lockfile it installs from is checked to pin every package by integrity hash.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { markerOf } from "../../report/markdown";
import { ROOT } from "../cli/cli-helpers";
import { type Ctx, loadYaml, newRunner, runAction, runShell, runSteps, type Step, type StepResult } from "./ci-runner";
import { logStream, oktaTenant, plan } from "./plan-builder";

const ACTION = join(ROOT, "action.yml");
jest.setTimeout(60_000);
const PR_PLAN = join(ROOT, "__tests__", "fixtures", "review", "pr-plan.json");
const DRIFT_PLAN = join(ROOT, "__tests__", "fixtures", "review", "drift-refresh-only.json");

// ---- a fake GitHub REST API ---------------------------------------------------------------------

interface Call {
  method: string;
  url: string;
  auth?: string;
  body?: Record<string, unknown>;
}

class FakeGitHub {
  calls: Call[] = [];
  comments: Array<{ id: number; body: string }> = [{ id: 1, body: "LGTM" }];
  issues: Array<{ number: number; body: string; state: string; title?: string; labels?: string[] }> = [];
  deny = false;
  private server?: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req).then(([status, body]) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()));
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const call: Call = { method: req.method!, url: req.url!, auth: req.headers.authorization, ...(raw ? { body: JSON.parse(raw) } : {}) };
    this.calls.push(call);
    const path = call.url.replace(/\?.*/, "");
    if (call.method !== "GET" && this.deny) return [403, { message: "Resource not accessible by integration" }];
    if (path === "/repos/o/r/issues/7/comments" && call.method === "GET") return [200, this.comments];
    if (path === "/repos/o/r/issues/7/comments" && call.method === "POST") {
      const c = { id: 100 + this.comments.length, body: String(call.body!.body) };
      this.comments.push(c);
      return [201, c];
    }
    const edit = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(path);
    if (edit && call.method === "PATCH") {
      const c = this.comments.find((x) => x.id === Number(edit[1]))!;
      c.body = String(call.body!.body);
      return [200, c];
    }
    if (path === "/repos/o/r/issues" && call.method === "GET") return [200, this.issues.filter((i) => i.state === "open")];
    if (path === "/repos/o/r/issues" && call.method === "POST") {
      const i = { number: 40 + this.issues.length, state: "open", ...(call.body as { body: string }) };
      this.issues.push(i);
      return [201, i];
    }
    const issue = /^\/repos\/o\/r\/issues\/(\d+)(\/comments)?$/.exec(path);
    if (issue) {
      const i = this.issues.find((x) => x.number === Number(issue[1]))!;
      if (!issue[2] && call.method === "PATCH") Object.assign(i, call.body);
      return [200, i];
    }
    return [404, { message: "Not Found" }];
  }
}

// ---- fixtures ----------------------------------------------------------------------------------

/** A directory of stand-ins for tools that would reach the network: they log their arguments. */
function shims(extra: Record<string, string> = {}): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), "posture-shims-"));
  const log = join(dir, "calls.log");
  writeFileSync(log, "");
  const tools: Record<string, string> = { npm: "", npx: "", ...extra };
  for (const [tool, body] of Object.entries(tools)) {
    writeFileSync(join(dir, tool), `#!/usr/bin/env bash\necho "${tool} $PWD $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
  }
  return { dir, log };
}

function workspace(files: Record<string, string> = {}): string {
  const ws = mkdtempSync(join(tmpdir(), "posture-workspace-"));
  for (const [rel, from] of Object.entries(files)) {
    mkdirSync(join(ws, rel, ".."), { recursive: true });
    copyFileSync(from, join(ws, rel));
  }
  return ws;
}

/** The `github` context of a run; `pr` null for a run that is not a pull request's. */
const github = (ws: string, pr: number | null): Ctx => ({
  github: { workspace: ws, token: "ghs_fake_token", repository: "o/r", server_url: "https://github.com", run_id: "99", event: pr === null ? {} : { pull_request: { number: pr } } },
  runner: { temp: "" },
  secrets: {},
});

function stepNamed(results: StepResult[], name: RegExp): StepResult {
  const r = results.find((x) => [x.step.id, x.step.name, x.step.uses].some((s) => s !== undefined && name.test(s)));
  if (!r) throw new Error(`no step ${name}`);
  return r;
}

async function runTheAction(ws: string, api: FakeGitHub, inputs: Record<string, string>, pr: number | null = 7) {
  const { dir, log } = shims();
  const runner = newRunner(ws, { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: "o/r" }, dir);
  const ctx = github(ws, pr);
  (ctx.runner as { temp: string }).temp = runner.temp;
  const run = await runAction(ACTION, ROOT, inputs, ctx, runner);
  return { ...run, runner, npmCalls: readFileSync(log, "utf8").trim().split("\n").filter(Boolean), summary: readFileSync(runner.summary, "utf8") };
}

describe("action.yml, run as GitHub runs it", () => {
  const api = new FakeGitHub();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it("with default inputs, on a plan with blocking findings: exit-code=1, every report, the summary, the comment, then a failing gate", async () => {
    const ws = workspace({ "plan.json": PR_PLAN });
    const run = await runTheAction(ws, api, { plans: "plan.json" });
    // installed from the action's own directory, as its lockfile pins it; nothing fetched by name
    expect(run.npmCalls).toEqual([`npm ${ROOT} ci --no-audit --no-fund --ignore-scripts`, `npm ${ROOT} run build`]);
    const review = stepNamed(run.results, /^review$/);
    expect(review.code).toBe(0);
    expect(review.outputs["exit-code"]).toBe("1");
    expect(run.outputs["exit-code"]).toBe("1");
    for (const k of ["json", "sarif", "markdown"]) expect(existsSync(run.outputs[k])).toBe(true);
    expect(run.outputs.json.startsWith(run.runner.temp)).toBe(true);
    expect(review.stdout).toMatch(/^FAIL identity-posture review/m);
    expect(run.summary.startsWith(markerOf("review"))).toBe(true);
    // the reports are kept as an artifact, never the plan
    const artifact = stepNamed(run.results, /upload-artifact/);
    expect(artifact.ran).toBe(true);
    expect(artifact.with!.path.trim().split("\n")).toEqual([run.outputs.json, run.outputs.markdown, run.outputs.sarif]);
    // named per invocation (a matrix must not collide with a 409), and never blocking what follows
    expect(artifact.with!.name).toMatch(/^identity-posture-job-[0-9a-f]{8}$/);
    expect(artifact.with!.overwrite).toBe("true");
    expect(artifact.step["continue-on-error"]).toBe(true);
    // the runner's Node.js is 20 or newer: setup-node, which would change Node for the caller's later steps, is skipped
    expect(stepNamed(run.results, /^Set up Node\.js$/).ran).toBe(false);
    // one comment, with the Markdown report, through the token
    const posted = api.calls.filter((c) => c.method === "POST");
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ url: "/repos/o/r/issues/7/comments", auth: "Bearer ghs_fake_token", body: { body: readFileSync(run.outputs.markdown, "utf8") } });
    const sarif = stepNamed(run.results, /upload-sarif/);
    expect(sarif.ran).toBe(true);
    expect(sarif.step["continue-on-error"]).toBe(true);
    expect(sarif.with).toEqual({ sarif_file: run.outputs.sarif, category: "identity-posture-review" });
    const gate = stepNamed(run.results, /^Fail per --fail-on$/);
    expect(gate.ran).toBe(true);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain("::error title=identity-posture::posture review found blocking findings (--fail-on new)");
    expect(run.failed).toBe(true);
  });

  it("updates its comment on the next push, and only warns when the token cannot write", async () => {
    const ws = workspace({ "plan.json": PR_PLAN });
    api.calls = [];
    await runTheAction(ws, api, { plans: "plan.json" });
    expect(api.calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.url}`)).toEqual([`PATCH /repos/o/r/issues/comments/${api.comments[1].id}`]);
    expect(api.comments.filter((c) => c.body.startsWith(markerOf("review")))).toHaveLength(1);
    api.deny = true;
    const denied = await runTheAction(ws, api, { plans: "plan.json" });
    api.deny = false;
    const comment = stepNamed(denied.results, /^Comment on the pull request$/);
    expect(comment.code).toBe(0);
    expect(comment.stdout).toContain("::warning title=identity-posture::could not comment on the pull request (PATCH /issues/comments/");
    expect(comment.stdout).toContain("403 Resource not accessible by integration); the report is in the job summary");
  });

  it("reviews a glob of plans as one report; passes, with no gate, when nothing blocks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-plans-"));
    writeFileSync(join(dir, "okta.json"), JSON.stringify(plan([...oktaTenant, { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() }])));
    writeFileSync(join(dir, "other.json"), JSON.stringify(plan([])));
    const ws = workspace();
    const run = await runTheAction(ws, api, { plans: `${dir}/*.json\n` }, null);
    expect(run.outputs["exit-code"]).toBe("0");
    expect(JSON.parse(readFileSync(run.outputs.json, "utf8")).inputs.map((i: { path: string }) => i.path)).toEqual([join(dir, "okta.json"), join(dir, "other.json")]);
    expect(stepNamed(run.results, /^Comment on the pull request$/).ran).toBe(false); // not a pull request
    expect(stepNamed(run.results, /^Fail per --fail-on$/).ran).toBe(false);
    expect(run.failed).toBe(false);
  });

  it("fails at once with exit-code=2 and an error annotation when a plan is missing or cannot be read", async () => {
    const ws = workspace();
    const missing = await runTheAction(ws, api, { plans: "plans/*.json" });
    const review = stepNamed(missing.results, /^review$/);
    expect(review.code).toBe(2);
    expect(review.outputs).toEqual({ "exit-code": "2" });
    expect(review.stdout).toBe(`::error title=identity-posture::no plan file matches 'plans/*.json' (in ${ws})\n`);
    expect(missing.results.filter((r) => r.ran).map((r) => r.step.name ?? r.step.uses)).toEqual(["Check the runner's Node.js", "Install identity-posture from this action's ref", "posture ${{ inputs.command }}"]);
    writeFileSync(join(ws, "bad.json"), "{ not json");
    const bad = await runTheAction(ws, api, { plans: "bad.json" });
    const r = stepNamed(bad.results, /^review$/);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("::error title=identity-posture::posture review could not judge bad.json (exit 2)");
    expect(r.stderr).toMatch(/^posture: bad\.json/);
  });

  it("names the artifact per invocation: two uses in one job with other plans get two names, the same use the same name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-plans-"));
    writeFileSync(join(dir, "a.json"), JSON.stringify(plan([])));
    writeFileSync(join(dir, "b.json"), JSON.stringify(plan([])));
    const ws = workspace();
    const names: string[] = [];
    for (const p of ["a.json", "b.json", "a.json"]) names.push(stepNamed((await runTheAction(ws, api, { plans: join(dir, p) }, null)).results, /upload-artifact/).with!.name);
    expect(names[0]).not.toBe(names[1]);
    expect(names[2]).toBe(names[0]);
    expect(stepNamed((await runTheAction(ws, api, { plans: join(dir, "a.json"), "artifact-name": "" }, null)).results, /upload-artifact/).ran).toBe(false);
  });

  it("sets up Node.js only when the runner's is older than 20 or missing", async () => {
    const step = (loadYaml(ACTION).runs.steps as Step[]).find((x) => x.id === "node")!;
    const setup = async (nodeBody: string | undefined) => {
      const dir = mkdtempSync(join(tmpdir(), "posture-node-"));
      if (nodeBody !== undefined) writeFileSync(join(dir, "node"), `#!/usr/bin/env bash
${nodeBody}
`, { mode: 0o755 });
      const runner = newRunner(workspace(), {});
      // a PATH with bash and core tools but no Node.js of the test's own
      runner.path = [dir, "/usr/bin", "/bin"].join(":");
      const r = await runShell(step, {}, runner);
      expect(r.code).toBe(0);
      return r.outputs.setup;
    };
    expect(await setup(`exec "${process.execPath}" "$@"`)).toBe(Number(process.versions.node.split(".")[0]) >= 20 ? "false" : "true");
    expect(await setup(`exec "${process.execPath}" -e 'process.exit(1)'`)).toBe("true"); // answers as Node.js 18 would
  });

  it("installs nothing by package name, and the lockfile pins every package by integrity hash", () => {
    const text = readFileSync(ACTION, "utf8");
    expect(text).not.toMatch(/npm exec|npx |npm install|npm i |@\d+\.\d+/);
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    // a bundled dependency ships inside its parent's tarball, which the parent's integrity hash covers
    const unpinned = Object.entries(lock.packages as Record<string, { link?: boolean; inBundle?: boolean; integrity?: string }>).filter(([k, p]) => k !== "" && !p.link && !p.inBundle && !p.integrity);
    expect(unpinned).toEqual([]);
  });
});

// ---- the example workflows ---------------------------------------------------------------------

const ACTION_USE = /^your-org\/identity-posture@[0-9a-f]{40}$/;

/** Runs a workflow job: the identity-posture action runs as the composite, other `uses:` are recorded. */
async function runWorkflow(file: string, ws: string, api: FakeGitHub, shimBodies: Record<string, string>, pr: number | null = null) {
  const wf = loadYaml(join(ROOT, "examples", "ci", file));
  expect(wf.defaults?.run?.shell).toBe("bash");
  const job = Object.values(wf.jobs as Record<string, { steps: Step[] }>)[0];
  const { dir, log } = shims(shimBodies);
  const runner = newRunner(ws, { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: "o/r" }, dir);
  const ctx = github(ws, pr);
  (ctx.runner as { temp: string }).temp = runner.temp;
  const actionRuns: Array<Awaited<ReturnType<typeof runAction>>> = [];
  const run = await runSteps(job.steps, ctx, runner, {
    uses: async (step, w, c) => {
      if (!ACTION_USE.test(String(step.uses).replace(/\s.*/, ""))) return undefined;
      const a = await runAction(ACTION, ROOT, w, c, runner);
      actionRuns.push(a);
      return { ran: true, code: a.failed ? 1 : 0, stdout: "", stderr: "", outputs: a.outputs, step };
    },
  });
  return { ...run, actionRuns, runner, calls: readFileSync(log, "utf8").trim().split("\n").filter(Boolean), summary: readFileSync(runner.summary, "utf8") };
}

/** `terraform` that plans nothing itself: `show -json` prints the plan the test put in $TF_FAKE_PLANS, named by directory. */
const TERRAFORM = `case " $* " in *" show -json "*) dir=$(printf '%s\\n' "$@" | sed -n 's/^-chdir=//p'); name=$(basename "\${dir:-$PWD}"); cat "$TF_FAKE_PLANS/$name.json";; esac`;

describe("the example workflows, run as GitHub runs them", () => {
  const api = new FakeGitHub();
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it("github-review.yml: plans in infra/, reviews through the action, comments once, fails on new errors", async () => {
    const plans = mkdtempSync(join(tmpdir(), "posture-tf-"));
    copyFileSync(PR_PLAN, join(plans, "infra.json"));
    const ws = workspace({ "infra/main.tf": join(ROOT, "examples", "okta-cloudflare", "okta.tf") });
    const run = await runWorkflow("github-review.yml", ws, api, { terraform: `TF_FAKE_PLANS=${plans}; ${TERRAFORM}` }, 7);
    expect(run.calls.filter((c) => c.startsWith("terraform"))).toEqual([
      `terraform ${ws}/infra init -input=false`,
      `terraform ${ws}/infra plan -input=false -lock=false -out=tfplan`,
      `terraform ${ws}/infra show -json tfplan`,
    ]);
    expect(run.actionRuns).toHaveLength(1);
    expect(run.actionRuns[0].outputs["exit-code"]).toBe("1");
    expect(run.failed).toBe(true);
    expect(run.summary.startsWith(markerOf("review"))).toBe(true);
  });

  it("github-cdktf.yml: synth, one plan per stack, one review of all plans joined to the synth", async () => {
    const plans = mkdtempSync(join(tmpdir(), "posture-tf-"));
    const ws = workspace();
    // the synth the app would produce: two stacks
    const stacks = { okta: { resource: { okta_log_stream: { siem: { name: "SIEM", "//": { metadata: { path: "okta/Logging/siem" } } } } } }, cloudflare: { resource: { okta_policy_rule_signon: { global: { name: "g", "//": { metadata: { path: "cloudflare/Session/global" } } } } } } };
    mkdirSync(join(ws, "cdktf.out", "stacks"), { recursive: true });
    const manifest: Record<string, { synthesizedStackPath: string }> = {};
    for (const [name, doc] of Object.entries(stacks)) {
      mkdirSync(join(ws, "cdktf.out", "stacks", name));
      writeFileSync(join(ws, "cdktf.out", "stacks", name, "cdk.tf.json"), JSON.stringify(doc, null, 2));
      manifest[name] = { synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
    }
    writeFileSync(join(ws, "cdktf.out", "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }));
    const configured = (addresses: string[], doc: Record<string, unknown>) => {
      (doc.configuration as { root_module: { resources: object[] } }).root_module.resources = addresses.map((address) => ({ address }));
      return doc;
    };
    writeFileSync(join(plans, "okta.json"), JSON.stringify(configured(["okta_log_stream.siem"], plan([{ address: "okta_log_stream.siem", actions: ["create"], after: logStream() }]))));
    writeFileSync(
      join(plans, "cloudflare.json"),
      JSON.stringify(configured(["okta_policy_rule_signon.global"], plan([{ address: "okta_policy_rule_signon.global", actions: ["create"], after: { name: "g", session_idle: 90, session_lifetime: 600, mfa_required: true, mfa_prompt: "ALWAYS" } }]))),
    );
    const run = await runWorkflow("github-cdktf.yml", ws, api, { terraform: `TF_FAKE_PLANS=${plans}; ${TERRAFORM}` }, 8);
    expect(run.calls.filter((c) => c.startsWith("np"))).toEqual([`npm ${ws} ci --no-audit --no-fund`, `npx ${ws} cdktf synth`, `npm ${ROOT} ci --no-audit --no-fund --ignore-scripts`, `npm ${ROOT} run build`]);
    expect(run.calls.filter((c) => c.includes(" show -json"))).toEqual([
      `terraform ${ws} -chdir=cdktf.out/stacks/cloudflare/ show -json tfplan`,
      `terraform ${ws} -chdir=cdktf.out/stacks/okta/ show -json tfplan`,
    ]);
    const report = JSON.parse(readFileSync(run.actionRuns[0].outputs.json, "utf8"));
    expect(report.inputs).toEqual([
      { path: join(run.runner.temp, "plans", "cloudflare.json"), kind: "plan" },
      { path: join(run.runner.temp, "plans", "okta.json"), kind: "plan" },
    ]);
    // the okta stack's log stream serves the cloudflare stack; the construct path comes from the synth,
    // and the finding points at the stack's cdk.tf.json in the repository
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === "OKTA-LOG-1")).toEqual([]);
    const ses1 = report.findings.find((f: { ruleId: string }) => f.ruleId === "OKTA-SES-1");
    expect(ses1).toMatchObject({ constructPath: "cloudflare/Session/global", file: "cdktf.out/stacks/cloudflare/cdk.tf.json", line: 4, change: "new" });
    expect(run.failed).toBe(true);
  });

  it("github-drift.yml: the action in drift mode, then one issue opened (drift) or closed (none), then the gate", async () => {
    const plans = mkdtempSync(join(tmpdir(), "posture-tf-"));
    copyFileSync(DRIFT_PLAN, join(plans, "infra.json"));
    const ws = workspace({ "infra/main.tf": join(ROOT, "examples", "okta-cloudflare", "okta.tf") });
    const drifted = await runWorkflow("github-drift.yml", ws, api, { terraform: `TF_FAKE_PLANS=${plans}; ${TERRAFORM}` });
    expect(drifted.actionRuns[0].inputs).toMatchObject({ command: "drift", comment: "false", gate: "false", "sarif-category": "" });
    expect(stepNamed(drifted.actionRuns[0].results, /upload-sarif/).with!.category).toBe("identity-posture-drift");
    expect(drifted.actionRuns[0].outputs["exit-code"]).toBe("1");
    expect(api.issues).toHaveLength(1);
    expect(api.issues[0]).toMatchObject({ state: "open", title: "Security settings changed outside Terraform", labels: ["identity-posture-drift"] });
    expect(api.issues[0].body.startsWith(markerOf("drift"))).toBe(true);
    expect(api.issues[0].body).toContain("[Workflow run](https://github.com/o/r/actions/runs/99)");
    expect(stepNamed(drifted.results, /^Fail on drift$/).code).toBe(1);
    expect(drifted.failed).toBe(true);
    // the next night there is no drift: the issue is closed, the run passes
    writeFileSync(join(plans, "infra.json"), JSON.stringify(plan([...oktaTenant, { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() }], { drift: [] })));
    const clean = await runWorkflow("github-drift.yml", ws, api, { terraform: `TF_FAKE_PLANS=${plans}; ${TERRAFORM}` });
    expect(clean.actionRuns[0].outputs["exit-code"]).toBe("0");
    expect(api.issues[0].state).toBe("closed");
    expect(clean.failed).toBe(false);
  });
});
