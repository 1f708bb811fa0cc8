/**
 * The three rules that only a plan can decide (CONTROLS.md, "Plan review and drift"):
 * PLAN-1 (a posture resource is destroyed), PLAN-2 (a threshold attribute weakens while its rule still
 * passes) and DRIFT-1 (an attribute that a rule reads was changed outside Terraform). Each returns
 * judgements, passes included, so waivers, JUnit and the summary treat them like any other rule.
 */
import { type SideVerdicts, valueAt } from "./compare";
import { goDurationMinutes, isoDurationMinutes } from "../model/duration";
import { type EvaluateOptions, type Finding, isEnabled, type Judgement } from "../evaluate/evaluate";
import type { Resource } from "../model/model";
import { providerOf } from "../model/model";
import { afterOf, beforeOf, destroys, type PlanChange } from "./plan-models";
import { REDACTED, redactCredentials } from "../evaluate/redact";
import type { Rule, Weakening } from "../model/rule";
import { asNumber, isSensitive } from "../model/view";
import { sortedJson } from "../model/stable-json";

/** The plan rule `id` when the caller's rules include it and it is enabled. */
function planRule(id: "PLAN-1" | "PLAN-2" | "DRIFT-1", opts: EvaluateOptions): Rule | undefined {
  const rule = opts.rules.find((r) => r.id === id);
  return rule && isEnabled(rule, opts) ? rule : undefined;
}

const enabled = isEnabled;

function finding(rule: Rule, c: { address: string; type: string }, file: string, fields: Partial<Finding> & { message: string }): Finding {
  return { ruleId: rule.id, severity: rule.severity, outcome: "fail", address: c.address, resourceType: c.type, waiver: null, source: { file }, ...fields };
}

/** Why Terraform deletes an object, from `action_reason`, as a clause for the message. */
const DELETE_REASONS: Readonly<Record<string, string>> = {
  delete_because_no_resource_config: "its block was removed from the configuration",
  delete_because_no_module: "its module was removed from the configuration",
  delete_because_count_index: "count no longer includes its index",
  delete_because_each_key: "for_each no longer includes its key",
  delete_because_wrong_repetition: "it changed between count and for_each",
  delete_because_no_move_target: "a moved block points at an address that does not exist",
};

/** PLAN-1: every posture resource whose change leaves no object behind (`delete`/`forget` without `create`). */
export function destroyedPostureResources(changes: readonly PlanChange[], file: string, opts: EvaluateOptions): Judgement[] {
  const PLAN_1 = planRule("PLAN-1", opts);
  if (!PLAN_1) return [];
  const types = new Set(PLAN_1.resourceTypes);
  const out: Judgement[] = [];
  for (const c of changes) {
    if (c.mode !== "managed" || c.deposed !== undefined || !types.has(c.kind)) continue;
    if (!destroys(c.actions)) {
      out.push({ rule: PLAN_1, address: c.address, outcome: "pass" });
      continue;
    }
    const why = c.actionReason && DELETE_REASONS[c.actionReason] ? ` (${DELETE_REASONS[c.actionReason]})` : "";
    const provider = providerOf(c.type) === "okta" ? "Okta" : "Cloudflare";
    const message = c.actions.includes("delete")
      ? `${c.address} is destroyed${why}: the control it carries goes away`
      : `${c.address} is removed from Terraform state (forget)${why}: it stays in ${provider}, but no code manages or reviews it any more`;
    out.push({ rule: PLAN_1, address: c.address, outcome: "fail", finding: finding(PLAN_1, c, file, { message, change: "new" }) });
  }
  return out;
}

/** The position of a value on a weakening scale (larger is weaker), or undefined when it has none. */
function weakness(spec: Weakening, v: unknown): number | undefined {
  let n: number | undefined;
  if (spec.scale === "number") n = asNumber(v);
  else if (spec.scale === "go-duration") n = typeof v === "string" ? goDurationMinutes(v) : undefined;
  else if (spec.scale === "iso-duration") n = typeof v === "string" ? isoDurationMinutes(v) : undefined;
  else {
    const i = typeof v === "string" ? spec.scale.indexOf(v) : -1;
    return i < 0 ? undefined : i;
  }
  if (n === undefined) return undefined;
  return spec.weaker === "lower" ? -n : n;
}

const pathOf = (w: Weakening): string => (w.json ? `${w.attribute}.${w.json}` : w.attribute);

/**
 * PLAN-2: on every resource that exists before and after, each threshold attribute (the rules'
 * `weakens` metadata) that moves toward its weak side while every rule watching it passes on both
 * sides. A move that breaks a rule is that rule's regression instead.
 */
/** `file` names the plan of resources that carry no unit (each plan's resources name their own). */
export function weakenedWithinPolicy(before: SideVerdicts, after: SideVerdicts, file: string, opts: EvaluateOptions): Judgement[] {
  const PLAN_2 = planRule("PLAN-2", opts);
  if (!PLAN_2) return [];
  const watchers = opts.rules.filter((r) => r.kind === "resource" && r.weakens && r.weakens.length > 0 && enabled(r, opts));
  const out: Judgement[] = [];
  for (const a of after.resources) {
    const address = a.address;
    const b = before.resource(a.unit, address);
    if (!b || a.mode !== "managed") continue;
    const rules = watchers.filter((r) => r.resourceTypes.includes(a.kind));
    if (rules.length === 0) continue;
    // attribute path -> the rules that read it, and the move
    const moves = new Map<string, { rules: string[]; from: unknown; to: unknown }>();
    for (const rule of rules) {
      if (before.get(rule.id, address, a.unit)?.outcome !== "pass" || after.get(rule.id, address, a.unit)?.outcome !== "pass") continue;
      for (const spec of rule.weakens ?? []) {
        const path = pathOf(spec);
        const from = valueAt(b, path);
        const to = valueAt(a, path);
        if (from.state !== "known" || to.state !== "known") continue;
        const wf = weakness(spec, from.value);
        const wt = weakness(spec, to.value);
        if (wf === undefined || wt === undefined || wt <= wf) continue;
        const m = moves.get(path) ?? { rules: [], from: from.value, to: to.value };
        m.rules.push(rule.id);
        moves.set(path, m);
      }
    }
    if (moves.size === 0) {
      out.push({ rule: PLAN_2, address, resource: a, outcome: "pass" });
      continue;
    }
    for (const [path, m] of [...moves].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      const sensitive = isSensitive(a, path) || isSensitive(b, path);
      const from = sensitive ? REDACTED : redactCredentials(m.from, path);
      const to = sensitive ? REDACTED : redactCredentials(m.to, path);
      const message = `moves toward the weak side; ${m.rules.join(", ")} still ${m.rules.length === 1 ? "passes" : "pass"}, with less margin`;
      out.push({
        rule: PLAN_2,
        address,
        resource: a,
        outcome: "fail",
        finding: finding(PLAN_2, a, a.unit ?? file, { attribute: path, message, change: "new", before: from, after: to, ...(a.constructPath ? { constructPath: a.constructPath } : {}) }),
      });
    }
  }
  return out;
}

/** The attribute paths that some enabled rule reads on resources of `kind` (DRIFT-1 watches these). */
export function watchedPaths(kind: string, opts: EvaluateOptions): string[] {
  const paths = new Set<string>();
  for (const r of opts.rules) {
    if ((r.kind === "resource" || r.kind === "scope") && enabled(r, opts) && r.resourceTypes.includes(kind)) for (const p of r.reads) paths.add(p);
  }
  return [...paths].sort();
}


/**
 * DRIFT-1: for every drifted Okta or Cloudflare object, each watched attribute whose value differs
 * between the last applied state (`before`) and what the provider reports now (`after`), with both
 * values; an object deleted outside Terraform is one finding. Where a watched path and one below it
 * both changed, the deeper one is reported.
 */
export function changedOutsideCode(drift: readonly PlanChange[], file: string, opts: EvaluateOptions): Judgement[] {
  const DRIFT_1 = planRule("DRIFT-1", opts);
  if (!DRIFT_1) return [];
  const out: Judgement[] = [];
  const cache = new Map<string, string[]>();
  for (const c of drift) {
    if (c.mode !== "managed" || c.deposed !== undefined) continue;
    const watched = cache.get(c.kind) ?? watchedPaths(c.kind, opts);
    cache.set(c.kind, watched);
    if (watched.length === 0) continue;
    const b = beforeOf(c, file);
    const a = afterOf(c, file, "state");
    if (b && !a) {
      const message = `${c.address} was deleted outside Terraform: the last applied state has it, the provider no longer does`;
      out.push({ rule: DRIFT_1, address: c.address, resource: b, outcome: "fail", finding: finding(DRIFT_1, c, file, { message, change: "drift" }) });
      continue;
    }
    if (!b || !a) continue;
    const changed = watched.filter((p) => {
      const x = valueAt(b, p);
      const y = valueAt(a, p);
      return sortedJson(x.state === "known" ? x.value : x.state) !== sortedJson(y.state === "known" ? y.value : y.state);
    });
    const deepest = changed.filter((p) => !changed.some((q) => q !== p && q.startsWith(`${p}.`)));
    if (deepest.length === 0) {
      out.push({ rule: DRIFT_1, address: c.address, resource: a, outcome: "pass" });
      continue;
    }
    for (const path of deepest) {
      const sensitive = isSensitive(a, path) || isSensitive(b, path);
      const shown = (r: Resource): unknown => {
        const v = valueAt(r, path);
        if (v.state !== "known") return null;
        return sensitive ? REDACTED : redactCredentials(v.value, path.split(".").pop());
      };
      const from = shown(b);
      const to = shown(a);
      const readers = readersOf(c.kind, path, opts);
      const message = `was changed outside Terraform; ${readers.join(", ")} ${readers.length === 1 ? "reads" : "read"} it, so the change skipped code review`;
      out.push({
        rule: DRIFT_1,
        address: c.address,
        resource: a,
        outcome: "fail",
        finding: finding(DRIFT_1, a, file, { attribute: path, message, change: "drift", before: from, after: to }),
      });
    }
  }
  return out;
}

/** The enabled rules that read `path` (or a path above or below it) on resources of `kind`. */
function readersOf(kind: string, path: string, opts: EvaluateOptions): string[] {
  const related = (p: string): boolean => p === path || path.startsWith(`${p}.`) || p.startsWith(`${path}.`);
  return opts.rules.filter((r) => (r.kind === "resource" || r.kind === "scope") && enabled(r, opts) && r.resourceTypes.includes(kind) && r.reads.some(related)).map((r) => r.id);
}
