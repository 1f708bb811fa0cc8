/**
 * A local fake of the HCP Terraform endpoints a run task calls, on loopback: the plan JSON download
 * (`GET /api/v2/plans/:id/json-output`, answered like HCP Terraform with a 307 to a temporary URL on
 * another origin, the "archivist") and the result callback (`PATCH /api/v2/task-results/:id/callback`).
 * It records every request so tests can check what the run task sent, and can be told to fail.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface CallbackRecord {
  taskResultId: string;
  authorization?: string;
  contentType?: string;
  body: any;
  at: number;
  status: number;
}

export interface PlanBehaviour {
  bytes: Buffer;
  /** Send the body in chunks without Content-Length. */
  chunked?: boolean;
  /** Answer 204 (plan not ready) this many times first. */
  notReadyTimes?: number;
  /** Hold the download until this resolves. */
  gate?: Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

export class FakeHcp {
  readonly plans = new Map<string, PlanBehaviour>();
  /** Plan id → the access token a download must carry. */
  readonly tokens = new Map<string, string>();
  readonly callbacks: CallbackRecord[] = [];
  /** Downloads seen by the API origin and by the archivist origin. */
  readonly planRequests: Array<{ planId: string; authorization?: string }> = [];
  readonly archivistRequests: Array<{ planId: string; authorization?: string }> = [];
  /** Task result id → statuses to answer the callback with, in order (then 200). */
  readonly callbackFailures = new Map<string, number[]>();
  private waiters: Array<{ id: string; resolve: (r: CallbackRecord) => void }> = [];

  private constructor(
    private readonly api: { server: Server; origin: string },
    private readonly archivist: { server: Server; origin: string },
  ) {}

  static async start(): Promise<FakeHcp> {
    let fake: FakeHcp | undefined;
    const api = await listen((req, res) => fake!.handleApi(req, res));
    const archivist = await listen((req, res) => fake!.handleArchivist(req, res));
    fake = new FakeHcp(api, archivist);
    return fake;
  }

  get origin(): string {
    return this.api.origin;
  }

  get archivistOrigin(): string {
    return this.archivist.origin;
  }

  async stop(): Promise<void> {
    for (const s of [this.api.server, this.archivist.server]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  /** Resolves with the first successful callback for `taskResultId` with a final status. */
  result(taskResultId: string): Promise<CallbackRecord> {
    const done = this.callbacks.find((c) => c.taskResultId === taskResultId && c.status === 200);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.push({ id: taskResultId, resolve }));
  }

  attempts(taskResultId: string): CallbackRecord[] {
    return this.callbacks.filter((c) => c.taskResultId === taskResultId);
  }

  private handleApi(req: IncomingMessage, res: ServerResponse): void {
    const plan = /^\/api\/v2\/plans\/([^/]+)\/json-output$/.exec(req.url ?? "");
    if (plan && req.method === "GET") {
      const id = plan[1];
      this.planRequests.push({ planId: id, authorization: req.headers.authorization });
      if (req.headers.authorization !== `Bearer ${this.tokens.get(id)}`) return void res.writeHead(401).end();
      const p = this.plans.get(id);
      if (!p) return void res.writeHead(404).end();
      if (p.notReadyTimes && p.notReadyTimes > 0) {
        p.notReadyTimes--;
        return void res.writeHead(204).end();
      }
      res.writeHead(307, { location: `${this.archivist.origin}/v1/object/${id}?temporary=signed` }).end();
      return;
    }
    const cb = /^\/api\/v2\/task-results\/([^/]+)\/callback$/.exec(req.url ?? "");
    if (cb && req.method === "PATCH") {
      void readAll(req).then((body) => {
        const failures = this.callbackFailures.get(cb[1]) ?? [];
        const status = failures.length > 0 ? failures.shift()! : 200;
        const record: CallbackRecord = {
          taskResultId: cb[1],
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          body: JSON.parse(body.toString("utf8")),
          at: Date.now(),
          status,
        };
        this.callbacks.push(record);
        res.writeHead(status).end();
        if (status === 200) {
          const ready = this.waiters.filter((w) => w.id === record.taskResultId);
          this.waiters = this.waiters.filter((w) => w.id !== record.taskResultId);
          for (const w of ready) w.resolve(record);
        }
      });
      return;
    }
    res.writeHead(404).end();
  }

  private handleArchivist(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/v1\/object\/([^/?]+)/.exec(req.url ?? "");
    const p = m ? this.plans.get(m[1]) : undefined;
    if (!m || !p) return void res.writeHead(404).end();
    this.archivistRequests.push({ planId: m[1], authorization: req.headers.authorization });
    void (p.gate ?? Promise.resolve()).then(() => {
      if (res.destroyed) return;
      if (p.chunked) {
        res.writeHead(200, { "content-type": "application/json" });
        for (let i = 0; i < p.bytes.length; i += 4096) res.write(p.bytes.subarray(i, i + 4096));
        res.end();
      } else res.writeHead(200, { "content-type": "application/json", "content-length": String(p.bytes.length) }).end(p.bytes);
    });
  }

  /** A post-plan payload as HCP Terraform sends it (fields and order from the integration docs' sample). */
  payload(o: { taskResultId: string; planId: string; token: string; stage?: string; organization?: string; workspace?: string }): Record<string, unknown> {
    return {
      payload_version: 1,
      stage: o.stage ?? "post_plan",
      access_token: o.token,
      capabilities: { outcomes: true },
      configuration_version_download_url: `${this.origin}/api/v2/configuration-versions/cv-1/download`,
      configuration_version_id: "cv-1",
      is_speculative: false,
      organization_name: o.organization ?? "acme",
      plan_json_api_url: `${this.origin}/api/v2/plans/${o.planId}/json-output`,
      run_app_url: `${this.origin}/app/acme/ws/runs/run-${o.taskResultId}`,
      run_created_at: "2026-11-29T10:00:00.000Z",
      run_created_by: "someone",
      run_id: `run-${o.taskResultId}`,
      run_message: "Triggered via UI",
      task_result_callback_url: `${this.origin}/api/v2/task-results/${o.taskResultId}/callback`,
      task_result_enforcement_level: "mandatory",
      task_result_id: o.taskResultId,
      vcs_branch: "main",
      vcs_commit_url: null,
      vcs_pull_request_url: null,
      vcs_repo_url: null,
      workspace_app_url: `${this.origin}/app/acme/ws`,
      workspace_id: "ws-1",
      workspace_name: o.workspace ?? "identity",
      workspace_working_directory: "",
    };
  }
}

export function sign(body: Buffer, key: string): string {
  return createHmac("sha512", key).update(body).digest("hex");
}

/** POSTs `body` to the run task like HCP Terraform: JSON, its User-Agent, and the signature header when given. */
export function post(url: string, body: Buffer, signature?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "TFC/1.0 (+https://app.terraform.io; TFC)" };
    if (signature !== undefined) headers["x-tfc-task-signature"] = signature;
    const req = request(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

export function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    })
      .on("error", reject)
      .end();
  });
}
