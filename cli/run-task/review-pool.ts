/**
 * Runs reviews on worker threads, one plan per worker at a time, when the compiled worker file is
 * there (the built package and the container image); from TypeScript sources (the unit tests) it runs
 * them in-process with the same function. A worker that dies mid-review fails that review only and
 * is replaced by a new one on the next review.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { type ReviewJob, type ReviewJobResult, runReviewJob } from "./review-bytes";

const WORKER_FILE = join(__dirname, "review-worker.js");

export class ReviewPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  /** `threads` false runs every review in-process. Default: threads when the compiled worker exists. */
  constructor(readonly threads: boolean = __filename.endsWith(".js") && existsSync(WORKER_FILE)) {}

  run(job: ReviewJob): Promise<ReviewJobResult> {
    if (!this.threads) return Promise.resolve(runReviewJob(job));
    const worker = this.idle.pop() ?? this.spawn();
    return new Promise((resolve) => {
      const done = (result: ReviewJobResult, reusable: boolean) => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (reusable) this.idle.push(worker);
        else this.discard(worker);
        resolve(result);
      };
      const onMessage = (result: ReviewJobResult) => done(result, true);
      const onError = (e: Error) => done({ ok: false, internal: e.name || "WorkerError" }, false);
      const onExit = () => done({ ok: false, internal: "WorkerExited" }, false);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(job);
    });
  }

  /** Stops every worker (after the server has drained). */
  async close(): Promise<void> {
    const workers = [...this.all];
    this.idle.length = 0;
    this.all.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const w = new Worker(WORKER_FILE);
    this.all.add(w);
    // A worker that fails or exits while idle is forgotten; one busy with a review also fails that review.
    w.on("error", () => undefined);
    w.on("exit", () => this.forget(w));
    return w;
  }

  private forget(w: Worker): void {
    this.all.delete(w);
    const i = this.idle.indexOf(w);
    if (i >= 0) this.idle.splice(i, 1);
  }

  private discard(w: Worker): void {
    this.forget(w);
    void w.terminate();
  }
}
