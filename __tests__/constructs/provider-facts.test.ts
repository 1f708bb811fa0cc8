/**
 * One test per provider fact of docs/provider-facts.md (Okta provider 4.20.0, Cloudflare 5.14.0),
 * named after it. Each asserts on the synthesized JSON, so a regression to the old shape fails here
 * even if the catalogue would not notice, and, where a rule judges the fact, on the weak shape too.
 */
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { Lazy, TerraformStack, TerraformVariable, Testing } from "cdktf";
import {
  GlobalSessionPolicy,
  HardenedAccessApplication,
  OktaPosture,
  type OktaPostureProps,
  PasswordAndRecoveryPolicy,
  PhishingResistantAppPolicy,
  PhishingResistantAppRules,
  PhishingResistantAuthenticators,
  ThreatProtection,
  ZeroTrustOrganizationSettings,
} from "../../constructs";
import { findingsOf, res, tf, unknownVar, verdictOf } from "../helpers";
import { plan } from "../review/plan-builder";

const GROUPS = ["00g0000000000000000"];
type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

function oktaStack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), "okta");
  new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
  return s;
}

function posture(extra: Partial<OktaPostureProps> = {}): { s: TerraformStack; p: OktaPosture; json: Json } {
  const s = oktaStack();
  const hook = new TerraformVariable(s, "hook", { type: "string", sensitive: true }).stringValue;
  const p = new OktaPosture(s, "Posture", {
    groupsIncluded: GROUPS,
    logStream: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" },
    eventHook: { url: "https://responder.example.com", authValue: hook },
    ...extra,
  });
  return { s, p, json: JSON.parse(Testing.synth(s)) };
}

const resources = (json: Json, type: string) => Object.entries(json.resource?.[type] ?? {});
const ref = (type: string, name: string) => `\${${type}.${name}.id}`;
const authenticator = (json: Json, key: string) => resources(json, "okta_authenticator").find(([, a]) => a.key === key)?.[1];

describe("Okta provider 4.20.0", () => {
  it("webauthn-settings-never-sent: no security_key authenticator carries settings, and none is imported", () => {
    const { json } = posture();
    expect(authenticator(json, "webauthn")).toBeDefined();
    expect(authenticator(json, "webauthn")).not.toHaveProperty("settings");
    const s = oktaStack();
    new PhishingResistantAuthenticators(s, "A", { recoveryOnly: [], inactive: ["phone_number", "security_question", "yubikey_token", "onprem_mfa"] });
    const synth: Json = JSON.parse(Testing.synth(s));
    for (const key of ["webauthn", "yubikey_token", "onprem_mfa"]) expect(authenticator(synth, key)).not.toHaveProperty("settings");
    expect(synth.import ?? []).toEqual([]);
    expect(() => new PhishingResistantAuthenticators(oktaStack(), "A", { importIds: { webauthn: "aut1" } as never })).toThrow(/importIds has webauthn: an imported security_key authenticator plans an update/);
    // The engine fails the old shape.
    const weak = res("okta_authenticator", "w", { key: "webauthn", name: "Security Key or Biometric", settings: JSON.stringify({ userVerification: "REQUIRED" }) });
    expect(verdictOf("OKTA-AUTH-4", weak)).toBe("fail");
    expect(findingsOf("OKTA-AUTH-4", weak)[0].message).toMatch(/provider 4\.20 never sends/);
    expect(verdictOf("OKTA-AUTH-4", res("okta_authenticator", "w", { key: "webauthn", name: "x" }))).toBe("pass");
    expect(verdictOf("OKTA-AUTH-4", tf(unknownVar("s"), res("okta_authenticator", "w", { key: "webauthn", name: "x", settings: "${var.s}" })))).toBe("unknown");
    expect(verdictOf("OKTA-AUTH-4", res("okta_authenticator", "v", { key: "okta_verify", name: "x", settings: "{}" }))).toBe("not-applicable");
    // A plan carries the settings the API returned on read, whatever the code says.
    const read = { key: "webauthn", name: "Security Key or Biometric", status: "ACTIVE", settings: JSON.stringify({ userVerification: "PREFERRED", attachment: "ANY" }) };
    expect(verdictOf("OKTA-AUTH-4", plan([{ address: "okta_authenticator.w", actions: ["no-op"], before: read, after: read }]))).toBe("not-applicable");
  });

  it("custom-otp-settings-sent-on-create: custom_otp settings go out (OTP fields only), so AUTH-4 passes them and AUTH-2 still fails an active one", () => {
    // The provider's own example (docs/resources/authenticator.md L56-70@v4.20.0).
    const otp = { key: "custom_otp", name: "Custom OTP", status: "ACTIVE", legacy_ignore_name: false, settings: JSON.stringify({ protocol: "TOTP", acceptableAdjacentIntervals: 3, timeIntervalInSeconds: 30, encoding: "base32", algorithm: "HMacSHA256", passCodeLength: 6 }) };
    expect(verdictOf("OKTA-AUTH-4", res("okta_authenticator", "otp", otp))).toBe("not-applicable");
    const [f] = findingsOf("OKTA-AUTH-2", res("okta_authenticator", "otp", { ...otp, settings: JSON.stringify({ allowedFor: "recovery" }) }));
    expect(f.message).toMatch(/custom_otp authenticator is active, and provider 4\.20 sends only the OTP fields of its settings, never allowedFor/);
    expect(() => new PhishingResistantAuthenticators(oktaStack(), "A", { importIds: { custom_otp: "aut1" } as never })).toThrow(/importIds has custom_otp: .*plans an update, which provider 4\.20 refuses/);
  });

  it("possession-required-false-when-absent: every possession and knowledge constraint says required: true", () => {
    const { json } = posture({ protectedAppIds: ["0oa-app"] });
    const s = oktaStack();
    new PhishingResistantAppRules(s, "R", {
      policyId: "rst1",
      additionalConstraints: [{ possession: { phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED", deviceBound: "REQUIRED" }, knowledge: { types: ["password"] } }],
    });
    const extra: Json = JSON.parse(Testing.synth(s));
    const constraints = [...resources(json, "okta_app_signon_policy_rule"), ...resources(extra, "okta_app_signon_policy_rule")].flatMap(([, r]) => (r.constraints as string[]).map((c) => JSON.parse(c)));
    expect(constraints.length).toBeGreaterThanOrEqual(4);
    for (const c of constraints) {
      expect(c.possession.required).toBe(true);
      if (c.knowledge) expect(c.knowledge.required).toBe(true);
    }
    expect(() => new PhishingResistantAppRules(oktaStack(), "R", { policyId: "rst1", additionalConstraints: [{ possession: { phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED", required: false } }] })).toThrow(
      /additionalConstraints\[0\]\.possession\.required is false/,
    );
    const rule = (possession: object) => res("okta_app_signon_policy_rule", "r", { policy_id: "rst1", name: "r", constraints: [JSON.stringify({ possession })] });
    expect(verdictOf("OKTA-APP-1", rule({ phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" }))).toBe("fail");
    expect(findingsOf("OKTA-APP-1", rule({ phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" }))[0].message).toMatch(/possession\.required is absent; the provider sends "required": false/);
    expect(verdictOf("OKTA-APP-1", rule({ phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED", required: false }))).toBe("fail");
    expect(verdictOf("OKTA-APP-1", rule({ phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED", required: true }))).toBe("pass");
  });

  it("password-policy-without-rule-is-skipped: every created password policy has an active rule", () => {
    const { json } = posture();
    const policies = resources(json, "okta_policy_password");
    expect(policies.length).toBeGreaterThan(0);
    for (const [name] of policies) {
      const rules = resources(json, "okta_policy_rule_password").filter(([, r]) => r.policy_id === ref("okta_policy_password", name));
      expect(rules).toHaveLength(1);
      expect(rules[0][1]).toEqual(expect.objectContaining({ status: "ACTIVE", password_change: "ALLOW", password_reset: "ALLOW", password_unlock: "ALLOW" }));
    }
    const strict = oktaStack();
    new PasswordAndRecoveryPolicy(strict, "W", { profile: "strict", groupsIncluded: GROUPS });
    expect(resources(JSON.parse(Testing.synth(strict)), "okta_policy_rule_password")[0][1].password_unlock).toBe("DENY");
    const policy = res("okta_policy_password", "p", { name: "p", password_min_length: 15, password_max_lockout_attempts: 3, password_dictionary_lookup: true, question_recovery: "INACTIVE" });
    expect(verdictOf("OKTA-PWD-1", policy)).toBe("fail");
    expect(findingsOf("OKTA-PWD-1", policy)[0]).toEqual(expect.objectContaining({ severity: "warning", message: expect.stringMatching(/no active okta_policy_rule_password .* names this policy; Okta skips/) }));
    expect(verdictOf("OKTA-PWD-1", tf(policy, res("okta_policy_rule_password", "r", { name: "r", policy_id: "${okta_policy_password.p.id}" })))).toBe("pass");
    expect(verdictOf("OKTA-PWD-1", tf(policy, res("okta_policy_rule_password", "r", { name: "r", policy_id: "${okta_policy_password.p.id}", status: "INACTIVE" })))).toBe("fail");
    expect(verdictOf("OKTA-PWD-1", tf(policy, unknownVar("p"), res("okta_policy_rule_password", "r", { name: "r", policy_id: "${var.p}" })))).toBe("unknown");
    expect(verdictOf("OKTA-PWD-2", policy)).toBe("pass");
  });

  it("rule-priority-race: the rules of one policy are created in priority order", () => {
    const s = oktaStack();
    new GlobalSessionPolicy(s, "G", { groupsIncluded: GROUPS, blockedZoneIds: ["nzo-policy-zone"] });
    const first = new PhishingResistantAppRules(s, "First", { policyId: "rst1", priority: 1 });
    new PhishingResistantAppRules(s, "Second", { policyId: "rst1", priority: 2, name: "Second", after: [first.rule] });
    const json: Json = JSON.parse(Testing.synth(s));
    const { json: reference } = posture({ protectedAppIds: ["0oa-app"] });
    for (const j of [json, reference]) {
      for (const type of ["okta_policy_rule_signon", "okta_app_signon_policy_rule", "okta_policy_rule_password", "okta_policy_rule_mfa"]) {
        const byPolicy = new Map<unknown, [string, Record<string, unknown>][]>();
        for (const e of resources(j, type)) byPolicy.set(e[1].policy_id, [...(byPolicy.get(e[1].policy_id) ?? []), e]);
        for (const rules of byPolicy.values()) {
          const ordered = [...rules].sort((a, b) => (a[1].priority as number) - (b[1].priority as number));
          ordered.slice(1).forEach(([, r], i) => expect(r.depends_on).toContain(`${type}.${ordered[i][0]}`));
        }
      }
    }
    expect(resources(json, "okta_policy_rule_signon")).toHaveLength(2);
    expect(resources(json, "okta_app_signon_policy_rule")).toHaveLength(2);
  });

  it("blocklist-zones-precede-policies: no sign-on rule names a BLOCKLIST zone", () => {
    const { json } = posture();
    const blocklists = resources(json, "okta_network_zone").filter(([, z]) => z.usage === "BLOCKLIST").map(([n]) => ref("okta_network_zone", n));
    expect(blocklists).toHaveLength(1);
    for (const [, r] of resources(json, "okta_policy_rule_signon")) expect((r.network_includes as string[] | undefined) ?? []).not.toEqual(expect.arrayContaining(blocklists));
    const s = oktaStack();
    const t = new ThreatProtection(s, "T");
    expect(() => new GlobalSessionPolicy(s, "G", { groupsIncluded: GROUPS, blockedZoneIds: [t.anonymizerZoneId] })).toThrow(/blockedZoneIds names okta\/T\/anonymizers, a BLOCKLIST zone/);
  });

  it("signon-rules-send-risk-score: riskScoreCondition false sends risk_level and risc_level as empty strings", () => {
    const { json: dflt } = posture();
    for (const [, r] of resources(dflt, "okta_policy_rule_signon")) {
      expect(r).not.toHaveProperty("risk_level");
      expect(r).not.toHaveProperty("risc_level");
    }
    const { json } = posture({ signOnRiskScore: false });
    const rules = resources(json, "okta_policy_rule_signon");
    expect(rules.length).toBeGreaterThan(0);
    for (const [, r] of rules) expect(r).toEqual(expect.objectContaining({ risk_level: "", risc_level: "" }));
  });

  it("unassigned-authentication-policy-protects-nothing: the reference posture guards the Admin Console and Dashboard policies", () => {
    const { json } = posture();
    const lookups = Object.entries(json.data?.okta_policy ?? {});
    expect(lookups.map(([, d]) => d)).toEqual([
      { name: "Okta Admin Console", type: "ACCESS_POLICY" },
      { name: "Okta Dashboard", type: "ACCESS_POLICY" },
    ]);
    const targets = resources(json, "okta_app_signon_policy_rule").map(([, r]) => r.policy_id);
    expect(targets).toEqual(lookups.map(([n]) => `\${data.okta_policy.${n}.id}`));
    expect(resources(json, "okta_app_signon_policy")).toEqual([]);
    const { json: withIds } = posture({ adminConsolePolicyId: "rst-admin", dashboardPolicyId: "rst-dash" });
    expect(resources(withIds, "okta_app_signon_policy_rule").map(([, r]) => r.policy_id)).toEqual(["rst-admin", "rst-dash"]);
    expect(withIds.data?.okta_policy).toBeUndefined();
    // A created policy is assigned to the named apps, after its rule exists.
    const { json: apps } = posture({ protectedAppIds: ["0oa-app"] });
    const [[policyName]] = resources(apps, "okta_app_signon_policy");
    const [[, assignment]] = resources(apps, "okta_app_access_policy_assignment");
    expect(assignment).toEqual(expect.objectContaining({ app_id: "0oa-app", policy_id: ref("okta_app_signon_policy", policyName) }));
    expect((assignment.depends_on as string[])[0]).toMatch(/^okta_app_signon_policy_rule\./);
    // The engine warns about a policy nothing uses.
    const policy = res("okta_app_signon_policy", "p", { name: "p" });
    expect(verdictOf("OKTA-APP-4", policy)).toBe("fail");
    expect(findingsOf("OKTA-APP-4", policy)[0].severity).toBe("warning");
    expect(verdictOf("OKTA-APP-4", tf(policy, res("okta_app_oauth", "a", { label: "a", type: "web", authentication_policy: "${okta_app_signon_policy.p.id}" })))).toBe("pass");
    expect(verdictOf("OKTA-APP-4", tf(policy, res("okta_app_access_policy_assignment", "a", { app_id: "0oa1", policy_id: "${okta_app_signon_policy.p.id}" })))).toBe("pass");
    expect(verdictOf("OKTA-APP-4", tf(policy, unknownVar("pid"), res("okta_app_saml", "a", { label: "a", authentication_policy: "${var.pid}" })))).toBe("unknown");
    const { s } = (() => {
      const st = oktaStack();
      new PhishingResistantAppPolicy(st, "P", { appIds: ["0oa1"] });
      return { s: st };
    })();
    expect(findingsOf("OKTA-APP-4", JSON.parse(Testing.synth(s)))).toEqual([]);
  });

  it("authenticator-deactivation-needs-an-unused-authenticator: phishable ones go after every policy that offered them; enrollment after WebAuthn", () => {
    const { json, p } = posture();
    const enrollment = `okta_policy_mfa_default.${p.enrollment.policy.friendlyUniqueId}`;
    const passwords = `okta_policy_password.${p.passwords.policy.friendlyUniqueId}`;
    for (const key of ["phone_number", "security_question"]) {
      const a = authenticator(json, key)!;
      expect(a.status).toBe("INACTIVE");
      expect(a.depends_on).toEqual([enrollment, passwords]);
    }
    const [[, policy]] = resources(json, "okta_policy_mfa_default");
    expect(policy.depends_on).toEqual([`okta_authenticator.${p.authenticators.webauthn.friendlyUniqueId}`]);
  });

  it("authenticator-settings-round-trip: email pins tokenLifetimeInMinutes; Okta Verify keeps its appInstanceId", () => {
    const { json } = posture();
    expect(JSON.parse(authenticator(json, "okta_email")!.settings as string)).toEqual({ allowedFor: "recovery", tokenLifetimeInMinutes: 5 });
    expect(JSON.parse(authenticator(json, "okta_verify")!.settings as string)).not.toHaveProperty("appInstanceId");
    const { json: pinned } = posture({ emailTokenLifetimeMinutes: 10, oktaVerifyAppInstanceId: "0oa-okta-verify" });
    expect(JSON.parse(authenticator(pinned, "okta_email")!.settings as string).tokenLifetimeInMinutes).toBe(10);
    expect(JSON.parse(authenticator(pinned, "okta_verify")!.settings as string).appInstanceId).toBe("0oa-okta-verify");
    expect(() => posture({ emailTokenLifetimeMinutes: 0 })).toThrow(/OktaPosture okta\/Posture: emailTokenLifetimeMinutes is 0/);
  });

  it("security-notification-emails-need-ssws: the resource can be left out for OAuth-authenticated providers", () => {
    expect(resources(posture().json, "okta_security_notification_emails")).toHaveLength(1);
    expect(resources(posture({ securityNotificationEmails: false }).json, "okta_security_notification_emails")).toEqual([]);
  });

  it("event-hook-status-defaults-active: a hook without status counts as active", () => {
    const { json } = posture();
    const [[, hook]] = resources(json, "okta_event_hook");
    const { status: _s, ...withoutStatus } = hook;
    expect(verdictOf("OKTA-MON-1", res("okta_event_hook", "h", withoutStatus))).toBe("pass");
  });
});

describe("OktaPosture names its own props in errors", () => {
  it.each([
    [{ sessionLifetimeMinutes: 0 }, /^OktaPosture okta\/Posture: sessionLifetimeMinutes is 0;.*\(OKTA-SES-2\)\. Change sessionLifetimeMinutes/],
    [{ sessionIdleMinutes: 90 }, /^OktaPosture okta\/Posture: sessionIdleMinutes is 90;.*Change sessionIdleMinutes/],
    [{ groupsIncluded: [] }, /^OktaPosture okta\/Posture: groupsIncluded is required/],
    [{ authenticatorImportIds: { webauthn: "aut1" } as never }, /^OktaPosture okta\/Posture: authenticatorImportIds has webauthn/],
    [{ logStream: { kind: "splunk", host: "h", edition: "aws", token: "literal" } as const }, /^OktaPosture okta\/Posture: logStream\.token is "\(a literal\)"/],
    [{ eventHook: { url: "http://plain", authValue: Lazy.stringValue({ produce: () => "from a secret store" }) } }, /^OktaPosture okta\/Posture: eventHook\.url must be an https:\/\/ URL/],
  ] as [Partial<OktaPostureProps>, RegExp][])("%j", (extra, message) => {
    expect(() => posture(extra)).toThrow(message);
  });

  it("an inner construct used on its own still names its own prop", () => {
    expect(() => new GlobalSessionPolicy(oktaStack(), "G", { groupsIncluded: GROUPS, lifetimeMinutes: 0 })).toThrow(/^GlobalSessionPolicy okta\/G: lifetimeMinutes is 0/);
  });
});

describe("Cloudflare provider 5.14.0", () => {
  const ACCOUNT = "0123456789abcdef0123456789abcdef";
  function cfStack(): TerraformStack {
    const s = new TerraformStack(Testing.app(), "cloudflare");
    new CloudflareProvider(s, "cloudflare", {});
    return s;
  }

  it("infrastructure-apps-have-no-session-duration: CF-ACC-4 is not applicable to them; the constructs set it only on compatible types", () => {
    const s = cfStack();
    new HardenedAccessApplication(s, "App", { accountId: ACCOUNT, name: "Wiki", domain: "wiki.example.com", identityProviderId: "idp1", oktaGroups: ["eng"], devicePosture: [{ platform: "mac", ruleIds: ["r1"] }] });
    const json: Json = JSON.parse(Testing.synth(s));
    const [[, app]] = resources(json, "cloudflare_zero_trust_access_application");
    expect(app).toEqual(expect.objectContaining({ type: "self_hosted", session_duration: "1h" }));
    const infra = res("cloudflare_zero_trust_access_application", "i", { account_id: ACCOUNT, name: "ssh", type: "infrastructure", target_criteria: [{ port: 22, protocol: "SSH", target_attributes: { hostname: ["db"] } }] });
    expect(verdictOf("CF-ACC-4", infra)).toBe("not-applicable");
    expect(verdictOf("CF-ACC-4", res("cloudflare_zero_trust_access_application", "s", { account_id: ACCOUNT, name: "s", type: "ssh", domain: "ssh.example.com" }))).toBe("fail");
  });

  it("warp-session-units-are-minutes-and-hours: warpAuthSessionDuration is refused in other units", () => {
    const props = { accountId: ACCOUNT, authDomain: "example.cloudflareaccess.com", allowAuthenticateViaWarp: true };
    for (const bad of ["3600s", "1d", "90"]) {
      expect(() => new ZeroTrustOrganizationSettings(cfStack(), "O", { ...props, warpAuthSessionDuration: bad })).toThrow(/warpAuthSessionDuration is .*; Cloudflare accepts only minutes and hours/);
    }
    const s = cfStack();
    new ZeroTrustOrganizationSettings(s, "O", { ...props, warpAuthSessionDuration: "2h45m" });
    const [[, org]] = resources(JSON.parse(Testing.synth(s)), "cloudflare_zero_trust_organization");
    expect(org.warp_auth_session_duration).toBe("2h45m");
  });
});
