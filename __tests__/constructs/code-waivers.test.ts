/**
 * In-code waivers on a construct or a stack: one `Posture.waive` is one waiver, however many resources
 * below the construct carry it in their `"//"` metadata. It is stale only when it matches no finding
 * anywhere under the construct it was declared on: in the jest helpers, at synth and in `posture check`.
 */
import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { App, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Construct } from "constructs";
import { OktaPosture, Posture, PostureChecks } from "../../constructs";
import { evaluatePosture } from "../../testing";
import { posture } from "../cli/cli-helpers";

const GROUPS = ["00g0000000000000000"];
const WAIVER = { reason: "accepted in SEC-42 for the migration", expires: "2099-12-31" };

/** A stack with a full OktaPosture (many resources) under `Team`, plus a raw sign-on rule when `weak`. */
function build(app: App, weak: boolean): { s: TerraformStack; team: Construct; posture: OktaPosture } {
  const s = new TerraformStack(app, "okta");
  new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
  const team = new Construct(s, "Team");
  const p = new OktaPosture(team, "Posture", {
    groupsIncluded: GROUPS,
    logStream: { kind: "eventbridge", accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" },
    eventHook: { url: "https://responder.example.com", authValue: new TerraformVariable(s, "hook", { type: "string", sensitive: true }).stringValue },
  });
  if (weak) new PolicyRuleSignon(team, "raw-rule", { name: "raw", policyId: "00p1", sessionLifetime: 0, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
  return { s, team, posture: p };
}

const stale = (messages: readonly string[]) => messages.filter((m) => m.includes("stale waiver"));

describe("in-code waivers on a construct", () => {
  it("declared on a stack, reach the resources of a stack nested in it when that stack is checked on its own", () => {
    const outer = new TerraformStack(Testing.app(), "outer");
    const inner = new TerraformStack(outer, "inner");
    new OktaProvider(inner, "okta", { orgName: "example", baseUrl: "okta.com" });
    new PolicyRuleSignon(inner, "raw-rule", { name: "raw", policyId: "00p1", sessionLifetime: 0, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
    Posture.waive(outer, { rule: "OKTA-SES-2", ...WAIVER });
    new PostureChecks({ summary: false, report: false }).check(inner);
    const messages = inner.node.findChild("raw-rule").node.metadata.map((m) => `${m.type} ${m.data}`);
    expect(messages.filter((m) => m.includes("OKTA-SES-2"))).toEqual([expect.stringMatching(/^@cdktf\/info \[OKTA-SES-2\] waived until 2099-12-31/)]);
  });

  it("are one waiver: used by the one finding they match, never stale on the other resources", () => {
    const { s, team } = build(Testing.app(), true);
    Posture.waive(team, { rule: "OKTA-SES-2", ...WAIVER });
    const result = evaluatePosture(s);
    expect(result.findings.filter((f) => f.ruleId === "OKTA-SES-2").map((f) => f.outcome)).toEqual(["waived"]);
    expect(stale(result.notices.map((n) => n.message))).toEqual([]);
  });

  it("are reported stale once, on the construct they were declared on, when they match nothing under it", () => {
    const { s, posture: p } = build(Testing.app(), false);
    Posture.waive(p, { rule: "OKTA-SES-2", ...WAIVER });
    expect(stale(evaluatePosture(s).notices.map((n) => n.message))).toEqual(["stale waiver: OKTA-SES-2 on okta/Team/Posture (in code) matches no finding; remove it"]);
  });

  it("are stale for the construct that matched nothing, not for another that declared the same waiver and matched", () => {
    const { s, team, posture: p } = build(Testing.app(), true);
    Posture.waive(p, { rule: "OKTA-SES-2", ...WAIVER });
    Posture.waive(team.node.findChild("raw-rule"), { rule: "OKTA-SES-2", ...WAIVER });
    expect(stale(evaluatePosture(s).notices.map((n) => n.message))).toEqual(["stale waiver: OKTA-SES-2 on okta/Team/Posture (in code) matches no finding; remove it"]);
  });

  it("record the construct they were declared on in the metadata", () => {
    const { s, team } = build(Testing.app(), true);
    Posture.waive(team, { rule: "OKTA-SES-2", ...WAIVER });
    const json = require(`${Testing.fullSynth(s)}/stacks/okta/cdk.tf.json`) as { resource: Record<string, Record<string, { "//"?: Record<string, unknown> }>> };
    const raw = Object.values(json.resource.okta_policy_rule_signon).find((r) => (r["//"]?.metadata as { path?: string })?.path === "okta/Team/raw-rule");
    expect(raw?.["//"]?.["identity-posture"]).toEqual({ waivers: [{ rule: "OKTA-SES-2", ...WAIVER, declaredOn: "okta/Team" }] });
  });

  it("give one stale warning at synth and in posture check cdktf.out", () => {
    const app = Testing.app();
    const { s, posture: p } = build(app, false);
    Posture.waive(p, { rule: "OKTA-SES-2", ...WAIVER });
    PostureChecks.applyTo(app, { summary: false });
    const outdir = Testing.fullSynth(s);
    const warnings = s.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(stale(warnings)).toEqual(["[identity-posture] stale waiver: OKTA-SES-2 on okta/Team/Posture (in code) matches no finding; remove it"]);
    const r = posture(["check", outdir, "--format", "json"]);
    const notices = (JSON.parse(r.stdout) as { notices: Array<{ message: string }> }).notices.map((n) => n.message);
    expect(stale(notices)).toEqual(["stale waiver: OKTA-SES-2 on okta/Team/Posture (in code) matches no finding; remove it"]);
  });
});
