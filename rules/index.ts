/**
 * The rule-authoring API (`identity-posture/rules`): what a team needs to write its own rules, the
 * same API the built-in catalogue is written with. A rule is metadata plus one small `evaluate`
 * function that returns a verdict; a pack is a named list of rules. docs/writing-rules.md walks
 * through it; examples/org-pack/ is a complete pack with fixtures.
 */
export {
  defineRule,
  definePack,
  pass,
  fail,
  unknown,
  notApplicable,
  thresholdsFor,
  PACK_ID,
  type Rule,
  type RuleMeta,
  type ResourceRule,
  type ScopeRule,
  type RulePack,
  type RuleContext,
  type Verdict,
  type Severity,
  type Profile,
  type ThresholdSpec,
  type Thresholds,
  type Weakening,
  type Tri,
} from "../engine/model/rule";
export type { Resource } from "../engine/model/model";
export { Scope, sameUnit } from "../engine/model/scope";
// Reading attributes: provider defaults applied, and unknown-before-apply values kept apart from known ones.
export { read, readJson, walk, asString, asNumber, asBool, asList, containsUnknown, isSensitive, type Read, type JsonRead } from "../engine/model/view";
export { goDurationMinutes, isoDurationMinutes } from "../engine/model/duration";
// Typed reads that turn an unknown or mistyped value into the verdict a rule must give, and combinators.
export { getString, getNumber, getBool, getJson, isActive, equals, and, whenApplies, allOf, decide, dflt, type Got } from "../policies/shared/read";
export { requireSome } from "../policies/shared/scope";
export type { PackSource } from "../engine/evaluate/packs";
