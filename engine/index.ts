/** The engine without cdktf: loaders, model, evaluation, catalogue and reports (`identity-posture/engine`). */
export * from "./model";
export { InputError, UsageError } from "./errors";
export { loadPaths } from "./load";
export { evaluate, type Finding, type EvaluationResult } from "./evaluate";
export { loadConfig, type PostureConfig } from "./config";
export { CATALOGUE, ruleById } from "../policies";
export * from "../policies/rule";
export { toJsonReport, formatJson, type JsonReport } from "../report/json";
export { buildReport, type Report } from "../report/report";
export { Redactor } from "./redact";
export { Scope } from "./scope";
