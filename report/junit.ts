/**
 * JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure DevOps): one `testsuite` per
 * rule, one `testcase` per resource the rule judged. A failing finding is a `failure`; an unknown or
 * waived one is `skipped` with the reason, since it is neither a pass nor a failure.
 */
import type { Finding } from "../engine/evaluate/evaluate";
import type { Rule } from "../policies/rule";
import { type Report, reportRules } from "./report";

/** Escapes text for XML content and attribute values; drops characters XML 1.0 cannot carry. */
export function xml(s: string): string {
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function show(v: unknown): string {
  return v === undefined || v === null ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v);
}

/** The rules a mode runs: resource, scope and config rules always; PLAN rules in review; DRIFT-1 in drift. */
function rulesOf(rules: readonly Rule[], mode: Report["mode"]): Rule[] {
  return rules.filter((r) => r.kind === "resource" || r.kind === "scope" || r.kind === "config" || r.kind === mode);
}

function describe(f: Finding): string {
  const lines = [`${f.ruleId} ${f.severity} on ${f.address}${f.constructPath ? ` (${f.constructPath})` : ""}`, f.message];
  if (f.attribute) lines.push(`attribute: ${f.attribute}`);
  if (f.before !== undefined || f.after !== undefined) lines.push(`before → after: ${show(f.before)} → ${show(f.after)}`);
  if (f.change) lines.push(`change: ${f.change}`);
  if (f.source?.file) lines.push(`at: ${f.source.file}${f.source.line ? `:${f.source.line}` : ""}`);
  if (f.plan && f.plan.file !== f.source?.file) lines.push(`plan: ${f.plan.file}`);
  if (f.waiver) lines.push(`waiver: ${f.waiver.expired ? "expired" : "until"} ${f.waiver.expires}: ${f.waiver.reason}`);
  return lines.join("\n");
}

/** Where a judged resource was declared; Terraform addresses repeat across stacks and inputs. */
interface Origin {
  constructPath?: string;
  source?: { file?: string };
  /** review and drift: the plan; it tells apart two stacks' or workspaces' resources mapped to one file. */
  plan?: { file?: string };
}

interface Case {
  address: string;
  /** The construct path or source file that tells this resource from others at the same address. */
  origin?: string;
  /** review and drift: the plan the resource comes from. */
  plan?: string;
  findings: Finding[];
}

const originOf = (o: Origin): string | undefined => o.constructPath ?? o.plan?.file ?? o.source?.file;
const keyOf = (address: string, o: Origin): string => `${address}\u0000${o.plan?.file ?? o.source?.file ?? ""}\u0000${o.constructPath ?? ""}`;

/**
 * One testcase per judged resource: findings are grouped by address plus source file and construct
 * path, so a dev and a prod stack (or two plan files) with the same address are two testcases. Each
 * passing evaluation is a testcase of its own. (`evaluated` entries carry no origin today; one that
 * does is keyed by it too.)
 */
function casesOf(report: Report, ruleId: string): Case[] {
  const cases = new Map<string, Case>();
  for (const f of report.findings) {
    if (f.ruleId !== ruleId) continue;
    const key = keyOf(f.address, f);
    const c = cases.get(key) ?? { address: f.address, origin: originOf(f), plan: f.plan?.file, findings: [] };
    c.findings.push(f);
    cases.set(key, c);
  }
  let passes = 0;
  for (const e of report.evaluated) {
    if (e.ruleId !== ruleId || e.outcome !== "pass") continue;
    const o = e as typeof e & Origin;
    const known = originOf(o) !== undefined;
    const key = known ? keyOf(e.address, o) : `${e.address}\u0000pass\u0000${passes++}`;
    if (!cases.has(key)) cases.set(key, { address: e.address, origin: originOf(o), plan: report.mode === "check" ? undefined : o.source?.file, findings: [] });
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...cases.values()].sort((a, b) => cmp(a.address, b.address) || cmp(a.origin ?? "", b.origin ?? ""));
}

export function formatJunit(report: Report): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const severalPlans = report.mode !== "check" && report.inputs.length > 1;
  for (const rule of rulesOf(reportRules(report), report.mode)) {
    const cases = casesOf(report, rule.id);
    const perAddress = new Map<string, number>();
    for (const c of cases) perAddress.set(c.address, (perAddress.get(c.address) ?? 0) + 1);
    const body: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const c of cases) {
      const failing = c.findings.filter((f) => f.outcome === "fail");
      // The plain address names a testcase, unless another testcase of the suite has the same address;
      // with several plans (stacks, workspaces) every resource's testcase names its plan.
      const qualifier = severalPlans && c.plan ? c.plan : (perAddress.get(c.address) ?? 0) > 1 ? c.origin : undefined;
      const name = qualifier ? `${c.address} (${qualifier})` : c.address;
      const open = `    <testcase classname="${xml(rule.id)}" name="${xml(name)}" time="0"`;
      if (failing.length > 0) {
        suiteFailures++;
        const first = failing[0];
        const message = `${first.change ? `[${first.change}] ` : ""}${first.message}`;
        body.push(`${open}>`, `      <failure type="${xml(first.severity)}" message="${xml(message)}">${xml(failing.map(describe).join("\n\n"))}</failure>`, "    </testcase>");
      } else if (c.findings.length > 0) {
        suiteSkipped++;
        const f = c.findings[0];
        const why = f.outcome === "waived" && f.waiver ? `waived until ${f.waiver.expires}: ${f.waiver.reason}` : `unknown: ${f.message}`;
        body.push(`${open}>`, `      <skipped message="${xml(why)}"/>`, "    </testcase>");
      } else body.push(`${open}/>`);
    }
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${xml(`${rule.id} ${rule.title}`)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="0">`,
      `    <properties><property name="severity" value="${rule.severity}"/><property name="kind" value="${rule.kind}"/></properties>`,
      ...body,
      "  </testsuite>",
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(`identity-posture ${report.mode} (${report.profile})`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="0">`,
    ...configurationSuite(report),
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

/**
 * JUnit has properties on test suites only: what the configuration disabled or overrode goes in a
 * suite of its own, with no test cases, ahead of the rules.
 */
function configurationSuite(report: Report): string[] {
  const a = report.adjusted;
  if (!a) return [];
  const props = [
    ...a.disabled.map((id) => `<property name="disabled" value="${xml(id)}"/>`),
    ...Object.entries(a.thresholds).flatMap(([id, t]) => Object.entries(t).map(([k, v]) => `<property name="threshold" value="${xml(`${id} ${k} = ${v}`)}"/>`)),
  ];
  return ['  <testsuite name="identity-posture configuration" tests="0" failures="0" errors="0" skipped="0" time="0">', `    <properties>${props.join("")}</properties>`, "  </testsuite>"];
}
