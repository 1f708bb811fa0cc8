/**
 * The engine without cdktf: loaders, model, evaluation, catalogue and reports (`identity-posture/engine`).
 * The engine's modules take their rules as a parameter; this public entry also hands out the built-in
 * catalogue, the default pack.
 */
export * from "./model";
export { InputError, UsageError } from "./errors";
export { loadPaths, type LoadOptions, type VariableSource } from "./load";
export { evaluate, type Finding, type EvaluationResult, type EvaluateOptions, type RuleSelection } from "./evaluate";
export { loadConfig, type PostureConfig } from "./config";
export { CATALOGUE, catalogueWith, ruleById } from "../policies";
export * from "./rule";
export { withPacks, loadPack, type PackSource } from "./packs";
export { applyBaseline, baselineOf, fingerprintOf, formatBaseline, loadBaseline, type Baseline, type BaselineEntry } from "./baseline";
export { toJsonReport, formatJson, type JsonReport } from "../report/json";
export { buildReport, type Report } from "../report/report";
export { Redactor } from "./redact";
export { Scope } from "./scope";
export { reviewPlan, reviewPlans, reviewWithoutPlan, type ModeResult, type PlanDoc } from "./review";
export { driftPlan, driftPlans } from "./drift";
export { loadPlanOrInput, readCdktfStacks, type CdktfStack, type PlanDocument } from "./load";
export { joinPlansToStacks, type SynthJoin } from "./synth-join";
export { mapToRepository } from "./repo-locations";
export { pointIntoPlan } from "./plan-locations";
export { formatSarif } from "../report/sarif";
export { formatJunit } from "../report/junit";
export { formatMarkdown, markerOf } from "../report/markdown";
export { formatText } from "../report/text";
export { decidingFindings, isBlocking } from "../report/report";
