/**
 * Issue 10.2: every plan field the engine reads, given a value of the wrong type, is refused with exit 2
 * naming the file and the JSON path; never skipped (a string `actions: "forget"` once reviewed as a pass,
 * an object `resource_drift` as "no drift"). The cases are generated: each field × each JSON kind it
 * must not be.
 */
import { cli, forgottenLogStreamPlan, scratch, writeJson } from "./harness";
import { change, logStream } from "../review/plan-builder";

type Doc = Record<string, any>;
const WRONG: Record<string, unknown> = { string: "forget", number: 1, object: { a: 1 }, list: ["forget"], null: null, boolean: true };

function base(): Doc {
  const doc = forgottenLogStreamPlan();
  doc.resource_drift = [change({ address: "okta_log_stream.siem2", actions: ["update"], before: logStream({ name: "SIEM 2" }), after: logStream({ name: "SIEM 2", status: "INACTIVE" }) })];
  return doc;
}

/** The index of the forgotten log stream's change, and of its planned and prior entries. */
const at = (list: Array<{ address: string }>, address = "okta_log_stream.siem2"): number => list.findIndex((e) => e.address === address);

/** [JSON path as the message names it, how to reach its parent and key, the kinds it may be]. */
type Field = [string, (d: Doc) => [Doc, string | number], string[]];
const rc = (d: Doc) => at(d.resource_changes, "okta_log_stream.siem");
const pv = (d: Doc) => d.planned_values.root_module.resources;
const ps = (d: Doc) => d.prior_state.values.root_module.resources;
const FIELDS = (d: Doc): Field[] => [
  ["resource_changes", (x) => [x, "resource_changes"], ["list"]],
  ["resource_drift", (x) => [x, "resource_drift"], ["list"]],
  [`resource_changes[${rc(d)}]`, (x) => [x.resource_changes, rc(x)], ["object"]],
  [`resource_changes[${rc(d)}].address`, (x) => [x.resource_changes[rc(x)], "address"], ["string"]],
  [`resource_changes[${rc(d)}].type`, (x) => [x.resource_changes[rc(x)], "type"], ["string"]],
  [`resource_changes[${rc(d)}].deposed`, (x) => [x.resource_changes[rc(x)], "deposed"], ["string"]],
  ...["mode", "name", "previous_address", "action_reason"].map((k): Field => [`resource_changes[${rc(d)}].${k}`, (x) => [x.resource_changes[rc(x)], k], ["string"]]),
  [`resource_changes[${rc(d)}].change`, (x) => [x.resource_changes[rc(x)], "change"], ["object"]],
  [`resource_changes[${rc(d)}].change.actions`, (x) => [x.resource_changes[rc(x)].change, "actions"], ["list"]],
  [`resource_changes[${rc(d)}].change.actions[0]`, (x) => [x.resource_changes[rc(x)].change.actions, 0], ["string"]],
  [`resource_changes[${rc(d)}].change.before`, (x) => [x.resource_changes[rc(x)].change, "before"], ["object", "null"]],
  [`resource_changes[${at(d.resource_changes)}].change.after`, (x) => [x.resource_changes[at(x.resource_changes)].change, "after"], ["object", "null"]],
  [`resource_changes[${at(d.resource_changes)}].change.after_unknown`, (x) => [x.resource_changes[at(x.resource_changes)].change, "after_unknown"], ["object", "boolean", "list"]],
  [`resource_changes[${at(d.resource_changes)}].change.after_unknown.status`, (x) => [x.resource_changes[at(x.resource_changes)].change.after_unknown, "status"], ["object", "boolean", "list"]],
  [`resource_changes[${at(d.resource_changes)}].change.after_sensitive`, (x) => [x.resource_changes[at(x.resource_changes)].change, "after_sensitive"], ["object", "boolean", "list"]],
  [`resource_changes[${at(d.resource_changes)}].change.before_sensitive`, (x) => [x.resource_changes[at(x.resource_changes)].change, "before_sensitive"], ["object", "boolean", "list"]],
  ["resource_drift[0].change.actions", (x) => [x.resource_drift[0].change, "actions"], ["list"]],
  ["resource_drift[0].change.after", (x) => [x.resource_drift[0].change, "after"], ["object", "null"]],
  ["planned_values", (x) => [x, "planned_values"], ["object"]],
  ["planned_values.root_module", (x) => [x.planned_values, "root_module"], ["object"]],
  ["planned_values.root_module.resources", (x) => [x.planned_values.root_module, "resources"], ["list"]],
  ["planned_values.root_module.child_modules", (x) => [x.planned_values.root_module, "child_modules"], ["list"]],
  [`planned_values.root_module.resources[${at(pv(d))}].values`, (x) => [pv(x)[at(pv(x))], "values"], ["object", "null"]],
  [`planned_values.root_module.resources[${at(pv(d))}].sensitive_values`, (x) => [pv(x)[at(pv(x))], "sensitive_values"], ["object", "boolean", "list"]],
  [`planned_values.root_module.resources[${at(pv(d))}].address`, (x) => [pv(x)[at(pv(x))], "address"], ["string"]],
  ...["mode", "name", "deposed_key"].map((k): Field => [`planned_values.root_module.resources[${at(pv(d))}].${k}`, (x) => [pv(x)[at(pv(x))], k], ["string"]]),
  [`planned_values.root_module.resources[${at(pv(d))}].sensitive_values.x[1]`, (x) => [(pv(x)[at(pv(x))].sensitive_values = { x: [true, false] }).x, 1], ["object", "boolean", "list"]],
  [`prior_state.values.root_module.resources[${at(ps(d))}].sensitive_values`, (x) => [ps(x)[at(ps(x))], "sensitive_values"], ["object", "boolean", "list"]],
  ["prior_state", (x) => [x, "prior_state"], ["object"]],
  ["prior_state.values", (x) => [x.prior_state, "values"], ["object"]],
  ["prior_state.values.root_module.resources", (x) => [x.prior_state.values.root_module, "resources"], ["list"]],
  [`prior_state.values.root_module.resources[${at(ps(d))}].values`, (x) => [ps(x)[at(ps(x))], "values"], ["object", "null"]],
  ["configuration", (x) => [x, "configuration"], ["object"]],
  ["configuration.root_module", (x) => [x.configuration, "root_module"], ["object"]],
  ["configuration.provider_config", (x) => [x.configuration, "provider_config"], ["object"]],
  ["configuration.root_module.variables", (x) => [x.configuration.root_module, "variables"], ["object"]],
  ["variables", (x) => [x, "variables"], ["object"]],
  ["complete", (x) => [x, "complete"], ["boolean"]],
  ["errored", (x) => [x, "errored"], ["boolean"]],
  ["deferred_changes", (x) => [x, "deferred_changes"], ["list"]],
];

const dir = scratch();
const cases = FIELDS(base()).flatMap(([path, reach, allowed]) =>
  Object.keys(WRONG)
    .filter((k) => !allowed.includes(k))
    .map((k) => [path, k, reach] as const),
);

describe("a plan field of the wrong type is refused, naming the file and the path", () => {
  it("the suite covers every field with several wrong kinds", () => expect(cases.length).toBeGreaterThan(150));

  it.each(cases)("%s as a %s", async (path, kind, reach) => {
    const doc = base();
    const [parent, key] = reach(doc);
    (parent as Record<string | number, unknown>)[key] = WRONG[kind];
    const file = writeJson(dir, "plan.json", doc);
    for (const mode of ["review", "drift", "check"]) {
      const r = await cli([mode, file]);
      expect({ mode, code: r.code, stdout: r.stdout }).toEqual({ mode, code: 2, stdout: "" });
      expect(r.stderr).toMatch(new RegExp(`^posture: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} (must be|is missing)`));
      expect(r.stderr.split("\n").length).toBeLessThanOrEqual(3);
    }
  });

  it('the issue\'s cases: actions "forget" and an object resource_drift', async () => {
    const a = base();
    a.resource_changes[rc(a)].change.actions = "forget";
    const ra = await cli(["review", writeJson(dir, "a.json", a)]);
    expect(ra.code).toBe(2);
    expect(ra.stderr).toContain(`resource_changes[${rc(a)}].change.actions must be a list, not a string`);
    const b = base();
    b.resource_drift = { "okta_log_stream.siem2": b.resource_drift[0] };
    const rb = await cli(["drift", writeJson(dir, "b.json", b)]);
    expect(rb.code).toBe(2);
    expect(rb.stderr).toContain("resource_drift must be a list, not an object");
  });

  it("a mirror nested deeper than the depth limit is refused", async () => {
    const d = base();
    let deep: unknown = true;
    for (let i = 0; i < 300; i++) deep = { a: deep };
    d.resource_changes[at(d.resource_changes)].change.after_sensitive = deep;
    const r = await cli(["review", writeJson(dir, "deep.json", d)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/change\.after_sensitive(\.a)+ nests deeper than/);
  });

  it("an action Terraform does not have is refused", async () => {
    const d = base();
    d.resource_changes[rc(d)].change.actions = ["forgets"];
    const r = await cli(["review", writeJson(dir, "x.json", d)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`resource_changes[${rc(d)}].change.actions[0] must be one of no-op, create, read, update, delete, forget`);
  });

  it("a state's values of the wrong type", async () => {
    const r = await cli(["check", writeJson(dir, "s.json", { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { resources: {} } } })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("values.root_module.resources must be a list, not an object");
  });

  it("values of other providers' resources are not walked (cheap on large plans)", async () => {
    const d = base();
    d.resource_changes.push({ address: "aws_s3_bucket.b", type: "aws_s3_bucket", change: { actions: ["create"], before: null, after: "odd", after_unknown: "odd" } });
    const r = await cli(["review", writeJson(dir, "o.json", d)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
  });
});
