/**
 * The report every format renders: one value, built once, redacted once. Formats never see an
 * unredacted finding.
 */
import type { BaselineUse } from "../engine/evaluate/baseline";
import type { PostureConfig } from "../engine/evaluate/config";
import type { EvaluationResult, Finding, Notice, RuleSelection } from "../engine/evaluate/evaluate";
import type { InputKind } from "../engine/model/model";
import type { Redactor } from "../engine/evaluate/redact";
import { CATALOGUE } from "../policies";
import type { Profile, Rule } from "../policies/rule";

export { TOOL } from "./tool";

export interface Report {
  mode: "check" | "review" | "drift";
  profile: Profile;
  inputs: Array<{ path: string; kind: InputKind }>;
  summary: { errors: number; warnings: number; unknown: number; waived: number; passed: number; fixed: number };
  findings: Finding[];
  fixed: Finding[];
  notices: Notice[];
  /** Every (rule, resource) evaluation, passes included (JUnit lists them). */
  evaluated: EvaluationResult["evaluated"];
  /** `review` only: which findings fail the run (`--fail-on`). */
  failOn?: "new" | "any";
  /** review and drift with `--repo-root`: the root that findings' `inRepo` files are relative to. */
  repoRoot?: string;
  /** The rules that ran (the catalogue and packs, --only/--skip applied): SARIF and JUnit describe them. */
  rules?: readonly Rule[];
  /** `--only` / `--skip` as given. */
  selection?: RuleSelection;
  /** `--baseline` / `--write-baseline`: the file, findings it left out, entries that matched nothing. */
  baseline?: BaselineUse;
  /** What posture.config.json switched off or moved; every format lists it, so nothing is weakened unseen. */
  adjusted?: Adjustments;
}

/** What the CLI adds to a report beyond the evaluation: the rules, the selection, the baseline. */
export interface ReportContext {
  rules?: readonly Rule[];
  selection?: RuleSelection;
  baseline?: BaselineUse;
  /** The configuration whose disabled rules and threshold overrides the report lists. */
  config?: Pick<PostureConfig, "disabled" | "thresholds">;
}

/** Rules disabled and thresholds overridden by the configuration, sorted (absent when there are none). */
export interface Adjustments {
  disabled: string[];
  thresholds: Record<string, Record<string, number | boolean>>;
}

/** The configuration's adjustments, or undefined when it makes none. */
export function adjustmentsOf(config: Pick<PostureConfig, "disabled" | "thresholds"> | undefined): Adjustments | undefined {
  if (!config) return undefined;
  const disabled = [...new Set(config.disabled)].sort();
  const thresholds: Adjustments["thresholds"] = {};
  for (const id of Object.keys(config.thresholds).sort()) {
    const keys = Object.keys(config.thresholds[id]).sort();
    if (keys.length > 0) thresholds[id] = Object.fromEntries(keys.map((k) => [k, config.thresholds[id][k]]));
  }
  return disabled.length > 0 || Object.keys(thresholds).length > 0 ? { disabled, thresholds } : undefined;
}

/** One line per adjustment, for the prose formats: `rule CF-ACC-4 disabled`, `threshold OKTA-SES-1 maxIdleMinutes = 20`. */
export function adjustmentLines(a: Adjustments | undefined): string[] {
  if (!a) return [];
  return [...a.disabled.map((id) => `rule ${id} disabled`), ...Object.entries(a.thresholds).flatMap(([id, t]) => Object.entries(t).map(([k, v]) => `threshold ${id} ${k} = ${v}`))];
}

/**
 * Which failing error findings decide the exit code: all of them in `check`; in `review`, only new and
 * regressed ones unless `--fail-on any`; in `drift`, only the drift findings.
 */
export function decidingFindings(mode: Report["mode"], failOn: "new" | "any" = "new"): (f: Finding) => boolean {
  if (mode === "review" && failOn === "new") return (f) => f.change === "new" || f.change === "regression";
  if (mode === "drift") return (f) => f.change === "drift";
  return () => true;
}

export function buildReport(
  mode: Report["mode"],
  profile: Profile,
  inputs: Report["inputs"],
  result: EvaluationResult,
  redactor: Redactor,
  fixed: Finding[] = [],
  failOn: "new" | "any" = "new",
  context: ReportContext = {},
): Report {
  const adjusted = adjustmentsOf(context.config);
  const decides = decidingFindings(mode, failOn);
  const findings = redactor.deep(result.findings);
  const count = (p: (f: Finding) => boolean) => findings.filter(p).length;
  return {
    mode,
    profile,
    inputs,
    summary: {
      errors: count((f) => f.outcome === "fail" && f.severity === "error" && decides(f)),
      warnings: count((f) => f.outcome === "fail" && f.severity === "warning"),
      unknown: count((f) => f.outcome === "unknown"),
      waived: count((f) => f.outcome === "waived"),
      passed: result.passed,
      fixed: fixed.length,
    },
    findings,
    fixed: redactor.deep(fixed),
    notices: redactor.deep(result.notices),
    evaluated: redactor.deep(result.evaluated),
    ...(mode === "review" ? { failOn } : {}),
    rules: context.rules ?? CATALOGUE,
    ...(context.selection ? { selection: context.selection } : {}),
    ...(context.baseline ? { baseline: context.baseline } : {}),
    ...(adjusted ? { adjusted } : {}),
  };
}

/** `--only`/`--skip` and the baseline, in words: "only CF-ACC-*; skipped OKTA-LOG-2; baseline posture-baseline.json: 3 left out, 1 stale". */
export function selectionText(report: Report): string[] {
  const out: string[] = [];
  if (report.selection?.only) out.push(`only ${report.selection.only.join(", ")}`);
  if (report.selection?.skip) out.push(`skipped ${report.selection.skip.join(", ")}`);
  if (report.baseline) out.push(`baseline ${report.baseline.file}: ${report.baseline.matched} left out, ${report.baseline.stale} stale`);
  return out;
}

/** The rules the report describes: those it was built with, else the built-in catalogue. */
export function reportRules(report: Report): readonly Rule[] {
  return report.rules ?? CATALOGUE;
}

/** True for a finding that fails the run: failing, of severity error, and counted in this mode. */
export function isBlocking(report: Report, f: Finding): boolean {
  return f.outcome === "fail" && f.severity === "error" && decidingFindings(report.mode, report.failOn)(f);
}

/** Exit code 1 when a failing error-severity finding that decides the exit code remains (`summary.errors`). */
export function exitCodeOf(report: Report): 0 | 1 {
  return report.summary.errors > 0 ? 1 : 0;
}
