/**
 * Runs the catalogue over one scope and turns verdicts into findings: waivers applied (expired ones
 * reported, stale ones warned about), unknown verdicts counted as warnings or, with `--unknown fail`,
 * as failures, CONFIG-1 from the user's overrides, and findings sorted so the same input gives the same
 * bytes out.
 *
 * It works in two steps so that `posture review` and `posture drift` can judge two models (before and
 * after) and add their own findings before waivers are applied once: {@link judge} gives the raw
 * verdicts of one model, {@link finalize} applies waivers, adds CONFIG-1 and sorts.
 */
import { checkConfigRules, type PostureConfig, weakerOverrides } from "./config";
import { packOf, verdictsOf } from "./packs";
import { type Profile, type ResourceRule, type Rule, type RuleContext, type ScopeRule, type Severity, thresholdsFor, type Verdict } from "../model/rule";
import { isSensitive } from "../model/view";
import type { Resource, SourceLocation, Waiver } from "../model/model";
import { REDACTED } from "./redact";
import { Scope } from "../model/scope";
import type { TenantGroup, TenantGroups } from "../review/tenants";
import { declaredWaivers, globMatch, isExpired, waiversFor } from "./waivers";

export type Outcome = "fail" | "unknown" | "waived";
export type Change = "new" | "existing" | "regression" | "drift";

export interface FindingWaiver {
  reason: string;
  expires: string;
  owner?: string;
  origin: Waiver["origin"];
  /** True when the expiry date has passed: the waiver no longer applies. */
  expired: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  outcome: Outcome;
  address: string;
  resourceType: string;
  constructPath?: string;
  attribute?: string;
  message: string;
  change?: Change;
  before?: unknown;
  after?: unknown;
  waiver: FindingWaiver | null;
  /** Where the resource is declared (not part of the JSON report's finding; SARIF uses it). */
  source?: SourceLocation;
  /**
   * review and drift: the plan the finding comes from, with its entry's line and column. `source` is
   * the same place unless the finding was mapped to the code that declares the resource (`--synth`,
   * `--repo-root`).
   */
  plan?: SourceLocation;
}

/** One (rule, resource) evaluation, for formats that list passes too (JUnit). */
export interface Evaluated {
  ruleId: string;
  address: string;
  outcome: "pass" | Outcome;
  /** Where the resource is declared: addresses repeat across stacks and inputs. */
  constructPath?: string;
  source?: SourceLocation;
}

export interface Notice {
  level: "warning" | "info";
  message: string;
}

export interface EvaluationResult {
  findings: Finding[];
  evaluated: Evaluated[];
  passed: number;
  notices: Notice[];
}

export interface EvaluateOptions {
  /**
   * The rules: the built-in catalogue (`CATALOGUE`), with any packs added (`withPacks`). Plan and
   * config rules (PLAN-1, PLAN-2, DRIFT-1, CONFIG-1) run only when they are in the list.
   */
  rules: readonly Rule[];
  /** `--only` and `--skip`: rule id globs (`CF-ACC-*`). A rule outside the selection does not run. */
  selection?: RuleSelection;
  /** Bound on one pack rule's evaluation of one model, in milliseconds. Default 5000. */
  ruleTimeoutMs?: number;
  profile: Profile;
  config: PostureConfig;
  /** How an unknown verdict counts: a warning (default) or a failure. */
  unknown: "warn" | "fail";
  /** Today's date (YYYY-MM-DD), for waiver expiry. */
  today: string;
}

/**
 * One raw (rule, resource) or (rule, scope) verdict that is not `not-applicable`. `finding` is set
 * for everything but a pass; `resource` is the resource the verdict is about (none for a scope
 * finding), which waivers in code and construct-path globs need.
 */
export interface Judgement {
  rule: Rule;
  address: string;
  resource?: Resource;
  outcome: "pass" | "fail" | "unknown";
  finding?: Finding;
  /** A scope rule's verdict on one tenant's plans (see engine/tenants): its group's label. */
  tenant?: string;
}

export const SCOPE_ADDRESS = "(scope)";

/** `--only` and `--skip` as rule id globs, where `*` matches any run of characters. */
export interface RuleSelection {
  only?: readonly string[];
  skip?: readonly string[];
}

/**
 * CONFIG-1 reports a threshold the config sets weaker than recommended: neither `disabled` nor
 * `--only`/`--skip` can leave it out, so no way of choosing rules hides a weakened control.
 */
export const ALWAYS_RUNS = "CONFIG-1";

/** True when the selection's globs keep the rule id (what `posture rules --only` lists). */
export function matchesSelection(id: string, selection: RuleSelection | undefined): boolean {
  if (!selection) return true;
  if (selection.only && !selection.only.some((g) => globMatch(g, id))) return false;
  return !(selection.skip ?? []).some((g) => globMatch(g, id));
}

/** True when the rule runs under the selection: the rules it keeps, and CONFIG-1 always. */
export function isSelected(id: string, selection: RuleSelection | undefined): boolean {
  return id === ALWAYS_RUNS || matchesSelection(id, selection);
}

/** True when the rule runs: not disabled by the config and kept by `--only`/`--skip`. */
export function isEnabled(rule: Rule, opts: EvaluateOptions): boolean {
  return !opts.config.disabled.includes(rule.id) && isSelected(rule.id, opts.selection);
}

/**
 * The verdict of every enabled resource and scope rule on one model, before waivers. `include` picks
 * a subset of the rules (the synth-time check judges resource rules per stack, scope rules once). With
 * `tenants`, a scope rule of a provider grouped there judges each group's plans (units) on their own.
 */
export function judge(resources: readonly Resource[], opts: EvaluateOptions, include: (rule: Rule) => boolean = () => true, tenants?: TenantGroups): Judgement[] {
  checkConfigRules(opts.config, opts.rules);
  const scope = new Scope(resources);
  const out: Judgement[] = [];
  const record = (rule: Rule, v: Verdict, resource: Resource | undefined, group?: TenantGroup): void => {
    if (v.outcome === "not-applicable") return;
    const target = v.resource ?? resource;
    const address = target?.address ?? SCOPE_ADDRESS;
    const j: Judgement = { rule, address, resource: target, outcome: v.outcome };
    if (v.outcome !== "pass") {
      const finding = toFinding(rule, v, target, opts);
      if (group && !target) {
        // Which tenant failed, and a plan of it to point at: two tenants' findings stay apart.
        finding.message = `${group.label}: ${finding.message}`;
        finding.source = { file: [...group.units].sort()[0] };
      }
      j.finding = finding;
    }
    if (group) j.tenant = group.label;
    out.push(j);
  };
  const scopesOf = (rule: Rule): Array<{ scope: Scope; group?: TenantGroup }> => {
    const groups = rule.provider === "any" ? undefined : tenants?.get(rule.provider);
    if (!groups) return [{ scope }];
    return groups.map((group) => ({ scope: new Scope(resources.filter((r) => r.unit !== undefined && group.units.has(r.unit))), group }));
  };
  const rules = opts.rules.filter((rule): rule is ResourceRule | ScopeRule => isEnabled(rule, opts) && (rule.kind === "resource" || rule.kind === "scope") && include(rule));
  const targets = resourceTargets(rules, resources);
  for (const rule of rules) {
    // A built-in resource rule with nothing to judge here needs no context (most rules, in one stack).
    if (rule.kind === "resource" && !targets.has(rule) && packOf(rule) === undefined) continue;
    const ctx: RuleContext = { profile: opts.profile, t: thresholdsFor(rule, opts.profile, opts.config.thresholds[rule.id]), scope };
    if (packOf(rule) !== undefined) {
      // A pack rule runs under the guard: bounded in time, its verdicts checked.
      if (rule.kind === "scope") {
        for (const { scope: s, group } of scopesOf(rule)) for (const { verdict, resource } of verdictsOf(rule, [], s, { ...ctx, scope: s }, { timeoutMs: opts.ruleTimeoutMs })) record(rule, verdict, resource, group);
      } else for (const { verdict, resource } of verdictsOf(rule, targets.get(rule) ?? [], scope, ctx, { timeoutMs: opts.ruleTimeoutMs })) record(rule, verdict, resource);
    } else if (rule.kind === "scope") {
      for (const { scope: s, group } of scopesOf(rule)) {
        const vs = rule.evaluate(s, { ...ctx, scope: s });
        for (const v of Array.isArray(vs) ? vs : [vs]) record(rule, v, undefined, group);
      }
    } else {
      for (const r of targets.get(rule) ?? []) record(rule, judgeResource(rule, r, ctx), r);
    }
  }
  return out;
}

/**
 * The resources each resource rule judges (managed and provider resources of its types), in input
 * order: one pass over the resources, so a large model costs its size, not its size times the rules.
 */
function resourceTargets(rules: readonly Rule[], resources: readonly Resource[]): Map<Rule, Resource[]> {
  const rulesByKind = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (rule.kind !== "resource") continue;
    for (const kind of new Set(rule.resourceTypes)) {
      const list = rulesByKind.get(kind);
      if (list) list.push(rule);
      else rulesByKind.set(kind, [rule]);
    }
  }
  const targets = new Map<Rule, Resource[]>();
  for (const r of resources) {
    if (r.mode === "data") continue;
    for (const rule of rulesByKind.get(r.kind) ?? []) {
      const list = targets.get(rule);
      if (list) list.push(r);
      else targets.set(rule, [r]);
    }
  }
  return targets;
}

/**
 * A rule's verdict on a resource. When conditionals that are not known decide some of its values, the
 * rule judges every branch: a verdict all branches agree on is the verdict (pass, fail or not
 * applicable); otherwise the rule judges the values with those parts unknown.
 */
export function judgeResource(rule: ResourceRule, r: Resource, ctx: RuleContext): Verdict {
  if (!r.variants) return rule.evaluate(r, ctx);
  const verdicts = r.variants.map((values) => {
    const variant: Resource = { ...r, values, variants: undefined };
    const v = rule.evaluate(variant, ctx);
    return v.outcome !== "not-applicable" && v.resource === variant ? { ...v, resource: r } : v;
  });
  const first = verdicts[0];
  if (first.outcome !== "unknown" && verdicts.every((v) => v.outcome === first.outcome)) return first;
  return rule.evaluate(r, ctx);
}

/** One entry of `evaluated`, with where its resource is declared (set field by field: one per judgement). */
function evaluatedOf(j: Judgement, outcome: Evaluated["outcome"]): Evaluated {
  const e: Evaluated = { ruleId: j.rule.id, address: j.address, outcome };
  if (j.resource?.constructPath) e.constructPath = j.resource.constructPath;
  if (j.resource?.source) e.source = j.resource.source;
  return e;
}

/**
 * Applies waivers to the judgements' findings (an expired waiver is kept on the finding and reported),
 * adds CONFIG-1 from the config's weaker overrides, warns about waivers that matched nothing, and
 * sorts findings and notices.
 */
export function finalize(judgements: readonly Judgement[], resources: readonly Resource[], opts: EvaluateOptions): EvaluationResult {
  const findings: Finding[] = [];
  const evaluated: Evaluated[] = [];
  const notices: Notice[] = [];
  const usedWaivers = new Set<Waiver>();
  let passed = 0;

  for (const j of judgements) {
    if (j.outcome === "pass" || !j.finding) {
      passed++;
      evaluated.push(evaluatedOf(j, "pass"));
      continue;
    }
    const f = j.finding;
    const waivers = waiversFor(j.rule.id, j.address, j.resource, opts.config.waivers);
    const active = waivers.find((w) => !isExpired(w, opts.today));
    const chosen = active ?? waivers[0];
    if (chosen) {
      usedWaivers.add(chosen);
      f.waiver = { reason: chosen.reason, expires: chosen.expires, ...(chosen.owner ? { owner: chosen.owner } : {}), origin: chosen.origin, expired: !active };
      if (active) f.outcome = "waived";
      else notices.push({ level: "warning", message: `waiver for ${j.rule.id} on ${j.address} expired on ${chosen.expires}; it no longer applies` });
    }
    findings.push(f);
    evaluated.push(evaluatedOf(j, f.outcome));
  }

  const config1 = opts.rules.find((r) => r.id === "CONFIG-1");
  if (config1 && isEnabled(config1, opts)) findings.push(...configFindings(opts.config, opts.rules));

  for (const { copies, where: declaredOn, first } of declaredWaivers(opts.config.waivers, resources)) {
    const w = copies[0];
    // A waiver of a rule that --only/--skip left out is not stale: its rule did not run.
    if (copies.some((c) => usedWaivers.has(c)) || !isSelected(w.rule, opts.selection)) continue;
    const others = copies.length > 1 ? ` and ${copies.length - 1} other resource${copies.length > 2 ? "s" : ""}` : "";
    const where = declaredOn ? `${declaredOn} (in code)` : first ? `${first.address}${others}` : `${w.resource} (${w.origin === "code" ? "in code" : (opts.config.file ?? "config")})`;
    notices.push({ level: "warning", message: `stale waiver: ${w.rule} on ${where} matches no finding; remove it` });
  }

  findings.sort(compareFindings);
  notices.sort(compareNotices);
  return { findings, evaluated, passed, notices };
}

export function evaluate(resources: readonly Resource[], opts: EvaluateOptions): EvaluationResult {
  return finalize(judge(resources, opts), resources, opts);
}

/** CONFIG-1: one warning per threshold override weaker than the recommended value. */
function configFindings(config: PostureConfig, rules: readonly Rule[]): Finding[] {
  return weakerOverrides(config, rules).map((o) => ({
    ruleId: "CONFIG-1",
    severity: "warning" as const,
    outcome: "fail" as const,
    address: "(config)",
    resourceType: "posture.config.json",
    attribute: `thresholds.${o.rule.id}.${o.key}`,
    message: `${o.rule.id} ${o.key} is overridden to ${o.value}, weaker than the recommended ${o.recommended}`,
    before: o.recommended,
    after: o.value,
    waiver: null,
    ...(config.file ? { source: { file: config.file } } : {}),
  }));
}

function toFinding(rule: Rule, v: Exclude<Verdict, { outcome: "pass" | "not-applicable" }>, r: Resource | undefined, opts: EvaluateOptions): Finding {
  const unknownAsFailure = v.outcome === "unknown" && opts.unknown === "fail";
  const f: Finding = {
    ruleId: rule.id,
    severity: v.outcome === "unknown" && !unknownAsFailure ? "warning" : rule.severity,
    outcome: v.outcome === "unknown" && !unknownAsFailure ? "unknown" : "fail",
    address: r?.address ?? SCOPE_ADDRESS,
    resourceType: r?.type ?? rule.resourceTypes[0] ?? SCOPE_ADDRESS,
    message: unknownAsFailure ? `unknown (counted as a failure): ${v.message}` : v.message,
    waiver: null,
  };
  if (r?.constructPath) f.constructPath = r.constructPath;
  if (v.attribute) f.attribute = v.attribute;
  if (v.outcome === "fail" && v.actual !== undefined) {
    if (r && v.attribute && isSensitive(r, v.attribute)) {
      f.after = REDACTED;
      // The message quotes the value too; a sensitive number or flag is not caught by text redaction.
      f.message = withoutValue(f.message, v.actual);
    } else f.after = v.actual;
  }
  if (r?.source) f.source = r.source;
  return f;
}

/** `message` with the printed form of a sensitive scalar replaced by `(sensitive)`. */
export function withoutValue(message: string, value: unknown): string {
  if (value === null || typeof value === "object") return message;
  const s = String(value);
  return s === "" ? message : message.split(s).join(REDACTED);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.address, b.address) ||
    cmp(a.attribute ?? "", b.attribute ?? "") ||
    cmp(a.message, b.message) ||
    cmp(a.source?.file ?? "", b.source?.file ?? "")
  );
}

export function compareNotices(a: Notice, b: Notice): number {
  return cmp(a.message, b.message) || cmp(a.level, b.level);
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
