/** PLAN-2: a threshold attribute that moves toward its weak side while its rule still passes. */
import { reviewPlan } from "../../engine/review/review";
import { CATALOGUE } from "../../policies";
import { brief, type Entry, options, plan, oktaTenant, signon, logStream } from "./plan-builder";

const tenant: Entry[] = [...oktaTenant, { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() }];

function plan2(entry: Entry, o: Parameters<typeof options>[0] = {}) {
  const r = reviewPlan(plan([...tenant, entry]), "plan.json", options(o));
  return { all: r.findings.map(brief), plan2: r.findings.filter((f) => f.ruleId === "PLAN-2").map((f) => [f.attribute, f.before, f.after, f.message]) };
}

const update = (address: string, before: Record<string, unknown>, after: Record<string, unknown>): Entry => ({ address, actions: ["update"], before, after });

const app = (over: Record<string, unknown>) => ({
  type: "self_hosted",
  domain: "wiki.example.com",
  session_duration: "1h",
  enable_binding_cookie: true,
  same_site_cookie_attribute: "strict",
  policies: [{ decision: "allow", include: [{ email: { email: "a@example.com" } }], require: [{ device_posture: { integration_uid: "x" } }, { auth_method: { auth_method: "hwk" } }] }],
  ...over,
});

describe("PLAN-2", () => {
  it("a number that rises but stays within policy (session_lifetime 60 -> 600)", () => {
    expect(plan2(update("okta_policy_rule_signon.r", signon({ session_lifetime: 60 }), signon({ session_lifetime: 600 }))).plan2).toEqual([
      ["session_lifetime", 60, 600, "moves toward the weak side; OKTA-SES-2 still passes, with less margin"],
    ]);
  });

  it("a move past policy is the rule's regression, not PLAN-2; a move toward the strong side is nothing", () => {
    expect(plan2(update("okta_policy_rule_signon.r", signon({ session_lifetime: 60 }), signon({ session_lifetime: 900 }))).all).toEqual(["OKTA-SES-2 okta_policy_rule_signon.r regression fail"]);
    expect(plan2(update("okta_policy_rule_signon.r", signon({ session_lifetime: 600 }), signon({ session_lifetime: 60 }))).all).toEqual([]);
  });

  it("a Go duration (session_duration 1h -> 8h) and an ISO-8601 duration (PT1H -> PT12H)", () => {
    const r = plan2(update("cloudflare_zero_trust_access_application.wiki", app({}), app({ session_duration: "8h" })));
    expect(r.plan2).toEqual([["session_duration", "1h", "8h", "moves toward the weak side; CF-ACC-4 still passes, with less margin"]]);
    const rule = { status: "ACTIVE", access: "ALLOW", factor_mode: "2FA", constraints: [JSON.stringify({ possession: { phishingResistant: "REQUIRED" } })] };
    const okta = plan2(update("okta_app_signon_policy_rule.r", { ...rule, re_authentication_frequency: "PT1H" }, { ...rule, re_authentication_frequency: "PT12H" }));
    expect(okta.plan2.map((x) => x.slice(0, 3))).toEqual([["re_authentication_frequency", "PT1H", "PT12H"]]);
  });

  it("an enrollment moving to OPTIONAL where the profile allows it, and the strict profile calling it a regression", () => {
    const mfa = (verify: string) => ({ status: "ACTIVE", webauthn: { enroll: "REQUIRED" }, okta_password: { enroll: "REQUIRED" }, okta_verify: { enroll: verify } });
    const e = update("okta_policy_mfa.p", mfa("NOT_ALLOWED"), mfa("OPTIONAL"));
    expect(plan2(e).plan2.map((x) => x.slice(0, 3))).toEqual([["okta_verify.enroll", "NOT_ALLOWED", "OPTIONAL"]]);
    expect(plan2(e, { profile: "strict" }).all.filter((x) => x.includes("OKTA-MFA-2"))).toEqual(["OKTA-MFA-2 okta_policy_mfa.p regression fail"]);
  });

  it("a value inside a JSON-string attribute (okta_authenticator settings.allowedFor none -> recovery)", () => {
    const auth = (allowedFor: string) => ({ key: "phone_number", name: "Phone", status: "ACTIVE", settings: JSON.stringify({ allowedFor }) });
    expect(plan2(update("okta_authenticator.phone", auth("none"), auth("recovery"))).plan2.map((x) => x.slice(0, 3))).toEqual([["settings.allowedFor", "none", "recovery"]]);
  });

  it("a minimum that falls (password_min_length 16 -> 12)", () => {
    const pwd = (n: number) => ({ status: "ACTIVE", password_min_length: n, password_max_lockout_attempts: 5, password_dictionary_lookup: true, question_recovery: "INACTIVE" });
    expect(plan2(update("okta_policy_password_default.p", pwd(16), pwd(12))).plan2.map((x) => x.slice(0, 3))).toEqual([["password_min_length", 16, 12]]);
  });

  it("a sensitive value prints as (sensitive), in the values and in the message", () => {
    const e: Entry = { ...update("okta_policy_rule_signon.r", signon({ session_idle: 10 }), signon({ session_idle: 29 })), beforeSensitive: { session_idle: true }, afterSensitive: { session_idle: true } };
    const [[attribute, before, after, message]] = plan2(e).plan2;
    expect([attribute, before, after]).toEqual(["session_idle", "(sensitive)", "(sensitive)"]);
    expect(message).not.toMatch(/10|29/);
  });

  it("needs both sides: a created resource and an unknown value give no PLAN-2", () => {
    expect(plan2({ address: "okta_policy_rule_signon.r", actions: ["create"], after: signon({ session_lifetime: 700 }) }).plan2).toEqual([]);
    const unknownAfter: Entry = { ...update("okta_policy_rule_signon.r", signon(), signon({ session_lifetime: undefined })), afterUnknown: { session_lifetime: true } };
    expect(plan2(unknownAfter).all).toEqual(["OKTA-SES-2 okta_policy_rule_signon.r regression unknown"]);
  });

  it("is off when disabled, or when the rule that watches the attribute is", () => {
    const e = update("okta_policy_rule_signon.r", signon({ session_lifetime: 60 }), signon({ session_lifetime: 600 }));
    expect(plan2(e, { config: { disabled: ["PLAN-2"] } }).plan2).toEqual([]);
    expect(plan2(e, { config: { disabled: ["OKTA-SES-2"] } }).plan2).toEqual([]);
  });

  it("every watched attribute belongs to a rule that reads it", () => {
    for (const rule of CATALOGUE) for (const w of rule.weakens ?? []) expect(rule.reads.some((p) => p === w.attribute || w.attribute.startsWith(`${p}.`))).toBe(true);
  });
});
