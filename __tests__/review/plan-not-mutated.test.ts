/**
 * The plan document is read, never written: the models share the document's `values` objects (only
 * values with unknowns marked are copied, see engine/load/load-plan), so judging, labelling, redacting
 * and rendering must leave every object of the document as it was. Each fixture is judged once as
 * parsed and once deeply frozen (a write to a frozen object throws in strict-mode code); both reports
 * must be the same bytes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate } from "../../engine/evaluate/evaluate";
import { Redactor } from "../../engine/evaluate/redact";
import { loadJsonDocument } from "../../engine/load/load";
import { driftPlan } from "../../engine/review/drift";
import { reviewPlan } from "../../engine/review/review";
import { formatJson } from "../../report/json";
import { formatJunit } from "../../report/junit";
import { formatMarkdown } from "../../report/markdown";
import { buildReport } from "../../report/report";
import { formatSarif } from "../../report/sarif";
import { formatText } from "../../report/text";
import { options } from "./plan-builder";

const FIXTURES = join(__dirname, "..", "fixtures");
const PLANS = ["review/pr-plan.json", "review/real-actions-plan.json", "review/drift-refresh-only.json", "access/v4-plan.json", "access/v5-plan.json", "real/terraform-data-plan.json"];

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

type Json = Record<string, unknown>;

/** Every format of review, drift and check of the document. */
function reports(doc: Json, text: string): string[] {
  const out: string[] = [];
  for (const mode of ["review", "drift"] as const) {
    const r = mode === "review" ? reviewPlan(doc, "plan.json", options()) : driftPlan(doc, "plan.json", options());
    const redactor = new Redactor().addResources(r.models);
    const report = buildReport(mode, "recommended", [{ path: "plan.json", kind: "plan" }], r, redactor, r.fixed);
    out.push(formatText(report, false), formatJson(report), formatSarif(report), formatJunit(report), formatMarkdown(report));
  }
  const input = loadJsonDocument(doc, text, "plan.json");
  const redactor = new Redactor().addResources(input.resources);
  const report = buildReport("check", "recommended", [{ path: "plan.json", kind: "plan" }], evaluate(input.resources, options()), redactor);
  out.push(formatJson(report), formatText(report, false));
  return out;
}

describe("judging a plan leaves the document as read", () => {
  it.each(PLANS)("%s: the same reports from a deeply frozen document", (name) => {
    const text = readFileSync(join(FIXTURES, name), "utf8");
    const frozen = deepFreeze(JSON.parse(text) as Json);
    expect(reports(frozen, text)).toEqual(reports(JSON.parse(text) as Json, text));
  });

  it("copies values whose unknowns it marks, and shares the others", () => {
    const text = readFileSync(join(FIXTURES, "review/pr-plan.json"), "utf8");
    const doc = JSON.parse(text) as Json;
    const planned = new Set(((doc.planned_values as Json).root_module as { resources: Array<{ values: unknown }> }).resources.map((r) => r.values));
    const r = reviewPlan(doc, "plan.json", options());
    const after = r.models.filter((m) => m.origin === "plan" && m.mode !== "provider");
    const marked = after.filter((m) => Object.values(m.values).some((v) => typeof v === "symbol"));
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(planned.has(m.values)).toBe(false);
    expect(after.some((m) => planned.has(m.values))).toBe(true);
  });
});
