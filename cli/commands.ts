/**
 * The work of `posture check`, `review`, `drift` and `rules`: load, judge, redact, render every format,
 * write them all or none. The entry (./posture) requires this module only when a command runs, so
 * `posture --help` and `--version` load nothing of the engine. Here too, what only some runs use (a
 * mode's engine, --synth, --repo-root, baselines, each report format) is required where it is used:
 * start-up is a large part of the cost of a small input.
 */
import { lstatSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { BaselineUse } from "../engine/evaluate/baseline";
import { checkConfigRules, loadConfig, type PostureConfig } from "../engine/evaluate/config";
import { InputError, UsageError } from "../engine/errors";
import { ALWAYS_RUNS, compareNotices, evaluate, matchesSelection, type EvaluateOptions, type EvaluationResult, type Finding, isSelected, type Notice, type RuleSelection } from "../engine/evaluate/evaluate";
import { type LoadOptions, loadPaths, loadPlanOrInput, type PlanDocument } from "../engine/load/load";
import type { LoadedInput, Waiver } from "../engine/model/model";
import { Redactor } from "../engine/evaluate/redact";
import { globMatch, isIsoDate } from "../engine/evaluate/waivers";
import type { SynthJoin } from "../engine/review/synth-join";
import { addressPositions } from "../engine/load/plan-reader";
import { DEFAULT_MAX_BYTES, inputLimit } from "../engine/load/read-input";
import type { Rule } from "../engine/model/rule";
import { catalogueWith } from "../policies";
import { buildReport, exitCodeOf, type Report } from "../report/report";
import type { Args, Format } from "./args";
import type { Io } from "./posture";

/**
 * Runs a parsed command. `held.redactor` is set before any input is read: every value known to be
 * sensitive is added to it as soon as it is read, so even an error message printed after that point
 * is redacted.
 */
export async function execute(args: Args, io: Io, held: { redactor?: { text(s: string): string } }): Promise<number> {
  const redactor = new Redactor();
  held.redactor = redactor;
  return args.command === "rules" ? rules(args, io) : await judgeInputs(args, io, redactor);
}

function rules(args: Args, io: Io): number {
  const { rules, selection } = rulesOf(args, loadConfig(args.config));
  const shown = rules.filter((r) => matchesSelection(r.id, selection));
  const { catalogueJson, catalogueMarkdown, catalogueText } = require("../report/catalogue") as typeof import("../report/catalogue");
  const outputs = args.formats.map((f) => (f === "json" ? catalogueJson(shown) : f === "markdown" ? catalogueMarkdown(shown) : catalogueText(shown)));
  emit(args, outputs, io);
  return 0;
}

interface Judged {
  mode: Report["mode"];
  inputs: Report["inputs"];
  result: EvaluationResult;
  fixed: Finding[];
  /** review and drift with --repo-root: findings point at files relative to it. */
  repoRoot?: string;
}

/**
 * The rules of the run: the catalogue, the config's packs and --pack's; and the --only/--skip
 * selection, each of whose globs must name at least one rule (a typo never silently runs nothing).
 */
function rulesOf(args: Args, config: PostureConfig): { rules: readonly Rule[]; selection?: RuleSelection } {
  const rules = catalogueWith([...(config.packs ?? []), ...args.packs]);
  if (!args.only && !args.skip) return { rules };
  for (const [flag, globs] of [["--only", args.only], ["--skip", args.skip]] as const) {
    for (const g of globs ?? []) if (!rules.some((r) => globMatch(g, r.id))) throw new UsageError(`${flag} ${g}: matches no rule (see posture rules)`);
  }
  if (args.skip?.includes(ALWAYS_RUNS)) throw new UsageError(`--skip ${ALWAYS_RUNS}: ${ALWAYS_RUNS} cannot be skipped: it is what reports a threshold set weaker than recommended`);
  return { rules, selection: { ...(args.only ? { only: args.only } : {}), ...(args.skip ? { skip: args.skip } : {}) } };
}

/** check, review and drift: load, judge, redact, render every format, write them all or none. */
async function judgeInputs(args: Args, io: Io, redactor: Redactor): Promise<number> {
  // A bad --output is refused before any input is read (and checked again just before writing).
  outputTargets([...args.outputs, ...(args.writeBaseline !== undefined ? [args.writeBaseline] : [])]);
  const config = loadConfig(args.config);
  const { rules, selection } = rulesOf(args, config);
  checkConfigRules(config, rules); // before reading any input: a config naming an unknown rule fails fast
  const profile = args.profile ?? config.profile ?? "recommended";
  const maxBytes = inputLimit(io.env);
  if (maxBytes === undefined) throw new UsageError("POSTURE_MAX_INPUT_BYTES must be a positive number");
  const today = dateToday(io.env);
  const timeout = io.env.POSTURE_RULE_TIMEOUT_MS ? Number(io.env.POSTURE_RULE_TIMEOUT_MS) : undefined;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) throw new UsageError("POSTURE_RULE_TIMEOUT_MS must be a positive number");
  const opts: EvaluateOptions = { rules, ...(selection ? { selection } : {}), ...(timeout ? { ruleTimeoutMs: timeout } : {}), profile, config, unknown: args.unknown, today };
  // Opt-in: parsed HCL kept by content hash, so CI re-runs skip the HCL parser for unchanged files.
  const load: LoadOptions = { maxBytes, ...(io.env.POSTURE_CACHE_DIR ? { cacheDir: io.env.POSTURE_CACHE_DIR } : {}) };
  const judged = args.command === "check" ? await check(args, opts, load, redactor) : await planMode(args.command as "review" | "drift", args, opts, load, redactor);
  judged.result.notices.push(...revivedWaivers(judged.result.findings, today, io.env));
  if (args.failOnIgnored) judged.result.notices.push({ level: "info", message: `--fail-on has no effect on ${args.command}; it applies to review` });
  const { baseline, written } = useBaseline(args, judged.result, redactor, (id) => isSelected(id, selection) && !config.disabled.includes(id));
  const report = buildReport(judged.mode, profile, judged.inputs, judged.result, redactor, judged.fixed, args.failOn, { rules: rules.filter((r) => matchesSelection(r.id, selection) || judged.result.findings.some((f) => f.ruleId === r.id)), selection, baseline, config });
  if (judged.repoRoot !== undefined) report.repoRoot = judged.repoRoot;
  const colour = args.colour && io.isTty && !io.env.NO_COLOR;
  const outputs = args.formats.map((f, i) => render(f, report, colour && args.outputs[i] === undefined));
  // The report was redacted value by value when it was built; prose formats get one more pass over
  // their text. Structured formats do not: a blind substring pass could corrupt their syntax.
  emit(args, outputs.map((o, i) => (args.formats[i] === "text" || args.formats[i] === "markdown" ? redactor.text(o) : o)), io, written);
  return exitCodeOf(report);
}

/**
 * --write-baseline records the failing findings (redacted, so no secret is fingerprinted) and then
 * applies what it wrote; --baseline applies a recorded one. Returns the file to write, if any.
 */
function useBaseline(args: Args, result: EvaluationResult, redactor: Redactor, ran: (ruleId: string) => boolean): { baseline?: BaselineUse; written: Array<[string, string]> } {
  if (!args.baseline && !args.writeBaseline) return { written: [] };
  const { applyBaseline, baselineOf, formatBaseline, loadBaseline } = require("../engine/evaluate/baseline") as typeof import("../engine/evaluate/baseline");
  result.findings = redactor.deep(result.findings);
  if (args.writeBaseline) {
    const entries = baselineOf(result.findings);
    return { baseline: applyBaseline(result, { file: args.writeBaseline, entries }), written: [[args.writeBaseline, formatBaseline(entries)]] };
  }
  return { baseline: applyBaseline(result, loadBaseline(args.baseline!), ran), written: [] };
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

/** One format of the report; each formatter is required only when its format is asked for. */
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
  // Sorted, so the order of paths on the command line never changes the report.
  const inputs = await loadPaths([...new Set(args.paths)].sort(), { ...load, variables: args.variables });
  const resources = inputs.flatMap((i) => i.resources);
  redactor.addResources(resources);
  for (const i of inputs) for (const s of i.secrets ?? []) redactor.add(s);
  const result = evaluate(resources, withInputWaivers(opts, inputs));
  result.notices.push(...inputs.flatMap((i) => i.notes).map((message) => ({ level: "info" as const, message })));
  return { mode: "check", inputs: inputs.map((i) => ({ path: i.path, kind: i.kind })), result, fixed: [] };
}

/** The options with the scope waivers the inputs declare in code (a cdktf stack's metadata) added to the config's. */
function withInputWaivers(opts: EvaluateOptions, inputs: readonly { waivers?: Waiver[] }[]): EvaluateOptions {
  const waivers = inputs.flatMap((i) => i.waivers ?? []);
  return waivers.length ? { ...opts, config: { ...opts.config, waivers: [...opts.config.waivers, ...waivers] } } : opts;
}

/**
 * review and drift read one or more plans (one per stack or workspace, judged together); review also
 * takes one configuration or state and says what it did.
 */
async function planMode(mode: "review" | "drift", args: Args, opts: EvaluateOptions, load: LoadOptions, redactor: Redactor): Promise<Judged> {
  if (args.repoRoot !== undefined && !isDirectory(args.repoRoot)) throw new InputError(args.repoRoot, "--repo-root is not a directory");
  // Sorted, so the order of plans on the command line never changes the report.
  const loaded: Array<PlanDocument | LoadedInput> = [];
  for (const p of [...new Set(args.paths)].sort()) loaded.push(await loadPlanOrInput(p, load));
  const other = loaded.find((i): i is LoadedInput => !("doc" in i));
  const { reviewPlans, reviewWithoutPlan } = require("../engine/review/review") as typeof import("../engine/review/review");
  if (other) {
    redactor.addResources(other.resources);
    for (const s of other.secrets ?? []) redactor.add(s);
    const what = other.kind === "config" ? "a Terraform configuration" : "a state";
    if (mode === "drift") throw new InputError(other.path, `is ${what}, not a plan: drift needs \`terraform plan -refresh-only -out=drift.tfplan\` then \`terraform show -json drift.tfplan\``);
    if (loaded.length > 1 || args.synth || args.repoRoot) throw new InputError(other.path, `is ${what}, not a plan: review of several inputs, or with --synth or --repo-root, takes plans only`);
    const r = reviewWithoutPlan(other.resources, other.kind === "state" ? "state" : "config", other.path, withInputWaivers(opts, [other]));
    r.notices.push(...other.notes.map((message) => ({ level: "info" as const, message })));
    return { mode, inputs: [{ path: other.path, kind: other.kind }], result: r, fixed: r.fixed };
  }
  const plans = loaded as PlanDocument[];
  for (const p of plans) for (const s of p.secrets) redactor.add(s);
  const synthDir = args.synth && basename(args.synth) === "manifest.json" ? dirname(args.synth) : args.synth;
  const synth = synthDir ? joinedStacks(plans, synthDir, load.maxBytes ?? DEFAULT_MAX_BYTES) : undefined;
  const judgeOpts = synth ? withInputWaivers(opts, [{ waivers: synth.scopeWaivers }]) : opts;
  const r = mode === "review" ? reviewPlans(plans, judgeOpts, synth?.decorate) : (require("../engine/review/drift") as typeof import("../engine/review/drift")).driftPlans(plans, judgeOpts, synth?.decorate);
  redactor.addResources(r.models);
  const all = [...r.findings, ...r.fixed];
  const section = mode === "review" ? "resource_changes" : "resource_drift";
  const { pointIntoPlan, pointIntoPlanAt } = require("../engine/review/plan-locations") as typeof import("../engine/review/plan-locations");
  for (const p of plans) {
    // Positions the plan reader recorded spare decoding the whole text to find them.
    const at = addressPositions(
      p.doc,
      section,
      all.filter((f) => f.source?.file === p.path).map((f) => f.address),
    );
    if (at) pointIntoPlanAt(all, p.path, at);
    else pointIntoPlan(all, p.text, p.path, section);
  }
  if (synth) r.notices.push(...synth.notes.map((message) => ({ level: "info" as const, message })));
  if (args.repoRoot) {
    const { mapToRepository } = require("../engine/review/repo-locations") as typeof import("../engine/review/repo-locations");
    r.notices.push(...mapToRepository(all, plans, args.repoRoot, synth, opts.config.file));
  }
  r.notices.sort(compareNotices);
  return { mode, inputs: plans.map((p) => ({ path: p.path, kind: "plan" as const })), result: r, fixed: r.fixed, repoRoot: args.repoRoot };
}

/** --synth: the plans joined to the stacks of the cdktf.out directory `dir`. */
function joinedStacks(plans: PlanDocument[], dir: string, maxBytes: number): SynthJoin {
  const { readCdktfStacks } = require("../engine/load/config-files") as typeof import("../engine/load/config-files");
  const { joinPlansToStacks } = require("../engine/review/synth-join") as typeof import("../engine/review/synth-join");
  return joinPlansToStacks(plans, readCdktfStacks(dir, maxBytes), dir);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes every output, or none: the targets are checked first (a directory, a missing folder or the
 * same file named twice is refused before anything is written), then each file is written beside
 * its target and renamed into place. A symlink is written through, not replaced. `files` are written
 * with the outputs (the baseline of --write-baseline).
 */
function emit(args: Args, outputs: string[], io: Io, files: Array<[string, string]> = []): void {
  const given = [...args.outputs, ...files.map(([f]) => f)];
  const texts = [...outputs.slice(0, args.outputs.length), ...files.map(([, t]) => t)];
  const targets = outputTargets(given);
  const temps: Array<[string, string, string]> = [];
  const cleanUp = () => {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
  };
  try {
    texts.forEach((text, i) => {
      const target = targets[i];
      if (target === undefined) return;
      const tmp = `${target}.posture-${process.pid}.tmp`;
      temps.push([tmp, target, given[i]]);
      writeFileSync(tmp, text);
    });
  } catch {
    cleanUp();
    throw new InputError(temps[temps.length - 1]?.[2] ?? "output", "cannot be written");
  }
  for (let i = 0; i < temps.length; i++) {
    const [tmp, target, name] = temps[i];
    try {
      renameSync(tmp, target);
    } catch {
      cleanUp();
      throw new InputError(name, i === 0 ? "cannot be written" : `cannot be written (${temps.slice(0, i).map((t) => t[2]).join(", ")} already were)`);
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
