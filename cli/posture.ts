#!/usr/bin/env node
/**
 * The `posture` command. Exit codes (CLI.md): 0 no failing error finding, 1 at least one, 2 the
 * command could not do its job (bad usage, unreadable or malformed input, invalid config), with a
 * one- or two-line message and no stack trace unless POSTURE_DEBUG=1.
 */
import { lstatSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { loadConfig } from "../engine/config";
import { InputError, UsageError } from "../engine/errors";
import { driftPlan } from "../engine/drift";
import { evaluate, type EvaluateOptions, type EvaluationResult, type Finding, type Notice } from "../engine/evaluate";
import { loadPaths, loadPlanOrInput } from "../engine/load";
import type { LoadedInput } from "../engine/model";
import { Redactor } from "../engine/redact";
import { reviewPlan, reviewWithoutPlan } from "../engine/review";
import { isIsoDate } from "../engine/waivers";
import { pointIntoPlan } from "../engine/plan-locations";
import { DEFAULT_MAX_BYTES } from "../engine/read-input";
import { catalogueJson, catalogueMarkdown, catalogueText } from "../report/catalogue";
import { formatJson } from "../report/json";
import { formatJunit } from "../report/junit";
import { formatMarkdown } from "../report/markdown";
import { buildReport, exitCodeOf, type Report, TOOL } from "../report/report";
import { formatSarif } from "../report/sarif";
import { formatText } from "../report/text";
import { type Args, type Format, parseArgs, USAGE } from "./args";

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  // Every value known to be sensitive is added here as soon as it is read, so even an error message
  // or a POSTURE_DEBUG stack trace printed after that point is redacted.
  const redactor = new Redactor();
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
    return args.command === "rules" ? rules(args, io) : await judgeInputs(args, io, redactor);
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr(redactor.text(`posture: ${e.message}\n`));
      if (e instanceof UsageError) io.stderr("run 'posture --help' for usage\n");
    } else {
      io.stderr("posture: internal error; nothing was written (set POSTURE_DEBUG=1 for details)\n");
    }
    if (io.env.POSTURE_DEBUG === "1" && e instanceof Error && !(e instanceof InputError) && !(e instanceof UsageError)) io.stderr(redactor.text(`${e.stack ?? e.message}\n`));
    return 2;
  }
}

function rules(args: Args, io: Io): number {
  const outputs = args.formats.map((f) => (f === "json" ? catalogueJson() : f === "markdown" ? catalogueMarkdown() : catalogueText()));
  emit(args, outputs, io);
  return 0;
}

interface Judged {
  mode: Report["mode"];
  inputs: Report["inputs"];
  result: EvaluationResult;
  fixed: Finding[];
}

/** check, review and drift: load, judge, redact, render every format, write them all or none. */
async function judgeInputs(args: Args, io: Io, redactor: Redactor): Promise<number> {
  // A bad --output is refused before any input is read (and checked again just before writing).
  outputTargets(args.outputs);
  const config = loadConfig(args.config);
  const profile = args.profile ?? config.profile ?? "recommended";
  const maxBytes = io.env.POSTURE_MAX_INPUT_BYTES ? Number(io.env.POSTURE_MAX_INPUT_BYTES) : DEFAULT_MAX_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new UsageError("POSTURE_MAX_INPUT_BYTES must be a positive number");
  const today = dateToday(io.env);
  const opts: EvaluateOptions = { profile, config, unknown: args.unknown, today };
  const judged = args.command === "check" ? await check(args, opts, maxBytes, redactor) : await planMode(args.command as "review" | "drift", args.paths[0], opts, maxBytes, redactor);
  judged.result.notices.push(...revivedWaivers(judged.result.findings, today, io.env));
  if (args.failOnIgnored) judged.result.notices.push({ level: "info", message: `--fail-on has no effect on ${args.command}; it applies to review` });
  const report = buildReport(judged.mode, profile, judged.inputs, judged.result, redactor, judged.fixed, args.failOn, config);
  const colour = args.colour && io.isTty && !io.env.NO_COLOR;
  const outputs = args.formats.map((f, i) => render(f, report, colour && args.outputs[i] === undefined));
  // The report was redacted value by value when it was built; prose formats get one more pass over
  // their text. Structured formats do not: a blind substring pass could corrupt their syntax.
  emit(args, outputs.map((o, i) => (args.formats[i] === "text" || args.formats[i] === "markdown" ? redactor.text(o) : o)), io);
  return exitCodeOf(report);
}

/**
 * The date waivers expire against: today (UTC), or POSTURE_TODAY, a hook for tests that must not
 * rot as the calendar moves. It must be an ISO date, and a waiver it keeps alive past its expiry is
 * reported (see {@link revivedWaivers}).
 */
function dateToday(env: NodeJS.ProcessEnv): string {
  const set = env.POSTURE_TODAY;
  if (set === undefined) return new Date().toISOString().slice(0, 10);
  if (!isIsoDate(set)) throw new UsageError("POSTURE_TODAY must be an ISO date (YYYY-MM-DD); leave it unset to use today's date");
  return set;
}

/** A warning for each waiver applied only because POSTURE_TODAY moved the date back past its expiry. */
function revivedWaivers(findings: readonly Finding[], today: string, env: NodeJS.ProcessEnv): Notice[] {
  if (env.POSTURE_TODAY === undefined) return [];
  const real = new Date().toISOString().slice(0, 10);
  return findings
    .filter((f) => f.waiver && !f.waiver.expired && f.waiver.expires < real)
    .map((f) => ({ level: "warning" as const, message: `${f.ruleId} on ${f.address} is waived only because POSTURE_TODAY=${today}: the waiver expired on ${f.waiver!.expires}` }));
}

function render(format: Format, report: Report, colour: boolean): string {
  switch (format) {
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report);
    case "junit":
      return formatJunit(report);
    case "markdown":
      return formatMarkdown(report);
    default:
      return formatText(report, colour);
  }
}

async function check(args: Args, opts: EvaluateOptions, maxBytes: number, redactor: Redactor): Promise<Judged> {
  // Sorted, so the order of paths on the command line never changes the report.
  const inputs = await loadPaths([...new Set(args.paths)].sort(), { maxBytes });
  const resources = inputs.flatMap((i) => i.resources);
  redactor.addResources(resources);
  for (const i of inputs) for (const s of i.secrets ?? []) redactor.add(s);
  const result = evaluate(resources, withInputWaivers(opts, inputs));
  result.notices.push(...inputs.flatMap((i) => i.notes).map((message) => ({ level: "info" as const, message })));
  return { mode: "check", inputs: inputs.map((i) => ({ path: i.path, kind: i.kind })), result, fixed: [] };
}

/** The options with the scope waivers the inputs declare in code (a cdktf stack's metadata) added to the config's. */
function withInputWaivers(opts: EvaluateOptions, inputs: readonly LoadedInput[]): EvaluateOptions {
  const waivers = inputs.flatMap((i) => i.waivers ?? []);
  return waivers.length ? { ...opts, config: { ...opts.config, waivers: [...opts.config.waivers, ...waivers] } } : opts;
}

/** review and drift read one plan; review also takes a configuration or state and says what it did. */
async function planMode(mode: "review" | "drift", path: string, opts: EvaluateOptions, maxBytes: number, redactor: Redactor): Promise<Judged> {
  const input = await loadPlanOrInput(path, { maxBytes });
  if ("doc" in input) {
    for (const s of input.secrets) redactor.add(s);
    const r = mode === "review" ? reviewPlan(input.doc, input.path, opts) : driftPlan(input.doc, input.path, opts);
    redactor.addResources(r.models);
    const section = mode === "review" ? "resource_changes" : "resource_drift";
    pointIntoPlan([...r.findings, ...r.fixed], input.text, input.path, section);
    return { mode, inputs: [{ path: input.path, kind: "plan" }], result: r, fixed: r.fixed };
  }
  redactor.addResources(input.resources);
  for (const s of input.secrets ?? []) redactor.add(s);
  if (mode === "drift") {
    const what = input.kind === "config" ? "a Terraform configuration" : "a state";
    throw new InputError(path, `is ${what}, not a plan: drift needs \`terraform plan -refresh-only -out=drift.tfplan\` then \`terraform show -json drift.tfplan\``);
  }
  const r = reviewWithoutPlan(input.resources, input.kind === "state" ? "state" : "config", input.path, withInputWaivers(opts, [input]));
  r.notices.push(...input.notes.map((message) => ({ level: "info" as const, message })));
  return { mode, inputs: [{ path: input.path, kind: input.kind }], result: r, fixed: r.fixed };
}

/**
 * Writes every output, or none: the targets are checked first (a directory, a missing folder or the
 * same file named twice is refused before anything is written), then each file is written beside
 * its target and renamed into place. A symlink is written through, not replaced.
 */
function emit(args: Args, outputs: string[], io: Io): void {
  const targets = outputTargets(args.outputs);
  const temps: Array<[string, string, string]> = [];
  const cleanUp = () => {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
  };
  try {
    outputs.forEach((text, i) => {
      const target = targets[i];
      if (target === undefined) return;
      const tmp = `${target}.posture-${process.pid}.tmp`;
      temps.push([tmp, target, args.outputs[i]]);
      writeFileSync(tmp, text);
    });
  } catch {
    cleanUp();
    throw new InputError(temps[temps.length - 1]?.[2] ?? "output", "cannot be written");
  }
  for (let i = 0; i < temps.length; i++) {
    const [tmp, target, given] = temps[i];
    try {
      renameSync(tmp, target);
    } catch {
      cleanUp();
      throw new InputError(given, i === 0 ? "cannot be written" : `cannot be written (${temps.slice(0, i).map((t) => t[2]).join(", ")} already were)`);
    }
  }
  outputs.forEach((text, i) => {
    if (args.outputs[i] === undefined) io.stdout(text);
  });
}

/** The file each --output writes (symlinks followed), refusing directories, missing folders and repeats. */
function outputTargets(outputs: readonly string[]): string[] {
  const seen = new Map<string, string>();
  return outputs.map((given) => {
    const target = writeTarget(given);
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(target);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) throw new InputError(given, "is a directory; --output takes a file name");
    if (st && !st.isFile()) throw new InputError(given, "is not a regular file; --output takes a file name");
    try {
      if (!statSync(dirname(target)).isDirectory()) throw new Error();
    } catch {
      throw new InputError(given, "cannot be written: its folder does not exist");
    }
    const prior = seen.get(target);
    if (prior !== undefined) throw new InputError(given, `${prior === given ? "is named twice" : `is the same file as ${prior}`}; give each --format its own --output`);
    seen.set(target, given);
    return target;
  });
}

/** The path a write to `path` lands on: through symlinks (a dangling one to the file it names), absolute. */
function writeTarget(path: string): string {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(p).isSymbolicLink()) break;
      link = readlinkSync(p);
    } catch {
      break;
    }
    p = resolve(dirname(p), link);
  }
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

if (require.main === module) {
  // A reader that stops early (`posture check . | head`) closes the pipe: stop quietly, no stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });
  }
  run(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTty: !!process.stdout.isTTY,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
