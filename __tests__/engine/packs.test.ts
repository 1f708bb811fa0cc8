/**
 * Rule packs: loading (JavaScript packs through the built CLI, as a user runs it), the id namespace,
 * and the guard: a pack that throws, returns a malformed verdict or loops stops the run with exit 2
 * and a one-line message naming its file and rule id, never a crash. Also: PLAN-2 through a pack
 * rule's `weakens`, and the engine's independence from the built-in catalogue.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { InputError } from "../../engine/errors";
import { evaluate, isSelected } from "../../engine/evaluate/evaluate";
import { loadPack, withPacks } from "../../engine/evaluate/packs";
import { reviewPlan } from "../../engine/review/review";
import { defineRule, definePack, fail, pass, unknown } from "../../rules";
import { CATALOGUE } from "../../policies";
import { CLI, posture, ROOT } from "../cli/cli-helpers";
import { load } from "../helpers";
import { options, plan } from "../review/plan-builder";

const PACKS = join(__dirname, "..", "fixtures", "packs");
const pack = (name: string) => join(PACKS, name);
const CONFIG = join(ROOT, "examples", "okta-cloudflare");
const groupRule = (name: string) => ({ resource: { okta_group_rule: { r: { name, group_assignments: ["00g1"], expression_value: "true" } } } });
const opts = { profile: "recommended" as const, config: EMPTY_CONFIG, unknown: "warn" as const, today: "2026-11-29" };

describe("loading packs in the built CLI", () => {
  it("runs a JavaScript pack given with --pack beside the catalogue", () => {
    const r = posture(["check", CONFIG, "--pack", pack("good.js"), "--format", "json", "--only", "test/*"]);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(j.findings).toEqual([]);
    expect(j.summary.passed).toBe(0); // the example has no group rule: not applicable
    expect(posture(["rules", "--pack", pack("good.js"), "--only", "test/*"]).stdout).toBe("test/GRP-1    error   Group rules are named\n");
  });

  it("runs the TypeScript example pack when Node runs under tsx, as docs/writing-rules.md says", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", CLI, "check", join(ROOT, "examples", "org-pack", "infra"), "--config", join(ROOT, "examples", "org-pack", "posture.config.json"), "--only", "acme/*", "--format", "json"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, POSTURE_TODAY: "2026-11-29" },
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { ruleId: string; outcome: string }) => `${f.ruleId} ${f.outcome}`)).toEqual(["acme/OKTA-ADM-1 fail", "acme/OKTA-GRP-1 waived"]);
  });

  it.each([
    ["throws-on-load.js", "rule pack failed to load: cannot reach the group directory"],
    ["builtin-id.js", "rule OKTA-SES-9: ids of the form AREA-N are reserved for the built-in catalogue; give pack rules a namespace, e.g. acme/OKTA-SES-9"],
    ["not-a-pack.js", "must export a rule pack: `export default definePack({ name, rules: [...] })` (or a list of rules)"],
    ["bad-threshold.js", 'rule test/GRP-1: threshold maxLength: "recommended" and "strict" must both be numbers or both booleans'],
    ["typescript.ts", "is TypeScript, which this Node cannot load: compile the pack to JavaScript (tsc), or run posture under tsx (npx tsx node_modules/.bin/posture ...)"],
    ["missing.js", "rule pack not found"],
  ])("refuses %s at load with exit 2, naming the file", (name, message) => {
    const r = posture(["check", CONFIG, "--pack", pack(name)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`posture: ${pack(name)}: ${message}\n`);
  });

  it.each([
    ["throws.js", "rule test/GRP-1 threw on okta_group_rule.r: boom: values.name is undefined"],
    ["malformed.js", 'rule test/GRP-1 returned a malformed verdict for okta_group_rule.r: outcome must be "pass", "fail", "unknown" or "not-applicable"'],
    ["loops.js", "rule test/GRP-1 did not finish within 300 ms on okta_group_rule.r (a loop that never ends?)"],
  ])("stops on %s at evaluation with exit 2, naming the file and rule, and writes nothing", (name, message) => {
    const dir = mkdtempSync(join(tmpdir(), "posture-packs-"));
    const input = join(dir, "main.tf.json");
    writeFileSync(input, JSON.stringify(groupRule("r")));
    const out = join(dir, "report.json");
    const r = posture(["check", input, "--pack", pack(name), "--format", "json", "--output", out], { env: { POSTURE_RULE_TIMEOUT_MS: "300" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: ${pack(name)}: ${message}\n`);
    expect(readdirSync(dir)).toEqual(["main.tf.json"]);
  });

  it("loads the same module once when the config and --pack both name it; two packs with one id is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-packs-"));
    const cfg = join(dir, "posture.config.json");
    writeFileSync(cfg, JSON.stringify({ packs: [pack("good.js")] }));
    expect(posture(["check", CONFIG, "--config", cfg, "--pack", pack("good.js")]).code).toBe(0);
    expect(() => withPacks(CATALOGUE, [pack("good.js"), pack("throws.js")])).toThrow(`${pack("throws.js")}: rule test/GRP-1 is also defined in ${pack("good.js")}; rule ids must be unique`);
  });
});

describe("pack rules in the engine", () => {
  const named = defineRule({
    id: "acme/NAME-1",
    kind: "resource",
    severity: "warning",
    title: "Group rules are named acme-*",
    rationale: "r",
    references: [],
    passes: "p",
    provider: "okta",
    resourceTypes: ["okta_group_rule"],
    reads: ["name"],
    evaluate: (r) => (typeof r.values.name !== "string" ? unknown("name", "name is not known") : r.values.name.startsWith("acme-") ? pass() : fail("name", r.values.name, "not acme-")),
  });

  it("evaluates a pack object's rules with the catalogue, honouring disabled and --only/--skip", () => {
    const rules = withPacks(CATALOGUE, [definePack({ name: "acme", rules: [named] })]);
    const ids = (o: object = {}) => evaluate(load(groupRule("ops")), { ...opts, rules, ...o }).findings.map((f) => f.ruleId);
    expect(ids()).toContain("acme/NAME-1");
    expect(ids({ selection: { skip: ["acme/*"] } })).not.toContain("acme/NAME-1");
    expect(ids({ selection: { only: ["acme/*"] } })).toEqual(["acme/NAME-1"]);
    expect(ids({ config: { ...EMPTY_CONFIG, disabled: ["acme/NAME-1"] } })).not.toContain("acme/NAME-1");
    expect(evaluate(load(groupRule("ops")), { ...opts, rules: CATALOGUE }).findings.map((f) => f.ruleId)).not.toContain("acme/NAME-1");
  });

  it("matches --only/--skip globs on whole ids", () => {
    expect(isSelected("CF-ACC-1", { only: ["CF-ACC-*"] })).toBe(true);
    expect(isSelected("CF-ACC-1", { only: ["CF-ACC"] })).toBe(false);
    expect(isSelected("CF-ACC-1", { only: ["CF-*"], skip: ["CF-ACC-1"] })).toBe(false);
    expect(isSelected("OKTA-SES-1", { skip: ["CF-*"] })).toBe(true);
  });

  it("refuses a pack verdict that names a resource it was not given, or carries a value JSON cannot hold", () => {
    const stray = load(groupRule("x"))[0];
    const rogue = defineRule({ ...named, id: "acme/ROGUE-1", evaluate: () => pass(stray) });
    expect(() => evaluate(load(groupRule("ops")), { ...opts, rules: withPacks([], [[rogue]]) })).toThrow("(rule pack): rule acme/ROGUE-1 returned a malformed verdict for okta_group_rule.r: resource must be one of the resources the rule was given");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const odd = defineRule({ ...named, id: "acme/ODD-1", evaluate: () => fail("name", cyclic, "odd") });
    expect(() => evaluate(load(groupRule("ops")), { ...opts, rules: withPacks([], [[odd]]) })).toThrow(/actual must be a JSON value/);
  });

  it("defineRule refuses an id that is neither a built-in nor a pack id", () => {
    expect(() => defineRule({ ...named, id: "Acme/name" })).toThrow(/not of the form namespace\/ID/);
    expect(() => loadPack([{ ...named, id: "acme/" } as typeof named])).toThrow(InputError);
  });

  it("PLAN-2 reports a pack rule's `weakens` attribute moving toward the weak side while the rule passes", () => {
    const idle = defineRule({
      id: "acme/SES-1",
      kind: "resource",
      severity: "error",
      title: "Idle sessions end within 2 hours",
      rationale: "r",
      references: [],
      passes: "p",
      provider: "okta",
      resourceTypes: ["okta_policy_rule_signon"],
      reads: ["session_idle"],
      thresholds: { maxIdle: { recommended: 120, strict: 60, weaker: "higher", description: "d" } },
      weakens: [{ attribute: "session_idle", scale: "number" }],
      evaluate: (r, ctx) => (typeof r.values.session_idle === "number" && r.values.session_idle <= (ctx.t.maxIdle as number) ? pass() : fail("session_idle", r.values.session_idle, "too long")),
    });
    const before = { name: "r", policy_id: "p", session_idle: 30 };
    const doc = plan([{ address: "okta_policy_rule_signon.r", actions: ["update"], before, after: { ...before, session_idle: 90 } }]);
    const r = reviewPlan(doc, "plan.json", { ...options(), rules: withPacks(CATALOGUE, [[idle]]), selection: { only: ["acme/*", "PLAN-2"] } });
    expect(r.findings.map((f) => `${f.ruleId} ${f.attribute} ${f.message}`)).toEqual(["PLAN-2 session_idle moves toward the weak side; acme/SES-1 still passes, with less margin"]);
  });
});

describe("architecture", () => {
  it("identity-posture/rules is a public entry of the built package, loadable by plain Node", () => {
    const r = spawnSync(process.execPath, ["-e", 'const r = require("identity-posture/rules"); console.log(typeof r.defineRule, typeof r.definePack, typeof r.getNumber)'], { cwd: ROOT, encoding: "utf8" });
    expect(r.stdout.trim()).toBe("function function function");
  });

  it("the engine imports no policy: it evaluates the rules its callers pass (index.ts, the public entry, re-exports the catalogue)", () => {
    const engine = join(ROOT, "engine");
    const files = (readdirSync(engine, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    expect(files.length).toBeGreaterThan(30);
    const importers = files.filter((f) => /from "(\.\.\/)+policies/.test(readFileSync(join(engine, f), "utf8")));
    expect(importers).toEqual([]);
  });
});
