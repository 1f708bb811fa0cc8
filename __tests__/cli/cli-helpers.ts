import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");
export const CLI = join(ROOT, "dist", "cli", "posture.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would (npm test builds it first). */
export function posture(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH, POSTURE_TODAY: "2026-11-29", ...opts.env },
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
