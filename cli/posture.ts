#!/usr/bin/env node
/**
 * The `posture` command. Exit codes (CLI.md): 0 no failing error finding, 1 at least one, 2 the
 * command could not do its job (bad usage, unreadable or malformed input, invalid config), with a
 * one- or two-line message and no stack trace unless POSTURE_DEBUG=1.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { loadConfig } from "../engine/config";
import { InputError, UsageError } from "../engine/errors";
import { evaluate } from "../engine/evaluate";
import { loadPaths } from "../engine/load";
import { Redactor } from "../engine/redact";
import { DEFAULT_MAX_BYTES } from "../engine/read-input";
import { catalogueJson, catalogueMarkdown, catalogueText } from "../report/catalogue";
import { formatJson } from "../report/json";
import { buildReport, exitCodeOf, TOOL } from "../report/report";
import { formatText } from "../report/text";
import { type Args, parseArgs, USAGE } from "./args";

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args === "help") {
      io.stdout(USAGE + "\n");
      return 0;
    }
    if (args === "version") {
      io.stdout(`${TOOL.name} ${TOOL.version}\n`);
      return 0;
    }
    return args.command === "rules" ? rules(args, io) : await check(args, io);
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr(`posture: ${e.message}\n`);
      if (e instanceof UsageError) io.stderr("run 'posture --help' for usage\n");
    } else {
      io.stderr("posture: internal error; nothing was written (set POSTURE_DEBUG=1 for details)\n");
    }
    if (io.env.POSTURE_DEBUG === "1" && e instanceof Error && !(e instanceof InputError) && !(e instanceof UsageError)) io.stderr(`${e.stack ?? e.message}\n`);
    return 2;
  }
}

function rules(args: Args, io: Io): number {
  const outputs = args.formats.map((f) => (f === "json" ? catalogueJson() : f === "markdown" ? catalogueMarkdown() : catalogueText()));
  emit(args, outputs, io);
  return 0;
}

async function check(args: Args, io: Io): Promise<number> {
  const config = loadConfig(args.config);
  const profile = args.profile ?? config.profile ?? "recommended";
  const maxBytes = io.env.POSTURE_MAX_INPUT_BYTES ? Number(io.env.POSTURE_MAX_INPUT_BYTES) : DEFAULT_MAX_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new UsageError("POSTURE_MAX_INPUT_BYTES must be a positive number");
  // Sorted, so the order of paths on the command line never changes the report.
  const inputs = await loadPaths([...new Set(args.paths)].sort(), { maxBytes });
  const resources = inputs.flatMap((i) => i.resources);
  const today = io.env.POSTURE_TODAY ?? new Date().toISOString().slice(0, 10);
  const result = evaluate(resources, { profile, config, unknown: args.unknown, today });
  result.notices.push(...inputs.flatMap((i) => i.notes).map((message) => ({ level: "info" as const, message })));
  const redactor = new Redactor().addResources(resources);
  for (const i of inputs) for (const s of i.secrets ?? []) redactor.add(s);
  const report = buildReport(
    "check",
    profile,
    inputs.map((i) => ({ path: i.path, kind: i.kind })),
    result,
    redactor,
  );
  const colour = args.colour && io.isTty && !io.env.NO_COLOR;
  const outputs = args.formats.map((f, i) => (f === "json" ? formatJson(report) : formatText(report, colour && args.outputs[i] === undefined)));
  emit(args, outputs.map((o) => redactor.text(o)), io);
  return exitCodeOf(report);
}

/** Writes every output, or none: each file is written beside its target and renamed into place. */
function emit(args: Args, outputs: string[], io: Io): void {
  const temps: Array<[string, string]> = [];
  try {
    outputs.forEach((text, i) => {
      const target = args.outputs[i];
      if (target === undefined) return;
      const tmp = `${target}.posture-${process.pid}.tmp`;
      writeFileSync(tmp, text);
      temps.push([tmp, target]);
    });
  } catch {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    throw new InputError(args.outputs[temps.length] ?? "output", "cannot be written");
  }
  for (const [tmp, target] of temps) renameSync(tmp, target);
  outputs.forEach((text, i) => {
    if (args.outputs[i] === undefined) io.stdout(text);
  });
}

if (require.main === module) {
  run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
