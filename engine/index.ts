/**
 * The engine without cdktf: loaders, model, evaluation, catalogue and reports (`identity-posture/engine`).
 * The engine's modules take their rules as a parameter; this public entry also hands out the built-in
 * catalogue, the default pack.
 */
export * from "./model/model";
export { InputError, UsageError } from "./errors";
export { loadPaths, type LoadOptions, type VariableSource } from "./load/load";
export { evaluate, type Finding, type EvaluationResult, type EvaluateOptions, type RuleSelection } from "./evaluate/evaluate";
export { loadConfig, type PostureConfig } from "./evaluate/config";
export { CATALOGUE, catalogueWith, ruleById } from "../policies";
export * from "./model/rule";
export { withPacks, loadPack, type PackSource } from "./evaluate/packs";
export { applyBaseline, baselineOf, fingerprintOf, formatBaseline, loadBaseline, type Baseline, type BaselineEntry } from "./evaluate/baseline";
export { toJsonReport, formatJson, type JsonReport } from "../report/json";
export { buildReport, type Report } from "../report/report";
export { Redactor } from "./evaluate/redact";
export { Scope } from "./model/scope";
export { reviewPlan, reviewPlans, reviewWithoutPlan, type ModeResult, type PlanDoc } from "./review/review";
export { driftPlan, driftPlans } from "./review/drift";
export { loadPlanOrInput, type PlanDocument } from "./load/load";
export { readCdktfStacks, type CdktfStack } from "./load/config-files";
export { joinPlansToStacks, type SynthJoin } from "./review/synth-join";
export { mapToRepository } from "./review/repo-locations";
export { pointIntoPlan } from "./review/plan-locations";
export { formatSarif } from "../report/sarif";
export { formatJunit } from "../report/junit";
export { formatMarkdown, markerOf } from "../report/markdown";
export { formatText } from "../report/text";
export { decidingFindings, isBlocking } from "../report/report";
