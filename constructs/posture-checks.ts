/**
 * Synth-time checks: the catalogue evaluated on each stack's final Terraform JSON, reported as
 * annotations on the construct that owns each resource, a one-line summary per synth and
 * `<outdir>/posture-report.json` (the JSON report of `posture check`). Errors fail `app.synth()` and
 * `cdktf synth`; warnings and unknown verdicts print. This is a thin adapter: every rule lives in the
 * engine.
 *
 * It never relies on the framework copy it imports: users' stacks may be built by another copy of
 * cdktf, or by CDK Terrain (cdktn) under the cdktf name, whose aspects live under a different symbol.
 * The checks are validations on the stacks' and the app's own construct nodes, which every copy runs.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Annotations, type App, type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { EMPTY_CONFIG, loadConfig, type PostureConfig } from "../engine/evaluate/config";
import { type EvaluateOptions, type EvaluationResult, type Finding, finalize, type Judgement, judge } from "../engine/evaluate/evaluate";
import { type LoadedInput, providerOf, type Resource, type Waiver } from "../engine/model/model";
import { Redactor } from "../engine/evaluate/redact";
import type { PackSource } from "../engine/evaluate/packs";
import { catalogueWith } from "../policies";
import type { Profile, Rule } from "../policies/rule";
import { buildReport, type Report } from "../report/report";
import { formatJson } from "../report/json";
import { loadStack, sameJson, serialise, shareWithSynthesizer, stackInput } from "./stack-model";

export interface PostureCheckOptions {
  /** The profile to check against. Default: the config's profile, else `recommended`. */
  readonly profile?: Profile;
  /** Thresholds, disabled rules and waivers: a parsed config, or the path of a posture.config.json. Default: none. */
  readonly config?: PostureConfig | string;
  /** How an unknown verdict counts: a warning, or an error that fails synth. Default `warn`. */
  readonly unknown?: "warn" | "fail";
  /**
   * What scope rules (a log stream exists, WebAuthn is active) look at: every stack of the app, so a
   * log stream in one stack satisfies OKTA-LOG-1 for the tenant, or each stack alone. Default `app`.
   */
  readonly scope?: "app" | "stack";
  /** Today's date for waiver expiry (`YYYY-MM-DD`). Default: today. */
  readonly today?: string;
  /**
   * Rule packs to run besides the built-in catalogue: pack objects (`import orgRules from "./org-rules"`)
   * or module paths (relative to the working directory), added to the config's `packs`. Default: none.
   */
  readonly packs?: readonly PackSource[];
  /** Write `posture-report.json` (the JSON report of `posture check`) into the app's outdir at each synth. Default `true`. */
  readonly report?: boolean;
  /** Print the one-line summary (`identity-posture: 2 stacks, 59 checks, 0 errors, 1 waived`) at each synth. Default `true`. */
  readonly summary?: boolean;
}

/** The report's file name in the app's outdir. */
export const SYNTH_REPORT = "posture-report.json";

const LEVEL = { error: "@cdktf/error", warning: "@cdktf/warn", info: "@cdktf/info" } as const;
/** The variable cdktf's stack synthesizer reads: when set, error annotations do not stop synth (the cdktf CLI reports them). */
const CONTINUE_ON_ERRORS = "CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS";

type Group = "okta" | "cloudflare";

/** What one stack's check found in the current synth. */
interface Checked {
  json: object;
  input: LoadedInput;
  judgements: Judgement[];
}

export class PostureChecks implements IAspect {
  /**
   * Checks every stack of `app` at synth: a validation on each stack (cdktf runs validations after
   * every aspect, so the check sees each stack's final JSON) and one on the app, which checks stacks
   * added after this call, prints the summary and fails synth when no stack was checked. Call it after
   * building the stacks so that findings are annotated on their constructs.
   * @throws when the app was created with `skipValidation: true` (cdktf would never run the checks).
   */
  static applyTo(app: App | IConstruct, options: PostureCheckOptions = {}): PostureChecks {
    const checks = new PostureChecks(options);
    checks.attach(app);
    return checks;
  }

  private readonly config: PostureConfig;
  private readonly profile: Profile;
  private readonly registered = new WeakSet<IConstruct>();
  private scopeRoot: IConstruct | undefined;
  /** Stacks checked in the current synth, in check order; a stack checked again starts a new synth. */
  private pass = new Map<TerraformStack, Checked>();
  /** Scope judgements of the current synth, by the stack that owns them and the provider. */
  private scopeJudgements = new Map<string, Judgement[]>();
  private unchecked = new Map<TerraformStack, Set<Group>>();
  private passStacks: TerraformStack[] | undefined;
  private passOptions: EvaluateOptions | undefined;
  /** The last synth's model and verdicts of each stack, by the JSON they were judged from. */
  private readonly memo = new WeakMap<TerraformStack, { json: object; outdir: string | undefined; input: LoadedInput; judgements: Judgement[] }>();
  private emitted = false;
  private readonly rules: readonly Rule[];

  constructor(private readonly options: PostureCheckOptions = {}) {
    this.config = typeof options.config === "string" ? loadConfig(options.config) : (options.config ?? EMPTY_CONFIG);
    this.profile = options.profile ?? this.config.profile ?? "recommended";
    this.rules = catalogueWith([...(this.config.packs ?? []), ...(options.packs ?? [])]);
  }

  /** Registers the checks on `scope`'s stacks, and the end-of-synth check on `scope` itself. */
  private attach(scope: IConstruct): void {
    const root = scope.node.root as IConstruct & { skipValidation?: unknown };
    if (root.skipValidation === true) {
      throw new Error("PostureChecks.applyTo: the App was created with skipValidation: true, so cdktf would never run the checks; remove skipValidation");
    }
    this.scopeRoot = scope;
    // On the root (the App), whose validations cdktf runs once, after every stack is synthesized.
    if (!this.registered.has(root)) {
      this.registered.add(root);
      root.node.addValidation({ validate: () => this.finishSynth() });
    }
    for (const s of this.stacks()) this.register(s);
  }

  /** An aspect too, for `Aspects.of(stack).add(checks)`: it registers the check on each stack it visits. */
  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) this.register(node);
  }

  private register(stack: TerraformStack): void {
    this.scopeRoot ??= stack.node.root;
    if (this.registered.has(stack)) return;
    this.registered.add(stack);
    stack.node.addValidation({
      validate: () => {
        this.validateStack(stack);
        return [];
      },
    });
  }

  /** Every stack the checks cover, in synth order (found by walking the tree: any framework copy's stacks). */
  private stacks(): TerraformStack[] {
    const scope = this.scopeRoot;
    if (!scope) return [];
    return scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  }

  private validateStack(stack: TerraformStack): void {
    if (this.pass.has(stack)) this.newPass();
    if (this.pass.size === 0) this.removeReport();
    // Stacks added after applyTo are found here, before cdktf synthesizes them (one walk per synth).
    this.passStacks ??= this.stacks();
    const stacks = this.passStacks;
    for (const s of stacks) this.register(s);
    this.check(stack, stacks);
    const stops = process.env[CONTINUE_ON_ERRORS] === undefined && hasError(stack);
    const checked = this.pass.get(stack);
    if (checked && !stops && (stack.node.root as { hclOutput?: unknown }).hclOutput !== true) shareWithSynthesizer(stack, checked.json);
    if (stacks.every((s) => this.pass.has(s))) this.emit(stacks, stack);
    else if (stops) this.emit(stacks, stack, `synth stopped at stack ${stack.node.id}`);
  }

  /**
   * Evaluates one stack and annotates its constructs: the stack's resource rules, and the scope rules
   * of each provider whose last user (in synth order, among the stacks in scope) this stack is: only
   * then has every other stack of the scope been through its aspects. Public for users who drive the
   * check themselves (a custom synth, a test).
   */
  check(stack: TerraformStack, stacks: readonly TerraformStack[] = this.stacks()): void {
    this.scopeRoot ??= stack.node.root;
    const json = serialise(stack);
    const { input, judgements } = this.judgeResources(stack, json);
    const opts = this.evalOptions();
    this.pass.set(stack, { json, input, judgements });
    const findings = finalize(judgements, input.resources, opts).findings;
    const owners = findings.length > 0 ? constructsByPath(stack) : new Map<string, IConstruct>();
    const redactor = findings.length > 0 ? new Redactor().addResources(input.resources) : undefined;
    for (const f of redactor?.deep(findings) ?? []) {
      // Resources without a construct path (provider blocks, escape-hatch additions) are reported on the stack.
      annotate((f.constructPath && owners.get(f.constructPath)) || stack, f, this.profile);
    }
    const inScope = this.options.scope === "stack" ? [stack] : stacks;
    const groups: Array<Group | "any"> = (["okta", "cloudflare"] as const).filter((g) => lastUser(inScope, g, (s) => this.pass.get(s)?.input.resources, (s) => this.constructGroups(s)) === stack);
    // Scope rules of no one provider (a pack's) are judged by the last stack in scope, over every stack.
    if (inScope[inScope.length - 1] === stack && this.rules.some((r) => r.kind === "scope" && r.provider === "any")) groups.push("any");
    if (groups.length > 0) {
      // Stacks after this one do not use the providers it judges (it is their last user): not serialised.
      const upTo = inScope.slice(0, inScope.indexOf(stack) + 1);
      const inputs = upTo.map((s) => this.pass.get(s)?.input ?? stackInput(s, this.outdir()));
      const resources = inputs.flatMap((i) => i.resources);
      const scoped = { ...opts, config: { ...opts.config, waivers: [...opts.config.waivers, ...scopeWaivers(inputs)] } };
      let scopeRedactor: Redactor | undefined;
      // One judge for every provider this stack judges: one index of the scope's resources.
      const judged = judge(resources, scoped, (r) => r.kind === "scope" && (groups as string[]).includes(r.provider));
      for (const g of groups) {
        const sj = judged.filter((j) => j.rule.provider === g);
        this.scopeJudgements.set(`${stack.node.path}\u0000${g}`, sj);
        const scopeFindings = finalize(sj, [], scoped).findings.filter((f) => f.address !== "(config)");
        if (scopeFindings.length === 0) continue;
        scopeRedactor ??= new Redactor().addResources(resources);
        for (const f of scopeRedactor.deep(scopeFindings)) annotate(stack, f, this.profile);
      }
    }
  }

  /**
   * The end of `app.synth()` (cdktf validates the app after synthesizing every stack): stacks that were
   * never checked (added after applyTo, before every checked stack) are checked now and their errors
   * fail synth here; no stack at all is an error.
   */
  private finishSynth(): string[] {
    const stacks = this.stacks();
    try {
      if (stacks.length === 0) {
        return [`identity-posture: PostureChecks checked no stack: ${this.scopeRoot?.node.path || "the app"} has no TerraformStack at synth: give PostureChecks.applyTo the App (or a construct) the stacks are built in`];
      }
      const late = stacks.filter((s) => !this.pass.has(s));
      if (late.length === 0) {
        if (!this.emitted) this.emit(stacks, stacks[stacks.length - 1]);
        return [];
      }
      const errors: string[] = [];
      for (const s of late) {
        this.check(s);
        for (const c of s.node.findAll()) {
          for (const m of c.node.metadata) if (m.type === LEVEL.error && this.ownMessage(m.data)) errors.push(`[${c.node.path}] ${m.data}`);
        }
      }
      this.emit(stacks, stacks[stacks.length - 1]);
      return errors;
    } finally {
      this.newPass();
    }
  }

  /** The one-line summary and the report of the current synth (`partial`: why it covers only some stacks). */
  private emit(stacks: TerraformStack[], last: TerraformStack, partial?: string): void {
    this.emitted = true;
    const checked = stacks.filter((s) => this.pass.has(s)).map((s) => this.pass.get(s) as Checked);
    const inputs = checked.map((c) => c.input);
    const resources = inputs.flatMap((i) => i.resources);
    const opts = this.evalOptions();
    const withScope = { ...opts, config: { ...opts.config, waivers: [...opts.config.waivers, ...scopeWaivers(inputs)] } };
    const judgements = [...checked.flatMap((c) => c.judgements), ...[...this.scopeJudgements.values()].flat()];
    const result: EvaluationResult = finalize(judgements, resources, withScope);
    result.notices.push(...inputs.flatMap((i) => i.notes).map((message) => ({ level: "info" as const, message })));
    // Findings are what can quote a value; without any, there is nothing to redact.
    const redactor = result.findings.length > 0 ? new Redactor().addResources(resources) : new Redactor();
    for (const i of inputs) for (const s of i.secrets ?? []) redactor.add(s);
    const outdir = this.outdir();
    // The JSON report does not list passes: the evaluations are counted, not copied into it.
    const report = buildReport("check", this.profile, [{ path: outdir ?? ".", kind: "config" }], { ...result, evaluated: [] }, redactor);
    if (!partial) {
      for (const f of report.findings) if (f.address === "(config)") annotate(last, f, this.profile);
      for (const n of report.notices) if (n.level === "warning") addOnce(last, "warning", `[identity-posture] ${n.message}`);
    }
    if (this.options.summary !== false) process.stdout.write(summaryLine(report, result.evaluated.length, checked.length, stacks.length, partial) + "\n");
    if (this.options.report !== false && outdir !== undefined) writeAtomically(join(outdir, SYNTH_REPORT), formatJson(report));
  }

  /**
   * The stack's model and resource-rule verdicts, reused from the previous synth when the stack's JSON
   * has not changed (the rules read nothing else; waivers are applied afterwards, on fresh findings).
   */
  private judgeResources(stack: TerraformStack, json: object): { input: LoadedInput; judgements: Judgement[] } {
    const outdir = this.outdir();
    let memo = this.memo.get(stack);
    if (!memo || memo.outdir !== outdir || !sameJson(memo.json, json)) {
      const input = loadStack(stack, json, outdir);
      memo = { json, outdir, input, judgements: judge(input.resources, this.evalOptions(), (r) => r.kind === "resource") };
      this.memo.set(stack, memo);
    }
    // finalize() marks findings waived: each synth gets its own copies.
    return { input: memo.input, judgements: memo.judgements.map((j) => (j.finding ? { ...j, finding: { ...j.finding } } : j)) };
  }

  /** The providers whose resources a stack not yet checked declares, from its constructs (once per synth). */
  private constructGroups(stack: TerraformStack): Set<Group> {
    let groups = this.unchecked.get(stack);
    if (!groups) {
      groups = new Set();
      for (const c of stack.node.findAll()) {
        const type = (c as { terraformResourceType?: unknown }).terraformResourceType;
        const p = typeof type === "string" ? providerOf(type) : undefined;
        if (p === "okta" || p === "cloudflare") groups.add(p);
      }
      this.unchecked.set(stack, groups);
    }
    return groups;
  }

  private newPass(): void {
    this.passStacks = undefined;
    this.passOptions = undefined;
    this.unchecked = new Map();
    this.pass = new Map();
    this.scopeJudgements = new Map();
    this.emitted = false;
  }

  private removeReport(): void {
    const outdir = this.outdir();
    if (this.options.report !== false && outdir !== undefined) rmSync(join(outdir, SYNTH_REPORT), { force: true });
  }

  /** The app's outdir (any framework copy's App has one), where cdktf writes the stacks. */
  private outdir(): string | undefined {
    const outdir = (this.scopeRoot?.node.root as { outdir?: unknown } | undefined)?.outdir;
    return typeof outdir === "string" ? outdir : undefined;
  }

  /** The evaluation options of the current synth (today's date read once per synth). */
  private evalOptions(): EvaluateOptions {
    this.passOptions ??= {
      rules: this.rules,
      profile: this.profile,
      config: this.config,
      unknown: this.options.unknown ?? "warn",
      today: this.options.today ?? new Date().toISOString().slice(0, 10),
    };
    return this.passOptions;
  }

  private ownMessage(data: unknown): boolean {
    return typeof data === "string" && /^\[[A-Z]+(-[A-Z0-9]+)+\] /.test(data) && this.rules.some((r) => r.id === data.slice(1, data.indexOf("]")));
  }
}

/** `identity-posture: 2 stacks, 59 checks, 0 errors, 1 waived`. */
export function summaryLine(report: Report, checks: number, checked: number, total: number, partial?: string): string {
  const stacks = checked === total ? `${total} stack${total === 1 ? "" : "s"}` : `${checked} of ${total} stacks`;
  const s = report.summary;
  return `identity-posture: ${stacks}, ${checks} checks, ${s.errors} error${s.errors === 1 ? "" : "s"}, ${s.waived} waived${partial ? ` (${partial})` : ""}`;
}

/**
 * The last stack (in synth order) with managed resources of the provider: the stack that judges the
 * provider's scope rules. A stack already checked answers from its final JSON, a later one from its
 * constructs (its aspects have not run yet).
 */
function lastUser(stacks: readonly TerraformStack[], group: Group, checked: (s: TerraformStack) => Resource[] | undefined, declared: (s: TerraformStack) => Set<Group>): TerraformStack | undefined {
  for (let i = stacks.length - 1; i >= 0; i--) {
    const resources = checked(stacks[i]);
    const uses = resources ? resources.some((r) => r.mode === "managed" && providerOf(r.type) === group) : declared(stacks[i]).has(group);
    if (uses) return stacks[i];
  }
  return undefined;
}

/** Scope waivers written in the stacks' metadata, each declared once (a construct shared by stacks). */
function scopeWaivers(inputs: readonly LoadedInput[]): Waiver[] {
  const out: Waiver[] = [];
  for (const w of inputs.flatMap((i) => i.waivers ?? [])) {
    if (!out.some((x) => x.rule === w.rule && x.reason === w.reason && x.expires === w.expires && x.owner === w.owner)) out.push(w);
  }
  return out;
}

function hasError(stack: TerraformStack): boolean {
  return stack.node.findAll().some((c) => c.node.metadata.some((m) => m.type === LEVEL.error));
}

function constructsByPath(stack: TerraformStack): Map<string, IConstruct> {
  return new Map(stack.node.findAll().map((c) => [c.node.path, c]));
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Adds the annotation unless an identical one is already there (a stack may be synthesized twice). */
function annotate(target: IConstruct, f: Finding, profile: Profile): void {
  const where = f.address === "(scope)" ? "" : ` (${f.address}${f.attribute ? ` ${f.attribute}` : ""})`;
  let level: keyof typeof LEVEL;
  let message: string;
  if (f.outcome === "waived") {
    level = "info";
    message = `[${f.ruleId}] waived until ${f.waiver?.expires}: ${f.waiver?.reason}${where}`;
  } else {
    level = f.outcome === "fail" && f.severity === "error" ? "error" : "warning";
    const verdict = f.outcome === "unknown" ? "unknown: " : "";
    message =
      `[${f.ruleId}] ${verdict}${f.message}${where} (${profile} profile). ` +
      `To accept the risk: Posture.waive(construct, { rule: "${f.ruleId}", reason: "<why>", expires: "YYYY-MM-DD" })`;
  }
  addOnce(target, level, message);
}

function addOnce(target: IConstruct, level: keyof typeof LEVEL, message: string): void {
  if (target.node.metadata.some((m) => m.type === LEVEL[level] && m.data === message)) return;
  const a = Annotations.of(target);
  if (level === "error") a.addError(message);
  else if (level === "warning") a.addWarning(message);
  else a.addInfo(message);
}

