/**
 * A bounded work queue: at most `concurrency` jobs run at once and at most `capacity` wait. A job
 * offered while one with the same key is waiting or running is not run twice (HCP Terraform retries
 * a request whose 200 it did not see). When the queue is full the caller answers 503, so the sender
 * retries later instead of the server growing without bound.
 */
export type Offer = "accepted" | "duplicate" | "full" | "closed";

export class WorkQueue {
  private readonly waiting: Array<{ key: string; job: () => Promise<void> }> = [];
  private readonly keys = new Set<string>();
  private active = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly capacity: number,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("concurrency must be a positive integer");
    if (!Number.isInteger(capacity) || capacity < 0) throw new Error("capacity must be a non-negative integer");
  }

  offer(key: string, job: () => Promise<void>): Offer {
    if (this.closed) return "closed";
    if (this.keys.has(key)) return "duplicate";
    if (this.active >= this.concurrency && this.waiting.length >= this.capacity) return "full";
    this.keys.add(key);
    this.waiting.push({ key, job });
    this.pump();
    return "accepted";
  }

  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Refuses new jobs; those already accepted still run. */
  close(): void {
    this.closed = true;
  }

  /** Resolves when no job is waiting or running. */
  idle(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const { key, job } = this.waiting.shift()!;
      this.active++;
      // A job reports its own failures; one that throws anyway must not stop the queue.
      job()
        .catch(() => undefined)
        .finally(() => {
          this.active--;
          this.keys.delete(key);
          this.pump();
          if (this.active === 0 && this.waiting.length === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
