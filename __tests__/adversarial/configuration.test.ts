/**
 * Issue 10.7: nothing is weakened without a trace. Disabled rules and threshold overrides are listed in
 * every format; CONFIG-1 cannot be disabled; duplicate keys and unknown waiver keys in the configuration
 * are errors; POSTURE_TODAY must be an ISO date, and a waiver it keeps alive past expiry is reported.
 */
import { cli, scratch, writeJson } from "./harness";

const dir = scratch();
const session = { okta_policy_rule_signon: { r: { name: "s", session_idle: 120, session_lifetime: 600, mfa_required: true, mfa_prompt: "ALWAYS", session_persistent: false } } };
const input = writeJson(dir, "main.tf.json", { resource: session });
const config = (text: unknown) => writeJson(dir, `c${Math.random().toString(36).slice(2)}.json`, text);
const WEAKENING = { disabled: ["OKTA-LOG-1", "CF-ACC-4"], thresholds: { "OKTA-SES-1": { maxIdleMinutes: 150 } } };

describe("disabled rules and threshold overrides are listed in every format", () => {
  let outputs: Record<string, string>;
  beforeAll(async () => {
    outputs = {};
    for (const f of ["text", "json", "sarif", "junit", "markdown"]) {
      const r = await cli(["check", input, "--config", config(WEAKENING), "--format", f]);
      expect(r.stderr).toBe("");
      outputs[f] = r.stdout;
    }
  });

  it("text: a header line each", () => {
    expect(outputs.text.split("\n").slice(0, 3)).toEqual(["configuration: rule CF-ACC-4 disabled", "configuration: rule OKTA-LOG-1 disabled", "configuration: threshold OKTA-SES-1 maxIdleMinutes = 150"]);
  });

  it("JSON: top-level disabled and thresholds", () => {
    const j = JSON.parse(outputs.json);
    expect(j.disabled).toEqual(["CF-ACC-4", "OKTA-LOG-1"]);
    expect(j.thresholds).toEqual({ "OKTA-SES-1": { maxIdleMinutes: 150 } });
  });

  it("SARIF: run properties", () => {
    const p = JSON.parse(outputs.sarif).runs[0].properties;
    expect(p.disabled).toEqual(["CF-ACC-4", "OKTA-LOG-1"]);
    expect(p.thresholds).toEqual({ "OKTA-SES-1": { maxIdleMinutes: 150 } });
  });

  it("JUnit: properties of a configuration suite", () => {
    expect(outputs.junit).toContain(
      '<testsuite name="identity-posture configuration" tests="0" failures="0" errors="0" skipped="0" time="0">\n    <properties><property name="disabled" value="CF-ACC-4"/><property name="disabled" value="OKTA-LOG-1"/><property name="threshold" value="OKTA-SES-1 maxIdleMinutes = 150"/></properties>',
    );
  });

  it("Markdown: in the header", () => {
    const head = outputs.markdown.split("\n").slice(0, 6).join("\n");
    expect(head).toContain("**Set by the configuration:** rule CF-ACC-4 disabled · rule OKTA-LOG-1 disabled · threshold OKTA-SES-1 maxIdleMinutes = 150");
  });

  it("nothing is listed when the configuration changes nothing", async () => {
    const r = await cli(["check", input, "--config", config({ profile: "recommended" }), "--format", "json"]);
    expect(Object.keys(JSON.parse(r.stdout))).not.toContain("disabled");
    const t = await cli(["check", input, "--config", config({ profile: "recommended" })]);
    expect(t.stdout).not.toContain("configuration:");
  });
});

describe("configuration abuses are refused (exit 2)", () => {
  it.each([
    ["CONFIG-1 disabled", { disabled: ["CONFIG-1"] }, "disabled: CONFIG-1 cannot be disabled"],
    ["a duplicate top-level key", '{"disabled":[],"disabled":["OKTA-LOG-1"]}', 'duplicate key "disabled"'],
    ["a duplicate rule in thresholds", '{"thresholds":{"OKTA-SES-1":{"maxIdleMinutes":15},"OKTA-SES-1":{"maxIdleMinutes":150}}}', 'thresholds: duplicate key "OKTA-SES-1"'],
    ["a duplicate threshold", '{"thresholds":{"OKTA-SES-1":{"maxIdleMinutes":15,"maxIdleMinutes":150}}}', 'thresholds.OKTA-SES-1: duplicate key "maxIdleMinutes"'],
    ["a duplicate key in a waiver", '{"waivers":[{"rule":"OKTA-SES-1","resource":"*","reason":"a good reason here","expires":"2020-01-01","expires":"2099-01-01"}]}', 'waivers[0]: duplicate key "expires"'],
    ["an unknown key in a waiver", { waivers: [{ rule: "OKTA-SES-1", resource: "*", reason: "a good reason here", expires: "2099-01-01", expiry: "2099-01-01" }] }, 'unknown key "expiry" in a waiver'],
    ["a misspelt resource key in a waiver", { waivers: [{ rule: "OKTA-SES-1", resources: "*", reason: "a good reason here", expires: "2099-01-01" }] }, 'unknown key "resources" in a waiver'],
  ])("%s", async (_what, text, message) => {
    const f = config(text);
    const r = await cli(["check", input, "--config", f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")[0]).toContain(`${f}: `);
    expect(r.stderr).toContain(message);
  });

  it("an unknown key in an in-code waiver", async () => {
    const body = { ...session.okta_policy_rule_signon.r, "//": { "identity-posture": { waivers: [{ rule: "OKTA-SES-1", reason: "a good reason here", expires: "2099-01-01", scope: "all" }] } } };
    const r = await cli(["check", writeJson(dir, "w.tf.json", { resource: { okta_policy_rule_signon: { r: body } } })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown key "scope" in a waiver');
  });

  it("a duplicate-key scan is not fooled by keys inside strings or lists", async () => {
    const r = await cli(["check", input, "--config", config('{"waivers":[{"rule":"OKTA-SES-1","resource":"*","reason":"\\"rule\\": twice, \\"rule\\"","expires":"2099-01-01"},{"rule":"OKTA-SES-1","resource":"x","reason":"another good reason","expires":"2099-01-01"}]}')]);
    expect(r.stderr).toBe("");
  });
});

describe("POSTURE_TODAY", () => {
  it.each(["tomorrow", "2026-13-01", "2026-02-30", "", "2026-1-1", "20261201"])("%j is refused", async (v) => {
    const r = await cli(["check", input], { POSTURE_TODAY: v });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("posture: POSTURE_TODAY must be an ISO date (YYYY-MM-DD); leave it unset to use today's date\nrun 'posture --help' for usage\n");
  });

  it("a waiver kept alive past its expiry by POSTURE_TODAY is reported", async () => {
    const f = config({ waivers: [{ rule: "OKTA-SES-1", resource: "okta_policy_rule_signon.r", reason: "a good reason here", expires: "2001-01-01" }] });
    const r = await cli(["check", input, "--config", f, "--format", "json"], { POSTURE_TODAY: "2000-06-01" });
    const j = JSON.parse(r.stdout);
    expect(j.findings.find((x: { ruleId: string }) => x.ruleId === "OKTA-SES-1").outcome).toBe("waived");
    expect(j.notices).toContainEqual({ level: "warning", message: "OKTA-SES-1 on okta_policy_rule_signon.r is waived only because POSTURE_TODAY=2000-06-01: the waiver expired on 2001-01-01" });
  });
});
