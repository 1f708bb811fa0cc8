import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { App, Aspects, TerraformStack, TerraformVariable, Testing } from "cdktf";
import {
  GlobalSessionPolicy,
  OktaPosture,
  OktaSystemLogStream,
  PasswordAndRecoveryPolicy,
  PhishingResistantAppPolicy,
  PhishingResistantAppRules,
  PhishingResistantAuthenticators,
  Posture,
  PostureChecks,
  SecurityEventHooks,
  ThreatProtection,
  WebAuthnOnlyEnrollmentPolicy,
} from "../../constructs";
import type { Profile } from "../../policies/rule";
import { evaluatePosture, setupPostureMatchers } from "../../testing";

setupPostureMatchers(expect);

const GROUPS = ["00g0000000000000000"];
const WAIVER = { reason: "accepted in SEC-42 for the migration", expires: "2099-12-31" };

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), "okta");
  new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
  return s;
}
const secret = (s: TerraformStack, name: string) => new TerraformVariable(s, name, { type: "string", sensitive: true }).stringValue;

/** Every failing finding of the rules named, under the profile. */
function failing(s: TerraformStack, rules: string[], profile: Profile = "recommended") {
  return evaluatePosture(s, { profile, only: rules }).findings.filter((f) => f.outcome !== "waived" && rules.includes(f.ruleId));
}

describe.each(["recommended", "strict"] as Profile[])("Okta constructs under %s", (profile) => {
  it("PhishingResistantAuthenticators passes OKTA-AUTH-1..3", () => {
    const s = stack();
    new PhishingResistantAuthenticators(s, "Authenticators", { profile });
    expect(failing(s, ["OKTA-AUTH-1", "OKTA-AUTH-2", "OKTA-AUTH-3"], profile)).toEqual([]);
  });

  it("WebAuthnOnlyEnrollmentPolicy passes OKTA-MFA-1..2, new or default policy", () => {
    const s = stack();
    new WebAuthnOnlyEnrollmentPolicy(s, "Enrollment", { profile, groupsIncluded: GROUPS });
    new WebAuthnOnlyEnrollmentPolicy(s, "DefaultEnrollment", { profile, useDefaultPolicy: true });
    expect(failing(s, ["OKTA-MFA-1", "OKTA-MFA-2"], profile)).toEqual([]);
  });

  it("GlobalSessionPolicy passes OKTA-SES-1..4", () => {
    const s = stack();
    new GlobalSessionPolicy(s, "GlobalSession", { profile, groupsIncluded: GROUPS, blockedZoneIds: ["nzo1"] });
    expect(failing(s, ["OKTA-SES-1", "OKTA-SES-2", "OKTA-SES-3", "OKTA-SES-4"], profile)).toEqual([]);
  });

  it("PhishingResistantAppPolicy passes OKTA-APP-1..3", () => {
    const s = stack();
    new PhishingResistantAppPolicy(s, "AppPolicy", { profile });
    new PhishingResistantAppRules(s, "AdminConsole", { profile, policyId: "rst-admin-console" });
    expect(failing(s, ["OKTA-APP-1", "OKTA-APP-2", "OKTA-APP-3"], profile)).toEqual([]);
  });

  it("PasswordAndRecoveryPolicy passes OKTA-PWD-1..2", () => {
    const s = stack();
    new PasswordAndRecoveryPolicy(s, "Passwords", { profile, groupsIncluded: GROUPS });
    new PasswordAndRecoveryPolicy(s, "DefaultPasswords", { profile, useDefaultPolicy: true });
    expect(evaluatePosture(s, { profile }).findings.filter((f) => f.ruleId.startsWith("OKTA-PWD"))).toEqual([]);
  });

  it("OktaSystemLogStream and SecurityEventHooks pass OKTA-LOG-1, OKTA-MON-1..2 and SECRET-1", () => {
    const s = stack();
    new OktaSystemLogStream(s, "LogStream", { profile, destination: { kind: "splunk", host: "x.splunkcloud.com", edition: "aws", token: secret(s, "hec") } });
    new OktaSystemLogStream(s, "Bridge", { profile, destination: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" } });
    new SecurityEventHooks(s, "Hooks", { profile, url: "https://responder.example.com", authValue: secret(s, "hook") });
    expect(evaluatePosture(s, { profile }).findings.filter((f) => ["OKTA-LOG-1", "OKTA-MON-1", "OKTA-MON-2", "SECRET-1"].includes(f.ruleId))).toEqual([]);
  });

  it("ThreatProtection passes OKTA-TI-1 and OKTA-ZONE-1", () => {
    const s = stack();
    new ThreatProtection(s, "Threats", { profile, behaviors: true });
    expect(evaluatePosture(s, { profile }).findings.filter((f) => ["OKTA-TI-1", "OKTA-ZONE-1"].includes(f.ruleId))).toEqual([]);
  });

  it("OktaPosture with defaults has no finding at all", () => {
    const s = stack();
    new OktaPosture(s, "Posture", {
      profile,
      groupsIncluded: GROUPS,
      logStream: { kind: "splunk", host: "x.splunkcloud.com", edition: "aws", token: secret(s, "hec") },
      eventHook: { url: "https://responder.example.com", authValue: secret(s, "hook") },
    });
    expect(s).toBeCompliant({ profile });
    expect(evaluatePosture(s, { profile, unknownAsFailure: true }).findings).toEqual([]);
  });
});

describe("snapshots", () => {
  it("OktaPosture synthesizes the recommended posture", () => {
    const s = stack();
    new OktaPosture(s, "Posture", {
      groupsIncluded: GROUPS,
      logStream: { kind: "splunk", host: "x.splunkcloud.com", edition: "aws", token: secret(s, "hec") },
      eventHook: { url: "https://responder.example.com", authValue: secret(s, "hook") },
    });
    expect(JSON.parse(Testing.synth(s))).toMatchSnapshot();
  });

  it.each([
    ["PhishingResistantAuthenticators", (s: TerraformStack) => new PhishingResistantAuthenticators(s, "A", { profile: "strict", importIds: { okta_verify: "aut1" } })],
    ["WebAuthnOnlyEnrollmentPolicy", (s: TerraformStack) => new WebAuthnOnlyEnrollmentPolicy(s, "E", { groupsIncluded: GROUPS, allowOktaVerify: true })],
    ["GlobalSessionPolicy", (s: TerraformStack) => new GlobalSessionPolicy(s, "G", { policyId: "00p-default", blockedZoneIds: ["nzo1"], idleMinutes: 30, riskScoreCondition: false })],
    ["PhishingResistantAppPolicy", (s: TerraformStack) => new PhishingResistantAppPolicy(s, "P", { hardwareProtection: false, reauthenticateMinutes: 90, appIds: ["0oa-app"] })],
    ["PasswordAndRecoveryPolicy", (s: TerraformStack) => new PasswordAndRecoveryPolicy(s, "W", { useDefaultPolicy: true, minLength: 12, maxLockoutAttempts: 5 })],
    ["OktaSystemLogStream", (s: TerraformStack) => new OktaSystemLogStream(s, "L", { destination: { kind: "eventbridge", accountId: "123456789012", region: "eu-west-1", eventSourceName: "okta" } })],
    ["SecurityEventHooks", (s: TerraformStack) => new SecurityEventHooks(s, "H", { url: "https://r.example.com", authValue: secret(s, "v"), events: ["user.lifecycle.create"], verify: false })],
    ["ThreatProtection", (s: TerraformStack) => new ThreatProtection(s, "T", { threatInsightExcludedZoneIds: ["nzo-office"] })],
  ])("%s", (_name, build) => {
    const s = stack();
    build(s);
    expect(JSON.parse(Testing.synth(s))).toMatchSnapshot();
  });
});

describe("weakened props are refused at construction, naming the prop and the rule", () => {
  it.each([
    ["idle too long", () => new GlobalSessionPolicy(stack(), "G", { groupsIncluded: GROUPS, idleMinutes: 60 }), /GlobalSessionPolicy okta\/G: idleMinutes is 60; between 1 and 30 minutes allowed under the recommended profile \(OKTA-SES-1\)/],
    ["idle 30 under strict", () => new GlobalSessionPolicy(stack(), "G", { profile: "strict", groupsIncluded: GROUPS, idleMinutes: 30 }), /OKTA-SES-1/],
    ["unlimited lifetime", () => new GlobalSessionPolicy(stack(), "G", { groupsIncluded: GROUPS, lifetimeMinutes: 0 }), /lifetimeMinutes is 0;.*\(OKTA-SES-2\)/],
    ["okta verify under strict", () => new WebAuthnOnlyEnrollmentPolicy(stack(), "E", { profile: "strict", groupsIncluded: GROUPS, allowOktaVerify: true }), /allowOktaVerify.*OKTA-MFA-2/],
    ["no hardware under strict", () => new PhishingResistantAppPolicy(stack(), "P", { profile: "strict", hardwareProtection: false }), /hardwareProtection.*OKTA-APP-1/],
    ["once per session", () => new PhishingResistantAppPolicy(stack(), "P", { reauthenticateMinutes: 43800 * 60 }), /reauthenticateMinutes.*OKTA-APP-2/],
    ["long inactivity under strict", () => new PhishingResistantAppPolicy(stack(), "P", { profile: "strict", inactivityMinutes: 60 }), /inactivityMinutes.*OKTA-APP-2/],
    ["a phishable extra constraint", () => new PhishingResistantAppPolicy(stack(), "P", { additionalConstraints: [{ possession: { deviceBound: "REQUIRED" } }] }), /additionalConstraints\[0\].*OKTA-APP-1/],
    ["short passwords", () => new PasswordAndRecoveryPolicy(stack(), "W", { groupsIncluded: GROUPS, minLength: 8 }), /minLength is 8; at least 12.*OKTA-PWD-1/],
    ["no lockout", () => new PasswordAndRecoveryPolicy(stack(), "W", { groupsIncluded: GROUPS, maxLockoutAttempts: 0 }), /maxLockoutAttempts is 0.*OKTA-PWD-1/],
    ["phone for recovery under strict", () => new PhishingResistantAuthenticators(stack(), "A", { profile: "strict", recoveryOnly: ["phone_number"], inactive: ["security_question"] }), /inactive is \["security_question"\]; must include phone_number under the strict profile \(OKTA-AUTH-2\)/],
    ["phishable authenticators left unmanaged under strict", () => new PhishingResistantAuthenticators(stack(), "A", { profile: "strict", recoveryOnly: [], inactive: [] }), /inactive.*must include phone_number.*OKTA-AUTH-2/],
    ["a recovery-only key Okta cannot recover with", () => new PhishingResistantAuthenticators(stack(), "A", { recoveryOnly: ["google_otp" as never] }), /recoveryOnly lists google_otp, which Okta cannot use for recovery/],
    ["a phishing-resistant alternative without hardware protection", () => new PhishingResistantAppPolicy(stack(), "P", { additionalConstraints: [{ possession: { phishingResistant: "REQUIRED" } }] }), /additionalConstraints\[0\]\.possession\.hardwareProtection.*OKTA-APP-1/],
    ["no FIPS under strict", () => new PhishingResistantAuthenticators(stack(), "A", { profile: "strict", oktaVerifyFips: false }), /oktaVerifyFips.*OKTA-AUTH-3/],
    ["a literal HEC token", () => new OktaSystemLogStream(stack(), "L", { destination: { kind: "splunk", host: "h", edition: "aws", token: "hard-coded-token" } }), /destination.token is "\(a literal\)".*SECRET-1/],
    ["a literal hook secret", () => new SecurityEventHooks(stack(), "H", { url: "https://r", authValue: "Bearer hard-coded" }), /authValue.*SECRET-1/],
    ["a hook-ineligible event", () => { const s = stack(); new SecurityEventHooks(s, "H", { url: "https://r", authValue: secret(s, "v"), additionalEvents: ["user.session.impersonation.initiate"] }); }, /user\.session\.impersonation\.initiate, which Okta cannot deliver to an event hook; watch it through OktaSystemLogStream/],
    ["an unknown event", () => { const s = stack(); new SecurityEventHooks(s, "H", { url: "https://r", authValue: secret(s, "v"), events: ["user.lifecycle.created"] }); }, /not an Okta System Log event type/],
    ["a missing group", () => new GlobalSessionPolicy(stack(), "G", {}), /groupsIncluded is required/],
  ])("%s", (_name, build, message) => {
    expect(build).toThrow(message);
  });

  it("never prints a literal secret in the error", () => {
    expect(() => new OktaSystemLogStream(stack(), "L", { destination: { kind: "splunk", host: "h", edition: "aws", token: "hard-coded-token" } })).toThrow(expect.objectContaining({ message: expect.not.stringContaining("hard-coded-token") }));
  });

  it("accepts a weakened prop with a waiver, and writes the waiver into the JSON", () => {
    const s = stack();
    new GlobalSessionPolicy(s, "G", { groupsIncluded: GROUPS, idleMinutes: 60, waivers: [{ rule: "OKTA-SES-1", ...WAIVER }] });
    const f = evaluatePosture(s).findings.find((x) => x.ruleId === "OKTA-SES-1")!;
    expect(f.outcome).toBe("waived");
    const json = s.toTerraform() as { resource: Record<string, Record<string, { "//"?: Record<string, unknown> }>> };
    const rule = Object.values(json.resource.okta_policy_rule_signon).find((r) => r["//"]?.["identity-posture"]);
    expect(rule?.["//"]?.["identity-posture"]).toEqual({ waivers: [{ rule: "OKTA-SES-1", ...WAIVER, declaredOn: "okta/G" }] });
  });

  it("orders the deactivation of phishable authenticators after the enrollment and password policies that stop offering them", () => {
    const s = stack();
    const p = new OktaPosture(s, "Posture", {
      groupsIncluded: GROUPS,
      logStream: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" },
      eventHook: { url: "https://responder.example.com", authValue: secret(s, "hook") },
    });
    const json = JSON.parse(Testing.synth(s));
    const phone = Object.values(json.resource.okta_authenticator as Record<string, { key: string; depends_on?: string[] }>).find((a) => a.key === "phone_number");
    expect(phone?.depends_on).toEqual([`okta_policy_mfa_default.${p.enrollment.policy.friendlyUniqueId}`, `okta_policy_password.${p.passwords.policy.friendlyUniqueId}`]);
  });

  it("takes tokens without judging them at construction (the synth-time check judges them)", () => {
    const s = stack();
    const idle = new TerraformVariable(s, "idle", { type: "number" }).numberValue;
    expect(() => new GlobalSessionPolicy(s, "G", { groupsIncluded: GROUPS, idleMinutes: idle })).not.toThrow();
    expect(evaluatePosture(s).findings.find((f) => f.ruleId === "OKTA-SES-1")?.outcome).toBe("unknown");
  });
});

describe("PostureChecks", () => {
  function rawApp(waive: boolean) {
    const app = Testing.app();
    const s = new TerraformStack(app, "okta");
    new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
    new OktaPosture(s, "Posture", {
      groupsIncluded: GROUPS,
      logStream: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" },
      eventHook: { url: "https://responder.example.com", authValue: secret(s, "hook") },
    });
    const raw = new PolicyRuleSignon(s, "raw-rule", { name: "raw", policyId: "00p1", sessionLifetime: 0, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
    if (waive) Posture.waive(raw, { rule: "OKTA-SES-2", ...WAIVER });
    PostureChecks.applyTo(app);
    return { app, s, raw };
  }

  it("fails synth on a raw resource that breaks a rule, naming the rule and the construct", () => {
    const { s } = rawApp(false);
    expect(() => Testing.fullSynth(s)).toThrow(/\[okta\/raw-rule\] \[OKTA-SES-2\] session lifetime is 0 \(unlimited\).*Posture\.waive/);
  });

  it("lets a waived resource through, and the waiver reaches cdktf.out", () => {
    const { s } = rawApp(true);
    const outdir = Testing.fullSynth(s);
    const json = require(`${outdir}/stacks/okta/cdk.tf.json`);
    expect(json.resource.okta_policy_rule_signon["raw-rule"]["//"]["identity-posture"].waivers[0].rule).toBe("OKTA-SES-2");
  });

  it("does not duplicate annotations when the app is synthesized twice", () => {
    const { s, raw } = rawApp(false);
    Testing.synth(s, true);
    Testing.synth(s, true);
    const errors = raw.node.metadata.filter((m) => m.type === "@cdktf/error");
    expect(errors).toHaveLength(1);
  });

  it("judges the final JSON, after every other aspect has run", () => {
    const { app, s } = rawApp(true);
    const posture = s.node.findChild("Posture") as OktaPosture;
    Aspects.of(posture.globalSession).add({
      visit(node) {
        if (node instanceof PolicyRuleSignon) node.addOverride("session_idle", 600);
      },
    });
    void app;
    expect(() => Testing.fullSynth(s)).toThrow(/\[OKTA-SES-1\] session idle timeout is 600 minutes/);
  });

  it("reports findings on resources without a construct path (provider blocks) on the stack", () => {
    const app = Testing.app();
    const s = new TerraformStack(app, "okta");
    new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com", apiToken: "00-hard-coded-api-token-value" });
    PostureChecks.applyTo(app);
    let message = "";
    try {
      Testing.fullSynth(s);
    } catch (e) {
      message = String(e);
    }
    expect(message).toMatch(/\[okta\] \[SECRET-1\] a secret is written into the code at api_token/);
    expect(message).not.toContain("00-hard-coded-api-token-value");
  });

  it("waives a scope rule in code, and the waiver reaches cdktf.out", () => {
    const app = Testing.app();
    const s = new TerraformStack(app, "okta");
    new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
    new GlobalSessionPolicy(s, "GlobalSession", { groupsIncluded: GROUPS });
    new PhishingResistantAuthenticators(s, "Authenticators");
    Posture.waive(s, { rule: "OKTA-LOG-1", ...WAIVER });
    PostureChecks.applyTo(app);
    const outdir = Testing.fullSynth(s);
    const json = require(`${outdir}/stacks/okta/cdk.tf.json`);
    expect(json["//"]["identity-posture"].waivers).toEqual([{ rule: "OKTA-LOG-1", ...WAIVER }]);
  });

  it("sees every stack for scope rules: a log stream in one stack satisfies OKTA-LOG-1 for the tenant", () => {
    const app = Testing.app();
    const a = new TerraformStack(app, "a");
    new OktaProvider(a, "okta", { orgName: "example", baseUrl: "okta.com" });
    new OktaSystemLogStream(a, "LogStream", { destination: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" } });
    const b = new TerraformStack(app, "b");
    new OktaProvider(b, "okta", { orgName: "example", baseUrl: "okta.com" });
    new GlobalSessionPolicy(b, "GlobalSession", { groupsIncluded: GROUPS });
    PostureChecks.applyTo(app);
    Testing.synth(b, true);
    const warningsOrErrors = b.node.findAll().flatMap((c) => c.node.metadata).filter((m) => typeof m.data === "string" && m.data.startsWith("[OKTA-LOG-1]"));
    expect(warningsOrErrors).toEqual([]);
    const stackOnly = new PostureChecks({ scope: "stack" });
    stackOnly.check(b);
    expect(b.node.metadata.some((m) => m.type === "@cdktf/error" && String(m.data).startsWith("[OKTA-LOG-1]"))).toBe(true);
  });

  it.each([["a", "b"], ["b", "a"]])("judges scope rules after every stack's aspects have run (stacks declared %s then %s)", (first, second) => {
    const app = Testing.app();
    const stacks: Record<string, TerraformStack> = {};
    for (const id of [first, second]) {
      stacks[id] = new TerraformStack(app, id);
      new OktaProvider(stacks[id], "okta", { orgName: "example", baseUrl: "okta.com" });
    }
    new PhishingResistantAuthenticators(stacks.a, "Authenticators");
    const stream = new OktaSystemLogStream(stacks.b, "LogStream", { destination: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" } });
    Aspects.of(stream).add({
      visit(node) {
        if (node === stream.stream) stream.stream.addOverride("status", "INACTIVE");
      },
    });
    PostureChecks.applyTo(app);
    expect(() => app.synth()).toThrow(/\[OKTA-LOG-1\] no active okta_log_stream/);
  });

  it("keeps a scope waiver off the resources, so it is never reported stale", () => {
    const s = stack();
    new PhishingResistantAuthenticators(s, "Authenticators");
    Posture.waive(s, { rule: "OKTA-LOG-1", ...WAIVER });
    const result = evaluatePosture(s);
    expect(result.findings.find((f) => f.ruleId === "OKTA-LOG-1")?.outcome).toBe("waived");
    expect(result.notices.filter((n) => n.message.startsWith("stale waiver"))).toEqual([]);
  });

  it("prints warnings without failing synth", () => {
    const app = new App({ outdir: require("node:fs").mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "posture-app-")) });
    const s = new TerraformStack(app, "okta");
    new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
    new OktaPosture(s, "Posture", {
      groupsIncluded: GROUPS,
      logStream: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" },
      eventHook: { url: "https://responder.example.com", authValue: secret(s, "hook"), verify: false },
    });
    PostureChecks.applyTo(app);
    expect(() => app.synth()).not.toThrow();
  });
});
