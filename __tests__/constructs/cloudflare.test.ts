import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { ZeroTrustAccessPolicy } from "@cdktf/provider-cloudflare/lib/zero-trust-access-policy";
import { ZeroTrustGatewayPolicy } from "@cdktf/provider-cloudflare/lib/zero-trust-gateway-policy";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import {
  CloudflarePosture,
  type CloudflarePostureProps,
  DevicePostureBaseline,
  type DevicePostureBaselineProps,
  HardenedAccessApplication,
  type HardenedAccessApplicationProps,
  LogpushDestination,
  OktaIdentityProvider,
  PostureChecks,
  ZeroTrustLogpush,
  ZeroTrustOrganizationSettings,
} from "../../constructs";
import { terraformLiteral } from "../../constructs/cloudflare/terraform-text";
import { splitTemplate } from "../../engine/hcl/resolve";
import { CLOUDFLARE_RULES } from "../../policies";
import type { Profile } from "../../policies/rule";
import { evaluatePosture, setupPostureMatchers } from "../../testing";

setupPostureMatchers(expect);

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const WAIVER = { reason: "accepted in SEC-42 for the migration", expires: "2099-12-31" };
const PLATFORMS: DevicePostureBaselineProps["platforms"] = { mac: { version: "14.5.0" }, windows: { version: "10.0.22631" } };
const ALL_DATASETS = ["access_requests", "audit_logs", "device_posture_results", "gateway_dns", "gateway_http", "gateway_network", "zero_trust_network_sessions"];
const CROWDSTRIKE = { type: "crowdstrike_s2s", connectionId: "crowdstrike-connection", minimumOverallScore: 70 } as const;
const IDENTITY_KINDS = "email, emailList, group, okta, azureAd, gsuite, githubOrganization, saml, oidc";

/** What Terraform makes of a string of its JSON configuration: the literal text, or undefined when it interpolates. */
function terraformReads(s: string): string | undefined {
  const parts = splitTemplate(s);
  return parts?.every((p) => typeof p === "string") ? parts.join("") : undefined;
}

/** The resource name of a `${type.name.id}` reference. */
const refName = (ref: string) => /^\$\{[a-z_]+\.([^.]+)\.id\}$/.exec(ref)?.[1] ?? ref;

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), "cloudflare");
  new CloudflareProvider(s, "cloudflare", {});
  return s;
}
const secret = (s: TerraformStack, name: string) => new TerraformVariable(s, name, { type: "string", sensitive: true }).stringValue;

/** Every failing or unknown finding of the rules named, under the profile (waived ones aside). */
function failing(s: TerraformStack, rules: string[], profile: Profile = "recommended") {
  return evaluatePosture(s, { profile, only: rules }).findings.filter((f) => f.outcome !== "waived" && rules.includes(f.ruleId));
}

/** The rules that judged at least one resource (or the scope) and passed. */
function passedRules(s: TerraformStack, profile: Profile = "recommended") {
  return new Set(evaluatePosture(s, { profile }).evaluated.filter((e) => e.outcome === "pass").map((e) => e.ruleId));
}

/** Of `rules`, those that never passed on the stack (not applicable to anything, or failing): proves the rules ran. */
function notPassed(s: TerraformStack, rules: string[], profile: Profile = "recommended") {
  const ran = passedRules(s, profile);
  return rules.filter((r) => !ran.has(r));
}

function baseline(s: TerraformStack, profile: Profile, extra: Partial<DevicePostureBaselineProps> = {}) {
  return new DevicePostureBaseline(s, "DevicePosture", { profile, accountId: ACCOUNT, platforms: PLATFORMS, ...(profile === "strict" ? { integrations: [CROWDSTRIKE] } : {}), ...extra });
}

function app(s: TerraformStack, extra: Partial<HardenedAccessApplicationProps> = {}, id = "Wiki") {
  const posture = new DevicePostureBaseline(s, `${id}-posture`, { accountId: ACCOUNT, platforms: PLATFORMS });
  return new HardenedAccessApplication(s, id, {
    accountId: ACCOUNT,
    name: "Internal wiki",
    domain: "wiki.example.com",
    identityProviderId: "okta-idp",
    oktaGroups: ["Engineering"],
    devicePosture: posture.requirements,
    ...extra,
  });
}

const splunk = (s: TerraformStack, extra: Partial<Parameters<typeof LogpushDestination.splunk>[0]> = {}) =>
  LogpushDestination.splunk({ host: "http-inputs-example.splunkcloud.com", channel: "5f0c3e1e-0000-4000-8000-000000000000", token: secret(s, "hec"), ...extra });

function postureProps(s: TerraformStack, profile: Profile): CloudflarePostureProps {
  return {
    profile,
    accountId: ACCOUNT,
    identityProvider: { oktaAccount: "https://example.okta.com", clientId: "0oa0000000000000000", clientSecret: secret(s, "okta_client_secret") },
    devicePosture: { platforms: PLATFORMS, ...(profile === "strict" ? { integrations: [CROWDSTRIKE] } : {}) },
    applications: [
      { name: "Internal wiki", domain: "wiki.example.com", oktaGroups: ["Engineering"] },
      {
        name: "Admin console",
        domain: "admin.example.com",
        oktaGroups: ["Platform admins"],
        approval: { approverEmails: ["security-oncall@example.com"] },
        purposeJustification: { prompt: "Which ticket is this for?" },
      },
    ],
    logging: { destination: splunk(s), alert: { emails: ["soc@example.com"] } },
  };
}

describe.each(["recommended", "strict"] as Profile[])("Cloudflare constructs under %s", (profile) => {
  it("DevicePostureBaseline passes CF-DEV-1..2", () => {
    const s = stack();
    baseline(s, profile);
    expect(failing(s, ["CF-DEV-1", "CF-DEV-2"], profile)).toEqual([]);
    expect(notPassed(s, ["CF-DEV-1", "CF-DEV-2"], profile)).toEqual([]);
  });

  it("DevicePostureBaseline with Linux, Gateway, a client certificate and every integration kind passes CF-DEV-1..2", () => {
    const s = stack();
    baseline(s, profile, {
      platforms: { ...PLATFORMS, linux: { version: "6.1.0", distroName: "ubuntu", distroRevision: "22.4.0" } },
      connection: "gateway",
      integrations: [
        CROWDSTRIKE,
        { type: "sentinelone_s2s", connectionId: "s1" },
        { type: "intune", connectionId: "intune", platforms: ["windows"] },
        { type: "workspace_one", connectionId: "ws1", platforms: ["mac"] },
        { type: "kolide", connectionId: "kolide", maximumIssues: 2 },
        { type: "tanium_s2s", connectionId: "tanium", maximumRiskLevel: "medium" },
      ],
      clientCertificate: { certificateId: "cert-1", commonName: "${serial_number}", linuxPaths: ["/etc/ssl/device.pem"] },
    });
    expect(failing(s, ["CF-DEV-1", "CF-DEV-2"], profile)).toEqual([]);
  });

  it("HardenedAccessApplication passes CF-ACC-1..5, self-hosted and SaaS, with approval and justification", () => {
    const s = stack();
    app(s, { profile });
    app(s, { profile, approval: { approverEmailListId: "list-1", approvalsNeeded: 2 }, purposeJustification: {}, sameSiteCookie: "strict" }, "Admin");
    app(s, { profile, type: "saas", domain: undefined, saasApp: { authType: "oidc", redirectUris: ["https://tool.example.com/callback"], grantTypes: ["authorization_code_with_pkce"] } }, "Tool");
    const rules = ["CF-ACC-1", "CF-ACC-2", "CF-ACC-3", "CF-ACC-4", "CF-ACC-5"];
    expect(failing(s, rules, profile)).toEqual([]);
    expect(notPassed(s, rules, profile)).toEqual([]);
  });

  it("ZeroTrustOrganizationSettings passes CF-ORG-1..2, with or without WARP authentication", () => {
    const s = stack();
    new ZeroTrustOrganizationSettings(s, "Org", { profile, accountId: ACCOUNT, authDomain: "example.cloudflareaccess.com" });
    new ZeroTrustOrganizationSettings(s, "OrgWarp", { profile, accountId: ACCOUNT, allowAuthenticateViaWarp: true, warpAuthSessionDuration: "12h", sessionDuration: "12h" });
    expect(failing(s, ["CF-ORG-1", "CF-ORG-2"], profile)).toEqual([]);
  });

  it("OktaIdentityProvider passes CF-IDP-1 and SECRET-1", () => {
    const s = stack();
    new OktaIdentityProvider(s, "Okta", { profile, accountId: ACCOUNT, oktaAccount: "https://example.okta.com", clientId: "0oa1", clientSecret: secret(s, "okta") });
    expect(failing(s, ["CF-IDP-1", "SECRET-1"], profile)).toEqual([]);
    expect(notPassed(s, ["CF-IDP-1", "SECRET-1"], profile)).toEqual([]);
  });

  it.each([
    ["Splunk", (s: TerraformStack) => splunk(s)],
    ["S3", () => LogpushDestination.s3({ bucket: "logs", region: "eu-west-1", ownershipChallenges: Object.fromEntries(ALL_DATASETS.map((d) => [d, `challenge-${d}`])) })],
    ["Datadog", (s: TerraformStack) => LogpushDestination.datadog({ apiKey: secret(s, "dd"), site: "datadoghq.eu", tags: ["env:prod", "team:security"] })],
    ["R2", (s: TerraformStack) => LogpushDestination.r2({ accountId: ACCOUNT, bucket: "logs", accessKeyId: "r2-key-id", secretAccessKey: secret(s, "r2") })],
    ["custom", (s: TerraformStack) => LogpushDestination.custom(`https://logs.example.com/cloudflare?header_Authorization=Bearer%20${secret(s, "bearer")}`)],
  ])("ZeroTrustLogpush to %s passes CF-LOG-1..3 and SECRET-1, with Gateway in use", (_name, destination) => {
    const s = stack();
    new ZeroTrustLogpush(s, "Logs", { profile, accountId: ACCOUNT, destination: destination(s), gateway: true, alert: { emails: ["soc@example.com"], webhookIds: ["wh-1"], pagerdutyIds: ["pd-1"] } });
    new ZeroTrustGatewayPolicy(s, "gateway-allow", {
      accountId: ACCOUNT,
      name: "Allow",
      action: "allow",
      filters: ["http"],
      ruleSettings: { checkSession: { enforce: true, duration: "8h" } },
    });
    const rules = ["CF-LOG-1", "CF-LOG-2", "CF-LOG-3", "SECRET-1"];
    expect(failing(s, rules, profile)).toEqual([]);
    expect(notPassed(s, rules, profile)).toEqual([]);
  });

  it("CloudflarePosture with defaults has no finding at all, and every Cloudflare rule ran", () => {
    const s = stack();
    new CloudflarePosture(s, "Posture", postureProps(s, profile));
    expect(s).toBeCompliant({ profile });
    expect(evaluatePosture(s, { profile, unknownAsFailure: true }).findings).toEqual([]);
    // CF-GW-1 judges Gateway policies, which the posture does not create.
    expect(notPassed(s, [...CLOUDFLARE_RULES.map((r) => r.id).filter((id) => id !== "CF-GW-1"), "SECRET-1"], profile)).toEqual([]);
  });
});

describe("what the constructs write", () => {
  it("one allow policy per platform, each requiring only that platform's rules and a hardware key", () => {
    const s = stack();
    const posture = baseline(s, "recommended", { platforms: { ...PLATFORMS, linux: { version: "6.1.0" } } });
    expect(posture.requirements.map((r) => [r.platform, r.ruleIds.length])).toEqual([
      ["windows", 4],
      ["mac", 4],
      ["linux", 3], // Cloudflare has no firewall check on Linux
    ]);
    const a = new HardenedAccessApplication(s, "App", { accountId: ACCOUNT, name: "App", domain: "app.example.com", identityProviderId: "idp", oktaGroups: ["Staff"], devicePosture: posture.requirements });
    const json = JSON.parse(Testing.synth(s));
    const policies = Object.values(json.resource.cloudflare_zero_trust_access_policy) as Array<{ require: Array<Record<string, { integration_uid?: string; auth_method?: string }>> }>;
    expect(policies).toHaveLength(3);
    for (const p of policies) expect(p.require.at(-1)).toEqual({ auth_method: { auth_method: "hwk" } });
    const app = json.resource.cloudflare_zero_trust_access_application[Object.keys(json.resource.cloudflare_zero_trust_access_application)[0]];
    expect(app.policies.map((p: { precedence: number }) => p.precedence)).toEqual([1, 2, 3]);
    expect(app.allowed_idps).toEqual(["idp"]);
    expect(a.policies).toHaveLength(3);
  });

  it("sets the application's session duration on every allow policy: a policy's takes precedence over the app's, and defaults to 24h", () => {
    const s = stack();
    const token = new TerraformVariable(s, "session", { type: "string" }).stringValue;
    app(s, {}, "Plain");
    app(s, { sessionDuration: "30m", approval: { approverEmails: ["a@example.com"] } }, "Short");
    app(s, { sessionDuration: "24h", waivers: [{ rule: "CF-ACC-4", ...WAIVER }] }, "Waived");
    app(s, { devicePosture: [], waivers: [{ rule: "CF-ACC-1", ...WAIVER }] }, "AnyDevice");
    app(s, { profile: "strict", type: "saas", domain: undefined, saasApp: { authType: "oidc", redirectUris: ["https://t.example.com/cb"] } }, "Saas");
    app(s, { sessionDuration: token }, "Token");
    new CloudflarePosture(s, "Posture", { ...postureProps(s, "recommended"), applications: [{ name: "Wiki", domain: "w.example.com", oktaGroups: ["A"], sessionDuration: "2h" }] });
    const json = JSON.parse(Testing.synth(s));
    const policies = json.resource.cloudflare_zero_trust_access_policy as Record<string, { decision: string; session_duration?: string }>;
    const apps = json.resource.cloudflare_zero_trust_access_application as Record<string, { session_duration: string; policies: Array<{ id: string }> }>;
    const seen = Object.fromEntries(
      Object.entries(apps).map(([name, a]) => [name.replace(/_application_[0-9A-F]+$/, ""), [a.session_duration, a.policies.map((p) => policies[refName(p.id)].session_duration)]]),
    );
    expect(seen).toEqual({
      Plain: ["1h", ["1h", "1h"]],
      Short: ["30m", ["30m", "30m"]],
      Waived: ["24h", ["24h", "24h"]],
      AnyDevice: ["1h", ["1h"]],
      Saas: ["1h", ["1h", "1h"]],
      Token: ["${var.session}", ["${var.session}", "${var.session}"]],
      "Posture_App-Wiki": ["2h", ["2h", "2h"]],
    });
    // Every allow policy written belongs to an application and carries a duration.
    const allows = Object.values(policies).filter((p) => p.decision === "allow");
    expect(allows).toHaveLength(13);
    expect(Object.values(apps).flatMap((a) => a.policies)).toHaveLength(13);
    for (const p of allows) expect(p.session_duration).toEqual(expect.any(String));
  });

  it("escapes ${ and %{ in the text Cloudflare interprets, so Terraform passes it on as written; tokens stay references", () => {
    const s = stack();
    const domain = new TerraformVariable(s, "domain", { type: "string" }).stringValue;
    const delimiter = new TerraformVariable(s, "delimiter", { type: "string" }).stringValue;
    baseline(s, "recommended", {
      platforms: { ...PLATFORMS, linux: { version: "6.1.0" } },
      clientCertificate: { certificateId: "c", commonName: "${serial_number}", linuxPaths: ["/etc/%{vendor}/device.pem", "/etc/device.pem"] },
    });
    new DevicePostureBaseline(s, "Mixed", { accountId: ACCOUNT, platforms: { mac: { version: "14.5.0" } }, clientCertificate: { certificateId: "c", commonName: `\${hostname}.${domain}` } });
    new DevicePostureBaseline(s, "Token", { accountId: ACCOUNT, platforms: { windows: { version: "10.0.22631" } }, clientCertificate: { certificateId: "c", commonName: domain } });
    new ZeroTrustLogpush(s, "Logs", {
      accountId: ACCOUNT,
      destination: splunk(s),
      alert: { emails: ["soc@example.com"] },
      outputOptions: { fieldNames: ["RayID"], recordPrefix: '{"host":"${hostname}","rec":', recordTemplate: "%{ {{.RayID}} }", fieldDelimiter: delimiter, outputType: "ndjson" },
    });
    app(s, {
      type: "saas",
      domain: undefined,
      saasApp: { authType: "saml", nameIdTransformJsonata: '${"id": email}.id', samlAttributeTransformJsonata: "%{x}", groupFilterRegex: "^eng-.*$", spEntityId: "sp-${x}" },
    });
    const json = JSON.parse(Testing.synth(s));
    const certs = Object.entries(json.resource.cloudflare_zero_trust_device_posture_rule as Record<string, { type: string; input: { cn: string; locations: { paths?: string[] } } }>)
      .filter(([, r]) => r.type === "client_certificate_v2")
      .map(([name, r]) => [name.split("_")[0], r.input.cn, r.input.locations.paths]);
    expect(certs).toEqual([
      ["DevicePosture", "$${serial_number}", ["/etc/%%{vendor}/device.pem", "/etc/device.pem"]],
      ["DevicePosture", "$${serial_number}", undefined],
      ["DevicePosture", "$${serial_number}", undefined],
      ["Mixed", "$${hostname}.${var.domain}", undefined],
      ["Token", "${var.domain}", undefined],
    ]);
    expect(terraformReads("$${serial_number}")).toBe("${serial_number}");
    expect(terraformReads("/etc/%%{vendor}/device.pem")).toBe("/etc/%{vendor}/device.pem");
    expect(terraformReads("${serial_number}")).toBeUndefined(); // what Terraform refused: "Invalid reference"
    for (const job of Object.values(json.resource.cloudflare_logpush_job) as Array<{ output_options: Record<string, unknown> }>) {
      expect(job.output_options).toEqual({
        field_names: ["RayID"],
        record_prefix: '{"host":"$${hostname}","rec":',
        record_template: "%%{ {{.RayID}} }",
        field_delimiter: "${var.delimiter}",
        output_type: "ndjson",
      });
    }
    const saas = (Object.values(json.resource.cloudflare_zero_trust_access_application)[0] as { saas_app: Record<string, unknown> }).saas_app;
    expect(saas).toEqual({
      auth_type: "saml",
      name_id_transform_jsonata: '$${"id": email}.id',
      saml_attribute_transform_jsonata: "%%{x}",
      group_filter_regex: "^eng-.*$",
      sp_entity_id: "sp-${x}", // not text Cloudflare interprets: passed through unchanged
    });
  });

  it("terraformLiteral: Terraform reads back exactly the literal text, and a token's parts are left as they are", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("$", "%", "{", "}", "a", "\\", '"', "~") }), (text) => {
        expect(terraformReads(terraformLiteral(text))).toBe(text);
      }),
    );
    const s = stack();
    const v = new TerraformVariable(s, "v", { type: "string" }).stringValue;
    expect(terraformLiteral(v)).toBe(v);
    expect(terraformLiteral(`\${a}-${v}-%{b}`)).toBe(`$\${a}-${v}-%%{b}`);
  });

  it("keeps credentials out of destination_conf: URL-encoded variables, never literals", () => {
    const s = stack();
    new ZeroTrustLogpush(s, "Logs", { accountId: ACCOUNT, destination: splunk(s), alert: { emails: ["soc@example.com"] } });
    const jobs = Object.values(JSON.parse(Testing.synth(s)).resource.cloudflare_logpush_job) as Array<{ destination_conf: string; enabled: boolean }>;
    expect(jobs.map((j) => j.enabled)).toEqual([true, true, true]);
    for (const j of jobs) expect(j.destination_conf).toMatch(/insecure-skip-verify=false&.*header_Authorization=Splunk%20\$\{urlencode\(var\.hec\)\}$/);
  });

  it("ships zero_trust_network_sessions by default only under strict", () => {
    const datasets = (profile: Profile) => {
      const s = stack();
      return Object.keys(new ZeroTrustLogpush(s, "Logs", { profile, accountId: ACCOUNT, destination: splunk(s), alert: { emails: ["soc@example.com"] } }).jobs);
    };
    expect(datasets("recommended")).not.toContain("zero_trust_network_sessions");
    expect(datasets("strict")).toContain("zero_trust_network_sessions");
  });
});

describe("snapshots", () => {
  it("CloudflarePosture synthesizes the recommended posture", () => {
    const s = stack();
    new CloudflarePosture(s, "Posture", postureProps(s, "recommended"));
    expect(JSON.parse(Testing.synth(s))).toMatchSnapshot();
  });

  it.each([
    ["DevicePostureBaseline", (s: TerraformStack) => baseline(s, "strict", { platforms: { ...PLATFORMS, linux: { version: "6.1.0" } }, clientCertificate: { certificateId: "c", commonName: "${hostname}", linuxPaths: ["/etc/device.pem"] } })],
    ["HardenedAccessApplication", (s: TerraformStack) => app(s, { approval: { approverEmails: ["a@example.com"] }, purposeJustification: { prompt: "Why?" }, additionalDomains: ["wiki.example.com/admin"], exclude: [{ geo: { countryCode: "KP" } }] })],
    ["ZeroTrustOrganizationSettings", (s: TerraformStack) => new ZeroTrustOrganizationSettings(s, "O", { accountId: ACCOUNT, authDomain: "example.cloudflareaccess.com", allowAuthenticateViaWarp: true })],
    ["OktaIdentityProvider", (s: TerraformStack) => new OktaIdentityProvider(s, "I", { accountId: ACCOUNT, oktaAccount: "https://example.okta.com", clientId: "0oa1", clientSecret: secret(s, "okta"), authorizationServerId: "aus1" })],
    ["ZeroTrustLogpush to S3", (s: TerraformStack) => new ZeroTrustLogpush(s, "L", { accountId: ACCOUNT, destination: LogpushDestination.s3({ bucket: "b", region: "us-east-1", prefix: "/zt/", ownershipChallenges: Object.fromEntries(ALL_DATASETS.map((d) => [d, `c-${d}`])) }), alert: { pagerdutyIds: ["pd"] } })],
    ["ZeroTrustLogpush to Datadog", (s: TerraformStack) => new ZeroTrustLogpush(s, "L", { profile: "strict", accountId: ACCOUNT, destination: LogpushDestination.datadog({ apiKey: secret(s, "dd") }), alert: { emails: ["soc@example.com"] } })],
    ["ZeroTrustLogpush to R2", (s: TerraformStack) => new ZeroTrustLogpush(s, "L", { accountId: ACCOUNT, destination: LogpushDestination.r2({ accountId: ACCOUNT, bucket: "b", accessKeyId: secret(s, "id"), secretAccessKey: secret(s, "key") }), gateway: true, alert: { webhookIds: ["wh"] } })],
  ])("%s", (_name, build) => {
    const s = stack();
    build(s);
    expect(JSON.parse(Testing.synth(s))).toMatchSnapshot();
  });
});

describe("weakened props are refused at construction, naming the prop and the rule", () => {
  const device = (extra: Partial<DevicePostureBaselineProps>, profile: Profile = "recommended") => () =>
    new DevicePostureBaseline(stack(), "D", { profile, accountId: ACCOUNT, platforms: PLATFORMS, ...extra });
  const access = (extra: Partial<HardenedAccessApplicationProps>) => () => app(stack(), extra);
  const logs = (extra: (s: TerraformStack) => Partial<ConstructorParameters<typeof ZeroTrustLogpush>[2]>) => () => {
    const s = stack();
    const e = extra(s);
    new ZeroTrustLogpush(s, "L", { accountId: ACCOUNT, alert: { emails: ["soc@example.com"] }, ...e, destination: e.destination ?? splunk(s) });
  };
  const org = (extra: Partial<ConstructorParameters<typeof ZeroTrustOrganizationSettings>[2]>) => () => new ZeroTrustOrganizationSettings(stack(), "O", { accountId: ACCOUNT, ...extra });
  const idp = (extra: Partial<ConstructorParameters<typeof OktaIdentityProvider>[2]>) => () => {
    const s = stack();
    new OktaIdentityProvider(s, "I", { accountId: ACCOUNT, oktaAccount: "https://example.okta.com", clientId: "0oa1", clientSecret: secret(s, "okta"), ...extra });
  };

  it.each([
    ["one disk is enough", device({ requireAllDisks: false }), /DevicePostureBaseline cloudflare\/D: requireAllDisks is false; a device passes with one encrypted disk unless every disk is checked \(CF-DEV-2\)/],
    ["no firewall rule", device({ firewall: false }), /firewall is false; a firewall rule must exist \(CF-DEV-1\)/],
    ["Linux only has no firewall check", device({ platforms: { linux: { version: "6.1.0" } } }), /platforms is \["linux"\]; Cloudflare checks the firewall on Windows and macOS only.*\(CF-DEV-1\)/],
    ["an OS version that is a maximum", device({ platforms: { mac: { version: "14.5.0", operator: "<" as ">=" } } }), /platforms\.mac\.operator is "<"; use >=, > or == .*\(CF-DEV-2\)/],
    ["no EDR under strict", device({}, "strict"), /integrations is \[\]; the strict profile needs an EDR or MDM integration check, or a clientCertificate \(CF-DEV-1\)/],
    ["a two-part version", device({ platforms: { mac: { version: "14.5" } } }), /platforms\.mac\.version is "14\.5"; Cloudflare compares semantic versions/],
    ["no platform", device({ platforms: {} }), /platforms names no platform/],
    ["a certificate without Linux paths", device({ platforms: { linux: { version: "6.1.0" }, mac: { version: "14.5.0" } }, clientCertificate: { certificateId: "c", commonName: "cn" } }), /clientCertificate\.linuxPaths is required/],
    ["a CrowdStrike score out of range", device({ integrations: [{ ...CROWDSTRIKE, minimumOverallScore: 0 }] }), /integrations\[0\]\.minimumOverallScore is 0/],
    ["an integration on a platform not in the baseline", device({ integrations: [{ type: "intune", connectionId: "i", platforms: ["linux"] }] }), /integrations\[0\]\.platforms has linux/],
    ["a day-long app session", access({ sessionDuration: "24h" }), /HardenedAccessApplication cloudflare\/Wiki: sessionDuration is "24h"; between 1m and 8h allowed under the recommended profile \(CF-ACC-4\)/],
    ["an 8h app session under strict", access({ profile: "strict", sessionDuration: "8h" }), /sessionDuration is "8h"; between 1m and 1h allowed under the strict profile \(CF-ACC-4\)/],
    ["a session that is not a duration", access({ sessionDuration: "one day" }), /sessionDuration is "one day", which is not a duration/],
    ["MFA under strict", access({ profile: "strict", authMethod: "mfa" }), /authMethod is "mfa"; the strict profile needs "hwk" \(a hardware key\) \(CF-ACC-2\)/],
    ["everyone", access({ include: [{ everyone: {} }] }), /include\[0\] is \["everyone"\]; name people or groups.*\(CF-ACC-3\)/],
    ["a whole email domain", access({ include: [{ email: { email: "a@example.com" } }, { emailDomain: { domain: "example.com" } }] }), /include\[1\] is \["emailDomain"\].*\(CF-ACC-3\)/],
    ["any service token", access({ include: [{ anyValidServiceToken: {} }] }), /include\[0\] is \["anyValidServiceToken"\].*\(CF-ACC-3\)/],
    [
      "an IP range that is the whole internet",
      access({ include: [{ ip: { ip: "0.0.0.0/0" } }] }),
      new RegExp(`HardenedAccessApplication cloudflare/Wiki: include\\[0\\] is \\["ip"\\]; name people or groups: only identity-based includes are allowed \\(${IDENTITY_KINDS}\\) \\(CF-ACC-3\\)`),
    ],
    ["an IP list", access({ include: [{ email: { email: "a@example.com" } }, { ipList: { id: "list" } }] }), /include\[1\] is \["ipList"\]; name people or groups: only identity-based.*\(CF-ACC-3\)/],
    ["a login method", access({ include: [{ loginMethod: { id: "otp" } }] }), /include\[0\] is \["loginMethod"\];.*\(CF-ACC-3\)/],
    ["a country", access({ include: [{ geo: { countryCode: "US" } }] }), /include\[0\] is \["geo"\];.*\(CF-ACC-3\)/],
    ["any valid certificate", access({ include: [{ certificate: {} }] }), /include\[0\] is \["certificate"\];.*\(CF-ACC-3\)/],
    ["a certificate common name", access({ include: [{ commonName: { commonName: "device-1" } }] }), /include\[0\] is \["commonName"\];.*\(CF-ACC-3\)/],
    ["one service token", access({ include: [{ serviceToken: { tokenId: "t" } }] }), /include\[0\] is \["serviceToken"\];.*\(CF-ACC-3\)/],
    ["device posture as an include", access({ include: [{ devicePosture: { integrationUid: "r" } }] }), /include\[0\] is \["devicePosture"\];.*\(CF-ACC-3\)/],
    ["an auth method as an include", access({ include: [{ authMethod: { authMethod: "hwk" } }] }), /include\[0\] is \["authMethod"\];.*\(CF-ACC-3\)/],
    ["an external evaluation", access({ include: [{ externalEvaluation: { evaluateUrl: "https://e.example.com", keysUrl: "https://e.example.com/keys" } }] }), /include\[0\] is \["externalEvaluation"\];.*\(CF-ACC-3\)/],
    ["an Azure auth context", access({ include: [{ authContext: { acId: "c1", id: "x", identityProviderId: "idp" } }] }), /include\[0\] is \["authContext"\];.*\(CF-ACC-3\)/],
    ["a linked app token", access({ include: [{ linkedAppToken: { appUid: "app" } }] }), /include\[0\] is \["linkedAppToken"\];.*\(CF-ACC-3\)/],
    ["an identity and an IP range in one entry", access({ include: [{ email: { email: "a@example.com" }, ip: { ip: "10.0.0.0/8" } }] }), /include\[0\] is \["ip"\];.*\(CF-ACC-3\)/],
    ["an empty include entry", access({ include: [{}] }), /include\[0\] names no kind of rule; give one of email, emailList/],
    ["no device posture", access({ devicePosture: [] }), /devicePosture is \[\]; every allow policy must require device posture.*\(CF-ACC-1\)/],
    ["a requirement without rules", access({ devicePosture: [{ platform: "mac", ruleIds: [] }] }), /devicePosture\[0\]\.ruleIds is \[\]; an allow policy must require at least one posture rule \(CF-ACC-1\)/],
    ["no binding cookie", access({ bindingCookie: false }), /bindingCookie is false;.*\(CF-ACC-5\)/],
    ["a script-readable cookie", access({ httpOnlyCookie: false }), /httpOnlyCookie is false;.*\(CF-ACC-5\)/],
    ["SameSite none", access({ sameSiteCookie: "none" }), /sameSiteCookie is "none"; use "lax" or "strict" \(CF-ACC-5\)/],
    ["nobody included", access({ oktaGroups: [] }), /include and oktaGroups are empty/],
    ["a self-hosted app without a domain", access({ domain: undefined }), /domain is required for a self_hosted application/],
    ["a SaaS app without settings", access({ type: "saas" }), /saasApp is required for a saas application/],
    ["an approval without approvers", access({ approval: {} }), /approval names no approver/],
    ["a 24h global session", org({ sessionDuration: "24h" }), /ZeroTrustOrganizationSettings cloudflare\/O: sessionDuration is "24h"; between 1m and 12h allowed.*\(CF-ORG-1\)/],
    ["an unbounded WARP session", org({ allowAuthenticateViaWarp: true, warpAuthSessionDuration: "24h" }), /warpAuthSessionDuration is "24h";.*\(CF-ORG-1\)/],
    ["a writable dashboard", org({ readOnlyDashboard: false }), /readOnlyDashboard is false;.*\(CF-ORG-2\)/],
    ["a literal client secret", idp({ clientSecret: "hard-coded-secret" }), /OktaIdentityProvider cloudflare\/I: clientSecret is "\(a literal\)"; pass it as a sensitive TerraformVariable.*\(SECRET-1\)/],
    ["no PKCE", idp({ pkce: false }), /pkce is false; Okta login must use PKCE \(CF-IDP-1\)/],
    ["an Okta URL over http", idp({ oktaAccount: "http://example.okta.com" }), /oktaAccount is "http:\/\/example\.okta\.com"; give the org URL/],
    ["TLS verification off", logs((s) => ({ destination: splunk(s, { verifyTls: false }) })), /ZeroTrustLogpush cloudflare\/L: destination is "insecure-skip-verify=true"; keep TLS verification on \(CF-LOG-2\)/],
    ["plain http", logs(() => ({ destination: LogpushDestination.custom("http://logs.example.com/ingest") })), /destination is "http:\/\/…"; deliver over https \(CF-LOG-2\)/],
    ["a literal HEC token", logs((s) => ({ destination: splunk(s, { token: "hard-coded-token" }) })), /destination header_Authorization is "\(a literal\)";.*\(SECRET-1\)/],
    ["a literal Datadog key", logs(() => ({ destination: LogpushDestination.datadog({ apiKey: "hard-coded-key" }) })), /destination header_DD-API-KEY is "\(a literal\)";.*\(SECRET-1\)/],
    ["a literal R2 secret", logs(() => ({ destination: LogpushDestination.r2({ accountId: ACCOUNT, bucket: "b", accessKeyId: "id", secretAccessKey: "hard-coded-key" }) })), /destination secret-access-key is "\(a literal\)";.*\(SECRET-1\)/],
    ["a literal SAS signature", logs(() => ({ destination: LogpushDestination.custom("azure://logs/zt?sv=2020&sig=hard-coded-sig") })), /destination sig is "\(a literal\)";.*\(SECRET-1\)/],
    ["no network sessions under strict", logs(() => ({ profile: "strict", networkSessions: false })), /networkSessions is false; the strict profile ships zero_trust_network_sessions too \(CF-LOG-1\)/],
    ["no disabled-job alert", logs(() => ({ alert: undefined })), /alert is null; give at least one email, webhook or PagerDuty target.*\(CF-LOG-3\)/],
    ["an alert with no target", logs(() => ({ alert: { emails: [] } })), /alert is \{"emails":\[\]\};.*\(CF-LOG-3\)/],
    ["an S3 path without its ownership challenge", logs(() => ({ destination: LogpushDestination.s3({ bucket: "b", region: "us-east-1", ownershipChallenges: { access_requests: "c" } }) })), /destination \(s3\) has no ownership challenge for audit_logs/],
    [
      "two applications with one name",
      () => {
        const s = stack();
        const p = postureProps(s, "recommended");
        new CloudflarePosture(s, "P", { ...p, applications: [{ name: "Wiki", domain: "a.example.com", oktaGroups: ["A"] }, { name: "Wiki!", domain: "b.example.com", oktaGroups: ["B"] }] });
      },
      /applications\[1\]\.name "Wiki!" collides with applications\[0\] \("Wiki"\); names must differ in their letters or digits/,
    ],
    [
      "a weakened part of the composite",
      () => {
        const s = stack();
        const p = postureProps(s, "strict");
        new CloudflarePosture(s, "P", { ...p, applications: [{ name: "Wiki", domain: "a.example.com", oktaGroups: ["A"], sessionDuration: "4h" }] });
      },
      /HardenedAccessApplication cloudflare\/P\/App-Wiki: sessionDuration is "4h"; between 1m and 1h allowed under the strict profile \(CF-ACC-4\)/,
    ],
  ])("%s", (_name, build, message) => {
    expect(build).toThrow(message);
  });

  it.each([
    ["Okta client secret", () => idp({ clientSecret: "hard-coded-secret" })()],
    ["HEC token", () => logs((s) => ({ destination: splunk(s, { token: "hard-coded-secret" }) }))()],
    ["R2 secret", () => logs(() => ({ destination: LogpushDestination.r2({ accountId: ACCOUNT, bucket: "b", accessKeyId: "id", secretAccessKey: "hard-coded-secret" }) }))()],
  ])("never prints a literal %s in the error", (_name, build) => {
    expect(build).toThrow(expect.objectContaining({ message: expect.not.stringContaining("hard-coded-secret") }));
    expect(build).toThrow(/SECRET-1/);
  });

  it("accepts a weakened prop with a waiver, and writes the waiver into the JSON", () => {
    const s = stack();
    app(s, { sessionDuration: "24h", waivers: [{ rule: "CF-ACC-4", ...WAIVER }] });
    const f = evaluatePosture(s).findings.find((x) => x.ruleId === "CF-ACC-4")!;
    expect(f.outcome).toBe("waived");
    const json = s.toTerraform() as { resource: Record<string, Record<string, { "//"?: Record<string, unknown> }>> };
    const application = Object.values(json.resource.cloudflare_zero_trust_access_application)[0];
    expect(application["//"]?.["identity-posture"]).toEqual({ waivers: [{ rule: "CF-ACC-4", ...WAIVER, declaredOn: "cloudflare/Wiki" }] });
  });

  it("accepts every identity-based include kind, and its policies pass CF-ACC-3", () => {
    const s = stack();
    const a = app(s, {
      include: [
        { email: { email: "a@example.com" } },
        { emailList: { id: "list" } },
        { group: { id: "access-group" } },
        { okta: { identityProviderId: "okta-idp", name: "Admins" } },
        { azureAd: { id: "aad-group", identityProviderId: "aad" } },
        { gsuite: { email: "eng@example.com", identityProviderId: "gs" } },
        { githubOrganization: { identityProviderId: "gh", name: "example", team: "security" } },
        { saml: { attributeName: "groups", attributeValue: "eng", identityProviderId: "saml" } },
        { oidc: { claimName: "groups", claimValue: "eng", identityProviderId: "oidc" } },
      ],
    });
    expect(a.policies).toHaveLength(2);
    expect(failing(s, ["CF-ACC-3"])).toEqual([]);
    expect(notPassed(s, ["CF-ACC-3"])).toEqual([]);
  });

  it("a waived CF-ACC-3 lets a non-identity include through, and writes the waiver", () => {
    const s = stack();
    app(s, { include: [{ ip: { ip: "192.0.2.0/24" } }], waivers: [{ rule: "CF-ACC-3", ...WAIVER }] });
    Testing.synth(s); // runs the waiver writer
    const json = s.toTerraform() as { resource: Record<string, Record<string, { include: unknown[]; "//"?: Record<string, unknown> }>> };
    const policies = Object.values(json.resource.cloudflare_zero_trust_access_policy);
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.include).toContainEqual({ ip: { ip: "192.0.2.0/24" } });
      expect(p["//"]?.["identity-posture"]).toEqual({ waivers: [{ rule: "CF-ACC-3", ...WAIVER, declaredOn: "cloudflare/Wiki" }] });
    }
  });

  it("a waived CF-ACC-1 still yields a working application: one allow policy that requires the auth method", () => {
    const s = stack();
    app(s, { devicePosture: [], waivers: [{ rule: "CF-ACC-1", ...WAIVER }] });
    const result = evaluatePosture(s, { only: ["CF-ACC-1", "CF-ACC-2"] });
    expect(result.findings.filter((f) => f.ruleId === "CF-ACC-1").map((f) => f.outcome)).toEqual(["waived"]);
    expect(result.findings.filter((f) => f.ruleId === "CF-ACC-2")).toEqual([]);
  });

  it("a composite waiver lets the part's weakened prop through", () => {
    const s = stack();
    const p = postureProps(s, "recommended");
    new CloudflarePosture(s, "P", { ...p, organization: { readOnlyDashboard: false }, waivers: [{ rule: "CF-ORG-2", ...WAIVER }] });
    expect(evaluatePosture(s).findings.filter((f) => f.ruleId === "CF-ORG-2").map((f) => f.outcome)).toEqual(["waived"]);
  });

  it("takes tokens without judging them at construction (the synth-time check judges them)", () => {
    const s = stack();
    const duration = new TerraformVariable(s, "session", { type: "string" }).stringValue;
    expect(() => app(s, { sessionDuration: duration })).not.toThrow();
    expect(evaluatePosture(s).findings.find((f) => f.ruleId === "CF-ACC-4")?.outcome).toBe("unknown");
  });
});

describe("PostureChecks on Cloudflare stacks", () => {
  function postureApp() {
    const app = Testing.app();
    const s = new TerraformStack(app, "cloudflare");
    new CloudflareProvider(s, "cloudflare", {});
    const posture = new CloudflarePosture(s, "Posture", postureProps(s, "recommended"));
    return { app, s, posture };
  }

  it("passes synth, and the synthesized cdk.tf.json has no finding (what `posture check cdktf.out` reads)", () => {
    const { app, s } = postureApp();
    PostureChecks.applyTo(app, { today: "2025-01-01" });
    const outdir = Testing.fullSynth(s);
    const json = readFileSync(`${outdir}/stacks/cloudflare/cdk.tf.json`, "utf8");
    expect(evaluatePosture(json, { unknownAsFailure: true }).findings).toEqual([]);
  });

  it("fails synth on an escape-hatch override that weakens a construct, naming the rule and the construct", () => {
    const { app, s, posture } = postureApp();
    posture.applications["Internal wiki"].application.addOverride("session_duration", "24h");
    PostureChecks.applyTo(app);
    expect(() => Testing.fullSynth(s)).toThrow(/\[cloudflare\/Posture\/App-Internal-wiki\/application\] \[CF-ACC-4\] session duration is 24h; at most 8h allowed/);
  });

  it("fails synth when Gateway is used but its logs are not shipped (CF-LOG-1)", () => {
    const { app, s } = postureApp();
    new ZeroTrustGatewayPolicy(s, "gateway-allow", { accountId: ACCOUNT, name: "Allow", action: "allow", filters: ["http"], ruleSettings: { checkSession: { enforce: true, duration: "8h" } } });
    PostureChecks.applyTo(app);
    expect(() => Testing.fullSynth(s)).toThrow(/\[CF-LOG-1\] no enabled cloudflare_logpush_job ships gateway_dns, gateway_http, gateway_network/);
  });

  it("fails synth on a raw allow policy for everyone attached to a hardened application", () => {
    const { app, s, posture } = postureApp();
    const open = new ZeroTrustAccessPolicy(s, "open", { accountId: ACCOUNT, name: "Everyone", decision: "allow", include: [{ everyone: {} }] });
    posture.applications["Internal wiki"].application.addOverride("policies", [{ id: open.id, precedence: 1 }]);
    PostureChecks.applyTo(app);
    expect(() => Testing.fullSynth(s)).toThrow(/\[CF-ACC-1\] cloudflare_zero_trust_access_policy\.open requires no device posture/);
  });
});
