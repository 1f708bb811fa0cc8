/**
 * The two calls the run task makes to HCP Terraform, bounded: download the plan JSON (following the
 * temporary redirect `GET /plans/:id/json-output` answers with, size- and time-limited, held in memory
 * only) and PATCH the result, retried with exponential backoff on network errors, 429 and 5xx.
 *
 * The run's access token goes only to a trusted origin (HCP Terraform's, or the Terraform Enterprise
 * host the operator names) and never across a redirect to another origin: the redirect target is a
 * self-authenticating temporary URL (https://developer.hashicorp.com/terraform/cloud-docs/api-docs/plans#retrieve-the-json-execution-plan).
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { TOOL } from "../../report/report";
import { JSON_API } from "./protocol";

/** An HTTP call that did not succeed; `retryable` says whether trying again could help. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds the server asked to wait (Retry-After), if it said. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Origins (scheme://host[:port]) that may receive the run's access token. */
export class TrustedOrigins {
  private readonly origins: ReadonlySet<string>;

  constructor(urls: readonly string[]) {
    this.origins = new Set(urls.map((u) => new URL(u).origin));
  }

  has(url: string): boolean {
    try {
      return this.origins.has(new URL(url).origin);
    } catch {
      return false;
    }
  }

  list(): string[] {
    return [...this.origins].sort();
  }
}

const MAX_REDIRECTS = 3;
const USER_AGENT = `${TOOL.name}/${TOOL.version}`;

interface Exchange {
  status: number;
  location?: string;
  retryAfter?: number;
  body: Buffer;
}

/** One request; the body is read up to `maxBytes` (beyond that the response is destroyed). */
function exchange(url: URL, method: string, headers: Record<string, string>, payload: Buffer | undefined, maxBytes: number, signal: AbortSignal): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : url.protocol === "http:" ? httpRequest : undefined;
    if (!send) return reject(new HttpError(`unsupported URL scheme ${url.protocol}`, false));
    const req = send(url, { method, headers: { "user-agent": USER_AGENT, ...headers, ...(payload ? { "content-length": String(payload.length) } : {}) }, signal }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        res.destroy();
        return reject(new HttpError(`the response is ${declared} bytes, over the limit of ${maxBytes} bytes`, false, status));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          res.destroy();
          reject(new HttpError(`the response is over the limit of ${maxBytes} bytes`, false, status));
          return;
        }
        chunks.push(c);
      });
      res.on("error", (e) => reject(new HttpError(signal.aborted ? "timed out" : `the response was cut off (${e.message})`, true, status)));
      res.on("end", () => {
        const ra = Number(res.headers["retry-after"]);
        resolve({ status, location: res.headers.location, retryAfter: Number.isFinite(ra) ? ra : undefined, body: Buffer.concat(chunks) });
      });
    });
    req.on("error", (e) => reject(signal.aborted ? new HttpError("timed out", true) : new HttpError(`request failed (${(e as NodeJS.ErrnoException).code ?? e.message})`, true)));
    req.end(payload);
  });
}

function statusError(what: string, x: Exchange): HttpError {
  const retryable = x.status === 429 || x.status >= 500;
  return new HttpError(`${what} answered HTTP ${x.status}`, retryable, x.status, x.retryAfter);
}

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

/**
 * GETs the plan JSON: the access token is sent to `url` (which must be trusted) and to nothing on
 * another origin; redirects are followed to an https URL or a trusted origin. 204 means the plan JSON
 * is not ready yet (retryable).
 */
export async function fetchPlanJson(url: string, token: string, trusted: TrustedOrigins, limits: FetchLimits): Promise<Buffer> {
  if (!trusted.has(url)) throw new HttpError("plan_json_api_url is not on a trusted HCP Terraform origin (--hcp-url)", false);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const origin = new URL(url).origin;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = { accept: "application/json", "content-type": JSON_API };
    if (current.origin === origin) headers.authorization = `Bearer ${token}`;
    const x = await exchange(current, "GET", headers, undefined, limits.maxBytes, signal);
    if (x.status >= 300 && x.status < 400 && x.location) {
      if (hop >= MAX_REDIRECTS) throw new HttpError(`the plan download redirected more than ${MAX_REDIRECTS} times`, false);
      const next = new URL(x.location, current);
      if (next.protocol !== "https:" && !trusted.has(next.href)) throw new HttpError("the plan download redirected to a URL that is neither https nor a trusted origin", false);
      current = next;
      continue;
    }
    if (x.status === 204) throw new HttpError("the plan JSON is not ready yet (HTTP 204)", true, 204);
    if (x.status !== 200) throw statusError("the plan download", x);
    return x.body;
  }
}

/** PATCHes a task result to the callback URL (which must be trusted) with the run's access token. */
export async function patchTaskResult(url: string, token: string, body: unknown, trusted: TrustedOrigins, timeoutMs: number): Promise<void> {
  if (!trusted.has(url)) throw new HttpError("task_result_callback_url is not on a trusted HCP Terraform origin (--hcp-url)", false);
  const payload = Buffer.from(JSON.stringify(body));
  const x = await exchange(new URL(url), "PATCH", { authorization: `Bearer ${token}`, "content-type": JSON_API, accept: JSON_API }, payload, 1024 * 1024, AbortSignal.timeout(timeoutMs));
  if (x.status < 200 || x.status >= 300) throw statusError("the result callback", x);
}

export interface Backoff {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the second attempt; each later delay doubles, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

/**
 * Runs `call` until it succeeds, it fails with a non-retryable error, or `attempts` are used up;
 * waits base·2ⁿ (half of it jittered, and at least what a Retry-After asked for, capped at maxMs)
 * between attempts. `onRetry` hears each failure that will be retried.
 */
export async function withRetries<T>(call: () => Promise<T>, backoff: Backoff, onRetry: (e: HttpError, attempt: number, delayMs: number) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const err = e instanceof HttpError ? e : new HttpError((e as Error).message, true);
      if (!err.retryable || attempt >= backoff.attempts) throw Object.assign(err, { attempts: attempt });
      const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1));
      const delay = Math.min(backoff.maxMs, Math.max(exp / 2 + Math.random() * (exp / 2), (err.retryAfter ?? 0) * 1000));
      onRetry(err, attempt, Math.round(delay));
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
