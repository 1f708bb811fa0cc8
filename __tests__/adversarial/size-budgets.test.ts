/**
 * Issue 10.10: the Markdown report stays under GitHub's 65,536-character comment limit in every case,
 * the inputs list included (cut and counted when long; the JSON report keeps every input). Reports are
 * generated with extreme sizes of every part: inputs, paths, addresses, messages, values, notices.
 */
import fc from "fast-check";
import type { Finding } from "../../engine/evaluate/evaluate";
import { formatJson } from "../../report/json";
import { formatMarkdown, MAX_MARKDOWN } from "../../report/markdown";
import type { Report } from "../../report/report";

const GITHUB_LIMIT = 65_536;

function finding(i: number, width: number, change: Finding["change"]): Finding {
  return {
    ruleId: "OKTA-SES-2",
    severity: "error",
    outcome: "fail",
    address: `okta_policy_rule_signon.r${i}${"x".repeat(width)}`,
    resourceType: "okta_policy_rule_signon",
    constructPath: `stack/${"c".repeat(width)}`,
    attribute: "session_lifetime",
    message: `session lifetime is 1440 minutes ${"<&|>".repeat(width / 4)}`,
    change,
    before: { v: "b".repeat(width) },
    after: "a".repeat(width),
    waiver: null,
    source: { file: `f${"/d".repeat(width / 2)}.tf`, line: 1 },
  };
}

function report(mode: Report["mode"], inputs: number, pathWidth: number, findings: number, width: number, notices: number, disabled: number): Report {
  const fs = Array.from({ length: findings }, (_, i) => finding(i, width, mode === "check" ? undefined : i % 2 ? "existing" : "new"));
  return {
    mode,
    profile: "recommended",
    inputs: Array.from({ length: inputs }, (_, i) => ({ path: `stacks/${i}/${"p".repeat(pathWidth)}/cdk.tf.json`, kind: "config" as const })),
    summary: { errors: findings, warnings: 0, unknown: 0, waived: 0, passed: 0, fixed: findings },
    findings: fs,
    fixed: mode === "check" ? [] : fs.map((f) => ({ ...f, change: undefined })),
    notices: Array.from({ length: notices }, (_, i) => ({ level: "info" as const, message: `notice ${i} ${"n".repeat(width)}` })),
    evaluated: [],
    ...(disabled > 0 ? { adjusted: { disabled: Array.from({ length: disabled }, (_, i) => `RULE-${i}`), thresholds: {} } } : {}),
  };
}

describe("the Markdown report fits a GitHub comment whatever the sizes", () => {
  it("generated extremes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Report["mode"]>("check", "review", "drift"),
        fc.integer({ min: 0, max: 20_000 }),
        fc.constantFrom(0, 10, 300, 5_000),
        fc.integer({ min: 0, max: 3_000 }),
        fc.constantFrom(0, 40, 2_000, 70_000),
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom(0, 3, 80),
        (mode, inputs, pathWidth, findings, width, notices, disabled) => {
          // Bounded memory: wide values come in small numbers.
          const n = Math.min(findings, Math.floor(1_000_000 / (width + 100)));
          const m = Math.min(notices, Math.floor(1_000_000 / (width + 100)));
          const k = Math.min(inputs, Math.floor(1_000_000 / (pathWidth + 30)));
          const md = formatMarkdown(report(mode, k, pathWidth, n, width, m, disabled));
          expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN);
          expect(md.length).toBeLessThan(GITHUB_LIMIT);
        },
      ),
      { numRuns: 40, seed: 10 },
    );
  });

  it("20,000 inputs: a few are named, the rest counted; the JSON report lists them all", () => {
    const r = report("check", 20_000, 10, 0, 0, 0, 0);
    const md = formatMarkdown(r);
    expect(md.length).toBeLessThan(5_000);
    expect(md).toMatch(/<code>stacks\/0\/p{10}\/cdk\.tf\.json<\/code>, .* and 19,?\d{3} more inputs \(the JSON report lists every input\)/);
    expect(JSON.parse(formatJson(r)).inputs).toHaveLength(20_000);
  });

  it("a few inputs are all named", () => {
    const md = formatMarkdown(report("check", 3, 5, 0, 0, 0, 0));
    expect(md).toContain("<code>stacks/0/ppppp/cdk.tf.json</code>, <code>stacks/1/ppppp/cdk.tf.json</code>, <code>stacks/2/ppppp/cdk.tf.json</code>");
    expect(md).not.toContain("more input");
  });
});
