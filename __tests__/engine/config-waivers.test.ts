import { CATALOGUE } from "../../policies";
import { InputError } from "../../engine/errors";
import { parseConfig } from "../../engine/evaluate/config";
import { globMatch } from "../../engine/evaluate/waivers";
import { res, run, tf } from "../helpers";

const longSession = res("okta_policy_rule_signon", "legacy_app", { name: "r", policy_id: "p", session_idle: 15, session_lifetime: 1440, mfa_required: true, mfa_prompt: "ALWAYS" });
const waiver = (over: object = {}) => ({ rule: "OKTA-SES-2", resource: "okta_policy_rule_signon.legacy_*", reason: "vendor app cannot re-auth; SEC-123", expires: "2027-03-31", owner: "platform", ...over });

describe("posture.config.json", () => {
  it.each([
    [{ profile: "lax" }, /profile must be one of recommended, strict/],
    [{ thresholds: { "OKTA-XYZ-9": {} } }, /no rule OKTA-XYZ-9/],
    [{ thresholds: { "OKTA-SES-1": { maxIdle: 10 } } }, /unknown threshold "maxIdle" \(known: maxIdleMinutes\)/],
    [{ thresholds: { "OKTA-SES-1": { maxIdleMinutes: "10" } } }, /must be a non-negative number/],
    [{ thresholds: { "OKTA-SUP-1": { x: 1 } } }, /OKTA-SUP-1 has no thresholds/],
    [{ disabled: ["NOPE-1"] }, /disabled: no rule NOPE-1/],
    [{ waiver: [] }, /unknown key "waiver"/],
    [{ waivers: [waiver({ reason: "because" })] }, /reason" of at least 10 characters/],
    [{ waivers: [waiver({ expires: "31/03/2027" })] }, /expires" as an ISO date/],
    [{ waivers: [waiver({ expires: "2027-02-30" })] }, /expires" as an ISO date/],
    [{ waivers: [waiver({ resource: undefined })] }, /needs "resource"/],
    [{ waivers: [waiver({ rule: "OKTA-SES-99" })] }, /no rule OKTA-SES-99/],
  ])("refuses %j", (doc, message) => {
    expect(() => parseConfig(doc, "posture.config.json", CATALOGUE)).toThrow(InputError);
    expect(() => parseConfig(doc, "posture.config.json", CATALOGUE)).toThrow(message);
  });

  it("applies threshold overrides", () => {
    const idle20 = res("okta_policy_rule_signon", "r", { name: "r", session_idle: 20 });
    expect(run(idle20, { config: { thresholds: { "OKTA-SES-1": { maxIdleMinutes: 15 } } } }).findings.some((f) => f.ruleId === "OKTA-SES-1")).toBe(true);
    expect(run(idle20).findings.some((f) => f.ruleId === "OKTA-SES-1")).toBe(false);
  });

  it("reports an override weaker than recommended as CONFIG-1, and a stricter one not at all", () => {
    const weaker = run(longSession, { config: { thresholds: { "OKTA-SES-2": { maxMinutes: 1440 }, "OKTA-SES-1": { maxIdleMinutes: 10 } } } }).findings.filter((f) => f.ruleId === "CONFIG-1");
    expect(weaker).toEqual([
      expect.objectContaining({ severity: "warning", outcome: "fail", address: "(config)", attribute: "thresholds.OKTA-SES-2.maxMinutes", before: 720, after: 1440 }),
    ]);
    const flag = run(longSession, { config: { thresholds: { "CF-ACC-2": { acceptMfa: true } } } }).findings.filter((f) => f.ruleId === "CONFIG-1");
    expect(flag).toEqual([]);
    const flagWeaker = run(longSession, { config: { thresholds: { "OKTA-MFA-2": { webauthnOnly: false }, "OKTA-SES-4": { allowSessionPrompt: true } } } }).findings.filter((f) => f.ruleId === "CONFIG-1");
    expect(flagWeaker).toEqual([]);
    const strictFlagOff = run(longSession, { profile: "strict", config: { thresholds: { "CF-ACC-2": { acceptMfa: true } } } }).findings.filter((f) => f.ruleId === "CONFIG-1");
    expect(strictFlagOff).toEqual([]);
  });

  it("disables rules", () => {
    expect(run(longSession, { config: { disabled: ["OKTA-SES-2"] } }).evaluated.some((e) => e.ruleId === "OKTA-SES-2")).toBe(false);
  });
});

describe("waivers", () => {
  it("match address and construct-path globs", () => {
    expect(globMatch("okta_policy_rule_signon.legacy_*", "okta_policy_rule_signon.legacy_app")).toBe(true);
    expect(globMatch("module.*.okta_log_stream.s[*]", 'module.a.okta_log_stream.s["x"]')).toBe(true);
    expect(globMatch("okta/*/rule", "okta/GlobalSession/rule")).toBe(true);
    expect(globMatch("okta_x.a", "okta_x.ab")).toBe(false);
  });

  it("waive a finding until it expires", () => {
    const [f] = run(longSession, { config: { waivers: [waiver()] } }).findings.filter((x) => x.ruleId === "OKTA-SES-2");
    expect(f.outcome).toBe("waived");
    expect(f.waiver).toEqual({ reason: "vendor app cannot re-auth; SEC-123", expires: "2027-03-31", owner: "platform", origin: "config", expired: false });
  });

  it("stop applying after the expiry date, and say so", () => {
    const result = run(longSession, { config: { waivers: [waiver({ expires: "2026-11-28" })] }, today: "2026-11-29" });
    const f = result.findings.find((x) => x.ruleId === "OKTA-SES-2")!;
    expect(f.outcome).toBe("fail");
    expect(f.waiver?.expired).toBe(true);
    expect(result.notices).toContainEqual({ level: "warning", message: "waiver for OKTA-SES-2 on okta_policy_rule_signon.legacy_app expired on 2026-11-28; it no longer applies" });
  });

  it("apply on the expiry day itself", () => {
    const f = run(longSession, { config: { waivers: [waiver({ expires: "2026-11-29" })] }, today: "2026-11-29" }).findings.find((x) => x.ruleId === "OKTA-SES-2")!;
    expect(f.outcome).toBe("waived");
  });

  it("warn when a waiver matches nothing", () => {
    const result = run(longSession, { config: { waivers: [waiver({ resource: "okta_policy_rule_signon.other" })] } });
    expect(result.notices.map((n) => n.message)).toContain("stale waiver: OKTA-SES-2 on okta_policy_rule_signon.other (posture.config.json) matches no finding; remove it");
  });

  it("waive scope findings by the (scope) address", () => {
    const f = run(longSession, { config: { waivers: [waiver({ rule: "OKTA-LOG-1", resource: "(scope)" })] } }).findings.find((x) => x.ruleId === "OKTA-LOG-1")!;
    expect(f.outcome).toBe("waived");
  });

  it("honour waivers written in code", () => {
    const inCode = tf(res("okta_policy_rule_signon", "r", { "//": { "identity-posture": { waivers: [{ rule: "OKTA-SES-2", reason: "reviewed in SEC-9, legacy", expires: "2027-01-01" }] } }, name: "r", session_lifetime: 1440 }));
    const f = run(inCode).findings.find((x) => x.ruleId === "OKTA-SES-2")!;
    expect(f.outcome).toBe("waived");
    expect(f.waiver?.origin).toBe("code");
  });
});

describe("unknown verdicts", () => {
  const unknownIdle = tf({ variable: { idle: {} } }, res("okta_policy_rule_signon", "r", { name: "r", session_idle: "${var.idle}" }));
  it("are warnings by default", () => {
    const f = run(unknownIdle).findings.find((x) => x.ruleId === "OKTA-SES-1")!;
    expect(f).toMatchObject({ outcome: "unknown", severity: "warning" });
  });
  it("are failures at the rule's severity with --unknown fail", () => {
    const f = run(unknownIdle, { unknown: "fail" }).findings.find((x) => x.ruleId === "OKTA-SES-1")!;
    expect(f).toMatchObject({ outcome: "fail", severity: "error" });
    expect(f.message).toMatch(/^unknown \(counted as a failure\)/);
  });
});

describe("findings", () => {
  it("are sorted by severity, rule and address", () => {
    const { findings } = run(tf(longSession, res("okta_policy_rule_signon", "a", { name: "a" })));
    const keys = findings.map((f) => `${f.severity === "error" ? 0 : 1} ${f.ruleId} ${f.address}`);
    expect(keys).toEqual([...keys].sort());
  });
});
