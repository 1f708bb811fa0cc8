/**
 * Property tests for review and drift: whatever the plan's changes hold, judging them never throws;
 * and a secret planted at any attribute a rule reads, marked sensitive on either side, appears in no
 * format of the review or drift report.
 */
import fc from "fast-check";
import { driftPlan } from "../../engine/review/drift";
import { Redactor } from "../../engine/evaluate/redact";
import { reviewPlan } from "../../engine/review/review";
import { CATALOGUE } from "../../policies";
import { formatJson } from "../../report/json";
import { formatJunit } from "../../report/junit";
import { formatMarkdown } from "../../report/markdown";
import { buildReport } from "../../report/report";
import { formatSarif } from "../../report/sarif";
import { formatText } from "../../report/text";
import { change, type Entry, options, plan } from "./plan-builder";

const READS = CATALOGUE.flatMap((r) => r.resourceTypes.map((type) => ({ type, reads: r.reads }))).filter((x) => x.reads.length > 0);
const ACTIONS = [["create"], ["update"], ["no-op"], ["delete"], ["forget"], ["delete", "create"], ["create", "delete"], ["create", "forget"], ["read"]];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split(".");
  let cur = target;
  for (const s of segs.slice(0, -1)) cur = (cur[s] ??= {}) as Record<string, unknown>;
  cur[segs[segs.length - 1]] = value;
}
const mirrorOf = (path: string): Record<string, unknown> => {
  const m: Record<string, unknown> = {};
  setPath(m, path, true);
  return m;
};

const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 5000 }), fc.boolean(), fc.constant(null), fc.constantFrom("ACTIVE", "INACTIVE", "ALLOW", "REQUIRED", "OPTIONAL", "8h", "PT2H"));
const entry = fc.record({
  target: fc.constantFrom(...READS),
  pathIndex: fc.nat(),
  actions: fc.constantFrom(...ACTIONS),
  before: value,
  after: value,
  n: fc.integer({ min: 0, max: 3 }),
});

type Generated = typeof entry extends fc.Arbitrary<infer T> ? T : never;

function entriesFrom(xs: Generated[]): Entry[] {
  return xs.map((x, i) => {
    const path = x.target.reads[x.pathIndex % x.target.reads.length];
    const before: Record<string, unknown> = { name: `r${i}` };
    const after: Record<string, unknown> = { name: `r${i}` };
    setPath(before, path, x.before);
    setPath(after, path, x.after);
    const creates = x.actions.includes("create") || x.actions.includes("read");
    const hasBefore = !(x.actions.length === 1 && (x.actions[0] === "create" || x.actions[0] === "read"));
    return { address: `${x.target.type}.r${i}[${x.n}]`, actions: x.actions, before: hasBefore ? before : null, after: creates || x.actions[0] === "update" || x.actions[0] === "no-op" ? after : null };
  });
}

function allFormats(doc: Record<string, unknown>, mode: "review" | "drift", secrets: unknown[] = []): string {
  const opts = options();
  const r = mode === "review" ? reviewPlan(doc, "plan.json", opts) : driftPlan(doc, "plan.json", opts);
  const redactor = new Redactor().addResources(r.models);
  for (const s of secrets) redactor.add(s);
  const report = buildReport(mode, "recommended", [{ path: "plan.json", kind: "plan" }], r, redactor, r.fixed);
  return [formatText(report, false), formatJson(report), formatSarif(report), formatJunit(report), formatMarkdown(report)].map((o) => redactor.text(o)).join("\n");
}

describe("review and drift properties", () => {
  it("never throw, whatever the changes hold", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), (xs) => {
        const entries = entriesFrom(xs);
        reviewPlan(plan(entries), "plan.json", options());
        const doc = plan(entries.filter((e) => e.before), { drift: entries.filter((e) => e.before) });
        driftPlan(doc, "plan.json", options());
      }),
      { numRuns: 150 },
    );
  });

  it("a planted secret marked sensitive on either side appears in no format", () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), fc.stringMatching(/^[A-Za-z0-9]{10,20}$/), fc.nat(), fc.constantFrom("before", "after", "both"), (xs, tail, which, side) => {
        const secret = `planted-${tail}`;
        const entries = entriesFrom(xs);
        const e = entries[which % entries.length];
        const path = xs[which % xs.length].target.reads[xs[which % xs.length].pathIndex % xs[which % xs.length].target.reads.length];
        let planted = false;
        if (e.before && side !== "after") {
          setPath(e.before, path, secret);
          e.beforeSensitive = mirrorOf(path);
          planted = true;
        }
        if (e.after && side !== "before") {
          setPath(e.after, path, secret);
          e.afterSensitive = mirrorOf(path);
          planted = true;
        }
        fc.pre(planted);
        const review = allFormats(plan(entries, { variables: { v: { value: `${secret}-var` } }, sensitiveVariables: ["v"] }), "review", [`${secret}-var`]);
        expect(review.includes(secret)).toBe(false);
        const drifted = entries.filter((x) => x.before);
        const doc = plan(drifted.map((x) => ({ ...x, actions: ["no-op"], after: x.after ?? x.before, afterSensitive: x.afterSensitive ?? x.beforeSensitive })), {
          drift: drifted.map((x) => ({ ...x, actions: x.after ? ["update"] : ["delete"] })),
        });
        expect(allFormats(doc, "drift").includes(secret)).toBe(false);
        expect(JSON.stringify(change(e)).includes(secret)).toBe(true); // the secret really is in the plan
      }),
      { numRuns: 150 },
    );
  });
});
