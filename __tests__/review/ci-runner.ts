/**
 * Runs the steps of action.yml and of the example workflows the way a GitHub runner does, offline:
 * every `shell: bash` step (and every `run:` step of a job whose default shell is bash) is written to
 * a file and run as `bash --noprofile --norc -eo pipefail FILE`, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
 * GITHUB_ENV and RUNNER_TEMP files; `${{ }}` expressions in `if:`, `env:`, `with:` and `run:` are
 * evaluated (the subset the recipes use); `uses:` steps other than the composite action are recorded,
 * not run (their inputs are checked by the tests).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
// js-yaml comes with jest (package-lock.json pins it); the suite only reads YAML with it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load: (s: string) => unknown };

export type Ctx = Record<string, unknown>;

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  "working-directory"?: string;
  "continue-on-error"?: boolean;
}

export function loadYaml(file: string): Record<string, any> {
  return yaml.load(readFileSync(file, "utf8")) as Record<string, any>;
}

// ---- expressions ----------------------------------------------------------------------------

type Tok = { t: "op" | "str" | "num" | "id"; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let j = i + 1;
      let v = "";
      for (; j < s.length; j++) {
        if (s[j] === "'" && s[j + 1] === "'") v += "'", j++;
        else if (s[j] === "'") break;
        else v += s[j];
      }
      out.push({ t: "str", v });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(s.slice(i))![0];
      out.push({ t: "num", v: m });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w-]*(\.[A-Za-z_*][\w-]*)*/.exec(s.slice(i))![0];
      out.push({ t: "id", v: m });
      i += m.length;
    } else {
      const two = s.slice(i, i + 2);
      if (["==", "!=", "&&", "||", "<=", ">="].includes(two)) (out.push({ t: "op", v: two }), (i += 2));
      else (out.push({ t: "op", v: c }), i++);
    }
  }
  return out;
}

const loose = (v: unknown): unknown => (v === undefined || v === null ? "" : v);
export const truthy = (v: unknown): boolean => !(v === undefined || v === null || v === "" || v === false || v === 0);

/** Evaluates a GitHub Actions expression (without `${{ }}`). */
export function evaluateExpr(src: string, ctx: Ctx, status: { failed: boolean } = { failed: false }): unknown {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (v?: string) => {
    const t = toks[p++];
    if (v !== undefined && t?.v !== v) throw new Error(`expected ${v} in ${src}`);
    return t;
  };
  const lookup = (path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), ctx);
  const primary = (): unknown => {
    const t = eat();
    if (t.t === "op" && t.v === "(") {
      const v = or();
      eat(")");
      return v;
    }
    if (t.t === "str") return t.v;
    if (t.t === "num") return Number(t.v);
    if (t.v === "true") return true;
    if (t.v === "false") return false;
    if (t.v === "null") return null;
    if (peek()?.v === "(") {
      eat("(");
      const args: unknown[] = [];
      while (peek()?.v !== ")") {
        args.push(or());
        if (peek()?.v === ",") eat(",");
      }
      eat(")");
      if (t.v === "always") return true;
      if (t.v === "success") return !status.failed;
      if (t.v === "failure") return status.failed;
      if (t.v === "format") return String(args[0]).replace(/\{(\d+)\}/g, (_, i) => String(loose(args[1 + Number(i)])));
      throw new Error(`unsupported function ${t.v}`);
    }
    return lookup(t.v);
  };
  const cmp = (): unknown => {
    const a = primary();
    const op = peek();
    if (op?.t === "op" && (op.v === "==" || op.v === "!=")) {
      eat();
      const b = primary();
      const eq = String(loose(a)).toLowerCase() === String(loose(b)).toLowerCase();
      return op.v === "==" ? eq : !eq;
    }
    return a;
  };
  const unary = (): unknown => (peek()?.v === "!" ? (eat(), !truthy(unary())) : cmp());
  const and = (): unknown => {
    let v = unary();
    while (peek()?.v === "&&") {
      eat();
      const r = unary();
      v = truthy(v) ? r : v;
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (peek()?.v === "||") {
      eat();
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  };
  const v = or();
  if (p !== toks.length) throw new Error(`cannot parse expression ${src}`);
  return v;
}

/** Replaces every `${{ expr }}` in `s`. */
export function interpolate(s: string, ctx: Ctx): string {
  return s.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e) => String(loose(evaluateExpr(e, ctx))));
}

// ---- running -------------------------------------------------------------------------------------

export interface Runner {
  /** The runner's files and directories. */
  temp: string;
  workspace: string;
  /** PATH for the steps (shims first). */
  path: string;
  /** Environment every step sees (GITHUB_API_URL, GITHUB_REPOSITORY, ...). */
  env: Record<string, string>;
  summary: string;
}

export function newRunner(workspace: string, extraEnv: Record<string, string> = {}, shimDir?: string): Runner {
  const root = mkdtempSync(join(tmpdir(), "posture-runner-"));
  const temp = join(root, "_temp");
  mkdirSync(temp);
  const summary = join(root, "step-summary.md");
  writeFileSync(summary, "");
  const nodeDir = process.execPath.replace(/\/node$/, "");
  return { temp, workspace, summary, path: [shimDir, nodeDir, process.env.PATH].filter(Boolean).join(":"), env: extraEnv };
}

export interface StepResult {
  ran: boolean;
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The interpolated `with:` of a `uses:` step. */
  with?: Record<string, string>;
  step: Step;
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of readFileSync(file, "utf8").split("\n")) {
    const i = l.indexOf("=");
    if (i > 0) out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}

/** Runs one `run:` step exactly as GitHub does for `shell: bash`. */
export async function runShell(step: Step, ctx: Ctx, runner: Runner, defaultsDir?: string): Promise<StepResult> {
  const dir = mkdtempSync(join(runner.temp, "step-"));
  const script = join(dir, "script.sh");
  writeFileSync(script, interpolate(step.run ?? "", ctx));
  const output = join(dir, "output");
  writeFileSync(output, "");
  const envFile = join(dir, "env");
  writeFileSync(envFile, "");
  const env: Record<string, string> = {
    PATH: runner.path,
    HOME: process.env.HOME ?? "/tmp",
    POSTURE_TODAY: "2026-11-29",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: runner.workspace,
    RUNNER_TEMP: runner.temp,
    GITHUB_OUTPUT: output,
    GITHUB_ENV: envFile,
    GITHUB_STEP_SUMMARY: runner.summary,
    ...runner.env,
    ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)])),
  };
  const wd = step["working-directory"] !== undefined ? interpolate(step["working-directory"], ctx) : defaultsDir;
  const cwd = wd === undefined ? runner.workspace : isAbsolute(wd) ? wd : join(runner.workspace, wd);
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (c) => resolve({ code: c ?? -1, stdout, stderr }));
    // GitHub fails a step whose working directory does not exist, before running it
    child.on("error", (e) => resolve({ code: 1, stdout, stderr: `${stderr}${e.message}\n` }));
  });
  return { ran: true, code, stdout, stderr, outputs: readOutputs(output), step };
}

export interface JobOptions {
  /** Runs a `uses:` step (returns its outputs), or records it when absent. */
  uses?: (step: Step, withInputs: Record<string, string>, ctx: Ctx) => Promise<StepResult | undefined>;
  defaultsDir?: string;
}

/**
 * Runs steps in order as a job (or a composite action) does: `if:` decides (default `success()`), a
 * failing step fails what follows unless `continue-on-error`.
 */
export async function runSteps(steps: Step[], ctx: Ctx, runner: Runner, opts: JobOptions = {}): Promise<{ results: StepResult[]; failed: boolean }> {
  const status = { failed: false };
  const results: StepResult[] = [];
  const stepsCtx: Record<string, { outputs: Record<string, string>; outcome: string }> = (ctx.steps as never) ?? {};
  ctx.steps = stepsCtx;
  for (const step of steps) {
    const cond = step.if === undefined ? "success()" : String(step.if).replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
    const withStatus = /\b(always|success|failure)\(/.test(cond) ? cond : `success() && (${cond})`;
    if (!truthy(evaluateExpr(withStatus, ctx, status))) {
      results.push({ ran: false, code: 0, stdout: "", stderr: "", outputs: {}, step });
      continue;
    }
    let r: StepResult;
    if (step.uses) {
      const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
      r = (await opts.uses?.(step, w, ctx)) ?? { ran: true, code: 0, stdout: "", stderr: "", outputs: {}, with: w, step };
      r.with ??= w;
    } else r = await runShell(step, ctx, runner, opts.defaultsDir);
    results.push(r);
    if (step.id) stepsCtx[step.id] = { outputs: r.outputs, outcome: r.code === 0 ? "success" : "failure" };
    if (r.code !== 0 && !step["continue-on-error"]) status.failed = true;
  }
  return { results, failed: status.failed };
}

/** Runs action.yml as a composite action with `with` inputs (defaults from the file). */
export async function runAction(actionFile: string, actionPath: string, withInputs: Record<string, string>, ctx: Ctx, runner: Runner, opts: JobOptions = {}) {
  const action = loadYaml(actionFile);
  const inputs: Record<string, string> = {};
  for (const [k, spec] of Object.entries(action.inputs as Record<string, { default?: string; required?: boolean }>)) {
    if (withInputs[k] !== undefined) inputs[k] = withInputs[k];
    else if (spec.default !== undefined) inputs[k] = interpolate(String(spec.default), ctx);
    else if (spec.required) throw new Error(`input ${k} is required`);
    else inputs[k] = "";
  }
  for (const k of Object.keys(withInputs)) if (!(k in inputs)) throw new Error(`unknown input ${k}`);
  const actionCtx: Ctx = { ...ctx, inputs, steps: {}, github: { ...(ctx.github as object), action_path: actionPath } };
  const run = await runSteps(action.runs.steps as Step[], actionCtx, runner, opts);
  const outputs = Object.fromEntries(Object.entries(action.outputs as Record<string, { value: string }>).map(([k, o]) => [k, interpolate(o.value, actionCtx)]));
  return { ...run, outputs, inputs };
}
