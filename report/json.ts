/** The JSON report, version 1 (CLI.md). Key order is fixed so the same input gives the same bytes. */
import type { Finding } from "../engine/evaluate/evaluate";
import { type Report, TOOL } from "./report";

export interface JsonFinding {
  ruleId: string;
  severity: string;
  outcome: string;
  address: string;
  resourceType: string;
  constructPath?: string;
  attribute?: string;
  message: string;
  change?: string;
  before?: unknown;
  after?: unknown;
  waiver: Finding["waiver"];
  file?: string;
  line?: number;
  column?: number;
  /** review and drift: the plan the finding comes from. */
  plan?: string;
  /** The line and column of the finding's entry in its plan, when `file` is not the plan (`--repo-root`). */
  planLine?: number;
  planColumn?: number;
}

export interface JsonReport {
  reportVersion: 1;
  tool: typeof TOOL;
  mode: Report["mode"];
  profile: Report["profile"];
  inputs: Report["inputs"];
  /** Rules posture.config.json disables (only when it disables any). */
  disabled?: string[];
  /** Thresholds posture.config.json overrides, by rule (only when it overrides any). */
  thresholds?: Record<string, Record<string, number | boolean>>;
  summary: Report["summary"];
  findings: JsonFinding[];
  fixed?: JsonFinding[];
  notices: Report["notices"];
  /** `--only` / `--skip`, when given. */
  selection?: Report["selection"];
  /** `--baseline` / `--write-baseline`, when given. */
  baseline?: Report["baseline"];
}

function jsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = { ruleId: f.ruleId, severity: f.severity, outcome: f.outcome, address: f.address, resourceType: f.resourceType } as JsonFinding;
  if (f.constructPath !== undefined) out.constructPath = f.constructPath;
  if (f.attribute !== undefined) out.attribute = f.attribute;
  out.message = f.message;
  if (f.change !== undefined) out.change = f.change;
  if (f.before !== undefined) out.before = f.before;
  if (f.after !== undefined) out.after = f.after;
  out.waiver = f.waiver;
  if (f.source?.file) out.file = f.source.file;
  if (f.source?.line) out.line = f.source.line;
  if (f.source?.column) out.column = f.source.column;
  if (f.plan) {
    out.plan = f.plan.file;
    if (f.source?.file !== f.plan.file) {
      if (f.plan.line) out.planLine = f.plan.line;
      if (f.plan.column) out.planColumn = f.plan.column;
    }
  }
  return out;
}

export function toJsonReport(report: Report): JsonReport {
  return {
    reportVersion: 1,
    tool: TOOL,
    mode: report.mode,
    profile: report.profile,
    inputs: report.inputs,
    ...(report.adjusted?.disabled.length ? { disabled: report.adjusted.disabled } : {}),
    ...(report.adjusted && Object.keys(report.adjusted.thresholds).length ? { thresholds: report.adjusted.thresholds } : {}),
    summary: report.summary,
    findings: report.findings.map(jsonFinding),
    ...(report.mode === "check" ? {} : { fixed: report.fixed.map(jsonFinding) }),
    notices: report.notices,
    ...(report.selection ? { selection: report.selection } : {}),
    ...(report.baseline ? { baseline: report.baseline } : {}),
  };
}

export function formatJson(report: Report): string {
  return JSON.stringify(toJsonReport(report), null, 2) + "\n";
}
