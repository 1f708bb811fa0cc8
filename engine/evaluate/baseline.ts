/**
 * Baselines, for adopting identity-posture on a repository that already has findings: record today's
 * failing findings (`--write-baseline`), then report only findings that are not in the record
 * (`--baseline`). An entry is the rule, the address and a fingerprint of what fails (rule, address,
 * attribute and the failing value), never the file or line, so reordering files or moving a resource
 * to another file keeps it matched; a changed failing value is a new finding. Entries that match
 * nothing any more are reported, like stale waivers.
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors";
import type { EvaluationResult, Finding, Notice } from "./evaluate";
import { assertDepth, parseJson, readText } from "../load/read-input";
import { sortedJson } from "../model/stable-json";

export interface BaselineEntry {
  rule: string;
  address: string;
  /** For the reader; the fingerprint covers it. */
  attribute?: string;
  fingerprint: string;
}

export interface Baseline {
  file: string;
  entries: readonly BaselineEntry[];
}

/** What applying a baseline did, for the report. */
export interface BaselineUse {
  file: string;
  /** Findings left out because the baseline has them. */
  matched: number;
  /** Entries that matched no finding: fixed since the baseline was written. */
  stale: number;
}


/**
 * The fingerprint of a failing finding: a hash of rule, address, attribute and failing value. Pass
 * findings already redacted (a report's), so no secret is hashed into the file.
 */
export function fingerprintOf(f: Finding): string {
  const key = sortedJson([f.ruleId, f.address, f.attribute ?? null, f.after ?? null]);
  return `sha256:${createHash("sha256").update(key).digest("hex").slice(0, 32)}`;
}

/** The findings a baseline records: every failing one (not waived, not unknown unless counted as failing). */
export function baselineOf(findings: readonly Finding[]): BaselineEntry[] {
  const byKey = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.outcome !== "fail") continue;
    const e: BaselineEntry = { rule: f.ruleId, address: f.address, ...(f.attribute ? { attribute: f.attribute } : {}), fingerprint: fingerprintOf(f) };
    byKey.set(`${e.rule}\u0000${e.address}\u0000${e.fingerprint}`, e);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => cmp(a.rule, b.rule) || cmp(a.address, b.address) || cmp(a.attribute ?? "", b.attribute ?? "") || cmp(a.fingerprint, b.fingerprint));
}

export function formatBaseline(entries: readonly BaselineEntry[]): string {
  return JSON.stringify({ baselineVersion: 1, tool: "identity-posture", findings: entries }, null, 2) + "\n";
}

export function loadBaseline(file: string): Baseline {
  const doc = parseJson(readText(file), file);
  const bad = (problem: string): never => {
    throw new InputError(file, problem);
  };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return bad("is not a baseline (a JSON object written by posture check --write-baseline)");
  assertDepth(doc, file);
  const o = doc as Record<string, unknown>;
  if (o.baselineVersion !== 1) bad("is not a baseline of version 1 (write it with posture check --write-baseline)");
  if (!Array.isArray(o.findings)) bad('"findings" must be a list');
  const entries = (o.findings as unknown[]).map((e, i) => {
    const x = (e ?? {}) as Record<string, unknown>;
    if (typeof x.rule !== "string" || typeof x.address !== "string" || typeof x.fingerprint !== "string" || (x.attribute !== undefined && typeof x.attribute !== "string")) {
      bad(`findings[${i}] needs "rule", "address" and "fingerprint" strings`);
    }
    return { rule: x.rule as string, address: x.address as string, ...(typeof x.attribute === "string" ? { attribute: x.attribute } : {}), fingerprint: x.fingerprint as string };
  });
  return { file, entries };
}

/**
 * Leaves out the findings the baseline records (failing or unknown findings whose fingerprint it has)
 * and warns about each entry of a rule that ran (`ran`) that matched nothing. `result` is changed in place; findings must be
 * redacted already, as for {@link fingerprintOf}.
 */
export function applyBaseline(result: EvaluationResult, baseline: Baseline, ran: (ruleId: string) => boolean = () => true): BaselineUse {
  const keys = new Set(baseline.entries.map((e) => `${e.rule}\u0000${e.address}\u0000${e.fingerprint}`));
  const used = new Set<string>();
  let matched = 0;
  const gone: Finding[] = [];
  result.findings = result.findings.filter((f) => {
    if (f.outcome === "waived") return true;
    const key = `${f.ruleId}\u0000${f.address}\u0000${fingerprintOf(f)}`;
    if (!keys.has(key)) return true;
    used.add(key);
    matched++;
    gone.push(f);
    return false;
  });
  // Their (rule, resource) evaluations go too, so formats that list every evaluation (JUnit) agree.
  for (const f of gone) {
    const i = result.evaluated.findIndex((e) => e.outcome === f.outcome && e.ruleId === f.ruleId && e.address === f.address && e.constructPath === f.constructPath && e.source?.file === f.source?.file);
    if (i >= 0) result.evaluated.splice(i, 1);
  }
  let stale = 0;
  const notices: Notice[] = [];
  for (const e of baseline.entries) {
    // An entry of a rule that did not run (--only, --skip, disabled) cannot be judged stale.
    if (used.has(`${e.rule}\u0000${e.address}\u0000${e.fingerprint}`) || !ran(e.rule)) continue;
    stale++;
    notices.push({
      level: "warning",
      message: `stale baseline entry: ${e.rule} on ${e.address}${e.attribute ? ` ${e.attribute}` : ""} no longer fails this way (fixed, or its value changed); rewrite ${baseline.file} with --write-baseline to drop it`,
    });
  }
  result.notices.push(...notices);
  return { file: baseline.file, matched, stale };
}
