/**
 * `posture run-task` as users start it (the built CLI, as in the container image): options and
 * their errors, the HMAC signature as HCP Terraform's docs compute it with openssl, config lookup per
 * organization and workspace, and a whole run from start to SIGTERM against the fake HCP Terraform.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseRunTaskArgs, readHmacKey } from "../../cli/run-task/command";
import { configDirectory } from "../../cli/run-task/configs";
import { jsonLogger } from "../../cli/run-task/log";
import { linkFree, signatureMatches } from "../../cli/run-task/protocol";
import { WorkQueue } from "../../cli/run-task/work-queue";
import { CLI, posture, ROOT } from "../cli/cli-helpers";
import { FakeHcp, get, post, sign } from "./fake-hcp";

const tmp = () => mkdtempSync(join(tmpdir(), "posture-run-task-"));

describe("signature", () => {
  it("matches what `openssl dgst -sha512 -hmac` prints for the body, as HCP Terraform's docs show", () => {
    const body = Buffer.from(JSON.stringify({ payload_version: 1, access_token: "test-token" }));
    const dir = tmp();
    writeFileSync(join(dir, "body"), body);
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", 'openssl dgst -sha512 -hmac "$HMAC_KEY" < body | sed "s/^.*= //"'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HMAC_KEY: "k3y with spaces" },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    const hex = r.stdout.trim();
    expect(hex).toMatch(/^[0-9a-f]{128}$/);
    expect(signatureMatches(body, hex, Buffer.from("k3y with spaces"))).toBe(true);
    expect(signatureMatches(body, hex.toUpperCase(), Buffer.from("k3y with spaces"))).toBe(true);
    expect(signatureMatches(body, hex, Buffer.from("k3y with space"))).toBe(false);
    expect(signatureMatches(Buffer.concat([body, Buffer.from(" ")]), hex, Buffer.from("k3y with spaces"))).toBe(false);
    expect(signatureMatches(body, hex.slice(0, 127), Buffer.from("k3y with spaces"))).toBe(false);
    expect(signatureMatches(body, undefined, Buffer.from("k3y with spaces"))).toBe(false);
  });
});

describe("options", () => {
  it("needs an HMAC key file; the key is the file's text without its trailing newline", () => {
    expect(() => parseRunTaskArgs([])).toThrow(/needs --hmac-key-file/);
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "--port", "70000"])).toThrow(/at most 65535/);
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "--config", "a", "--config-dir", "b"])).toThrow(/not both/);
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "plan.json"])).toThrow(/takes no paths/);
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "--hcp-url", "ftp://x"])).toThrow(/http\(s\)/);
    // The same words, and the same messages, as posture check/review.
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "--profile", "lax"])).toThrow("--profile must be recommended or strict");
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "--unknown", "maybe"])).toThrow("--unknown must be warn or fail");
    expect(() => parseRunTaskArgs(["--hmac-key-file", "k", "--fail-on", "some"])).toThrow("--fail-on must be new or any");
    expect(parseRunTaskArgs(["--hmac-key-file", "k", "--profile", "strict", "--unknown", "fail", "--fail-on", "any"])).toMatchObject({ profile: "strict", unknown: "fail", failOn: "any" });
    const a = parseRunTaskArgs(["--hmac-key-file", "k", "--hcp-url", "https://tfe.example.com/app", "--concurrency", "3", "--fetch-timeout", "5"]);
    expect(a).toMatchObject({ port: 8080, host: "0.0.0.0", hcpUrls: ["https://tfe.example.com"], concurrency: 3, fetchTimeoutMs: 5000, failOn: "new", unknown: "warn" });
    expect(parseRunTaskArgs(["--hmac-key-file", "k"])).toMatchObject({ hcpUrls: ["https://app.terraform.io"] });
    const dir = tmp();
    writeFileSync(join(dir, "key"), "s3cret\n");
    writeFileSync(join(dir, "empty"), "\n");
    expect(readHmacKey(join(dir, "key")).toString()).toBe("s3cret");
    expect(() => readHmacKey(join(dir, "empty"))).toThrow(/is empty/);
  });

  it("the CLI says what is wrong in one line and exits 2 before opening a port", () => {
    const missing = posture(["run-task", "--hmac-key-file", "/nonexistent/key"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("posture: /nonexistent/key: cannot be read");
    const dir = tmp();
    writeFileSync(join(dir, "key"), "k");
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ profile: "lenient" }));
    const bad = posture(["run-task", "--hmac-key-file", join(dir, "key"), "--config", join(dir, "bad.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${join(dir, "bad.json")}: profile must be one of`);
    expect(posture(["run-task", "--help"]).stdout).toContain("usage: posture run-task --hmac-key-file");
    expect(posture(["--help"]).stdout).toContain("run-task");
  });
});

describe("--config-dir", () => {
  it("uses the workspace's file, else the organization's, else the directory's, else the defaults", () => {
    const dir = tmp();
    mkdirSync(join(dir, "acme", "identity"), { recursive: true });
    mkdirSync(join(dir, "other"), { recursive: true });
    writeFileSync(join(dir, "posture.config.json"), JSON.stringify({ profile: "recommended", disabled: ["CF-ACC-4"] }));
    writeFileSync(join(dir, "acme", "posture.config.json"), JSON.stringify({ profile: "strict" }));
    writeFileSync(join(dir, "acme", "identity", "posture.config.json"), JSON.stringify({ disabled: ["OKTA-SES-1"] }));
    const configs = configDirectory(dir);
    expect(configs.files).toBe(3);
    expect(configs.resolve("acme", "identity").disabled).toEqual(["OKTA-SES-1"]);
    expect(configs.resolve("acme", "payments").profile).toBe("strict");
    expect(configs.resolve("other", "x").disabled).toEqual(["CF-ACC-4"]);
    // A name that could climb out of the directory never selects a file.
    expect(configs.resolve("..", "..").disabled).toEqual(["CF-ACC-4"]);
    expect(configs.resolve("acme", "../identity").profile).toBe("strict");
    writeFileSync(join(dir, "other", "posture.config.json"), JSON.stringify({ disabled: ["NO-SUCH-RULE"] }));
    expect(() => configDirectory(dir)).toThrow(`${join(dir, "other", "posture.config.json")}: disabled: no rule NO-SUCH-RULE in the catalogue`);
    expect(configDirectory(tmp()).resolve("a", "b")).toMatchObject({ disabled: [], waivers: [] });
  });
});

describe("npx posture run-task", () => {
  it("serves a run end to end, then drains and exits 0 on SIGTERM", async () => {
    const fake = await FakeHcp.start();
    const dir = tmp();
    writeFileSync(join(dir, "key"), "cli-hmac-key\n");
    const child = spawn(process.execPath, [CLI, "run-task", "--port", "0", "--host", "127.0.0.1", "--hmac-key-file", join(dir, "key"), "--hcp-url", fake.origin, "--hcp-url", fake.archivistOrigin], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, POSTURE_TODAY: "2026-11-29" },
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no listening line: ${stderr}`)), 20_000);
        child.stderr.on("data", () => {
          const line = stderr.split("\n").find((l) => l.includes('"run task server listening"'));
          if (line) {
            clearTimeout(t);
            resolve(JSON.parse(line).port);
          }
        });
      });
      const url = `http://127.0.0.1:${port}/`;
      expect(JSON.parse((await get(url + "healthz")).body).status).toBe("ok");
      fake.plans.set("plan-1", { bytes: readFileSync(join(ROOT, "__tests__/fixtures/review/pr-plan.json")) });
      fake.tokens.set("plan-1", "atlasv1.cli-run-token-Xy12");
      const body = Buffer.from(JSON.stringify(fake.payload({ taskResultId: "taskrs-cli", planId: "plan-1", token: "atlasv1.cli-run-token-Xy12" })));
      expect((await post(url, body, sign(body, "cli-hmac-key"))).status).toBe(200);
      const cb = await fake.result("taskrs-cli");
      expect(cb.body.data.attributes.status).toBe("failed");
      // Several at once, reviewed on worker threads (the compiled server), each result right for its plan.
      fake.plans.set("plan-2", { bytes: readFileSync(join(ROOT, "__tests__/fixtures/review/drift-refresh-only.json")) });
      const ids = ["a", "b", "c", "d", "e", "f"];
      for (const id of ids) fake.tokens.set(`plan-${id}`, `atlasv1.cli-run-token-${id}`);
      for (const id of ids) fake.plans.set(`plan-${id}`, fake.plans.get(id < "d" ? "plan-1" : "plan-2")!);
      await Promise.all(
        ids.map(async (id) => {
          const b = Buffer.from(JSON.stringify(fake.payload({ taskResultId: `taskrs-${id}`, planId: `plan-${id}`, token: `atlasv1.cli-run-token-${id}` })));
          expect((await post(url, b, sign(b, "cli-hmac-key"))).status).toBe(200);
        }),
      );
      const statuses = await Promise.all(ids.map(async (id) => (await fake.result(`taskrs-${id}`)).body.data.attributes.status));
      expect(statuses).toEqual(["failed", "failed", "failed", "passed", "passed", "passed"]);
      expect((await fake.result("taskrs-a")).body).toEqual(cb.body);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const msgs = stderr.trim().split("\n").map((l) => JSON.parse(l).msg);
      expect(msgs).toEqual(expect.arrayContaining(["run task server listening", "request accepted", "plan reviewed", "result sent", "signal received", "shutdown complete"]));
      const reviewed = stderr.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.msg === "plan reviewed");
      expect(reviewed.map((l) => l.worker_thread)).toEqual(ids.concat("cli").map(() => true));
      expect(stderr).not.toContain("atlasv1.cli-run-token-Xy12");
      expect(stderr).not.toContain("cli-hmac-key");
    } finally {
      child.kill("SIGKILL");
      await fake.stop();
    }
  }, 60_000);
});

describe("building blocks", () => {
  it("a log line keeps only the fields named, and drops any whose name says credential", () => {
    const lines: string[] = [];
    const log = jsonLogger((l) => lines.push(l), () => new Date("2026-11-29T10:00:00Z"));
    log.log("info", "hello", { run_id: "run-1", access_token: "atlasv1.x", hmac_key: "k", authorization: "Bearer y", attempts: 2, skipped: undefined });
    expect(lines).toEqual(['{"time":"2026-11-29T10:00:00.000Z","level":"info","msg":"hello","run_id":"run-1","attempts":2}\n']);
  });

  it("descriptions carry no link a renderer could follow", () => {
    expect(linkFree("hook https://responder.example.com/okta and www.example.com")).toBe("hook https[:]//responder.example.com/okta and www[.]example.com");
    expect(linkFree("session lifetime is 1440 minutes")).toBe("session lifetime is 1440 minutes");
  });

  it("the work queue bounds waiting jobs, refuses a running key twice, and drains", async () => {
    const q = new WorkQueue(1, 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const done: string[] = [];
    expect(q.offer("a", () => gate.then(() => void done.push("a")))).toBe("accepted");
    expect(q.offer("a", async () => void done.push("a again"))).toBe("duplicate");
    expect(q.offer("b", async () => void done.push("b"))).toBe("accepted");
    expect(q.offer("c", async () => void done.push("c"))).toBe("full");
    expect([q.running, q.queued]).toEqual([1, 1]);
    q.close();
    expect(q.offer("d", async () => void done.push("d"))).toBe("closed");
    release();
    await q.idle();
    expect(done).toEqual(["a", "b"]);
    expect(() => new WorkQueue(0, 1)).toThrow(/concurrency/);
  });
});
