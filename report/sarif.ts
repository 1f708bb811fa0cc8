/**
 * SARIF 2.1.0 (OASIS), for GitHub code scanning and other SARIF viewers. Every rule of the catalogue
 * is a `reportingDescriptor`; every finding a result with a physical location (the input file, with
 * the resource's line where the input has lines) and a logical one (the Terraform address, and the
 * construct path where there is one), and a `partialFingerprints` value built from what identifies
 * the finding (rule, address, attribute), never from values, so a changed value keeps its alert.
 */
import { createHash } from "node:crypto";
import { basename, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding } from "../engine/evaluate/evaluate";
import type { Rule } from "../policies/rule";
import { type Report, reportRules, TOOL } from "./report";

const SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI = "https://www.npmjs.com/package/identity-posture";
const FINGERPRINT = "identityPosture/v1";

/** GitHub ranks security alerts by this number (0-10). */
const SECURITY_SEVERITY: Record<Rule["severity"], string> = { error: "8.0", warning: "5.0" };

const WHEN: Record<Rule["kind"], string> = {
  resource: "Evaluated on every resource of its types.",
  scope: "Scope rule: asks whether something exists anywhere in the evaluated inputs.",
  review: "Decided by `posture review` from a plan's changes.",
  drift: "Decided by `posture drift` from a plan's resource_drift.",
  config: "Decided from posture.config.json.",
};

function descriptor(rule: Rule): object {
  const help = `${rule.title}. Passes when: ${rule.passes}. ${WHEN[rule.kind]}`;
  return {
    id: rule.id,
    name: rule.id.replace(/-/g, ""),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: {
      text: `${help} Why: ${rule.rationale} References: ${rule.references.join("; ")}.`,
      markdown: `**${rule.title}**\n\n*Passes when:* ${rule.passes}.\n\n${WHEN[rule.kind]}\n\n*Why:* ${rule.rationale}\n\n*References:* ${rule.references.join("; ")}.`,
    },
    defaultConfiguration: { level: rule.severity },
    properties: {
      severity: rule.severity,
      "security-severity": SECURITY_SEVERITY[rule.severity],
      tags: ["security", rule.provider === "any" ? "terraform" : rule.provider, rule.kind],
      provider: rule.provider,
      kind: rule.kind,
    },
  };
}

/** A path as a URI reference: relative paths keep their form (segments percent-encoded), absolute ones become file URIs. */
export function toUri(path: string): string {
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/**
 * Reviewed together, two plans (stacks, workspaces) may hold the same address: the plan a finding
 * comes from tells them apart, so each keeps its own alert. The plan is named the same way however
 * many plans are passed and with or without --repo-root, so neither re-opens every alert: by its path
 * as given when relative (`plans/prod/plan.json`), by its file name when absolute (a runner's temp
 * directory changes from run to run).
 */
function fingerprint(f: Finding): string {
  const parts = [f.ruleId, f.address, f.attribute ?? ""];
  if (f.plan) parts.push(planName(f.plan.file));
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

function planName(file: string): string {
  return isAbsolute(file) ? basename(file) : file.split(/[\\/]/).filter((seg) => seg !== "" && seg !== ".").join("/");
}

/** Where code scanning resolves `inRepo` paths: the repository root. */
const SRCROOT = "%SRCROOT%";

function artifactLocation(file: string, inRepo: boolean | undefined): Record<string, string> {
  return inRepo ? { uri: toUri(file), uriBaseId: SRCROOT } : { uri: toUri(file) };
}

function show(v: unknown): string {
  return v === undefined || v === null ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v);
}

/** A sentence ends with a period (SARIF viewers show messages as sentences). */
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

function messageOf(f: Finding): string {
  const change = f.change ? `[${f.change}] ` : "";
  const values = f.before !== undefined ? ` (${show(f.before)} → ${show(f.after)})` : "";
  // A code-scanning alert shows the message beside the file: the construct path says which construct to change.
  const construct = f.constructPath ? ` (${f.constructPath})` : "";
  const text = sentence(`${change}${f.address}${construct}${f.attribute ? ` ${f.attribute}` : ""}: ${f.message}${values}`);
  return f.waiver && !f.waiver.expired ? `${text} ${sentence(`Waived until ${f.waiver.expires}: ${f.waiver.reason}`)}` : text;
}

const BASELINE: Record<NonNullable<Finding["change"]>, string> = { new: "new", regression: "new", drift: "new", existing: "unchanged" };

/** Every file the run names: the inputs, and each finding's file (in the repository, or not). */
function artifactsOf(report: Report, fallbackFile: string): object[] {
  const files = new Map<string, { file: string; inRepo?: boolean }>();
  for (const i of report.inputs) files.set(`0${i.path}`, { file: i.path });
  for (const f of report.findings) {
    const file = f.source?.file ?? fallbackFile;
    files.set(`${f.source?.inRepo ? 1 : 0}${file}`, { file, inRepo: f.source?.inRepo });
  }
  return [...files]
    .sort(([a], [b]) => (a.slice(1) < b.slice(1) ? -1 : a.slice(1) > b.slice(1) ? 1 : a < b ? -1 : 1))
    .map(([, v]) => ({ location: artifactLocation(v.file, v.inRepo) }));
}

export function formatSarif(report: Report): string {
  const index = new Map(reportRules(report).map((r, i) => [r.id, i]));
  const fallbackFile = report.inputs[0]?.path ?? ".";
  const results = report.findings.map((f) => {
    const file = f.source?.file ?? fallbackFile;
    const physicalLocation: Record<string, unknown> = { artifactLocation: artifactLocation(file, f.source?.inRepo) };
    if (f.source?.line) physicalLocation.region = { startLine: f.source.line, ...(f.source.column ? { startColumn: f.source.column } : {}) };
    const logicalLocations: object[] = [{ name: f.address, fullyQualifiedName: f.address, kind: "resource" }];
    if (f.constructPath) logicalLocations.push({ name: f.constructPath.split("/").pop(), fullyQualifiedName: f.constructPath, kind: "object" });
    const properties: Record<string, unknown> = { outcome: f.outcome, resourceType: f.resourceType };
    if (f.change) properties.change = f.change;
    if (f.attribute) properties.attribute = f.attribute;
    if (f.before !== undefined) properties.before = f.before;
    if (f.after !== undefined) properties.after = f.after;
    if (f.plan) properties.plan = f.plan.file;
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.severity,
      message: { text: messageOf(f) },
      locations: [{ physicalLocation, logicalLocations }],
      partialFingerprints: { [FINGERPRINT]: fingerprint(f) },
    };
    // The plan entry stays visible beside the code that declares the resource.
    if (f.plan && f.plan.file !== f.source?.file) {
      const region = f.plan.line ? { region: { startLine: f.plan.line, ...(f.plan.column ? { startColumn: f.plan.column } : {}) } } : {};
      result.relatedLocations = [{ id: 1, physicalLocation: { artifactLocation: artifactLocation(f.plan.file, false), ...region }, message: { text: `the plan entry of ${f.address}` } }];
    }
    if (f.change) result.baselineState = BASELINE[f.change];
    if (f.outcome === "waived" && f.waiver) result.suppressions = [{ kind: "external", status: "accepted", justification: f.waiver.reason }];
    result.properties = properties;
    return result;
  });
  const sarif = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            informationUri: INFORMATION_URI,
            rules: reportRules(report).map(descriptor),
          },
        },
        automationDetails: { id: `${TOOL.name}/${report.mode}/` },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.notices.map((n) => ({ level: n.level === "warning" ? "warning" : "note", message: { text: n.message } })),
          },
        ],
        ...(report.repoRoot !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(resolve(report.repoRoot)).href.replace(/\/?$/, "/") } } } : {}),
        artifacts: artifactsOf(report, fallbackFile),
        columnKind: "utf16CodeUnits",
        results,
        properties: {
          mode: report.mode,
          profile: report.profile,
          summary: report.summary,
          ...(report.selection ? { selection: report.selection } : {}),
          ...(report.baseline ? { baseline: report.baseline } : {}),
          ...(report.adjusted?.disabled.length ? { disabled: report.adjusted.disabled } : {}),
          ...(report.adjusted && Object.keys(report.adjusted.thresholds).length ? { thresholds: report.adjusted.thresholds } : {}),
        },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
