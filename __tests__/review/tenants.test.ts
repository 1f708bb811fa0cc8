/**
 * Several plans share scope rules only within one tenant: a dev org's WebAuthn and log stream must not
 * satisfy the prod org's OKTA-AUTH-1 and OKTA-LOG-1 (a silent pass), nor one Cloudflare account's
 * controls another's. Plans that do not say which tenant they target keep one scope, with a notice.
 */
import { driftPlans } from "../../engine/review/drift";
import { reviewPlans } from "../../engine/review/review";
import { cloudflareAccountOf, oktaOrgOf } from "../../engine/review/tenants";
import { type Entry, logStream, oktaTenant, options, plan } from "./plan-builder";

type Json = Record<string, unknown>;

/** A plan whose okta provider block sets `expressions`. */
function withOkta(entries: Entry[], expressions?: Json, variables?: Json): Json {
  const doc = plan(entries, variables ? { variables } : {});
  (doc.configuration as { provider_config: Json }).provider_config = { okta: { name: "okta", full_name: "registry.terraform.io/okta/okta", ...(expressions ? { expressions } : {}) } };
  return doc;
}

const constant = (v: string) => ({ constant_value: v });
// dev: the whole tenant, WebAuthn and a SIEM stream among it; prod: a password policy change only
const dev = (org?: Json) => withOkta([...oktaTenant, { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() }], org);
const prodEntries: Entry[] = [{ address: "okta_network_zone.tor", actions: ["no-op"], before: { name: "Tor", type: "DYNAMIC", usage: "BLOCKLIST", status: "ACTIVE", dynamic_proxy_type: "TorAnonymizer" }, after: { name: "Tor", type: "DYNAMIC", usage: "BLOCKLIST", status: "ACTIVE", dynamic_proxy_type: "TorAnonymizer" } }];
const scopeFindings = (r: { findings: Array<{ ruleId: string; address: string; message: string; source?: { file: string } }> }) =>
  r.findings.filter((f) => f.address === "(scope)").map((f) => `${f.ruleId} ${f.source?.file ?? "-"} ${f.message}`);

describe("tenants of plans", () => {
  it("reads the Okta org from the provider block (constant or root variable) and the Cloudflare account from the resources", () => {
    expect(oktaOrgOf(dev({ org_name: constant("acme") }))).toBe("acme");
    expect(oktaOrgOf(dev({ org_name: constant("acme"), base_url: constant("oktapreview.com") }))).toBe("acme.oktapreview.com");
    expect(oktaOrgOf(withOkta([], { org_name: { references: ["var.org"] } }, { org: { value: "acme-prod" } }))).toBe("acme-prod");
    expect(oktaOrgOf(withOkta([], { org_name: { references: ["var.org"] } }))).toBeUndefined();
    expect(oktaOrgOf(dev())).toBeUndefined(); // OKTA_ORG_NAME from the environment
    const cf = (account: string) => plan([{ address: "cloudflare_zero_trust_organization.main", actions: ["no-op"], before: { account_id: account, name: "x" }, after: { account_id: account, name: "x" } }]);
    expect(cloudflareAccountOf(cf("acc1"))).toBe("acc1");
    expect(cloudflareAccountOf(plan([]))).toBeUndefined();
  });

  it("review: plans of two Okta orgs are judged apart; the prod org's missing controls fail, naming the org and its plan", () => {
    const prod = withOkta(prodEntries, { org_name: constant("acme-prod") });
    const r = reviewPlans([{ path: "dev.json", doc: dev({ org_name: constant("acme") }) }, { path: "prod.json", doc: prod }], options());
    const scope = scopeFindings(r);
    expect(scope).toContain("OKTA-AUTH-1 prod.json Okta org acme-prod: no active okta_authenticator with key webauthn");
    expect(scope).toContain("OKTA-LOG-1 prod.json Okta org acme-prod: no active okta_log_stream sends the System Log to a SIEM");
    expect(scope.filter((s) => s.includes("dev.json"))).toEqual([]);
    // the same org in both plans: one scope, dev's controls count for it
    const same = reviewPlans([{ path: "dev.json", doc: dev({ org_name: constant("acme") }) }, { path: "prod.json", doc: withOkta(prodEntries, { org_name: constant("acme") }) }], options());
    expect(scopeFindings(same)).toEqual([]);
  });

  it("review: a plan that does not say its org keeps one scope, and a notice says so", () => {
    const r = reviewPlans([{ path: "dev.json", doc: dev({ org_name: constant("acme") }) }, { path: "prod.json", doc: withOkta(prodEntries) }], options());
    expect(scopeFindings(r)).toEqual([]);
    expect(r.notices).toContainEqual({ level: "info", message: "prod.json: the plan does not say which Okta org it targets, so Okta scope rules judge it together with the other plans; review plans of different tenants separately" });
  });

  it("review: scope labels compare within each org (a control removed from one org is a regression there only)", () => {
    const removed = withOkta([...oktaTenant, { address: "okta_log_stream.siem", actions: ["delete"], before: logStream() }], { org_name: constant("b") });
    const r = reviewPlans([{ path: "a.json", doc: dev({ org_name: constant("a") }) }, { path: "b.json", doc: removed }], options());
    const log = r.findings.filter((f) => f.ruleId === "OKTA-LOG-1");
    expect(log.map((f) => `${f.source?.file} ${f.change}`)).toEqual(["b.json regression"]);
  });

  it("drift: scope rules judge each Cloudflare account's plans apart", () => {
    const refresh = (entries: Entry[]) => {
      const doc = plan(entries, { drift: [] });
      doc.resource_changes = entries.map((e) => ({ address: e.address, type: e.address.split(".")[0], mode: "managed", name: e.address.split(".")[1], change: { actions: ["no-op"], before: e.before, after: e.after } }));
      return doc;
    };
    const app = (account: string): Entry => {
      const v = { account_id: account, name: "wiki", domain: "wiki.example.com", type: "self_hosted", session_duration: "1h" };
      return { address: "cloudflare_zero_trust_access_application.wiki", actions: ["no-op"], before: v, after: v };
    };
    const logpush = (account: string): Entry => {
      const v = { account_id: account, dataset: "audit_logs", enabled: true, destination_conf: "s3://bucket/logs?region=us-east-1" };
      return { address: "cloudflare_logpush_job.audit", actions: ["no-op"], before: v, after: v };
    };
    const together = driftPlans([{ path: "a.json", doc: refresh([app("acc-a"), logpush("acc-a")]) }, { path: "b.json", doc: refresh([app("acc-a")]) }], options());
    const apart = driftPlans([{ path: "a.json", doc: refresh([app("acc-a"), logpush("acc-a")]) }, { path: "b.json", doc: refresh([app("acc-b")]) }], options());
    const cfScope = (r: ReturnType<typeof driftPlans>) => scopeFindings(r).filter((s) => s.startsWith("CF-"));
    // account a's audit-log job does not ship account b's audit logs
    expect(cfScope(together).filter((s) => s.includes("audit_logs"))).toEqual([]);
    expect(cfScope(apart)).toContain("CF-LOG-1 b.json Cloudflare account acc-b: no enabled cloudflare_logpush_job ships access_requests, audit_logs or audit_logs_v2, device_posture_results");
  });
});
