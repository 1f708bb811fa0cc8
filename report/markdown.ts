/**
 * Markdown for a pull-request comment: a verdict line; a table of the findings this change makes (new
 * and regressed in `review`, drift in `drift`, every finding in `check`) with before → after; the
 * existing ones folded in `<details>`; the fixed ones. It starts with a hidden marker so a CI job can
 * find and update its own comment, and it stays under {@link MAX_MARKDOWN} characters (GitHub's
 * comment limit is 65,536): rows that do not fit are left out and counted.
 */
import type { Finding } from "../engine/evaluate/evaluate";
import { adjustmentLines, isBlocking, type Report, selectionText } from "./report";

export const MAX_MARKDOWN = 60_000;

/** The hidden marker the GitHub Action looks for to update its comment instead of adding one. */
export function markerOf(mode: Report["mode"]): string {
  return `<!-- identity-posture:${mode} -->`;
}

/** Text safe inside a table cell: HTML escaped (a PR comment renders HTML), pipes and newlines neutralised. */
export function cell(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\r?\n/g, "<br>");
}

const code = (s: string): string => `<code>${cell(s)}</code>`;

function show(v: unknown): string {
  return v === undefined ? "" : v === null ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v);
}

function values(f: Finding): string {
  if (f.before === undefined && f.after === undefined) return "";
  return `${code(f.before === undefined ? "(absent)" : show(f.before))} → ${f.after === undefined ? "" : code(show(f.after))}`;
}

function level(f: Finding): string {
  if (f.outcome === "waived") return "waived";
  if (f.outcome === "unknown") return "unknown";
  return f.severity;
}

/** The resource cell; with several plans (stacks, workspaces) it names the finding's plan too. */
function resource(f: Finding, plans = 1): string {
  const where = f.source?.line ? ` <sub>${cell(f.source.file)}:${f.source.line}</sub>` : "";
  const plan = f.plan && plans > 1 ? `<br><sub>plan ${cell(f.plan.file)}</sub>` : "";
  return `${code(f.address)}${f.constructPath ? `<br><sub>${cell(f.constructPath)}</sub>` : ""}${where}${plan}`;
}

function row(f: Finding, withChange: boolean, plans = 1): string {
  const cols = [`**${level(f)}**`, ...(withChange ? [f.change ?? ""] : []), f.ruleId, resource(f, plans), f.attribute ? code(f.attribute) : "", values(f), cell(f.message)];
  if (f.waiver) cols[cols.length - 1] += `<br><sub>waiver ${f.waiver.expired ? "expired" : "until"} ${cell(f.waiver.expires)}: ${cell(f.waiver.reason)}</sub>`;
  return `| ${cols.join(" | ")} |`;
}

function header(withChange: boolean): string[] {
  const cols = ["", ...(withChange ? ["change"] : []), "rule", "resource", "attribute", "before → after", "finding"];
  return [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`];
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? "" : "s"}`;

/** Characters the list of inputs may take in the header: a long list is cut and counted (the JSON report has all). */
export const MAX_INPUTS_LIST = 2_000;

function inputsList(inputs: Report["inputs"]): string {
  const shown: string[] = [];
  let used = 0;
  for (const i of inputs) {
    const c = code(i.path);
    if (used + c.length > MAX_INPUTS_LIST) break;
    shown.push(c);
    used += c.length + 2;
  }
  const rest = inputs.length - shown.length;
  return rest === 0 ? shown.join(", ") : `${shown.join(", ")}${shown.length > 0 ? " and " : ""}${plural(rest, "more input")} (the JSON report lists every input)`;
}

export function formatMarkdown(report: Report): string {
  const s = report.summary;
  const failing = s.errors > 0;
  const changing = report.mode === "check" ? report.findings : report.findings.filter((f) => f.change !== "existing");
  const existing = report.mode === "check" ? [] : report.findings.filter((f) => f.change === "existing");
  const blocking = report.findings.filter((f) => isBlocking(report, f)).length;
  const what = report.mode === "review" ? (report.failOn === "any" ? "failing errors" : "new or regressed errors") : report.mode === "drift" ? "errors from drift" : "failing errors";

  const head: string[] = [
    markerOf(report.mode),
    `### identity-posture ${report.mode}: ${failing ? "❌ FAIL" : "✅ PASS"}`,
    "",
    [
      `**${plural(blocking, "blocking finding")}** (${what})`,
      plural(s.warnings, "warning"),
      `${s.unknown} unknown`,
      `${s.waived} waived`,
      ...(report.mode === "check" ? [] : [`${existing.length} existing`, `${s.fixed} fixed`]),
      `${s.passed} passed`,
      `profile \`${report.profile}\``,
      ...selectionText(report).map((t) => cell(t)),
      inputsList(report.inputs),
    ].join(" · "),
    "",
    ...(report.adjusted ? [`**Set by the configuration:** ${adjustmentLines(report.adjusted).map(cell).join(" · ")}`, ""] : []),
  ];

  // Sections are filled in order until the budget runs out; what is left out is counted.
  const budget = MAX_MARKDOWN - 600;
  let used = head.reduce((n, l) => n + l.length + 1, 0);
  let omitted = 0;
  const fit = (lines: string[]): boolean => {
    const n = lines.reduce((a, l) => a + l.length + 1, 0);
    if (used + n > budget) return false;
    used += n;
    return true;
  };
  const table = (findings: readonly Finding[], withChange: boolean): string[] => {
    const out: string[] = [];
    const h = header(withChange);
    if (findings.length === 0 || !fit(h)) {
      omitted += findings.length;
      return out;
    }
    out.push(...h);
    for (const f of findings) {
      // Once a row is left out, the rest are counted without being rendered.
      const r = omitted === 0 ? row(f, withChange, report.inputs.length) : "";
      if (omitted === 0 && fit([r])) out.push(r);
      else omitted++;
    }
    return out;
  };

  const body: string[] = [];
  const title = report.mode === "review" ? "New and regressed findings" : report.mode === "drift" ? "Changed outside Terraform" : "Findings";
  if (changing.length > 0) body.push(`#### ${title}`, "", ...table(changing, report.mode !== "check"), "");
  else body.push(report.mode === "review" ? "This change adds no finding." : report.mode === "drift" ? "No drift in what the rules read." : "No findings.", "");

  if (existing.length > 0) {
    const rows = table(existing, true);
    const why = report.mode === "drift" ? "failing in the applied state too, not caused by drift" : "present before this change";
    body.push(`<details><summary>${plural(existing.length, "existing finding")} (${why})</summary>`, "", ...rows, "", "</details>", "");
  }

  if (report.fixed.length > 0) {
    body.push(`#### Fixed${report.mode === "review" ? " by this change" : report.mode === "drift" ? " (outside Terraform: the next apply may undo it)" : ""}`, "");
    const h = ["| rule | resource | attribute | before → after | was |", "|---|---|---|---|---|"];
    if (fit(h)) {
      body.push(...h);
      for (const f of report.fixed) {
        const r = omitted === 0 ? `| ${f.ruleId} | ${resource(f, report.inputs.length)} | ${f.attribute ? code(f.attribute) : ""} | ${values(f)} | ${cell(f.message)} |` : "";
        if (omitted === 0 && fit([r])) body.push(r);
        else omitted++;
      }
    } else omitted += report.fixed.length;
    body.push("");
  }

  if (report.notices.length > 0) {
    body.push("<details><summary>Notices</summary>", "");
    for (const n of report.notices) {
      const l = omitted === 0 ? `- ${n.level}: ${cell(n.message)}` : "";
      if (omitted === 0 && fit([l])) body.push(l);
      else omitted++;
    }
    body.push("", "</details>", "");
  }

  if (omitted > 0) body.push(`_${plural(omitted, "more row")} left out to stay under ${MAX_MARKDOWN.toLocaleString("en-US")} characters; the JSON and SARIF reports have every finding._`, "");
  return [...head, ...body].join("\n");
}
