/** Human-readable report: one line per finding, grouped by resource, and a one-line summary. */
import type { Finding } from "../engine/evaluate/evaluate";
import { adjustmentLines, type Report, selectionText } from "./report";

const COLOURS = { error: "\x1b[31m", warning: "\x1b[33m", unknown: "\x1b[36m", waived: "\x1b[2m", reset: "\x1b[0m", bold: "\x1b[1m" };

function label(f: Finding): "error" | "warning" | "unknown" | "waived" {
  return f.outcome === "fail" ? f.severity : f.outcome;
}

export function formatText(report: Report, colour: boolean): string {
  const c = (k: keyof typeof COLOURS, s: string) => (colour ? `${COLOURS[k]}${s}${COLOURS.reset}` : s);
  const lines: string[] = adjustmentLines(report.adjusted).map((l) => `configuration: ${l}`);
  const groups = new Map<string, Finding[]>();
  // Grouped by resource: the same address in two plans (two stacks) is two resources.
  const groupKey = (f: Finding): string => `${f.address}\u0000${f.plan?.file ?? ""}`;
  for (const f of [...report.findings].sort((a, b) => (groupKey(a) < groupKey(b) ? -1 : groupKey(a) > groupKey(b) ? 1 : 0))) {
    const list = groups.get(groupKey(f)) ?? [];
    list.push(f);
    groups.set(groupKey(f), list);
  }
  for (const list of groups.values()) {
    const first = list[0];
    const address = first.address;
    const where = first.source?.file ? `  ${first.source.file}${first.source.line ? `:${first.source.line}` : ""}${first.source.column ? `:${first.source.column}` : ""}` : "";
    const plan = first.plan && first.plan.file !== first.source?.file ? `  (plan ${first.plan.file})` : "";
    lines.push(c("bold", address) + (first.constructPath ? `  (${first.constructPath})` : "") + where + plan);
    for (const f of list) {
      const l = label(f);
      const change = f.change ? ` [${f.change}]` : "";
      const values = f.before !== undefined ? ` (${show(f.before)} → ${show(f.after)})` : "";
      const waiver = f.waiver ? ` (waiver ${f.waiver.expired ? "expired" : "until"} ${f.waiver.expires}: ${f.waiver.reason})` : "";
      lines.push(`  ${c(l, l.padEnd(7))} ${f.ruleId.padEnd(13)} ${f.attribute ? `${f.attribute}: ` : ""}${f.message}${change}${values}${waiver}`);
    }
  }
  if (report.fixed.length > 0) {
    lines.push(report.mode === "drift" ? "fixed outside Terraform (the next apply may undo it):" : "fixed by this change:");
    for (const f of report.fixed) {
      const values = f.before !== undefined ? ` (${show(f.before)} → ${show(f.after)})` : "";
      const plan = f.plan && report.inputs.length > 1 ? ` (${f.plan.file})` : "";
      lines.push(`  ${f.ruleId.padEnd(13)} ${f.address}${plan}${f.attribute ? ` ${f.attribute}` : ""}: ${f.message}${values}`);
    }
  }
  for (const n of report.notices) lines.push(`${n.level}: ${n.message}`);
  const selected = selectionText(report);
  if (selected.length > 0) lines.push(`rules: ${selected.join("; ")}`);
  const s = report.summary;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
  const verdict = s.errors > 0 ? c("error", "FAIL") : c("bold", "PASS");
  lines.push(
    `${verdict} identity-posture ${report.mode} (${report.profile}): ${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}, ${s.unknown} unknown, ${s.waived} waived, ${s.passed} passed` +
      (report.mode === "check" ? "" : `, ${s.fixed} fixed, ${report.findings.filter((f) => f.change === "existing").length} existing`) +
      (report.mode === "review" ? ` (--fail-on ${report.failOn ?? "new"})` : "") +
      (report.baseline ? `, ${report.baseline.matched} baselined` : ""),
  );
  return lines.join("\n") + "\n";
}

function show(v: unknown): string {
  return v === undefined ? "(absent)" : typeof v === "string" ? v : JSON.stringify(v);
}
