/**
 * Compares the verdicts of the catalogue on two models of the same resources (before and after a
 * plan, or the last applied state and the refreshed one) and labels each finding of the after side:
 * `existing` when the same rule failed on the same resource before, `regression` when it passed
 * before, `new` otherwise (the resource is new, or the rule did not apply to it before). Findings of
 * the before side that no longer fail are `fixed`.
 *
 * A finding is identified by (rule, unit, address): several plans reviewed together (one per cdktf
 * stack or workspace) may use the same address for different objects, and each plan is its own unit.
 * A scope rule passes at the address of the resource that satisfies it and fails at `(scope)`, so for
 * scope rules "passed before" means the rule passed on the before side at all.
 */
import { type Finding, type Judgement, SCOPE_ADDRESS, withoutValue } from "../evaluate/evaluate";
import type { Resource } from "../model/model";
import { isUnknown } from "../model/model";
import { REDACTED, redactCredentials } from "../evaluate/redact";
import { isSensitive, parseJsonValue, read, walk } from "../model/view";

/** A resource's identity across the units (plans) of one review: its unit and its address. */
export const resourceKey = (unit: string | undefined, address: string): string => `${unit ?? ""}\u0000${address}`;
const key = (ruleId: string, unit: string | undefined, address: string): string => `${ruleId}\u0000${resourceKey(unit, address)}`;
/** The unit a judgement belongs to: its resource's; a scope finding, its tenant group's (else none, as config findings). */
const unitOf = (j: Judgement): string | undefined => j.resource?.unit ?? j.tenant;
/** A scope rule passes or fails per tenant group when plans of several tenants are judged together. */
const ruleScope = (j: Judgement): string => `${j.rule.id}\u0000${j.tenant ?? ""}`;

/** The verdicts of one side, indexed for comparison. */
export class SideVerdicts {
  private readonly byKey = new Map<string, Judgement>();
  private readonly passedRules = new Set<string>();
  private readonly failedRules = new Set<string>();
  /** Resources by {@link resourceKey}. */
  readonly resources = new Map<string, Resource>();

  constructor(
    readonly judgements: readonly Judgement[],
    resources: readonly Resource[],
  ) {
    for (const r of resources) {
      const k = resourceKey(r.unit, r.address);
      if (!this.resources.has(k)) this.resources.set(k, r);
    }
    for (const j of judgements) {
      const k = key(j.rule.id, unitOf(j), j.address);
      const seen = this.byKey.get(k);
      // A failing verdict wins over a passing one on the same key (never expected; kept safe).
      if (!seen || (seen.outcome === "pass" && j.outcome !== "pass")) this.byKey.set(k, j);
      (j.outcome === "pass" ? this.passedRules : this.failedRules).add(ruleScope(j));
    }
  }

  get(ruleId: string, address: string, unit: string | undefined): Judgement | undefined {
    return this.byKey.get(key(ruleId, unit, address));
  }

  /** The resource at `address` in `unit`. */
  resource(unit: string | undefined, address: string): Resource | undefined {
    return this.resources.get(resourceKey(unit, address));
  }

  /** True when the rule certainly failed here before (unknown is not a failure). */
  failed(ruleId: string, address: string, unit: string | undefined): boolean {
    return this.get(ruleId, address, unit)?.outcome === "fail";
  }

  /** True when the rule has any verdict other than a pass on this key. */
  notPassing(ruleId: string, address: string, unit: string | undefined): boolean {
    const j = this.get(ruleId, address, unit);
    return j !== undefined && j.outcome !== "pass";
  }

  /** True when the rule passed on this resource, or (scope rules) passed on this side as a whole. */
  passed(j: Judgement): boolean {
    if (this.get(j.rule.id, j.address, unitOf(j))?.outcome === "pass") return true;
    return j.rule.kind === "scope" && this.passedRules.has(ruleScope(j)) && !this.failedRules.has(ruleScope(j));
  }
}

/** Labels every finding of `after` against `before` (review mode) and sets `before` → `after` values. */
export function labelReview(after: readonly Judgement[], before: SideVerdicts, afterSide: SideVerdicts): void {
  for (const j of after) {
    const f = j.finding;
    if (!f) continue;
    const prior = before.get(j.rule.id, j.address, unitOf(j));
    const existedBefore = j.address === SCOPE_ADDRESS || j.address === "(config)" || before.resource(unitOf(j), j.address) !== undefined;
    if (prior?.outcome === "fail") f.change = "existing";
    else if (!existedBefore) f.change = "new";
    else f.change = before.passed(j) ? "regression" : "new";
    setBeforeValue(f, prior?.finding, before.resource(unitOf(j), j.address), afterSide.resource(unitOf(j), j.address));
  }
}

/**
 * Labels every finding of the refreshed side (drift mode): `existing` when the last applied state
 * failed the same way (same outcome, attribute, value and message), `drift` otherwise.
 */
export function labelDrift(after: readonly Judgement[], before: SideVerdicts, afterSide: SideVerdicts): void {
  for (const j of after) {
    const f = j.finding;
    if (!f) continue;
    const prior = before.get(j.rule.id, j.address, unitOf(j));
    const same =
      prior?.finding !== undefined &&
      prior.finding.outcome === f.outcome &&
      prior.finding.attribute === f.attribute &&
      prior.finding.message === f.message &&
      JSON.stringify(prior.finding.after) === JSON.stringify(f.after);
    f.change = same ? "existing" : "drift";
    setBeforeValue(f, prior?.finding, before.resource(unitOf(j), j.address), afterSide.resource(unitOf(j), j.address));
  }
}

/**
 * The findings of the before side that do not fail on the after side: fixed. A resource the change
 * destroys takes its findings with it; they are listed as fixed and say so (PLAN-1 reports the
 * destruction itself when it matters). `destroyed` holds {@link resourceKey}s.
 */
export function fixedFindings(before: SideVerdicts, after: SideVerdicts, destroyed: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const j of before.judgements) {
    if (j.outcome !== "fail" || !j.finding || after.notPassing(j.rule.id, j.address, unitOf(j))) continue;
    const f: Finding = { ...j.finding, waiver: null };
    delete f.change;
    const was = j.finding.after;
    delete f.before;
    delete f.after;
    const afterResource = after.resource(unitOf(j), j.address);
    if (was !== undefined) {
      f.before = was;
      if (afterResource && f.attribute) {
        const now = shownValue(afterResource, f.attribute);
        if (now !== undefined) f.after = was === REDACTED ? REDACTED : now;
      }
    }
    if (destroyed.has(resourceKey(unitOf(j), j.address))) f.message = `${f.message} (the resource is destroyed by this change)`;
    out.push(f);
  }
  return out;
}

/**
 * Sets the finding's `before` to the value the rule read on the before side, when one attribute
 * decides and the rule gave a value after. A sensitive value on either side prints as `(sensitive)`.
 */
function setBeforeValue(f: Finding, prior: Finding | undefined, b: Resource | undefined, a: Resource | undefined): void {
  if (f.after === undefined || !f.attribute || !b) return;
  const sensitive = f.after === REDACTED || isSensitive(b, f.attribute) || (a !== undefined && isSensitive(a, f.attribute));
  // Sensitive on either side hides the value on both, in the message too (a number escapes text redaction).
  if (sensitive && f.after !== REDACTED) {
    f.message = withoutValue(f.message, f.after);
    f.after = REDACTED;
  }
  let value: unknown = prior?.attribute === f.attribute ? prior.after : undefined;
  if (value === undefined) value = shownValue(b, f.attribute);
  if (value === undefined || (!sensitive && isScalar(value) !== isScalar(f.after))) return;
  f.before = sensitive ? REDACTED : value;
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== "object";
}

export type ValueRead = { state: "known"; value: unknown } | { state: "unknown" } | { state: "absent" };

/**
 * The value at `path` with provider defaults applied; a path that runs into a JSON-string attribute
 * (Okta `settings.allowedFor`) continues inside the parsed JSON.
 */
export function valueAt(r: Resource, path: string): ValueRead {
  const direct = read(r, path);
  if (direct.state === "known") return { state: "known", value: direct.value };
  if (direct.state === "unknown") return { state: "unknown" };
  const segs = path.split(".");
  for (let i = segs.length - 1; i > 0; i--) {
    const head = segs.slice(0, i).join(".");
    const v = walk(r.values, head);
    if (isUnknown(v)) return { state: "unknown" };
    if (typeof v !== "string") continue;
    const parsed = parseJsonValue(v, head);
    if (parsed.state !== "known") return { state: "absent" };
    const inner = walk(parsed.value, segs.slice(i).join("."));
    return inner === undefined || inner === null ? { state: "absent" } : { state: "known", value: inner };
  }
  return { state: "absent" };
}

/** The value at `path` as a report may show it: `(sensitive)` when marked, credentials redacted. */
export function shownValue(r: Resource, path: string): unknown {
  const v = valueAt(r, path);
  if (v.state !== "known") return undefined;
  if (isSensitive(r, path)) return REDACTED;
  return redactCredentials(v.value, path.split(".").pop());
}
