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
/** The unit a judgement belongs to: its resource's; a scope finding, its tenant group's (else none, as config findings). */
const unitOf = (j: Judgement): string | undefined => j.resource?.unit ?? j.tenant;

/**
 * Values keyed by two strings, as nested maps: a review looks up thousands of (unit, address) and
 * (rule, tenant) pairs, and nested maps take the strings as they are rather than a key string built,
 * and hashed, per lookup. A missing first key (no unit, no tenant) is `""`, as in {@link resourceKey}.
 */
class PairMap<V> {
  private readonly outer = new Map<string, Map<string, V>>();

  get(first: string | undefined, second: string): V | undefined {
    return this.outer.get(first ?? "")?.get(second);
  }

  set(first: string | undefined, second: string, value: V): void {
    const f = first ?? "";
    let inner = this.outer.get(f);
    if (!inner) this.outer.set(f, (inner = new Map()));
    inner.set(second, value);
  }
}

/** The verdicts of one side, indexed for comparison. */
export class SideVerdicts {
  /** Per (unit, address), each rule's verdict by rule id. */
  private readonly byResource = new PairMap<Map<string, Judgement>>();
  /** Per (rule id, tenant group): whether the rule passed, failed, somewhere on this side. */
  private readonly passedRules = new PairMap<true>();
  private readonly failedRules = new PairMap<true>();
  private readonly byAddress = new PairMap<Resource>();
  /** The side's resources, the first of each (unit, address). */
  readonly resources: Resource[] = [];

  constructor(
    readonly judgements: readonly Judgement[],
    resources: readonly Resource[],
  ) {
    for (const r of resources) {
      if (this.byAddress.get(r.unit, r.address)) continue;
      this.byAddress.set(r.unit, r.address, r);
      this.resources.push(r);
    }
    for (const j of judgements) {
      let verdicts = this.byResource.get(unitOf(j), j.address);
      if (!verdicts) this.byResource.set(unitOf(j), j.address, (verdicts = new Map()));
      const seen = verdicts.get(j.rule.id);
      // A failing verdict wins over a passing one on the same key (never expected; kept safe).
      if (!seen || (seen.outcome === "pass" && j.outcome !== "pass")) verdicts.set(j.rule.id, j);
      (j.outcome === "pass" ? this.passedRules : this.failedRules).set(j.rule.id, j.tenant ?? "", true);
    }
  }

  get(ruleId: string, address: string, unit: string | undefined): Judgement | undefined {
    return this.byResource.get(unit, address)?.get(ruleId);
  }

  /** The resource at `address` in `unit`. */
  resource(unit: string | undefined, address: string): Resource | undefined {
    return this.byAddress.get(unit, address);
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
    const tenant = j.tenant ?? "";
    return j.rule.kind === "scope" && this.passedRules.get(j.rule.id, tenant) === true && this.failedRules.get(j.rule.id, tenant) === undefined;
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
