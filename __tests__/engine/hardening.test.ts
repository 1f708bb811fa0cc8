/** Inputs built to break recursive walkers or the waiver bookkeeping: each is judged or refused cleanly. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as runCli } from "../../cli/posture";
import { InputError } from "../../engine/errors";
import { loadPath } from "../../engine/load/load";
import { findingsOf, res } from "../helpers";

const tmp = () => mkdtempSync(join(tmpdir(), "posture-hard-"));

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: { POSTURE_TODAY: "2026-11-29" } });
  return { code, stdout, stderr };
}

const nest = (depth: number, inner: string): string => "[".repeat(depth) + inner + "]".repeat(depth);

describe("deeply nested plan sections are refused, not a stack overflow", () => {
  it("module calls nested past the limit", async () => {
    const levels = 5000;
    const mod = '{"module_calls":{"m":{"module":'.repeat(levels) + '{"resources":[]}' + "}}}".repeat(levels);
    const f = join(tmp(), "plan.json");
    writeFileSync(f, `{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"root_module":${mod}}}`);
    const r = await cli(["check", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: ${f}: nests module calls deeper than 256 levels\n`);
  });

  it("a provider expression nested past the limit", async () => {
    const f = join(tmp(), "plan.json");
    const deep = `{"format_version":"1.2","planned_values":{"root_module":{}},"configuration":{"provider_config":{"okta":{"name":"okta","expressions":{"api_token":{"constant_value":${nest(5000, "1")}}}}}}}`;
    writeFileSync(f, deep);
    const r = await cli(["check", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nests JSON deeper than 256 levels/);
  });
});

describe("deep text inside strings reads as unknown or invalid, never a crash", () => {
  it("a jsonencode nested 100,000 levels", () => {
    const settings = `\${jsonencode(${"[".repeat(100_000)}${"]".repeat(100_000)})}`;
    const [f] = findingsOf("OKTA-AUTH-2", res("okta_authenticator", "e", { key: "okta_email", name: "e", settings }));
    expect(f.outcome).toBe("unknown");
  });

  it("a chain of 20,000 locals", () => {
    const locals: Record<string, string | number> = { l20000: 15 };
    for (let i = 0; i < 20000; i++) locals[`l${i}`] = `\${local.l${i + 1}}`;
    const [f] = findingsOf("OKTA-SES-1", { locals, resource: { okta_policy_rule_signon: { r: { name: "r", session_idle: "${local.l0}" } } } });
    expect(f.outcome).toBe("unknown");
  });

  it("a JSON-string attribute nested past the limit", () => {
    const settings = nest(5000, '"x"');
    const [f] = findingsOf("OKTA-AUTH-2", res("okta_authenticator", "e", { key: "okta_email", name: "e", settings }));
    expect(f).toMatchObject({ outcome: "fail", message: "settings is not valid JSON" });
  });
});

describe("directories", () => {
  it("say nothing of symlinks to directories or other files inside the tree", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "modules"));
    writeFileSync(join(dir, "main.tf"), 'resource "okta_group" "g" {\n  name = "g"\n}\n');
    symlinkSync(join(dir, "modules"), join(dir, "linked-modules"));
    writeFileSync(join(dir, "notes.md"), "hello");
    symlinkSync(join(dir, "notes.md"), join(dir, "README.md"));
    const input = await loadPath(dir);
    expect(input.notes).toEqual([]);
  });

  it("refuse an override of a variable with no base", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "main.tf"), 'resource "okta_group" "g" {\n  name = "g"\n}\n');
    writeFileSync(join(dir, "override.tf"), 'variable "idle" {\n  default = 60\n}\n');
    await expect(loadPath(dir)).rejects.toThrow(/override of variable idle has no base declaration/);
  });

  it("refuse a cdktf stack file that leads outside the cdktf.out directory", async () => {
    const outside = tmp();
    writeFileSync(join(outside, "cdk.tf.json"), JSON.stringify({ resource: { okta_group: { g: { name: "g" } } } }));
    const dir = tmp();
    mkdirSync(join(dir, "stacks", "okta"), { recursive: true });
    symlinkSync(join(outside, "cdk.tf.json"), join(dir, "stacks", "okta", "cdk.tf.json"));
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ stacks: { okta: { synthesizedStackPath: "stacks/okta/cdk.tf.json" } } }));
    await expect(loadPath(dir)).rejects.toThrow(InputError);
    await expect(loadPath(dir)).rejects.toThrow(/stack okta's file leads outside/);
  });
});

describe("scope waivers in code", () => {
  function cdktfOut(stacks: string[]): string {
    const dir = tmp();
    const waiver = { rule: "OKTA-LOG-1", reason: "the SIEM contract starts in Q1, SEC-77", expires: "2099-01-01" };
    const manifest: Record<string, { synthesizedStackPath: string }> = {};
    for (const s of stacks) {
      mkdirSync(join(dir, "stacks", s), { recursive: true });
      manifest[s] = { synthesizedStackPath: `stacks/${s}/cdk.tf.json` };
      writeFileSync(
        join(dir, "stacks", s, "cdk.tf.json"),
        JSON.stringify({ "//": { "identity-posture": { waivers: [waiver] } }, resource: { okta_authenticator: { [`w_${s}`]: { key: "webauthn", name: "w" } } } }),
      );
    }
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ stacks: manifest }));
    return dir;
  }

  it("are honoured by review of a cdktf.out, and a waiver shared by two stacks is not stale", async () => {
    const dir = cdktfOut(["a", "b"]);
    for (const command of ["check", "review"]) {
      const r = await cli([command, "--format", "json", dir]);
      const report = JSON.parse(r.stdout);
      expect(report.findings.find((f: { ruleId: string }) => f.ruleId === "OKTA-LOG-1").outcome).toBe("waived");
      expect(report.notices.filter((n: { message: string }) => n.message.startsWith("stale waiver"))).toEqual([]);
      expect(r.code).toBe(0);
    }
  });
});
