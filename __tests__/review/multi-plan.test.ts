/**
 * Several plans in one review (one per cdktf stack or Terraform workspace): one report, findings kept
 * apart by plan in every format, scope rules judged across all plans; the same for drift.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { driftPlans } from "../../engine/review/drift";
import { reviewPlans } from "../../engine/review/review";
import { posture } from "../cli/cli-helpers";
import { brief, type Entry, logStream, oktaTenant, options, plan, signon } from "./plan-builder";

/** A Cloudflare stack that also registers Access's OIDC app in Okta: it uses Okta without logging it. */
const accessApp = { type: "self_hosted", domain: "wiki.example.com", session_duration: "24h", enable_binding_cookie: true, same_site_cookie_attribute: "lax", policies: [] };
const oidc = { label: "Cloudflare Access", type: "web", grant_types: ["authorization_code"], redirect_uris: ["https://acme.cloudflareaccess.com/cdn-cgi/access/callback"] };
const cloudflareEntries: Entry[] = [
  { address: "cloudflare_zero_trust_access_application.wiki", actions: ["no-op"], before: accessApp, after: accessApp },
  { address: "okta_app_oauth.access", actions: ["no-op"], before: oidc, after: oidc },
  // the same address as in the okta plan, a different object: regressed here only
  { address: "okta_policy_rule_signon.global", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) },
];
const oktaEntries: Entry[] = [
  ...oktaTenant,
  { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() },
  { address: "okta_policy_rule_signon.global", actions: ["no-op"], before: signon({ session_idle: 90 }), after: signon({ session_idle: 90 }) },
];

function writePlans(): { dir: string; okta: string; cloudflare: string } {
  const dir = mkdtempSync(join(tmpdir(), "posture-multi-"));
  const okta = join(dir, "okta.json");
  const cloudflare = join(dir, "cloudflare.json");
  writeFileSync(okta, JSON.stringify(plan(oktaEntries), null, 2));
  writeFileSync(cloudflare, JSON.stringify(plan(cloudflareEntries), null, 2));
  return { dir, okta, cloudflare };
}

const withPlan = (f: { ruleId: string; address: string; change?: string; outcome: string; plan?: string }) => `${brief(f)} @${f.plan?.replace(/.*\//, "")}`;

describe("posture review okta.json cloudflare.json", () => {
  const { okta, cloudflare } = writePlans();
  const alone = JSON.parse(posture(["review", "--format", "json", cloudflare]).stdout);
  const both = posture(["review", "--format", "json", okta, cloudflare]);
  const report = JSON.parse(both.stdout);

  it("judges scope rules across the plans: the okta plan's log stream, hook, zone and WebAuthn serve the cloudflare plan", () => {
    const scope = (r: { findings: Array<{ address: string; ruleId: string }> }, p: string) => r.findings.filter((f) => f.address === "(scope)" && f.ruleId.startsWith(p)).map((f) => f.ruleId);
    expect(scope(alone, "OKTA-")).toEqual(expect.arrayContaining(["OKTA-LOG-1", "OKTA-MON-1", "OKTA-ZONE-1"]));
    expect(scope(report, "OKTA-")).toEqual([]);
    // neither plan has device posture or Logpush: those scope findings stay, once
    expect(scope(report, "CF-")).toEqual(["CF-DEV-1", "CF-LOG-1"]);
  });

  it("reports both plans in one report, each finding with its plan; the same address in two plans is two resources", () => {
    expect(both.code).toBe(1);
    expect(report.inputs).toEqual([
      { path: cloudflare, kind: "plan" },
      { path: okta, kind: "plan" },
    ]);
    const lines = report.findings.map(withPlan);
    expect(lines).toContain("OKTA-SES-2 okta_policy_rule_signon.global regression fail @cloudflare.json");
    expect(lines).toContain("OKTA-SES-1 okta_policy_rule_signon.global existing fail @okta.json");
    expect(lines).toContain("CF-ACC-4 cloudflare_zero_trust_access_application.wiki existing fail @cloudflare.json");
    expect(lines.filter((l: string) => l.includes("okta_policy_rule_signon.global"))).toHaveLength(2);
    for (const f of report.findings) expect(f.address === "(scope)" || f.address === "(config)" || f.plan === f.file).toBe(true);
    // the order of the plans on the command line changes nothing
    expect(posture(["review", "--format", "json", cloudflare, okta]).stdout).toBe(both.stdout);
  });

  it("names the plan in every other format: text, markdown, SARIF (one run), JUnit", () => {
    const [text, md, sarif, junit] = ["text", "markdown", "sarif", "junit"].map((f) => posture(["review", "--no-color", "--format", f, okta, cloudflare]).stdout);
    expect(text).toMatch(new RegExp(`^okta_policy_rule_signon\\.global  ${cloudflare.replace(/[.]/g, "\\.")}:\\d+:\\d+$`, "m"));
    expect(text).toMatch(new RegExp(`^okta_policy_rule_signon\\.global  ${okta.replace(/[.]/g, "\\.")}:\\d+:\\d+$`, "m"));
    expect(md.match(/<!-- identity-posture:review -->/g)).toHaveLength(1);
    expect(md).toContain(`<sub>plan ${cloudflare}</sub>`);
    const doc = JSON.parse(sarif);
    expect(doc.runs).toHaveLength(1);
    const ses = doc.runs[0].results.filter((r: { ruleId: string }) => r.ruleId.startsWith("OKTA-SES"));
    expect(ses.map((r: { properties: { plan: string } }) => r.properties.plan).sort()).toEqual([cloudflare, okta]);
    const prints = doc.runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => Object.values(r.partialFingerprints)[0]);
    expect(new Set(prints).size).toBe(prints.length);
    expect(junit).toContain(`name="okta_policy_rule_signon.global (${cloudflare})"`);
    expect(junit).toContain(`name="okta_policy_rule_signon.global (${okta})"`);
    // passes name their plan too: the okta plan's log stream satisfies the scope rule
    expect(junit).toContain(`<testcase classname="OKTA-LOG-1" name="okta_log_stream.siem (${okta})" time="0"/>`);
  });

  it("refuses a configuration among several inputs, naming it", () => {
    const r = posture(["review", okta, join(__dirname, "..", "..", "examples", "okta-cloudflare")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/examples\/okta-cloudflare: is a Terraform configuration, not a plan: review of several inputs, or with --synth or --repo-root, takes plans only\n/);
  });
});

describe("the engine keeps plans apart", () => {
  it("review: per-plan labels, fixed per plan, PLAN-1 names its plan, notices say which plan", () => {
    const a = plan([...oktaTenant, { address: "okta_log_stream.siem", actions: ["delete"], before: logStream() }, { address: "okta_policy_rule_signon.r", actions: ["update"], before: signon({ session_idle: 90 }), after: signon() }]);
    const b = plan(
      [
        { address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() },
        { address: "okta_policy_rule_signon.r", actions: ["no-op"], before: signon({ session_idle: 90 }), after: signon({ session_idle: 90 }) },
      ],
      { complete: false },
    );
    const r = reviewPlans([{ path: "a.json", doc: a }, { path: "b.json", doc: b }], options());
    // a's log stream is destroyed, b's still streams: PLAN-1 on a, no scope regression
    expect(r.findings.map((f) => `${brief(f)} ${f.source?.file}`)).toEqual(["OKTA-SES-1 okta_policy_rule_signon.r existing fail b.json", "PLAN-1 okta_log_stream.siem new fail a.json"]);
    expect(r.fixed.map((f) => `${f.ruleId} ${f.address} ${f.source?.file}`)).toEqual(["OKTA-SES-1 okta_policy_rule_signon.r a.json"]);
    expect(r.notices.map((n) => n.message)).toContain("b.json: the plan is incomplete (complete: false); Terraform will need another plan and apply, and this review covers only the changes the plan lists");
  });

  it("drift: each plan's drift is its own, scope across both", () => {
    const refresh = (drift: Entry[], unchanged: Entry[]) => {
      const doc = plan(unchanged, { drift });
      doc.resource_changes = [];
      return doc;
    };
    const a = refresh([{ address: "okta_policy_rule_signon.r", actions: ["update"], before: signon(), after: signon({ session_lifetime: 1440 }) }], [...oktaTenant, { address: "okta_policy_rule_signon.r", actions: ["no-op"], before: signon({ session_lifetime: 1440 }), after: signon({ session_lifetime: 1440 }) }]);
    const b = refresh([], [{ address: "okta_log_stream.siem", actions: ["no-op"], before: logStream(), after: logStream() }, { address: "okta_policy_rule_signon.r", actions: ["no-op"], before: signon(), after: signon() }]);
    const r = driftPlans([{ path: "a.json", doc: a }, { path: "b.json", doc: b }], options());
    expect(r.findings.map((f) => `${brief(f)} ${f.source?.file}`)).toEqual(["DRIFT-1 okta_policy_rule_signon.r drift fail a.json", "OKTA-SES-2 okta_policy_rule_signon.r drift fail a.json"]);
  });
});
