/**
 * The run task server: answers HCP Terraform's POST at once (200 when the request is queued, 401 when
 * its signature is wrong, 503 when the queue is full, so HCP Terraform retries), then, off the
 * request, downloads the plan JSON, reviews it in memory (on a worker thread when running compiled)
 * and PATCHes the result to the callback URL.
 * `GET /healthz` reports readiness; `close()` stops taking requests and lets accepted ones finish.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Profile } from "../../policies/rule";
import type { ConfigSource } from "./configs";
import { type Backoff, fetchPlanJson, HttpError, patchTaskResult, type TrustedOrigins, withRetries } from "./http-client";
import type { Logger } from "./log";
import { errorResult, PLAN_STAGES, readRunTaskRequest, type RunTaskRequest, SIGNATURE_HEADER, signatureMatches, type TaskResultBody, VERIFICATION_TOKEN } from "./protocol";
import { ReviewPool } from "./review-pool";
import { WorkQueue } from "./work-queue";

export interface RunTaskServerOptions {
  /** The HMAC key configured on the run task in HCP Terraform. */
  hmacKey: Buffer;
  configs: ConfigSource;
  /** Origins that may receive a run's access token (plan download and callback). */
  trusted: TrustedOrigins;
  log: Logger;
  /** Reviews running at once. Default 2. */
  concurrency?: number;
  /** Accepted requests waiting for a free slot; past this a request gets 503. Default 64. */
  queueSize?: number;
  /** Largest plan JSON downloaded, in bytes. Default 256 MiB. */
  maxPlanBytes?: number;
  /** Time allowed for one plan download, redirects and body included. Default 60 s. */
  fetchTimeoutMs?: number;
  /** Retries of the plan download (204, 429, 5xx, network). Default 3 attempts from 1 s. */
  fetchBackoff?: Backoff;
  /** Retries of the result callback. Default 6 attempts from 1 s, at most 30 s apart. */
  callbackBackoff?: Backoff;
  /** Time allowed for one callback attempt. Default 30 s. */
  callbackTimeoutMs?: number;
  profile?: Profile;
  unknown?: "warn" | "fail";
  failOn?: "new" | "any";
  /** Today (YYYY-MM-DD) for waiver expiry; default the current UTC date. */
  today?: () => string;
  /** Review on worker threads; default: when running compiled (the package, the image). */
  reviewThreads?: boolean;
}

export interface RunTaskServer {
  /** The bound address (port 0 picks a free one). */
  address(): AddressInfo;
  /** Stops accepting requests, lets accepted ones finish (at most `drainMs`), then closes. */
  close(drainMs?: number): Promise<void>;
}

/** Largest request body accepted (a run task payload is a few kilobytes). */
const MAX_REQUEST_BYTES = 1024 * 1024;

function reply(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { "content-type": "application/json" } : {}), ...headers });
  res.end(text);
}

function isVerification(doc: unknown): boolean {
  return doc !== null && typeof doc === "object" && (doc as Record<string, unknown>).access_token === VERIFICATION_TOKEN;
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_REQUEST_BYTES) {
        resolve("too-large");
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function startRunTaskServer(opts: RunTaskServerOptions, port: number, host = "127.0.0.1"): Promise<RunTaskServer> {
  const log = opts.log;
  const queue = new WorkQueue(opts.concurrency ?? 2, opts.queueSize ?? 64);
  const pool = new ReviewPool(opts.reviewThreads);
  const fetchBackoff = opts.fetchBackoff ?? { attempts: 3, baseMs: 1000, maxMs: 10_000 };
  const callbackBackoff = opts.callbackBackoff ?? { attempts: 6, baseMs: 1000, maxMs: 30_000 };
  let draining = false;

  const ids = (r: RunTaskRequest) => ({ run_id: r.runId, task_result_id: r.taskResultId, organization: r.organization, workspace: r.workspace, stage: r.stage });

  async function callback(r: RunTaskRequest, body: TaskResultBody): Promise<void> {
    const started = Date.now();
    try {
      await withRetries(
        () => patchTaskResult(r.callbackUrl, r.accessToken, body, opts.trusted, opts.callbackTimeoutMs ?? 30_000),
        callbackBackoff,
        (e, attempt, delayMs) => log.log("warn", "result callback failed; retrying", { ...ids(r), attempt, retry_in_ms: delayMs, http_status: e.status, error: e.message }),
      );
      log.log("info", "result sent", { ...ids(r), status: body.data.attributes.status, outcomes: body.data.relationships?.outcomes.data.length ?? 0, duration_ms: Date.now() - started });
    } catch (e) {
      const err = e as HttpError & { attempts?: number };
      log.log("error", "result callback failed; giving up", { ...ids(r), attempts: err.attempts, http_status: err.status, error: err.message, status: body.data.attributes.status });
    }
  }

  async function judge(r: RunTaskRequest): Promise<TaskResultBody> {
    if (!PLAN_STAGES.includes(r.stage)) {
      return errorResult(`the run task is attached at stage "${r.stage}"; attach it at post-plan (or pre-apply), where HCP Terraform sends the plan JSON`);
    }
    if (!r.planJsonUrl) return errorResult("the request has no plan_json_api_url");
    let bytes: Buffer;
    try {
      bytes = await withRetries(
        () => fetchPlanJson(r.planJsonUrl!, r.accessToken, opts.trusted, { maxBytes: opts.maxPlanBytes ?? 256 * 1024 ** 2, timeoutMs: opts.fetchTimeoutMs ?? 60_000 }),
        fetchBackoff,
        (e, attempt, delayMs) => log.log("warn", "plan download failed; retrying", { ...ids(r), attempt, retry_in_ms: delayMs, http_status: e.status, error: e.message }),
      );
    } catch (e) {
      const message = e instanceof HttpError ? e.message : "the plan could not be downloaded";
      log.log("error", "plan download failed", { ...ids(r), error: message });
      return errorResult(`could not download the plan JSON: ${message}`);
    }
    const started = Date.now();
    const config = opts.configs.resolve(r.organization, r.workspace);
    const today = opts.today?.() ?? new Date().toISOString().slice(0, 10);
    const result = await pool.run({
      bytes,
      name: `plan of ${r.organization}/${r.workspace} ${r.runId}`,
      settings: { config, profile: opts.profile, unknown: opts.unknown ?? "warn", failOn: opts.failOn ?? "new", today },
      acceptsOutcomes: r.acceptsOutcomes,
    });
    if (result.ok) {
      const s = result.summary;
      log.log("info", "plan reviewed", { ...ids(r), plan_bytes: bytes.length, errors: s.errors, warnings: s.warnings, unknown: s.unknown, waived: s.waived, passed: s.passed, config: config.file, worker_thread: pool.threads, duration_ms: Date.now() - started });
      return result.body;
    }
    if (result.inputError) {
      log.log("error", "plan could not be reviewed", { ...ids(r), error: result.inputError });
      return errorResult(result.inputError);
    }
    log.log("error", "internal error while reviewing", { ...ids(r), error: result.internal });
    return errorResult("internal error in identity-posture (see the server log)");
  }

  async function handleTask(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === "too-large") return reply(res, 413, { error: "request body too large" });
    const signature = req.headers[SIGNATURE_HEADER];
    if (!signatureMatches(body, typeof signature === "string" ? signature : undefined, opts.hmacKey)) {
      log.log("warn", "request rejected: missing or wrong X-TFC-Task-Signature", { remote: req.socket.remoteAddress, bytes: body.length });
      return reply(res, 401, { error: "unauthorized" });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body.toString("utf8"));
    } catch {
      return reply(res, 400, { error: "the body is not JSON" });
    }
    // The test POST HCP Terraform sends when the task is created needs only a 200, whatever else it holds.
    if (isVerification(doc)) {
      log.log("info", "verification request answered", {});
      return reply(res, 200);
    }
    const r = readRunTaskRequest(doc);
    if ("problem" in r) {
      log.log("warn", "request rejected", { error: r.problem });
      return reply(res, 400, { error: r.problem });
    }
    if (!opts.trusted.has(r.callbackUrl)) {
      log.log("error", "request rejected: task_result_callback_url is not on a trusted origin (--hcp-url)", { ...ids(r), trusted: opts.trusted.list().join(" ") });
      return reply(res, 400, { error: "task_result_callback_url is not on a trusted origin" });
    }
    if (draining) return reply(res, 503, { error: "shutting down" }, { "retry-after": "30" });
    const offered = queue.offer(r.taskResultId || r.callbackUrl, async () => callback(r, await judge(r)));
    if (offered === "full" || offered === "closed") {
      log.log("warn", "request refused: queue full", { ...ids(r), queued: queue.queued, running: queue.running });
      return reply(res, 503, { error: "busy" }, { "retry-after": "10" });
    }
    log.log("info", offered === "duplicate" ? "request already queued" : "request accepted", { ...ids(r), speculative: r.isSpeculative, queued: queue.queued, running: queue.running });
    reply(res, 200);
  }

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      return reply(res, draining ? 503 : 200, { status: draining ? "draining" : "ok", queued: queue.queued, running: queue.running });
    }
    if (path === "/" && req.method === "POST") {
      handleTask(req, res).catch(() => {
        if (!res.headersSent) reply(res, 500, { error: "internal error" });
      });
      return;
    }
    reply(res, path === "/" || path === "/healthz" ? 405 : 404, { error: "not found" });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      log.log("info", "run task server listening", { address: address.address, port: address.port, trusted: opts.trusted.list().join(" "), configs: opts.configs.files });
      resolve({
        address: () => address,
        async close(drainMs = 30_000) {
          draining = true;
          queue.close();
          log.log("info", "shutting down: finishing accepted requests", { queued: queue.queued, running: queue.running });
          const closed = new Promise<void>((r) => server.close(() => r()));
          server.closeIdleConnections();
          let timer: NodeJS.Timeout | undefined;
          const drained = await Promise.race([queue.idle().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), drainMs)))]);
          clearTimeout(timer);
          if (!drained) log.log("error", "shutdown: gave up waiting for accepted requests", { queued: queue.queued, running: queue.running });
          server.closeAllConnections();
          await closed;
          await pool.close();
          log.log("info", "shutdown complete", {});
        },
      });
    });
  });
}
