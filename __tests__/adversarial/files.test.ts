/**
 * Issue 10.3 and 10.9: only regular files are read, never more than the input limit; standard input
 * is `-`, bounded the same way; a symlink to a configuration directory is that directory. Inputs that
 * could block or grow without end run in a child process with a time limit.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, cliProcess, forgottenLogStreamPlan, scratch, writeJson } from "./harness";

const LIMIT = { timeoutMs: 8000 };

function fifo(dir: string, name: string): string {
  const p = join(dir, name);
  const r = spawnSync("mkfifo", [p]);
  if (r.status !== 0) throw new Error("mkfifo is needed for this test");
  return p;
}

const session = { okta_policy_rule_signon: { r: { name: "s", session_idle: 120 } } };

describe("not a regular file: refused at once, never blocks or grows", () => {
  it("a FIFO as an input", () => {
    const d = scratch();
    const f = fifo(d, "plan.json");
    const r = cliProcess(["check", f], LIMIT);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: ${f}: is a pipe (FIFO), not a regular file; give a file, or - to read standard input\n`);
  });

  it("a FIFO as a .tf file given by name", () => {
    const d = scratch();
    const r = cliProcess(["check", fifo(d, "main.tf")], LIMIT);
    expect([r.signal, r.code]).toEqual([null, 2]);
    expect(r.stderr).toMatch(/is a pipe \(FIFO\), not a regular file/);
  });

  it("a FIFO as --config", () => {
    const d = scratch();
    const r = cliProcess(["check", writeJson(d, "main.tf.json", { resource: session }), "--config", fifo(d, "posture.config.json")], LIMIT);
    expect([r.signal, r.code]).toEqual([null, 2]);
    expect(r.stderr).toMatch(/posture\.config\.json: is a pipe \(FIFO\)/);
  });

  it("a FIFO as a cdktf stack file", () => {
    const d = scratch();
    mkdirSync(join(d, "stacks", "s"), { recursive: true });
    writeJson(d, "manifest.json", { version: "0.21.0", stacks: { s: { name: "s", synthesizedStackPath: "stacks/s/cdk.tf.json" } } });
    fifo(join(d, "stacks", "s"), "cdk.tf.json");
    const r = cliProcess(["check", d], LIMIT);
    expect([r.signal, r.code]).toEqual([null, 2]);
    expect(r.stderr).toMatch(/cdk\.tf\.json: is a pipe \(FIFO\)/);
  });

  it("a FIFO inside a configuration directory is left out, and the report says so", () => {
    const d = scratch();
    writeJson(d, "main.tf.json", { resource: session });
    fifo(d, "extra.tf");
    const r = cliProcess(["check", d, "--format", "json"], LIMIT);
    expect([r.signal, r.code]).toEqual([null, 1]);
    expect(r.stdout).toContain("extra.tf: not a regular file (a pipe, device or socket); not read");
  });

  it.each(["/dev/zero", "/dev/null"])("%s", (dev) => {
    const r = cliProcess(["check", dev], LIMIT);
    expect([r.signal, r.code]).toEqual([null, 2]);
    expect(r.stderr).toBe(`posture: ${dev}: is a device, not a regular file; give a file, or - to read standard input\n`);
  });

  it("/dev/stdin from a pipe is refused (use -)", () => {
    const r = cliProcess(["review", "/dev/stdin"], { ...LIMIT, input: "x".repeat(1 << 20) });
    expect([r.signal, r.code]).toEqual([null, 2]);
    expect(r.stderr).toMatch(/^posture: \/dev\/stdin: is (a pipe \(FIFO\)|a socket), not a regular file/);
  });
});

describe("standard input: -", () => {
  const plan = JSON.stringify(forgottenLogStreamPlan());

  it("review - reads a plan", () => {
    const r = cliProcess(["review", "-", "--format", "json"], { ...LIMIT, input: plan });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).inputs).toEqual([{ path: "(stdin)", kind: "plan" }]);
  });

  it("check - reads Terraform JSON; HCL on stdin is refused", () => {
    expect(cliProcess(["check", "-"], { ...LIMIT, input: JSON.stringify({ resource: session }) }).code).toBe(1);
    const r = cliProcess(["check", "-"], { ...LIMIT, input: 'resource "okta_user" "x" {}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^posture: \(stdin\): is not JSON/);
  });

  it("never reads past POSTURE_MAX_INPUT_BYTES", () => {
    const r = cliProcess(["review", "-"], { ...LIMIT, input: plan + " ".repeat(4096), env: { POSTURE_MAX_INPUT_BYTES: String(plan.length + 100) } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: (stdin): is more than ${plan.length + 100} bytes, over the input limit of ${plan.length + 100} bytes (set POSTURE_MAX_INPUT_BYTES to raise it)\n`);
    expect(cliProcess(["review", "-"], { ...LIMIT, input: plan, env: { POSTURE_MAX_INPUT_BYTES: String(plan.length) } }).code).toBe(1);
  });
});

describe("a symlink to a configuration directory is followed", () => {
  it("check infra-link judges what check infra-link/ does", async () => {
    const d = scratch();
    mkdirSync(join(d, "infra"));
    writeFileSync(join(d, "infra", "main.tf.json"), JSON.stringify({ resource: session }));
    symlinkSync(join(d, "infra"), join(d, "infra-link"));
    const viaLink = await cli(["check", join(d, "infra-link"), "--format", "json"]);
    const viaSlash = await cli(["check", join(d, "infra-link") + "/", "--format", "json"]);
    expect(viaLink.stderr).toBe("");
    expect(viaLink.code).toBe(1);
    expect(JSON.parse(viaLink.stdout).findings).toEqual(JSON.parse(viaSlash.stdout).findings);
  });
});
