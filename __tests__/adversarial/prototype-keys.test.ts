/**
 * Issue 10.1: no key from an input reaches a prototype. Each case plants `__proto__` (or
 * `constructor.prototype`) somewhere a loader walks; the verdict must stay that of the plain input and
 * Object.prototype must stay untouched.
 */
import { canonicalType } from "../../engine/model/aliases";
import { providerDefault } from "../../engine/model/defaults";
import { briefs, cli, cliProcess, forgottenLogStreamPlan, prototypeKeys, scratch, writeJson } from "./harness";

/** Payloads that would set `deposed` (which hides every change) if they reached Object.prototype. */
const PAYLOADS = ['{"__proto__":{"deposed":true}}', '{"constructor":{"prototype":{"deposed":true}}}', '{"__proto__":{"__proto__":{"deposed":true}}}'];

/** Where in the plan a payload is planted: a JSON text edit of the base plan. */
const PLACES: Array<[string, (doc: Record<string, any>, marker: unknown) => void]> = [
  ["after_unknown of an unrelated change", (d, m) => (d.resource_changes.at(-1).change.after_unknown = m)],
  ["after_sensitive", (d, m) => (d.resource_changes.at(-1).change.after_sensitive = m)],
  ["before_sensitive", (d, m) => (d.resource_changes.at(-1).change.before_sensitive = m)],
  ["planned values", (d, m) => (d.planned_values.root_module.resources.at(-1).values.extra = m)],
  ["prior state sensitive_values", (d, m) => (d.prior_state.values.root_module.resources.at(-1).sensitive_values = m)],
  ["provider_config expressions", (d, m) => (d.configuration.provider_config = { okta: { name: "okta", expressions: m } })],
  ["resource expressions", (d, m) => (d.configuration.root_module.resources = [{ address: "okta_user.x", mode: "managed", type: "okta_user", name: "x", expressions: m }])],
  ["variables", (d, m) => ((d.variables = m), (d.configuration.root_module.variables = m))],
];

describe("prototype keys in a plan never flip a verdict", () => {
  // A child process: under jest, structuredClone makes objects of another realm, so pollution of
  // the real Object.prototype would not show in this one.
  const dir = scratch();
  let baseline: string[];
  beforeAll(() => {
    const r = cliProcess(["review", writeJson(dir, "base.json", forgottenLogStreamPlan()), "--format", "json"]);
    expect(r.code).toBe(1);
    baseline = briefs(r.stdout);
    expect(baseline).toContain("PLAN-1 okta_log_stream.siem fail");
  });

  const planted = (places: typeof PLACES, payload: string): string => {
    const doc = forgottenLogStreamPlan();
    places.forEach(([, place], i) => place(doc, `@@MARK${i}@@`));
    let text = JSON.stringify(doc);
    places.forEach((_, i) => (text = text.split(`"@@MARK${i}@@"`).join(payload)));
    return text;
  };

  it.each(PLACES)("%s: review keeps PLAN-1", (where, place) => {
    const r = cliProcess(["review", writeJson(dir, "one.json", planted([[where, place]], PAYLOADS[0])), "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(briefs(r.stdout)).toEqual(baseline);
  });

  it.each(PAYLOADS)("%s everywhere at once: review and check judge as without it", (payload) => {
    const file = writeJson(dir, "all.json", planted(PLACES, payload));
    const r = cliProcess(["review", file, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(briefs(r.stdout)).toEqual(baseline);
    const c = cliProcess(["check", file, "--format", "json"]);
    expect(c.stderr).toBe("");
    expect(c.code).toBe(0);
  });

  it("in-process too: this realm's prototypes are untouched", async () => {
    const before = prototypeKeys();
    for (const payload of PAYLOADS) await cli(["review", writeJson(dir, "in.json", planted(PLACES, payload)), "--format", "json"]);
    expect(prototypeKeys()).toEqual(before);
    expect(({} as Record<string, unknown>).deposed).toBeUndefined();
  });
});

describe("prototype keys in configuration never reach a prototype", () => {
  const dir = scratch();
  const session = { name: "s", session_idle: 120, session_lifetime: 600, session_persistent: false, mfa_required: true, mfa_prompt: "ALWAYS" };
  const cases: Array<[string, string]> = [
    ["a resource body", `{"resource":{"okta_policy_rule_signon":{"r":${JSON.stringify(session).slice(0, -1)},"__proto__":{"session_idle":15}}}}}`],
    ["locals", `{"locals":{"__proto__":{"session_idle":15}},"resource":{"okta_policy_rule_signon":{"r":${JSON.stringify(session)}}}}`],
    ["a dynamic block", `{"resource":{"okta_policy_rule_signon":{"r":${JSON.stringify(session).slice(0, -1)},"dynamic":[{"__proto__":{"x":1}}]}}}}`],
    ["an HCL-style object in an expression", `{"resource":{"okta_policy_rule_signon":{"r":${JSON.stringify({ ...session, name: '${jsonencode({__proto__ = {session_idle = 15}})}' })}}}}`],
    ["a var default read by path", `{"variable":{"v":{"default":{"__proto__":{"i":120}}}},"resource":{"okta_policy_rule_signon":{"r":${JSON.stringify({ ...session, session_idle: "${var.v.__proto__.i}" })}}}}`],
  ];
  it.each(cases)("%s", async (_what, text) => {
    const protoBefore = prototypeKeys();
    const r = await cli(["check", writeJson(dir, "main.tf.json", text), "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(briefs(r.stdout)).toContain("OKTA-SES-1 okta_policy_rule_signon.r fail");
    expect(prototypeKeys()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).session_idle).toBeUndefined();
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])("a resource, data source and provider type named %s", async (t) => {
    const protoBefore = prototypeKeys();
    const r = await cli(["check", writeJson(scratch(), "main.tf.json", `{"resource":{"${t}":{"x":{"a":1}}},"data":{"${t}":{"y":{}}},"provider":{"${t}":{"a":1}}}`), "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(prototypeKeys()).toEqual(protoBefore);
  });

  it("built-in tables are read by own keys only", () => {
    for (const k of ["constructor", "__proto__", "toString"]) {
      expect(canonicalType(k)).toBe(k);
      expect(providerDefault(k, "x")).toBeUndefined();
      expect(providerDefault("cloudflare_logpush_job", k)).toBeUndefined();
    }
  });

  it("HCL object keys", async () => {
    const d = scratch();
    writeJson(d, "main.tf", `locals {\n  m = { "__proto__" = { session_idle = 15 } }\n}\nresource "okta_policy_rule_signon" "r" {\n  name = "s"\n  session_idle = 120\n  session_lifetime = 600\n  mfa_required = true\n  mfa_prompt = "ALWAYS"\n  session_persistent = false\n  description = jsonencode(local.m)\n}\n`);
    const protoBefore = prototypeKeys();
    const r = await cli(["check", d, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(briefs(r.stdout)).toContain("OKTA-SES-1 okta_policy_rule_signon.r fail");
    expect(prototypeKeys()).toEqual(protoBefore);
  });

  it.each([
    ['{"thresholds":{"__proto__":{"maxIdleMinutes":1}}}', "thresholds: no rule __proto__ in the catalogue"],
    ['{"thresholds":{"OKTA-SES-1":{"constructor":5}}}', 'thresholds.OKTA-SES-1: unknown threshold "constructor"'],
    ['{"thresholds":{"OKTA-SES-1":{"__proto__":5}}}', 'thresholds.OKTA-SES-1: unknown threshold "__proto__"'],
  ])("posture.config.json %s is refused", async (config, message) => {
    const d = scratch();
    const r = await cli(["check", writeJson(d, "main.tf.json", { resource: { okta_policy_rule_signon: { r: session } } }), "--config", writeJson(d, "c.json", config)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
