/**
 * The tracker's two "done when" scenarios, through the built CLI: a PR plan review and a nightly
 * refresh-only drift check, with their exact labels and exit codes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { posture, ROOT } from "../cli/cli-helpers";

const FIXTURES = join(ROOT, "__tests__", "fixtures", "review");
const PR = join(FIXTURES, "pr-plan.json");
const NIGHTLY = join(FIXTURES, "drift-refresh-only.json");

interface JsonFinding {
  ruleId: string;
  address: string;
  change?: string;
  outcome: string;
  severity: string;
  attribute?: string;
  before?: unknown;
  after?: unknown;
}
const line = (f: JsonFinding) => `${f.ruleId} ${f.address} ${f.change} ${f.outcome}${f.before !== undefined || f.after !== undefined ? ` ${JSON.stringify(f.before)} -> ${JSON.stringify(f.after)}` : ""}`;

describe("review of the PR plan", () => {
  const r = posture(["review", "--format", "json", PR]);
  const report = JSON.parse(r.stdout);

  it("labels each change as the tracker says, and exits 1", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(report.findings.map(line)).toEqual([
      // an existing organization violation
      'CF-ORG-1 cloudflare_zero_trust_organization.main existing fail "24h" -> "24h"',
      // a deleted log stream: the scope rule it satisfied regresses ...
      "OKTA-LOG-1 (scope) regression fail",
      // a session lifetime raised past policy
      "OKTA-SES-2 okta_policy_rule_signon.global regression fail 600 -> 1440",
      // ... and the destruction itself is PLAN-1
      "PLAN-1 okta_log_stream.siem new fail",
      // a new rule whose idle time is unknown
      "OKTA-SES-1 okta_policy_rule_signon.contractors new unknown",
      // a widened Access session still within policy
      'PLAN-2 cloudflare_zero_trust_access_application.wiki new fail "1h" -> "8h"',
    ]);
    // a fixed MFA policy
    expect(report.fixed.map(line)).toEqual(['OKTA-MFA-1 okta_policy_mfa.enrollment undefined fail "OPTIONAL" -> "REQUIRED"']);
    expect(report.summary).toEqual({ errors: 3, warnings: 1, unknown: 1, waived: 0, passed: 55, fixed: 1 });
    expect(report.mode).toBe("review");
    expect(report.inputs).toEqual([{ path: PR, kind: "plan" }]);
    expect(Object.keys(report)).toEqual(["reportVersion", "tool", "mode", "profile", "inputs", "summary", "findings", "fixed", "notices"]);
  });

  it("points each finding at its resource's entry in the plan file", () => {
    const text = readFileSync(PR, "utf8").split("\n");
    const ses2 = report.findings.find((f: JsonFinding) => f.ruleId === "OKTA-SES-2");
    expect(ses2.file).toBe(PR);
    expect(text[ses2.line - 1].slice(ses2.column - 1)).toBe('"address": "okta_policy_rule_signon.global",');
  });

  it("--fail-on any also fails on the existing violation; without the new ones it passes with new", () => {
    const any = JSON.parse(posture(["review", "--fail-on", "any", "--format", "json", PR]).stdout);
    expect(any.summary.errors).toBe(4);
    // The same plan with only its no-op changes left: the organization violation is all that remains.
    const doc = JSON.parse(readFileSync(PR, "utf8"));
    const noOp = (c: { change: { actions: string[] } }) => c.change.actions.length === 1 && c.change.actions[0] === "no-op";
    doc.resource_changes = doc.resource_changes.filter(noOp);
    const kept = new Set(doc.resource_changes.map((c: { address: string }) => c.address));
    for (const side of [doc.prior_state.values, doc.planned_values]) side.root_module.resources = side.root_module.resources.filter((x: { address: string }) => kept.has(x.address));
    const onlyExisting = join(mkdtempSync(join(tmpdir(), "posture-review-")), "plan.json");
    writeFileSync(onlyExisting, JSON.stringify(doc));
    const fine = posture(["review", onlyExisting]);
    expect(fine.stdout).toMatch(/^PASS identity-posture review \(recommended\): 0 errors, /m);
    expect(fine.code).toBe(0);
    expect(posture(["review", "--fail-on", "any", onlyExisting]).code).toBe(1);
  });

  it("prints the text report with labels, before -> after, the fixed list and the summary", () => {
    const text = posture(["review", PR]).stdout;
    expect(text).toContain("  error   OKTA-SES-2    session_lifetime: session lifetime is 1440 minutes; at most 720 allowed [regression] (600 → 1440)");
    expect(text).toContain("fixed by this change:\n  OKTA-MFA-1    okta_policy_mfa.enrollment webauthn.enroll:");
    expect(text.trimEnd().split("\n").pop()).toBe("FAIL identity-posture review (recommended): 3 errors, 1 warning, 1 unknown, 0 waived, 55 passed, 1 fixed, 1 existing (--fail-on new)");
  });
});

describe("drift on the nightly refresh-only plan", () => {
  const r = posture(["drift", "--format", "json", NIGHTLY]);
  const report = JSON.parse(r.stdout);

  it("reports drift findings for each change and DRIFT-1 for each changed resource, and exits 1", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(report.findings.map(line)).toEqual([
      // the log stream deactivated
      'DRIFT-1 okta_log_stream.siem drift fail "ACTIVE" -> "INACTIVE"',
      // WebAuthn enrollment relaxed
      'DRIFT-1 okta_policy_mfa.enrollment drift fail "REQUIRED" -> "OPTIONAL"',
      // an idle timeout changed, still within policy
      "DRIFT-1 okta_policy_rule_signon.global drift fail 15 -> 30",
      "OKTA-LOG-1 (scope) drift fail",
      'OKTA-MFA-1 okta_policy_mfa.enrollment drift fail "REQUIRED" -> "OPTIONAL"',
    ]);
    expect(report.findings.every((f: JsonFinding) => f.change === "drift")).toBe(true);
    expect(report.summary.errors).toBe(5);
    expect(report.mode).toBe("drift");
  });

  it("the same plan under review has no change to judge", () => {
    const review = posture(["review", NIGHTLY]);
    expect(review.code).toBe(0);
  });
});
