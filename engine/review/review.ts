/**
 * `posture review`: the catalogue on both sides of a plan. Every rule runs on the prior state and on
 * the planned values (scope rules on the before-scope and the after-scope); each finding of the after
 * side is labelled new, existing or regression, findings that no longer fail are listed as fixed, and
 * PLAN-1 and PLAN-2 judge what the change itself does. Waivers are applied once, at the end.
 *
 * Several plans (one per cdktf stack or Terraform workspace) are reviewed as one change: each plan is
 * its own unit (its addresses are its own), and scope rules judge every plan's resources together,
 * as `posture check cdktf.out` judges every stack, within one tenant: plans that name different Okta
 * orgs or Cloudflare accounts are judged apart (./tenants).
 */
import { fixedFindings, labelReview, resourceKey, SideVerdicts } from "./compare";
import { compareFindings, compareNotices, type EvaluateOptions, type EvaluationResult, type Finding, finalize, type Judgement, judge, type Notice } from "../evaluate/evaluate";
import { plannedResources } from "../load/load-plan";
import type { Resource } from "../model/model";
import { destroys, planChanges, planStatus, priorResources, relevantEntries, replaces, type PlanChange } from "./plan-models";
import { destroyedPostureResources, weakenedWithinPolicy } from "./plan-rules";
import { tenantGroups, type TenantGroups } from "./tenants";

export interface ModeResult extends EvaluationResult {
  fixed: Finding[];
  /** Every model resource the result was judged on (both sides), for the redactor. */
  models: Resource[];
}

type Json = Record<string, unknown>;

/** One plan document (already parsed once by the loader) and the path it was read from. */
export interface PlanDoc {
  path: string;
  doc: Json;
}

/**
 * Adds what the plan lost to a model resource built from it, before it is judged: the construct path
 * and in-code waivers of its cdktf stack (see engine/synth-join). It reads the resource's unit (its
 * plan's path) and address.
 */
export type Decorate = (r: Resource) => void;

/** Reviews a plan document (already parsed once by the loader). */
export function reviewPlan(doc: Json, file: string, opts: EvaluateOptions): ModeResult {
  return reviewPlans([{ path: file, doc }], opts);
}

/** Reviews one or more plans as one change: one result, findings kept apart by plan, scope rules across the plans of one tenant (engine/review/tenants). */
export function reviewPlans(plans: readonly PlanDoc[], opts: EvaluateOptions, decorate?: Decorate): ModeResult {
  const before: Resource[] = [];
  const after: Resource[] = [];
  const destroyed = new Set<string>();
  const perPlan = plans.map((p) => {
    // One pass over a large plan's entries: both readers of resource_changes take what it kept.
    const entries = relevantEntries(p.doc.resource_changes);
    const changes = planChanges(entries, p.path);
    after.push(...plannedResources(p.doc, p.path, entries));
    before.push(...priorResources(p.doc, p.path, changes));
    for (const c of changes) if (destroys(c.actions) && c.deposed === undefined) destroyed.add(resourceKey(p.path, c.address));
    return { ...p, changes };
  });
  if (decorate) for (const r of [...before, ...after]) decorate(r);
  const tenants = tenantGroups(plans);
  const planRules = (b: SideVerdicts, a: SideVerdicts): Judgement[] =>
    decorated([...perPlan.flatMap((p) => destroyedPostureResources(p.changes, p.path, opts)), ...weakenedWithinPolicy(b, a, plans[0]?.path ?? "plan", opts)], decorate);
  const result = reviewModels(before, after, opts, planRules, destroyed, tenants.groups);
  result.notices.push(...tenants.notices);
  for (const p of perPlan) {
    const notices = planNotices(p.doc, p.changes, result.findings.filter((f) => f.source?.file === p.path), opts);
    result.notices.push(...(plans.length > 1 ? notices.map((n) => ({ ...n, message: `${p.path}: ${n.message}` })) : notices));
  }
  result.notices.sort(compareNotices);
  return result;
}

/** Judgements made after the models were decorated (PLAN-2, DRIFT-1) get the same decoration. */
export function decorated(judgements: Judgement[], decorate: Decorate | undefined): Judgement[] {
  if (!decorate) return judgements;
  for (const j of judgements) {
    if (!j.resource) continue;
    decorate(j.resource);
    if (j.finding && j.resource.constructPath) j.finding.constructPath ??= j.resource.constructPath;
  }
  return judgements;
}

/**
 * Reviews a configuration or a state, which has no before: every resource counts as new, so every
 * finding is `new` (what `check` would report, labelled for the review's exit rule).
 */
export function reviewWithoutPlan(resources: readonly Resource[], kind: "config" | "state", path: string, opts: EvaluateOptions): ModeResult {
  const result = reviewModels([], resources, opts, () => [], new Set());
  result.notices.push({
    level: "warning",
    message: `${path} is a ${kind === "config" ? "configuration" : "state"}, not a plan: it has no before, so every finding is labelled new. Review \`terraform show -json\` of a saved plan to judge a change.`,
  });
  return result;
}

function reviewModels(
  before: readonly Resource[],
  after: readonly Resource[],
  opts: EvaluateOptions,
  planRules: (b: SideVerdicts, a: SideVerdicts) => Judgement[],
  destroyed: ReadonlySet<string>,
  tenants?: TenantGroups,
): ModeResult {
  const beforeSide = new SideVerdicts(judge(before, opts, undefined, tenants), before);
  const afterJudgements = judge(after, opts, undefined, tenants);
  const afterSide = new SideVerdicts(afterJudgements, after);
  labelReview(afterJudgements, beforeSide, afterSide);
  const result = finalize([...afterJudgements, ...planRules(beforeSide, afterSide)], after, opts);
  // CONFIG-1 comes from posture.config.json, which the plan does not change.
  for (const f of result.findings) f.change ??= "existing";
  const fixed = fixedFindings(beforeSide, afterSide, destroyed).sort(compareFindings);
  return { ...result, fixed, models: [...before, ...after] };
}

/** What the user should know about the plan itself: incomplete, errored, deposed, delete-first replacements. */
function planNotices(doc: Json, changes: readonly PlanChange[], findings: readonly Finding[], opts: EvaluateOptions): Notice[] {
  const out: Notice[] = [];
  // The posture resource types are PLAN-1's: those whose absence weakens a control.
  const POSTURE_TYPES = new Set(opts.rules.find((r) => r.id === "PLAN-1")?.resourceTypes ?? []);
  const status = planStatus(doc);
  if (status.incomplete) {
    out.push({
      level: "warning",
      message: `the plan is incomplete (complete: false)${status.deferred ? `: ${status.deferred} change(s) are deferred` : ""}; Terraform will need another plan and apply, and this review covers only the changes the plan lists`,
    });
  }
  if (status.errored) out.push({ level: "warning", message: "the plan errored (errored: true): Terraform stopped planning on an error, so this review covers a partial plan" });
  if (!Array.isArray(doc.resource_changes)) out.push({ level: "warning", message: "the plan has no resource_changes: nothing to compare, only the planned values were judged" });
  for (const c of changes) {
    if (c.deposed !== undefined && c.actions.includes("delete")) {
      out.push({ level: "info", message: `${c.address} deposed object ${c.deposed} is destroyed: a leftover of an earlier create_before_destroy replacement, not judged` });
    }
    if (c.deposed === undefined && POSTURE_TYPES.has(c.kind) && replaces(c.actions) && c.actions[0] !== "create") {
      out.push({ level: "info", message: `${c.address} is replaced delete-first: the control is absent between the two steps (lifecycle create_before_destroy avoids the gap)` });
    }
  }
  if (findings.some((f) => f.ruleId === "SECRET-1")) {
    out.push({ level: "info", message: "SECRET-1 judges the code, and a plan holds only the new code: a secret already written in the code before this change is labelled new too" });
  }
  const changing = changes.some((c) => c.actions.some((a) => a !== "no-op" && a !== "read"));
  if (!changing && Array.isArray(doc.resource_changes)) out.push({ level: "info", message: "the plan creates, updates or destroys no Okta or Cloudflare resource" });
  return out;
}
