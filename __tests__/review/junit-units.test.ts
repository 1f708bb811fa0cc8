/** JUnit keeps resources with the same address in different inputs or stacks apart. */
import type { Finding } from "../../engine/evaluate/evaluate";
import { formatJunit } from "../../report/junit";
import type { Report } from "../../report/report";

const ADDRESS = "cloudflare_zero_trust_access_application.Posture_app_5E6F7A8B";

function finding(stage: string, message: string): Finding {
  return {
    ruleId: "CF-ACC-1",
    severity: "error",
    outcome: "fail",
    address: ADDRESS,
    resourceType: "cloudflare_zero_trust_access_application",
    constructPath: `${stage}/Posture/app`,
    attribute: "policies",
    message,
    waiver: null,
    source: { file: `cdktf.out/stacks/${stage}/cdk.tf.json`, line: 12 },
  };
}

function report(findings: Finding[], evaluated: Report["evaluated"]): Report {
  return {
    mode: "check",
    profile: "recommended",
    inputs: [{ path: "cdktf.out", kind: "config" }],
    summary: { errors: findings.length, warnings: 0, unknown: 0, waived: 0, passed: evaluated.filter((e) => e.outcome === "pass").length, fixed: 0 },
    findings,
    fixed: [],
    notices: [],
    evaluated,
  };
}

/** The CF-ACC-1 testsuite's header and its testcase lines. */
function suite(xml: string): { header: string; cases: string[] } {
  const start = xml.indexOf('<testsuite name="CF-ACC-1 ');
  const body = xml.slice(start, xml.indexOf("</testsuite>", start));
  return { header: body.split("\n")[0], cases: body.split("\n").filter((l) => l.includes("<testcase ")) };
}

describe("JUnit testcases of one address in two stacks", () => {
  it("are two testcases, each named with its stack, not one merged failure", () => {
    const dev = finding("dev", "cloudflare_zero_trust_access_policy.p requires no device posture");
    const prod = finding("prod", "no allow policy guards this application");
    const xml = formatJunit(report([dev, prod], [
      { ruleId: "CF-ACC-1", address: ADDRESS, outcome: "fail" },
      { ruleId: "CF-ACC-1", address: ADDRESS, outcome: "fail" },
    ]));
    const { header, cases } = suite(xml);
    expect(header).toContain('tests="2" failures="2"');
    expect(cases).toEqual([
      `    <testcase classname="CF-ACC-1" name="${ADDRESS} (dev/Posture/app)" time="0">`,
      `    <testcase classname="CF-ACC-1" name="${ADDRESS} (prod/Posture/app)" time="0">`,
    ]);
    expect(xml).toContain('message="no allow policy guards this application"');
    expect(xml).toContain('message="cloudflare_zero_trust_access_policy.p requires no device posture"');
  });

  it("count a pass in one stack beside a failure in the other", () => {
    const prod = finding("prod", "no allow policy guards this application");
    const xml = formatJunit(report([prod], [
      { ruleId: "CF-ACC-1", address: ADDRESS, outcome: "pass" },
      { ruleId: "CF-ACC-1", address: ADDRESS, outcome: "fail" },
    ]));
    const { header, cases } = suite(xml);
    expect(header).toContain('tests="2" failures="1"');
    expect(cases).toHaveLength(2);
    expect(cases.filter((c) => c.endsWith("/>"))).toHaveLength(1);
    expect(cases.some((c) => c.includes(`name="${ADDRESS} (prod/Posture/app)"`) && c.endsWith(">"))).toBe(true);
  });

  it("keep the plain address as the name when the address is unique", () => {
    const only = finding("prod", "no allow policy guards this application");
    const xml = formatJunit(report([only], [{ ruleId: "CF-ACC-1", address: ADDRESS, outcome: "fail" }]));
    expect(suite(xml).cases).toEqual([`    <testcase classname="CF-ACC-1" name="${ADDRESS}" time="0">`]);
  });

  it("name by source file when there is no construct path (two plan files)", () => {
    const a = { ...finding("a", "x"), constructPath: undefined, source: { file: "a/plan.json" } };
    const b = { ...finding("b", "y"), constructPath: undefined, source: { file: "b/plan.json" } };
    const xml = formatJunit(report([a, b], [
      { ruleId: "CF-ACC-1", address: ADDRESS, outcome: "fail" },
      { ruleId: "CF-ACC-1", address: ADDRESS, outcome: "fail" },
    ]));
    expect(suite(xml).cases).toEqual([
      `    <testcase classname="CF-ACC-1" name="${ADDRESS} (a/plan.json)" time="0">`,
      `    <testcase classname="CF-ACC-1" name="${ADDRESS} (b/plan.json)" time="0">`,
    ]);
  });
});
