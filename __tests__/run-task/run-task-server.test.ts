/**
 * `posture run-task` against a local fake of HCP Terraform (plan download and result callback on
 * 127.0.0.1): each case checks what HCP Terraform would see. Verdicts and counts are compared with
 * `posture review --format json` of the same plan, run through the built CLI.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { singleConfig, type ConfigSource } from "../../cli/run-task/configs";
import { TrustedOrigins } from "../../cli/run-task/http-client";
import { jsonLogger } from "../../cli/run-task/log";
import { type RunTaskServer, type RunTaskServerOptions, startRunTaskServer } from "../../cli/run-task/server";
import { posture, ROOT } from "../cli/cli-helpers";
import { FakeHcp, get, post, sign } from "./fake-hcp";

const KEY = "hmac-key-for-tests-5b0c7d";
const PASSING = join(ROOT, "__tests__/fixtures/review/drift-refresh-only.json");
const FAILING = join(ROOT, "__tests__/fixtures/review/pr-plan.json");
/** Values the failing plan holds in clear text (sensitive variables and attributes). */
const PLAN_SECRETS = ["root-var-secret-7Yq2Lm9Pz4Xw8Kd1", "cf-root-var-secret-Q8w7E6r5T4y3", "hook-token-0d9c8b7a6f5e4d3c2b1a", "sk-before-4f9c2a7e1b8d3c6a5e0f"];

const cliReport = (file: string) => {
  const r = posture(["review", file, "--format", "json"]);
  return { exit: r.code, report: JSON.parse(r.stdout) };
};

let fake: FakeHcp;
let server: RunTaskServer | undefined;
let logs: string[];
let tokenCounter = 0;

beforeEach(async () => {
  fake = await FakeHcp.start();
  logs = [];
  fake.plans.set("plan-pass", { bytes: readFileSync(PASSING) });
  fake.plans.set("plan-fail", { bytes: readFileSync(FAILING) });
});

afterEach(async () => {
  await server?.close(1000);
  server = undefined;
  await fake.stop();
});

async function start(overrides: Partial<RunTaskServerOptions> = {}, configs: ConfigSource = singleConfig()): Promise<string> {
  server = await startRunTaskServer(
    {
      hmacKey: Buffer.from(KEY),
      configs,
      trusted: new TrustedOrigins([fake.origin, fake.archivistOrigin]),
      log: jsonLogger((l) => logs.push(l)),
      today: () => "2026-11-29",
      fetchBackoff: { attempts: 3, baseMs: 5, maxMs: 20 },
      callbackBackoff: { attempts: 4, baseMs: 10, maxMs: 40 },
      ...overrides,
    },
    0,
  );
  return `http://127.0.0.1:${server.address().port}/`;
}

/**
 * Sends a signed run of the plan `source`; like HCP Terraform's, each run has its own plan id
 * (`<source>.<task result id>`) and its own access token.
 */
async function run(url: string, taskResultId: string, source: string, extra: { stage?: string; workspace?: string; edit?: (p: Record<string, unknown>) => void } = {}) {
  const token = `atlasv1.run-token-${++tokenCounter}-Zq81`;
  const planId = `${source}.${taskResultId}`;
  fake.plans.set(planId, fake.plans.get(source)!);
  fake.tokens.set(planId, token);
  const payload = fake.payload({ taskResultId, planId, token, ...extra });
  extra.edit?.(payload);
  const body = Buffer.from(JSON.stringify(payload));
  const res = await post(url, body, sign(body, KEY));
  return { res, token };
}

const parsedLogs = () => logs.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("run task protocol", () => {
  it("answers the verification request with 200 and runs nothing", async () => {
    const url = await start();
    const body = Buffer.from(JSON.stringify(fake.payload({ taskResultId: "taskrs-verify", planId: "plan-pass", token: "test-token" })));
    const res = await post(url, body, sign(body, KEY));
    expect(res.status).toBe(200);
    // Whatever else the test POST holds or lacks.
    const bare = Buffer.from(JSON.stringify({ payload_version: 1, access_token: "test-token" }));
    expect((await post(url, bare, sign(bare, KEY))).status).toBe(200);
    // It is signed like any request: unsigned, it is refused too.
    expect((await post(url, bare)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.planRequests).toHaveLength(0);
    expect(fake.callbacks).toHaveLength(0);
  });

  it("a passing plan: status passed, counts in the message, one outcome per finding, token only where it belongs", async () => {
    const url = await start();
    const { res, token } = await run(url, "taskrs-pass", "plan-pass");
    expect(res.status).toBe(200);
    const cb = await fake.result("taskrs-pass");
    const { exit, report } = cliReport(PASSING);
    expect(exit).toBe(0);
    expect(cb.authorization).toBe(`Bearer ${token}`);
    expect(cb.contentType).toBe("application/vnd.api+json");
    expect(cb.body.data.type).toBe("task-results");
    expect(cb.body.data.attributes.status).toBe("passed");
    const s = report.summary;
    expect(cb.body.data.attributes.message).toContain(`${s.errors} errors, ${s.warnings} warnings, ${s.unknown} unknown, ${s.waived} waived, ${s.passed} passed`);
    const outcomes = cb.body.data.relationships.outcomes.data;
    expect(outcomes).toHaveLength(report.findings.length);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const o of outcomes) {
      expect(o.type).toBe("task-result-outcomes");
      expect(Object.keys(o.attributes).sort()).toEqual(["body", "description", "outcome-id", "tags"]);
      expect(o.attributes.description).not.toMatch(/https?:\/\/|\n/);
      expect(o.attributes.tags.Severity[0].level).toMatch(/^(error|warning)$/);
      // Passing means no finding blocks: none is tagged at level error.
      expect(o.attributes.tags.Status[0].level).not.toBe("error");
    }
    // The download carried the token to HCP Terraform's origin only, not across the redirect.
    expect(fake.planRequests).toEqual([{ planId: "plan-pass.taskrs-pass", authorization: `Bearer ${token}` }]);
    expect(fake.archivistRequests).toEqual([{ planId: "plan-pass.taskrs-pass", authorization: undefined }]);
  });

  it("a failing plan: status failed, blocking findings first and tagged error, no secret anywhere", async () => {
    const url = await start();
    const { token } = await run(url, "taskrs-fail", "plan-fail");
    const cb = await fake.result("taskrs-fail");
    const { exit, report } = cliReport(FAILING);
    expect(exit).toBe(1);
    expect(cb.body.data.attributes.status).toBe("failed");
    expect(cb.body.data.attributes.message).toContain(`${report.summary.errors} errors`);
    const outcomes = cb.body.data.relationships.outcomes.data;
    expect(outcomes).toHaveLength(report.findings.length);
    const blocking = report.findings.filter((f: any) => f.outcome === "fail" && f.severity === "error" && (f.change === "new" || f.change === "regression"));
    expect(blocking).toHaveLength(report.summary.errors);
    const levels = outcomes.map((o: any) => o.attributes.tags.Status[0].level);
    expect(levels.slice(0, blocking.length)).toEqual(blocking.map(() => "error"));
    expect(levels.slice(blocking.length)).not.toContain("error");
    const ids = outcomes.slice(0, blocking.length).map((o: any) => o.attributes["outcome-id"].split(" ")[0]);
    expect(ids.sort()).toEqual(blocking.map((f: any) => f.ruleId).sort());
    const sent = JSON.stringify(cb.body);
    for (const secret of [...PLAN_SECRETS, token, KEY]) {
      expect(sent).not.toContain(secret);
      expect(logs.join("")).not.toContain(secret);
    }
  });

  it("sends outcomes only to a caller whose capabilities say it accepts them", async () => {
    const url = await start();
    await run(url, "taskrs-old-tfe", "plan-fail", { edit: (p) => delete p.capabilities });
    await run(url, "taskrs-no-outcomes", "plan-fail", { edit: (p) => (p.capabilities = { outcomes: false }) });
    const { report } = cliReport(FAILING);
    for (const id of ["taskrs-old-tfe", "taskrs-no-outcomes"]) {
      const cb = await fake.result(id);
      expect(Object.keys(cb.body.data)).toEqual(["type", "attributes"]);
      expect(cb.body.data.attributes.status).toBe("failed");
      expect(cb.body.data.attributes.message).toContain(`${report.summary.errors} errors`);
    }
  });

  it("a missing, wrong or foreign signature gets 401 and nothing runs", async () => {
    const url = await start();
    const body = Buffer.from(JSON.stringify(fake.payload({ taskResultId: "taskrs-sig", planId: "plan-fail", token: "atlasv1.t" })));
    expect((await post(url, body)).status).toBe(401);
    expect((await post(url, body, "")).status).toBe(401);
    expect((await post(url, body, sign(body, "another-key"))).status).toBe(401);
    expect((await post(url, body, sign(Buffer.from(body.toString() + " "), KEY))).status).toBe(401);
    expect((await post(url, body, "zz" + sign(body, KEY).slice(2))).status).toBe(401);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.planRequests).toHaveLength(0);
    expect(fake.callbacks).toHaveLength(0);
    expect(parsedLogs().filter((l) => l.msg === "request rejected: missing or wrong X-TFC-Task-Signature")).toHaveLength(5);
  });

  it("a plan over the size limit fails the task with a message, whether or not its length is declared", async () => {
    const url = await start({ maxPlanBytes: 20_000 });
    fake.plans.set("plan-chunked", { bytes: readFileSync(FAILING), chunked: true });
    await run(url, "taskrs-big", "plan-fail");
    await run(url, "taskrs-big-chunked", "plan-chunked");
    for (const id of ["taskrs-big", "taskrs-big-chunked"]) {
      const cb = await fake.result(id);
      expect(cb.body.data.attributes.status).toBe("failed");
      expect(cb.body.data.attributes.message).toMatch(/could not download the plan JSON: the response is (\d+ bytes, )?over the limit of 20000 bytes/);
      expect(cb.body.data.relationships).toBeUndefined();
    }
    // Too large is not worth retrying: one download each.
    expect(fake.archivistRequests.map((r) => r.planId).sort()).toEqual(["plan-chunked.taskrs-big-chunked", "plan-fail.taskrs-big"]);
  });

  it("a download that is not a plan fails the task with posture's own message, never a pass", async () => {
    const url = await start();
    fake.plans.set("plan-garbage", { bytes: Buffer.from('{"format_version": "1.2", "resource_changes": [') });
    fake.plans.set("plan-v2", { bytes: Buffer.from(JSON.stringify({ format_version: "2.0", resource_changes: [] })) });
    fake.plans.set("plan-state", { bytes: Buffer.from(JSON.stringify({ format_version: "1.0", values: { root_module: {} } })) });
    await run(url, "taskrs-garbage", "plan-garbage");
    await run(url, "taskrs-v2", "plan-v2");
    await run(url, "taskrs-state", "plan-state");
    const messages = await Promise.all(["taskrs-garbage", "taskrs-v2", "taskrs-state"].map(async (id) => (await fake.result(id)).body.data.attributes));
    expect(messages.map((m) => m.status)).toEqual(["failed", "failed", "failed"]);
    expect(messages[0].message).toMatch(/plan of acme\/identity run-taskrs-garbage: is not valid JSON/);
    expect(messages[1].message).toContain("format_version 2.0 is not supported");
    expect(messages[2].message).toContain("is not a Terraform plan");
  });

  it("retries a plan that is not ready yet (204), then reviews it", async () => {
    const url = await start();
    fake.plans.set("plan-late", { bytes: readFileSync(PASSING), notReadyTimes: 2 });
    await run(url, "taskrs-late", "plan-late");
    const cb = await fake.result("taskrs-late");
    expect(cb.body.data.attributes.status).toBe("passed");
    expect(fake.planRequests.filter((r) => r.planId === "plan-late.taskrs-late")).toHaveLength(3);
  });

  it("a callback that fails is retried with growing delays, then given up with a log line", async () => {
    const url = await start();
    fake.callbackFailures.set("taskrs-cb", [500, 502, 503, 500, 500]);
    await run(url, "taskrs-cb", "plan-fail");
    await waitFor(() => parsedLogs().some((l) => l.msg === "result callback failed; giving up"));
    const attempts = fake.attempts("taskrs-cb");
    expect(attempts.map((a) => a.status)).toEqual([500, 502, 503, 500]);
    // Every attempt carried the same result; the waits grew (10, 20, 40 ms bases, half jittered).
    expect(new Set(attempts.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(5);
    expect(gaps[2]).toBeGreaterThanOrEqual(20);
    const gaveUp = parsedLogs().find((l) => l.msg === "result callback failed; giving up")!;
    expect(gaveUp).toMatchObject({ level: "error", attempts: 4, http_status: 500, task_result_id: "taskrs-cb", status: "failed" });
    expect(parsedLogs().filter((l) => l.msg === "result callback failed; retrying")).toHaveLength(3);
  });

  it("a callback that fails twice is delivered on the third attempt; a 422 is not retried", async () => {
    const url = await start();
    fake.callbackFailures.set("taskrs-cb2", [503, 429]);
    fake.callbackFailures.set("taskrs-422", [422]);
    await run(url, "taskrs-cb2", "plan-pass");
    await run(url, "taskrs-422", "plan-pass");
    expect((await fake.result("taskrs-cb2")).body.data.attributes.status).toBe("passed");
    expect(fake.attempts("taskrs-cb2").map((a) => a.status)).toEqual([503, 429, 200]);
    await waitFor(() => parsedLogs().some((l) => l.msg === "result callback failed; giving up" && l.task_result_id === "taskrs-422"));
    expect(fake.attempts("taskrs-422").map((a) => a.status)).toEqual([422]);
  });

  it("50 concurrent requests: every one answered 200 and every result delivered, right for its plan", async () => {
    const url = await start({ concurrency: 4, queueSize: 64 });
    const runs = Array.from({ length: 50 }, (_, i) => ({ id: `taskrs-c${i}`, plan: i % 3 === 0 ? "plan-fail" : "plan-pass" }));
    const answers = await Promise.all(runs.map((r) => run(url, r.id, r.plan)));
    expect(answers.map((a) => a.res.status)).toEqual(runs.map(() => 200));
    const results = await Promise.all(runs.map((r) => fake.result(r.id)));
    expect(results.map((c) => c.body.data.attributes.status)).toEqual(runs.map((r) => (r.plan === "plan-fail" ? "failed" : "passed")));
    results.forEach((c, i) => expect(c.authorization).toBe(`Bearer ${answers[i].token}`));
    expect(fake.callbacks).toHaveLength(50);
  });

  it("a full queue answers 503 with Retry-After; accepted requests still finish", async () => {
    const url = await start({ concurrency: 1, queueSize: 1 });
    let release!: () => void;
    fake.plans.set("plan-slow", { bytes: readFileSync(PASSING), gate: new Promise<void>((r) => (release = r)) });
    const first = await run(url, "taskrs-q1", "plan-slow");
    await waitFor(() => fake.archivistRequests.length === 1);
    const second = await run(url, "taskrs-q2", "plan-pass");
    const third = await run(url, "taskrs-q3", "plan-pass");
    expect([first.res.status, second.res.status, third.res.status]).toEqual([200, 200, 503]);
    expect(third.res.headers["retry-after"]).toBe("10");
    const health = JSON.parse((await get(url + "healthz")).body);
    expect(health).toEqual({ status: "ok", queued: 1, running: 1 });
    release();
    await fake.result("taskrs-q1");
    await fake.result("taskrs-q2");
    expect(fake.attempts("taskrs-q3")).toHaveLength(0);
  });

  it("a repeated request for a run in progress is not run twice", async () => {
    const url = await start({ concurrency: 1 });
    let release!: () => void;
    fake.plans.set("plan-slow", { bytes: readFileSync(PASSING), gate: new Promise<void>((r) => (release = r)) });
    await run(url, "taskrs-dup", "plan-slow");
    await waitFor(() => fake.archivistRequests.length === 1);
    expect((await run(url, "taskrs-dup", "plan-slow")).res.status).toBe(200);
    release();
    await fake.result("taskrs-dup");
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.attempts("taskrs-dup")).toHaveLength(1);
  });

  it("refuses a callback URL on an untrusted origin, and fails a run attached at the wrong stage", async () => {
    const url = await start({ trusted: new TrustedOrigins(["https://app.terraform.io"]) });
    const { res } = await run(url, "taskrs-untrusted", "plan-pass");
    expect(res.status).toBe(400);
    await server!.close(1000);
    const url2 = await start();
    await run(url2, "taskrs-preplan", "plan-pass", { stage: "pre_plan" });
    const cb = await fake.result("taskrs-preplan");
    expect(cb.body.data.attributes).toMatchObject({ status: "failed" });
    expect(cb.body.data.attributes.message).toContain("post-plan");
    expect(fake.planRequests.map((r) => r.planId)).toEqual([]);
  });

  it("uses the workspace's config: a waiver there turns the failing plan into a pass", async () => {
    const { report } = cliReport(FAILING);
    const blocking = report.findings.filter((f: any) => f.outcome === "fail" && f.severity === "error" && (f.change === "new" || f.change === "regression"));
    const waivers = blocking.map((f: any) => ({ rule: f.ruleId, resource: f.address, reason: "accepted for this workspace in the test", expires: "2027-01-31" }));
    const waived = { ...EMPTY_CONFIG, file: "ws.json", waivers: waivers.map((w: any) => ({ ...w, origin: "config" as const })) };
    const configs: ConfigSource = { files: 1, resolve: (org, ws) => (org === "acme" && ws === "waived" ? waived : EMPTY_CONFIG) };
    const url = await start({}, configs);
    await run(url, "taskrs-ws1", "plan-fail", { workspace: "waived" });
    await run(url, "taskrs-ws2", "plan-fail", { workspace: "other" });
    expect((await fake.result("taskrs-ws1")).body.data.attributes.status).toBe("passed");
    expect((await fake.result("taskrs-ws2")).body.data.attributes.status).toBe("failed");
  });

  it("health endpoint; graceful shutdown finishes accepted work, then refuses; logs are JSON without tokens", async () => {
    const url = await start({ concurrency: 1 });
    expect(await get(url + "healthz")).toEqual({ status: 200, body: JSON.stringify({ status: "ok", queued: 0, running: 0 }) });
    expect((await get(url + "nothing")).status).toBe(404);
    let release!: () => void;
    fake.plans.set("plan-slow", { bytes: readFileSync(FAILING), gate: new Promise<void>((r) => (release = r)) });
    const { token } = await run(url, "taskrs-drain", "plan-slow");
    await waitFor(() => fake.archivistRequests.length === 1);
    const closing = server!.close(5000);
    server = undefined;
    // New work is refused: the port is closed, or a kept-alive connection is answered 503.
    const late = await post(url, Buffer.from("{}"), sign(Buffer.from("{}"), KEY)).then((r) => r.status, () => "refused");
    expect([503, "refused"]).toContain(late);
    setTimeout(release, 30);
    await closing;
    expect((await fake.result("taskrs-drain")).body.data.attributes.status).toBe("failed");
    const msgs = parsedLogs().map((l) => l.msg);
    expect(msgs.indexOf("result sent")).toBeLessThan(msgs.indexOf("shutdown complete"));
    for (const l of parsedLogs()) expect(Object.keys(l).slice(0, 3)).toEqual(["time", "level", "msg"]);
    for (const secret of [token, KEY, ...PLAN_SECRETS]) expect(logs.join("")).not.toContain(secret);
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}
