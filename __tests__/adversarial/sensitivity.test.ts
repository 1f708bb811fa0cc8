/**
 * Issue 10.5: a plan that marks a whole object sensitive (`after_sensitive: true`, `before_sensitive:
 * true`, `sensitive_values: true`) hides every value of that resource, in every format.
 */
import { cli, scratch, writeJson } from "./harness";
import { type Entry, oktaTenant, plan, signon } from "../review/plan-builder";

const ALL_FORMATS = ["--format", "text", "--format", "json", "--format", "sarif", "--format", "junit", "--format", "markdown"];
/** Values no rule text or catalogue entry contains, so finding one in a report means it leaked. */
const BEFORE = 613;
const AFTER = 1447;

function change(over: Partial<Entry>): Entry {
  return { address: "okta_policy_rule_signon.a", actions: ["update"], before: signon({ session_lifetime: BEFORE }), after: signon({ session_lifetime: AFTER }), ...over };
}

describe("whole-object sensitivity hides every value", () => {
  const dir = scratch();

  it.each([
    ["after_sensitive: true", { afterSensitive: true as unknown as Record<string, unknown> }],
    ["before_sensitive: true", { beforeSensitive: true as unknown as Record<string, unknown> }],
  ])("review, %s", async (_what, over) => {
    const doc = plan([...oktaTenant, change(over)]);
    const r = await cli(["review", writeJson(dir, "p.json", doc), ...ALL_FORMATS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("OKTA-SES-2");
    expect(r.stdout).toContain("(sensitive)");
    expect(r.stdout).not.toContain(String(AFTER));
    expect(r.stdout).not.toContain(String(BEFORE));
  });

  it.each([
    ["after_sensitive: true", { afterSensitive: true as unknown as Record<string, unknown> }],
    ["before_sensitive: true", { beforeSensitive: true as unknown as Record<string, unknown> }],
  ])("drift, %s", async (_what, over) => {
    const e = change({ actions: ["update"], ...over });
    const doc = plan([...oktaTenant, { ...e, actions: ["no-op"], before: e.after }], { drift: [e] });
    const r = await cli(["drift", writeJson(dir, "d.json", doc), ...ALL_FORMATS]);
    expect(r.stdout).toContain("DRIFT-1");
    expect(r.stdout).not.toContain(String(AFTER));
    expect(r.stdout).not.toContain(String(BEFORE));
  });

  it("check, sensitive_values: true on a planned resource", async () => {
    const doc = plan([...oktaTenant, change({})]);
    const planned = (doc.planned_values as { root_module: { resources: Array<Record<string, unknown>> } }).root_module.resources;
    planned.find((r) => r.address === "okta_policy_rule_signon.a")!.sensitive_values = true;
    const r = await cli(["check", writeJson(dir, "c.json", doc), ...ALL_FORMATS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("OKTA-SES-2");
    expect(r.stdout).not.toContain(String(AFTER));
  });

  it("after_unknown: true for a whole planned object is refused, not read as all-default", async () => {
    const doc = plan([...oktaTenant, change({ afterUnknown: true as unknown as Record<string, unknown> })]);
    const r = await cli(["review", writeJson(dir, "u.json", doc)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/change\.after_unknown is true for the whole object/);
  });
});
