/**
 * Shared pieces of the adversarial suite: a scratch directory, the CLI run in-process (fast) or as a
 * child process with a time limit (for inputs that could block or grow without bound), and a plan
 * that fails PLAN-1 so a test can see a crafted addition flip (or not flip) a verdict.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../cli/posture";
import { CLI } from "../cli/cli-helpers";
import { type Entry, logStream, oktaTenant, plan } from "../review/plan-builder";

export const TODAY = "2026-11-29";

export const scratch = (): string => mkdtempSync(join(tmpdir(), "posture-adv-"));

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI in this process (no build needed, milliseconds per run). */
export async function cli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: { POSTURE_TODAY: TODAY, ...env } });
  return { code, stdout, stderr };
}

/** The built CLI as a child process, killed after `timeoutMs`: `code` is null when it was. */
export function cliProcess(args: string[], opts: { env?: Record<string, string>; input?: string | Buffer; timeoutMs?: number; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, POSTURE_TODAY: TODAY, ...opts.env },
    input: opts.input,
    cwd: opts.cwd,
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 10_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** A plan whose only blocking finding is PLAN-1 (a log stream forgotten), plus an unrelated Okta change. */
export function forgottenLogStreamPlan(extra: Entry[] = []): Record<string, unknown> {
  return plan([
    ...oktaTenant,
    { address: "okta_log_stream.siem", actions: ["forget"], before: logStream() },
    { address: "okta_log_stream.siem2", actions: ["no-op"], before: logStream({ name: "SIEM 2" }), after: logStream({ name: "SIEM 2" }) },
    { address: "okta_user.x", actions: ["update"], before: { login: "a@example.com" }, after: { login: "b@example.com" } },
    ...extra,
  ]);
}

export function writeJson(dir: string, name: string, doc: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, typeof doc === "string" ? doc : JSON.stringify(doc));
  return f;
}

/** The findings of a JSON report as short strings, for comparing verdicts. */
export function briefs(stdout: string): string[] {
  const r = JSON.parse(stdout) as { findings: Array<{ ruleId: string; address: string; outcome: string }> };
  return r.findings.map((f) => `${f.ruleId} ${f.address} ${f.outcome}`);
}

/** Own property names of Object.prototype and Array.prototype: must not change under any input. */
export function prototypeKeys(): string[] {
  return [...Object.getOwnPropertyNames(Object.prototype), "|", ...Object.getOwnPropertyNames(Array.prototype)].sort();
}
