import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, posture, ROOT } from "./cli-helpers";

const tmp = () => mkdtempSync(join(tmpdir(), "posture-cli-"));
const EXAMPLE = "examples/okta-cloudflare";
const CONTROLS = join(ROOT, "..", "shared", "spec", "CONTROLS.md");

function writeTf(dir: string, name: string, doc: object): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(doc, null, 2));
  return p;
}

const weak = { resource: { okta_policy_rule_signon: { r: { name: "r", session_idle: 15, session_lifetime: 1440, mfa_required: true, mfa_prompt: "ALWAYS" } } } };

describe("posture check", () => {
  it("passes the shipped example with exit 0", () => {
    const r = posture(["check", EXAMPLE]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS identity-posture check \(recommended\): 0 errors, 0 warnings, 0 unknown, 0 waived, \d+ passed\n$/m);
  });

  it("exits 1 on a failing error finding, with the JSON report of CLI.md", () => {
    const f = writeTf(tmp(), "main.tf.json", weak);
    const r = posture(["check", "--format", "json", f]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(["reportVersion", "tool", "mode", "profile", "inputs", "summary", "findings", "notices"]);
    expect(report).toMatchObject({ reportVersion: 1, tool: { name: "identity-posture", version: "0.1.0" }, mode: "check", profile: "recommended", inputs: [{ path: f, kind: "config" }] });
    expect(Object.keys(report.summary)).toEqual(["errors", "warnings", "unknown", "waived", "passed", "fixed"]);
    const ses2 = report.findings.find((x: { ruleId: string }) => x.ruleId === "OKTA-SES-2");
    expect(ses2).toEqual({
      ruleId: "OKTA-SES-2",
      severity: "error",
      outcome: "fail",
      address: "okta_policy_rule_signon.r",
      resourceType: "okta_policy_rule_signon",
      attribute: "session_lifetime",
      message: "session lifetime is 1440 minutes; at most 720 allowed",
      after: 1440,
      waiver: null,
      file: f,
      line: 4,
    });
    expect(report.summary.errors).toBe(report.findings.filter((x: { outcome: string; severity: string }) => x.outcome === "fail" && x.severity === "error").length);
  });

  it("uses the strict profile when asked", () => {
    const r = posture(["check", "--profile", "strict", "--format", "json", EXAMPLE]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).profile).toBe("strict");
  });

  it("--unknown fail turns an unknown error verdict into exit 1", () => {
    const dir = tmp();
    const f = writeTf(dir, "main.tf.json", {
      variable: { idle: { type: "number" } },
      resource: {
        okta_policy_rule_signon: { r: { name: "r", session_idle: "${var.idle}", session_lifetime: 60, mfa_required: true, mfa_prompt: "ALWAYS" } },
        okta_authenticator: { w: { key: "webauthn", name: "w" } },
        okta_log_stream: { s: { name: "s", type: "aws_eventbridge" } },
      },
    });
    expect(posture(["check", f]).code).toBe(0);
    const failing = posture(["check", "--unknown", "fail", "--format", "json", f]);
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).findings.find((x: { ruleId: string }) => x.ruleId === "OKTA-SES-1").outcome).toBe("fail");
  });

  it("reads posture.config.json from the working directory, and --config", () => {
    const dir = tmp();
    writeTf(dir, "main.tf.json", weak);
    writeFileSync(join(dir, "posture.config.json"), JSON.stringify({ waivers: [{ rule: "OKTA-SES-2", resource: "okta_policy_rule_signon.r", reason: "reviewed exception SEC-1", expires: "2027-01-01" }] }));
    const r = posture(["check", "--format", "json", "main.tf.json"], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.summary.waived).toBe(1);
    writeFileSync(join(dir, "other.json"), JSON.stringify({ profile: "strict" }));
    expect(JSON.parse(posture(["check", "--config", "other.json", "--format", "json", "main.tf.json"], { cwd: dir }).stdout).profile).toBe("strict");
  });

  it("writes several formats to several outputs", () => {
    const dir = tmp();
    const r = posture(["check", "--format", "json", "--format", "text", "--output", join(dir, "r.json"), "--output", join(dir, "r.txt"), EXAMPLE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).reportVersion).toBe(1);
    expect(readFileSync(join(dir, "r.txt"), "utf8")).toMatch(/^PASS/m);
  });

  it("is byte-for-byte deterministic, whatever the order of paths", () => {
    const dir = tmp();
    const a = writeTf(dir, "a.tf.json", weak);
    const b = writeTf(dir, "b.tf.json", { resource: { cloudflare_logpush_job: { j: { dataset: "audit_logs", destination_conf: "http://x" } } } });
    const one = posture(["check", "--format", "json", a, b]);
    const two = posture(["check", "--format", "json", b, a]);
    expect(one.stdout).toBe(two.stdout);
    expect(posture(["check", a, b]).stdout).toBe(posture(["check", b, a]).stdout);
  });

  it("never colours output that is not a terminal", () => {
    expect(posture(["check", EXAMPLE]).stdout).not.toMatch(/\x1b\[/);
  });
});

describe("exit 2", () => {
  it.each([
    [["frobnicate"], /unknown command "frobnicate"/],
    [["check"], /check needs at least one path/],
    [["check", "--profile", "lax", "x"], /--profile must be recommended or strict/],
    [["check", "--format", "xml", "x"], /--format must be one of text, json/],
    [["check", "--unknown", "maybe", "x"], /--unknown must be warn or fail/],
    [["check", "--bogus", "x"], /unknown option --bogus/],
    [["check", "--output", "a", "--output", "b", "x"], /more --output than --format/],
  ])("on bad usage %j", (args, message) => {
    const r = posture(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("on malformed input: one line naming the file, no stack trace, nothing written", () => {
    const dir = tmp();
    const bad = join(dir, "plan.json");
    writeFileSync(bad, '{"format_version": "1.2", "planned_values": {');
    const out = join(dir, "report.json");
    const r = posture(["check", "--format", "json", "--output", out, bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: ${bad}: is not valid JSON: it ends too early (truncated?)\n`);
    expect(existsSync(out)).toBe(false);
  });

  it("on a plan with format_version 2.0", () => {
    const f = writeTf(tmp(), "plan.json", { format_version: "2.0", planned_values: {} });
    const r = posture(["check", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: ${f}: format_version 2.0 is not supported (identity-posture reads 0.1 to 1.x)\n`);
  });

  it("on an invalid config file", () => {
    const dir = tmp();
    writeFileSync(join(dir, "posture.config.json"), JSON.stringify({ waivers: [{ rule: "OKTA-SES-2", resource: "*", reason: "short", expires: "2027-01-01" }] }));
    const r = posture(["check", join(ROOT, EXAMPLE)], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^posture: posture.config.json: waivers\[0\]: waiver for OKTA-SES-2 needs a "reason" of at least 10 characters\n$/);
  });

  it("on input above the size limit, before reading it", () => {
    const f = writeTf(tmp(), "main.tf.json", weak);
    const r = posture(["check", f], { env: { POSTURE_MAX_INPUT_BYTES: "10" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/over the input limit of 10 bytes/);
  });
});

describe("posture rules", () => {
  it("lists every control id of CONTROLS.md, with metadata", () => {
    const r = posture(["rules", "--format", "json"]);
    expect(r.code).toBe(0);
    const { rules } = JSON.parse(r.stdout);
    const ids: string[] = rules.map((x: { id: string }) => x.id);
    const expected = existsSync(CONTROLS)
      ? [...readFileSync(CONTROLS, "utf8").matchAll(/^\| ([A-Z]+(?:-[A-Z]+)?-\d+) \|/gm)].map((m) => m[1])
      : [];
    expect(expected.length === 0 || expected.length >= 40).toBe(true);
    for (const id of expected) expect(ids).toContain(id);
    for (const rule of rules) {
      expect(rule).toEqual(expect.objectContaining({ id: expect.any(String), severity: expect.stringMatching(/^(error|warning)$/), title: expect.any(String), rationale: expect.any(String), references: expect.any(Array) }));
    }
  });

  it("prints text by default and --help/--version", () => {
    expect(posture(["rules"]).stdout).toMatch(/^OKTA-AUTH-1 +error +WebAuthn/m);
    expect(posture(["--help"]).stdout).toMatch(/^usage: posture/);
    expect(posture(["--version"]).stdout).toBe("identity-posture 0.1.0\n");
  });

  it("has a shebang so the bin runs", () => {
    expect(readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });
});
