/**
 * The rule contract: what a rule is (metadata plus one small evaluate function), the verdicts it
 * returns, and `defineRule`. The built-in catalogue and users' rule packs are written against this
 * same API; the engine evaluates whatever list of rules its caller passes it.
 */
import type { Resource } from "./model";
import type { Scope } from "./scope";

export type Severity = "error" | "warning";
export type Profile = "recommended" | "strict";
export const PROFILES: readonly Profile[] = ["recommended", "strict"];

/**
 * One overridable threshold of a rule. `weaker` says which direction of an override weakens the
 * control, so CONFIG-1 can flag an override below the `recommended` value.
 */
export interface ThresholdSpec {
  recommended: number | boolean;
  strict: number | boolean;
  /** `higher`: a larger number is weaker (a maximum); `lower`: a smaller number is weaker (a minimum); `false`/`true`: setting the flag to that value is weaker. */
  weaker: "higher" | "lower" | "false" | "true";
  description: string;
}

export type Thresholds = Readonly<Record<string, number | boolean>>;

/**
 * A threshold attribute and the direction in which its value weakens the control. `posture review`
 * reports PLAN-2 when a change moves the value that way while the rule still passes (a widening that
 * stays within policy is the quiet kind of weakening a reviewer misses).
 */
export interface Weakening {
  /** Attribute path, as the rule reads it (`session_idle`, `webauthn.enroll`). */
  attribute: string;
  /** For an attribute that holds a JSON string (Okta `settings`): the path inside the parsed JSON. */
  json?: string;
  /**
   * How values compare: `number`, `go-duration` (`8h`) and `iso-duration` (`PT2H`) are weaker when
   * larger, unless `weaker` is `lower`; a list names the values from strongest to weakest.
   */
  scale: "number" | "go-duration" | "iso-duration" | readonly string[];
  weaker?: "higher" | "lower";
}

/** The verdict of one (rule, resource) or (rule, scope) evaluation. */
export type Verdict =
  | { outcome: "pass"; resource?: Resource }
  | { outcome: "fail"; attribute?: string; actual?: unknown; message: string; resource?: Resource }
  | { outcome: "unknown"; attribute?: string; message: string; resource?: Resource }
  | { outcome: "not-applicable"; reason?: string };

export const pass = (resource?: Resource): Verdict => ({ outcome: "pass", resource });
export const fail = (attribute: string | undefined, actual: unknown, message: string, resource?: Resource): Verdict => ({
  outcome: "fail",
  attribute,
  actual,
  message,
  resource,
});
export const unknown = (attribute: string | undefined, message: string, resource?: Resource): Verdict => ({
  outcome: "unknown",
  attribute,
  message,
  resource,
});
export const notApplicable = (reason?: string): Verdict => ({ outcome: "not-applicable", reason });

export interface RuleContext {
  profile: Profile;
  /** This rule's thresholds for the profile, with the user's overrides applied. */
  t: Thresholds;
  scope: Scope;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  title: string;
  /** Why the control exists, tied to the lesson of the 2023 Okta support breach. */
  rationale: string;
  references: readonly string[];
  /** The pass condition, as CONTROLS.md states it (rendered into docs/controls.md). */
  passes: string;
  provider: "okta" | "cloudflare" | "any";
  /** Provider versions whose attribute shapes the rule reads, where they differ between versions (rendered into docs/controls.md). */
  providerVersions?: string;
  thresholds?: Readonly<Record<string, ThresholdSpec>>;
  /** Canonical resource types the rule reads. */
  resourceTypes: readonly string[];
  /** Attribute paths the rule reads (DRIFT-1 watches these). */
  reads: readonly string[];
  /** Threshold attributes whose weakening within policy PLAN-2 reports. */
  weakens?: readonly Weakening[];
}

/** Evaluated once per resource of `resourceTypes`. */
export interface ResourceRule extends RuleMeta {
  kind: "resource";
  evaluate(resource: Resource, ctx: RuleContext): Verdict;
}

/** Evaluated once per scope: asks whether something exists anywhere in it. */
export interface ScopeRule extends RuleMeta {
  kind: "scope";
  evaluate(scope: Scope, ctx: RuleContext): Verdict | Verdict[];
}

/**
 * Rules decided by the review and drift engines from a plan's changes (PLAN-1, PLAN-2, DRIFT-1), or
 * by the config loader (CONFIG-1). They carry metadata here; `check` of a configuration has no
 * change to judge, so it does not run them.
 */
export interface ModeRule extends RuleMeta {
  kind: "review" | "drift" | "config";
}

export type Rule = ResourceRule | ScopeRule | ModeRule;

/** Built-in rule ids (`OKTA-SES-1`, `CF-ACC-3`): a public contract, reserved for the catalogue. */
export const BUILTIN_ID = /^[A-Z]+(-[A-Z]+)?-\d+$/;
/**
 * Pack rule ids: a lower-case namespace, a slash, then an id such as `ACCESS-1` (`acme/ACCESS-1`).
 * The slash keeps them apart from built-in ids, now and for any built-in id added later.
 */
export const PACK_ID = /^[a-z][a-z0-9_-]*\/[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;

/**
 * Declares a rule: checks its id and freezes it. Built-in rules use ids of the form `AREA-N`; rules of
 * a pack use `namespace/ID` (see {@link PACK_ID}).
 */
export function defineRule<R extends Rule>(rule: R): R {
  if (!BUILTIN_ID.test(rule.id) && !PACK_ID.test(rule.id)) {
    throw new Error(`rule id ${rule.id} is not of the form namespace/ID (a pack rule, e.g. acme/ACCESS-1) or AREA-N (built-in)`);
  }
  return Object.freeze(rule);
}

/** A rule pack: rules a team adds to the built-in catalogue. */
export interface RulePack {
  /** Shown in errors and docs. */
  readonly name: string;
  /** Resource and scope rules; ids of the form `namespace/ID`. */
  readonly rules: readonly (ResourceRule | ScopeRule)[];
}

/** Declares a rule pack (the value a pack module exports, as `default` or as `module.exports`). */
export function definePack(pack: RulePack): RulePack {
  return Object.freeze({ name: pack.name, rules: Object.freeze([...pack.rules]) });
}

/** Thresholds of `rule` for `profile`, overridden by the user's config. */
export function thresholdsFor(rule: Rule, profile: Profile, overrides?: Thresholds): Thresholds {
  const out: Record<string, number | boolean> = {};
  for (const [k, spec] of Object.entries(rule.thresholds ?? {})) out[k] = overrides?.[k] ?? spec[profile];
  return out;
}

/** Three-valued truth for conditions that may rest on unknown values. */
export type Tri = true | false | "unknown";
