/** JUnit and Markdown, and what every format shares: determinism, several outputs written atomically. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "../../engine/evaluate/evaluate";
import { CATALOGUE } from "../../policies";
import { formatJunit } from "../../report/junit";
import { cell, formatMarkdown, MAX_MARKDOWN } from "../../report/markdown";
import type { Report } from "../../report/report";
import { posture, ROOT } from "../cli/cli-helpers";

const PR = join(ROOT, "__tests__", "fixtures", "review", "pr-plan.json");
const NIGHTLY = join(ROOT, "__tests__", "fixtures", "review", "drift-refresh-only.json");
const tmp = () => mkdtempSync(join(tmpdir(), "posture-formats-"));

function report(findings: Finding[], over: Partial<Report> = {}): Report {
  return {
    mode: "review",
    profile: "recommended",
    inputs: [{ path: "plan.json", kind: "plan" }],
    summary: { errors: findings.filter((f) => f.outcome === "fail" && f.severity === "error").length, warnings: 0, unknown: 0, waived: 0, passed: 0, fixed: 0 },
    findings,
    fixed: [],
    notices: [],
    evaluated: findings.map((f) => ({ ruleId: f.ruleId, address: f.address, outcome: f.outcome })),
    failOn: "new",
    ...over,
  };
}

const finding = (i: number, change: Finding["change"], over: Partial<Finding> = {}): Finding => ({
  ruleId: "OKTA-SES-2",
  severity: "error",
  outcome: "fail",
  address: `okta_policy_rule_signon.r${String(i).padStart(5, "0")}`,
  resourceType: "okta_policy_rule_signon",
  attribute: "session_lifetime",
  message: `session lifetime is ${1000 + i} minutes; at most 720 allowed`,
  change,
  before: 600,
  after: 1000 + i,
  waiver: null,
  ...over,
});

describe("junit", () => {
  it("has one testsuite per rule of the mode and one testcase per judged resource; failures are failing findings", () => {
    const xml = posture(["review", "--format", "junit", PR]).stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="identity-posture review (recommended)"')).toBe(true);
    const suites = [...xml.matchAll(/<testsuite name="([A-Z]+(?:-[A-Z]+)?-\d+) /g)].map((m) => m[1]);
    expect(suites).toEqual(CATALOGUE.filter((r) => r.kind !== "drift").map((r) => r.id));
    const json = JSON.parse(posture(["review", "--format", "json", PR]).stdout);
    const failing = json.findings.filter((f: Finding) => f.outcome === "fail").length;
    expect((xml.match(/<failure /g) ?? []).length).toBe(failing);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*failures="${failing}"`));
    expect(xml).toContain('<testcase classname="OKTA-SES-2" name="okta_policy_rule_signon.global" time="0">\n      <failure type="error" message="[regression] session lifetime is 1440 minutes; at most 720 allowed">');
    expect(xml).toContain('<testcase classname="OKTA-SES-1" name="okta_policy_rule_signon.contractors" time="0">\n      <skipped message="unknown: session_idle is not known before apply"/>');
    expect(xml).toContain('<testcase classname="OKTA-SES-1" name="okta_policy_rule_signon.global" time="0"/>');
    const drift = posture(["drift", "--format", "junit", NIGHTLY]).stdout;
    expect(drift).toContain('<testsuite name="DRIFT-1 ');
    expect(drift).not.toContain('<testsuite name="PLAN-1 ');
  });

  it("escapes what XML cannot carry as is", () => {
    const xml = formatJunit(report([finding(1, "new", { address: 'okta_policy_rule_signon.r["<a&b>"]', message: 'a "quoted" <tag> & \u0001 control' })]));
    expect(xml).toContain('name="okta_policy_rule_signon.r[&quot;&lt;a&amp;b&gt;&quot;]"');
    expect(xml).toContain("a &quot;quoted&quot; &lt;tag&gt; &amp;  control");
    expect(xml).not.toContain("\u0001");
  });
});

describe("markdown", () => {
  it("starts with the hidden marker and a verdict, lists new and regressed findings with before -> after, folds existing ones, lists fixed ones", () => {
    const md = posture(["review", "--format", "markdown", PR]).stdout;
    const lines = md.split("\n");
    expect(lines[0]).toBe("<!-- identity-posture:review -->");
    expect(lines[1]).toBe("### identity-posture review: ❌ FAIL");
    expect(lines[3]).toMatch(/^\*\*3 blocking findings\*\* \(new or regressed errors\) · 1 warning · 1 unknown · 0 waived · 1 existing · 1 fixed · 55 passed/);
    const [main, rest] = md.split("<details><summary>1 existing finding (present before this change)</summary>");
    expect(main).toContain("| **error** | regression | OKTA-SES-2 | <code>okta_policy_rule_signon.global</code>");
    expect(main).toContain("<code>600</code> → <code>1440</code>");
    expect(main).toContain("| **warning** | new | PLAN-2 |");
    expect(main).not.toContain("CF-ORG-1");
    expect(rest).toContain("| **error** | existing | CF-ORG-1 |");
    expect(rest).toContain("#### Fixed by this change");
    expect(rest).toContain("| OKTA-MFA-1 | <code>okta_policy_mfa.enrollment</code>");
  });

  it("says PASS when nothing blocks, and drift has its own heading", () => {
    const md = posture(["drift", "--format", "markdown", NIGHTLY]).stdout;
    expect(md.split("\n").slice(0, 2)).toEqual(["<!-- identity-posture:drift -->", "### identity-posture drift: ❌ FAIL"]);
    expect(md).toContain("#### Changed outside Terraform");
    const clean = formatMarkdown(report([finding(1, "existing")], { summary: { errors: 0, warnings: 0, unknown: 0, waived: 0, passed: 3, fixed: 0 } }));
    expect(clean).toContain("### identity-posture review: ✅ PASS");
    expect(clean).toContain("This change adds no finding.");
  });

  it("stays under 60,000 characters, leaving out rows it counts", () => {
    const findings = [...Array.from({ length: 900 }, (_, i) => finding(i, "new")), ...Array.from({ length: 900 }, (_, i) => finding(i + 900, "existing"))];
    const md = formatMarkdown(report(findings));
    expect(md.length).toBeLessThanOrEqual(MAX_MARKDOWN);
    const shown = (md.match(/^\| \*\*error\*\* \| (new|existing) \|/gm) ?? []).length;
    const left = Number(/_(\d+) more rows left out to stay under 60,000 characters/.exec(md)?.[1]);
    expect(shown).toBeGreaterThan(100);
    expect(shown + left).toBe(findings.length);
    expect(md).toContain("</details>");
    const small = formatMarkdown(report(findings.slice(0, 10)));
    expect(small).not.toContain("left out");
  });

  it("escapes cell text so a value cannot break the table or inject HTML", () => {
    expect(cell("a|b\n<img src=x onerror=alert(1)>&")).toBe("a&#124;b<br>&lt;img src=x onerror=alert(1)&gt;&amp;");
  });
});

describe("every format", () => {
  it("is the same bytes for the same input", () => {
    for (const f of ["text", "json", "sarif", "junit", "markdown"]) {
      expect(posture(["review", "--format", f, PR]).stdout).toBe(posture(["review", "--format", f, PR]).stdout);
      expect(posture(["drift", "--format", f, NIGHTLY]).stdout).toBe(posture(["drift", "--format", f, NIGHTLY]).stdout);
    }
  });

  it("writes several formats to several outputs, and nothing when one cannot be written", () => {
    const dir = tmp();
    const outs = ["r.json", "r.sarif", "r.xml", "r.md", "r.txt"].map((n) => join(dir, n));
    const args = ["review", PR, ...["json", "sarif", "junit", "markdown", "text"].flatMap((f) => ["--format", f]), ...outs.flatMap((o) => ["--output", o])];
    const r = posture(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(outs[0], "utf8")).mode).toBe("review");
    expect(JSON.parse(readFileSync(outs[1], "utf8")).version).toBe("2.1.0");
    expect(readFileSync(outs[2], "utf8")).toMatch(/^<\?xml/);
    expect(readFileSync(outs[3], "utf8")).toMatch(/^<!-- identity-posture:review -->/);
    expect(readFileSync(outs[4], "utf8")).toMatch(/^FAIL identity-posture review/m);
    const fresh = tmp();
    const blocked = [join(fresh, "ok.json"), join(fresh, "missing-dir", "x.sarif")];
    const bad = posture(["review", PR, "--format", "json", "--format", "sarif", "--output", blocked[0], "--output", blocked[1]]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`posture: ${blocked[1]}: cannot be written: its folder does not exist\n`);
    expect(existsSync(blocked[0])).toBe(false);
  });
});

describe("commands and their inputs", () => {
  it("review given a configuration judges it with every finding new, and says so", () => {
    const dir = tmp();
    const f = join(dir, "main.tf.json");
    writeFileSync(f, JSON.stringify({ resource: { okta_policy_rule_signon: { r: { name: "r", session_idle: 15, session_lifetime: 1440, mfa_required: true, mfa_prompt: "ALWAYS" } } } }));
    const r = posture(["review", "--format", "json", f]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.inputs).toEqual([{ path: f, kind: "config" }]);
    expect(new Set(json.findings.map((x: Finding) => x.change))).toEqual(new Set(["new"]));
    expect(json.notices).toContainEqual({
      level: "warning",
      message: `${f} is a configuration, not a plan: it has no before, so every finding is labelled new. Review \`terraform show -json\` of a saved plan to judge a change.`,
    });
  });

  it("check given a plan evaluates its planned values and says so; drift given a configuration refuses it", () => {
    const r = posture(["check", "--format", "json", PR]);
    expect(JSON.parse(r.stdout).notices.map((n: { message: string }) => n.message)).toContain(
      `${PR}: a plan given to check: its planned values were evaluated (posture review judges what the change makes worse)`,
    );
    const d = posture(["drift", join(ROOT, "examples", "okta-cloudflare")]);
    expect(d.code).toBe(2);
    expect(d.stderr).toBe(
      `posture: ${join(ROOT, "examples", "okta-cloudflare")}: is a Terraform configuration, not a plan: drift needs \`terraform plan -refresh-only -out=drift.tfplan\` then \`terraform show -json drift.tfplan\`\n`,
    );
  });

  it.each([
    [["review"], /review needs at least one plan JSON/],
    [["drift"], /drift needs at least one plan JSON/],
    [["check", "--synth", "cdktf.out", "x.json"], /--synth applies to review and drift/],
    [["check", "--repo-root", ".", "x.json"], /--repo-root applies to review and drift/],
    [["review", "--fail-on", "some", "x"], /--fail-on must be new or any/],
    [["rules", "--format", "sarif"], /--format must be one of text, json, markdown for rules/],
  ])("refuses bad usage %j with exit 2", (args, message) => {
    const r = posture(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

describe("--fail-on on check and drift", () => {
  it("is accepted with no effect, and the report says so", () => {
    const r = posture(["check", "--fail-on", "any", "--format", "json", "examples/okta-cloudflare"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notices).toContainEqual({ level: "info", message: "--fail-on has no effect on check; it applies to review" });
  });
});

describe("structured formats stay valid when a sensitive value is a common word", () => {
  it("a sensitive variable whose default is true corrupts neither JSON nor SARIF", () => {
    const dir = require("node:fs").mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "posture-sens-"));
    const f = require("node:path").join(dir, "main.tf.json");
    require("node:fs").writeFileSync(
      f,
      JSON.stringify({ variable: { persist: { default: "true", sensitive: true } }, resource: { okta_policy_rule_signon: { r: { name: "r", session_persistent: "${var.persist}" } } } }),
    );
    for (const format of ["json", "sarif"]) {
      const r = posture(["check", "--format", format, f]);
      expect(r.code).toBe(1);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
  });
});
