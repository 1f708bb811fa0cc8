/**
 * `posture drift`: what changed outside Terraform. The input is a plan whose `resource_drift` lists
 * the objects the provider now reports differently from the last apply (a `-refresh-only` plan, or
 * any plan). The catalogue runs on the last applied state and on the refreshed one; a finding of the
 * refreshed side is `drift` unless the applied state failed the same way (`existing`), and DRIFT-1
 * reports every out-of-band change to an attribute a rule reads, even one that still passes.
 * Several plans (one per cdktf stack or workspace) are judged together, as `posture review` does
 * (scope rules within one tenant: engine/tenants).
 */
import { fixedFindings, labelDrift, resourceKey, SideVerdicts } from "./compare";
import { compareFindings, compareNotices, type EvaluateOptions, finalize, judge, type Judgement, type Notice } from "../evaluate/evaluate";
import type { Resource } from "../model/model";
import { afterOf, beforeOf, planChanges, priorResources } from "./plan-models";
import { changedOutsideCode } from "./plan-rules";
import { tenantGroups } from "./tenants";
import { type Decorate, decorated, type ModeResult, type PlanDoc } from "./review";

type Json = Record<string, unknown>;

export function driftPlan(doc: Json, file: string, opts: EvaluateOptions): ModeResult {
  return driftPlans([{ path: file, doc }], opts);
}

/** Drift of one or more plans: one result, findings kept apart by plan, scope rules across the plans of one tenant (engine/review/tenants). */
export function driftPlans(plans: readonly PlanDoc[], opts: EvaluateOptions, decorate?: Decorate): ModeResult {
  const applied: Resource[] = [];
  const refreshed: Resource[] = [];
  const deleted = new Set<string>();
  const driftJudgements: Judgement[] = [];
  const driftModels: Resource[] = [];
  const notices: Notice[] = [];
  for (const { path: file, doc } of plans) {
    const drift = planChanges(doc.resource_drift, file).filter((c) => c.deposed === undefined);
    const refreshedByAddress = new Map(priorResources(doc, file, planChanges(doc.resource_changes, file)).map((r) => [r.address, r]));
    const appliedByAddress = new Map(refreshedByAddress);
    for (const c of drift) {
      // prior_state is the refreshed state already; the drift entry's after is the same object, and
      // stands in when a hand-made plan has no prior_state.
      const now = afterOf(c, file, "state");
      if (now) refreshedByAddress.set(c.address, now);
      else {
        refreshedByAddress.delete(c.address);
        deleted.add(resourceKey(file, c.address));
      }
      const before = beforeOf(c, file);
      if (before) appliedByAddress.set(c.address, before);
      else appliedByAddress.delete(c.address);
    }
    applied.push(...appliedByAddress.values());
    refreshed.push(...refreshedByAddress.values());
    driftJudgements.push(...changedOutsideCode(drift, file, opts));
    driftModels.push(...drift.flatMap((c) => [beforeOf(c, file), afterOf(c, file, "state")].filter((r): r is Resource => r !== undefined)));
    const own = driftNotices(doc, drift.length);
    notices.push(...(plans.length > 1 ? own.map((n) => ({ ...n, message: `${file}: ${n.message}` })) : own));
  }
  if (decorate) for (const r of [...applied, ...refreshed]) decorate(r);

  const tenants = tenantGroups(plans);
  notices.push(...tenants.notices);
  const appliedSide = new SideVerdicts(judge(applied, opts, undefined, tenants.groups), applied);
  const refreshedJudgements = judge(refreshed, opts, undefined, tenants.groups);
  const refreshedSide = new SideVerdicts(refreshedJudgements, refreshed);
  labelDrift(refreshedJudgements, appliedSide, refreshedSide);
  const result = finalize([...refreshedJudgements, ...decorated(driftJudgements, decorate)], refreshed, opts);
  for (const f of result.findings) f.change ??= "existing";
  const fixed = fixedFindings(appliedSide, refreshedSide, deleted).sort(compareFindings);
  result.notices.push(...notices);
  result.notices.sort(compareNotices);
  return { ...result, fixed, models: [...applied, ...refreshed, ...driftModels] };
}

function driftNotices(doc: Json, relevantDrift: number): Notice[] {
  const out: Notice[] = [];
  const all = Array.isArray(doc.resource_drift) ? doc.resource_drift.length : 0;
  if (all === 0) out.push({ level: "info", message: "the plan records no drift (no resource_drift): nothing changed outside Terraform since the last apply" });
  else if (relevantDrift === 0) out.push({ level: "info", message: `the plan records drift on ${all} object(s), none of them Okta or Cloudflare resources` });
  if (!("prior_state" in doc)) out.push({ level: "warning", message: "the plan has no prior_state: only the drifted objects were judged, without the rest of the state" });
  const pending = Array.isArray(doc.resource_changes)
    ? doc.resource_changes.filter((rc) => {
        const actions = (rc as Json)?.change && ((rc as Json).change as Json).actions;
        return Array.isArray(actions) && actions.some((a) => a !== "no-op" && a !== "read");
      }).length
    : 0;
  if (pending > 0) out.push({ level: "info", message: `the plan also proposes ${pending} change(s) to the configuration; posture review judges those` });
  return out;
}
