import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPath } from "../../engine/load/load";
import { run as runCli } from "../../cli/posture";

const tmp = () => mkdtempSync(join(tmpdir(), "posture-ovr-"));

describe("Terraform override files", () => {
  it("merge into the base declaration, whatever the file order", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "main.tf"), 'resource "okta_policy_rule_signon" "r" {\n  name             = "r"\n  session_idle     = 15\n  session_lifetime = 600\n}\n');
    writeFileSync(join(dir, "a_override.tf"), 'resource "okta_policy_rule_signon" "r" {\n  session_lifetime = 0\n}\n');
    const input = await loadPath(dir);
    expect(input.resources).toHaveLength(1);
    expect(input.resources[0].values).toMatchObject({ name: "r", session_idle: 15, session_lifetime: 0 });
  });

  it("refuse an override with no base, as Terraform does", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "main.tf"), 'resource "okta_group" "g" {\n  name = "g"\n}\n');
    writeFileSync(join(dir, "override.tf.json"), JSON.stringify({ resource: { okta_group: { other: { name: "x" } } } }));
    await expect(loadPath(dir)).rejects.toThrow(/override of okta_group\.other has no base declaration/);
  });
});

describe("symlinks in a directory", () => {
  it("are followed inside the tree and left out, with a note, when they lead outside", async () => {
    const outside = tmp();
    writeFileSync(join(outside, "secret.tf"), 'resource "okta_group" "outside" {\n  name = "o"\n}\n');
    const dir = tmp();
    mkdirSync(join(dir, "shared"));
    writeFileSync(join(dir, "shared", "zones.tf"), 'resource "okta_group" "inside" {\n  name = "i"\n}\n');
    symlinkSync(join(dir, "shared", "zones.tf"), join(dir, "zones.tf"));
    symlinkSync(join(outside, "secret.tf"), join(dir, "linked.tf"));
    const input = await loadPath(dir);
    expect(input.resources.map((r) => r.address)).toEqual(["okta_group.inside"]);
    expect(input.notes).toContain(`${join(dir, "linked.tf")}: a symlink that leads outside ${dir}; not read`);
  });
});

describe("scope waivers in a stack's top-level metadata", () => {
  it("waive the scope finding in posture check cdktf.out", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "stacks", "okta"), { recursive: true });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { okta: { synthesizedStackPath: "stacks/okta/cdk.tf.json" } } }));
    const waiver = { rule: "OKTA-LOG-1", reason: "the SIEM contract starts in Q1, SEC-77", expires: "2099-01-01" };
    writeFileSync(
      join(dir, "stacks", "okta", "cdk.tf.json"),
      JSON.stringify({ "//": { metadata: { stackName: "okta" }, "identity-posture": { waivers: [waiver] } }, resource: { okta_authenticator: { w: { key: "webauthn", name: "w" } } } }),
    );
    let out = "";
    const code = await runCli(["check", "--format", "json", dir], { stdout: (s) => (out += s), stderr: () => undefined, isTty: false, env: { POSTURE_TODAY: "2026-11-29" } });
    const report = JSON.parse(out);
    expect(report.findings.find((f: { ruleId: string }) => f.ruleId === "OKTA-LOG-1")).toMatchObject({ outcome: "waived", address: "(scope)", waiver: { origin: "code", expired: false } });
    expect(code).toBe(0);
  });
});
