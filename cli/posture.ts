#!/usr/bin/env node
/**
 * The `posture` command. Exit codes (CLI.md): 0 no failing error finding, 1 at least one, 2 the
 * command could not do its job (bad usage, unreadable or malformed input, invalid config), with a
 * one- or two-line message and no stack trace unless POSTURE_DEBUG=1.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import type { EvaluateOptions, EvaluationResult, Finding } from "../engine/evaluate";
import { InputError, UsageError } from "../engine/errors";
import type { LoadOptions } from "../engine/load";
import type { LoadedInput } from "../engine/model";
import type { Redactor } from "../engine/redact";
import { buildReport, exitCodeOf, type Report, TOOL } from "../report/report";
import { type Args, type Format, parseArgs, USAGE } from "./args";

// The engine, the catalogue and the formats are required where first used (`require` with the
// module's type), so `posture --help` and `--version` load only the argument parser: start-up is
// most of their cost.
type Engine = typeof import("../engine/config") &
  typeof import("../engine/drift") &
  typeof import("../engine/evaluate") &
  typeof import("../engine/load") &
  typeof import("../engine/redact") &
  typeof import("../engine/review") &
  typeof import("../engine/plan-locations") &
  typeof import("../engine/plan-reader") &
  typeof import("../engine/read-input");
let engineModules: Engine | undefined;
function engine(): Engine {
  engineModules ??= Object.assign(
    {},
    require("../engine/config"),
    require("../engine/drift"),
    require("../engine/evaluate"),
    require("../engine/load"),
    require("../engine/redact"),
    require("../engine/review"),
    require("../engine/plan-locations"),
    require("../engine/plan-reader"),
    require("../engine/read-input"),
  ) as Engine;
  return engineModules;
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTty: boolean;
  env: NodeJS.ProcessEnv;
}

export async function run(argv: readonly string[], io: Io): Promise<number> {
  // Every value known to be sensitive is added to the redactor as soon as it is read, so even an
  // error message or a POSTURE_DEBUG stack trace printed after that point is redacted.
  const held: { redactor?: Redactor } = {};
  const redact = (s: string): string => (held.redactor ? held.redactor.text(s) : s);
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
    if (args.command === "rules") return rules(args, io);
    held.redactor = new (engine().Redactor)();
    return await judgeInputs(args, io, held.redactor);
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr(redact(`posture: ${e.message}\n`));
      if (e instanceof UsageError) io.stderr("run 'posture --help' for usage\n");
    } else {
      io.stderr("posture: internal error; nothing was written (set POSTURE_DEBUG=1 for details)\n");
    }
    if (io.env.POSTURE_DEBUG === "1" && e instanceof Error && !(e instanceof InputError) && !(e instanceof UsageError)) io.stderr(redact(`${e.stack ?? e.message}\n`));
    return 2;
  }
}

function rules(args: Args, io: Io): number {
  const { catalogueJson, catalogueMarkdown, catalogueText } = require("../report/catalogue") as typeof import("../report/catalogue");
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
  const { loadConfig, DEFAULT_MAX_BYTES } = engine();
  const config = loadConfig(args.config);
  const profile = args.profile ?? config.profile ?? "recommended";
  const maxBytes = io.env.POSTURE_MAX_INPUT_BYTES ? Number(io.env.POSTURE_MAX_INPUT_BYTES) : DEFAULT_MAX_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new UsageError("POSTURE_MAX_INPUT_BYTES must be a positive number");
  const today = io.env.POSTURE_TODAY ?? new Date().toISOString().slice(0, 10);
  const opts: EvaluateOptions = { profile, config, unknown: args.unknown, today };
  // Opt-in: parsed HCL kept by content hash, so CI re-runs skip the HCL parser for unchanged files.
  const load = { maxBytes, ...(io.env.POSTURE_CACHE_DIR ? { cacheDir: io.env.POSTURE_CACHE_DIR } : {}) };
  const judged = args.command === "check" ? await check(args, opts, load, redactor) : await planMode(args.command as "review" | "drift", args.paths[0], opts, load, redactor);
  if (args.failOnIgnored) judged.result.notices.push({ level: "info", message: `--fail-on has no effect on ${args.command}; it applies to review` });
  const report = buildReport(judged.mode, profile, judged.inputs, judged.result, redactor, judged.fixed, args.failOn);
  const colour = args.colour && io.isTty && !io.env.NO_COLOR;
  const outputs = args.formats.map((f, i) => render(f, report, colour && args.outputs[i] === undefined));
  // The report was redacted value by value when it was built; prose formats get one more pass over
  // their text. Structured formats do not: a blind substring pass could corrupt their syntax.
  emit(args, outputs.map((o, i) => (args.formats[i] === "text" || args.formats[i] === "markdown" ? redactor.text(o) : o)), io);
  return exitCodeOf(report);
}

/** Renders one format; only that format's module is loaded. */
function render(format: Format, report: Report, colour: boolean): string {
  switch (format) {
    case "json":
      return (require("../report/json") as typeof import("../report/json")).formatJson(report);
    case "sarif":
      return (require("../report/sarif") as typeof import("../report/sarif")).formatSarif(report);
    case "junit":
      return (require("../report/junit") as typeof import("../report/junit")).formatJunit(report);
    case "markdown":
      return (require("../report/markdown") as typeof import("../report/markdown")).formatMarkdown(report);
    default:
      return (require("../report/text") as typeof import("../report/text")).formatText(report, colour);
  }
}

async function check(args: Args, opts: EvaluateOptions, load: LoadOptions, redactor: Redactor): Promise<Judged> {
  const { loadPaths, evaluate } = engine();
  // Sorted, so the order of paths on the command line never changes the report.
  const inputs = await loadPaths([...new Set(args.paths)].sort(), load);
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
async function planMode(mode: "review" | "drift", path: string, opts: EvaluateOptions, load: LoadOptions, redactor: Redactor): Promise<Judged> {
  const { loadPlanOrInput, reviewPlan, driftPlan, pointIntoPlan, reviewWithoutPlan, addressOffsets } = engine();
  const input = await loadPlanOrInput(path, load);
  if ("doc" in input) {
    for (const s of input.secrets) redactor.add(s);
    const r = mode === "review" ? reviewPlan(input.doc, input.path, opts) : driftPlan(input.doc, input.path, opts);
    redactor.addResources(r.models);
    const section = mode === "review" ? "resource_changes" : "resource_drift";
    pointIntoPlan([...r.findings, ...r.fixed], input.text, input.path, section, addressOffsets(input.doc, section));
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
