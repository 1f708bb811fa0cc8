/**
 * The documented limits on what one input may make the engine do (README "Limits"): how many resource
 * instances a configuration expands (count, for_each and module instances together), how large
 * one HCL file may be, and how large a value its expressions may build. Past a limit the input is
 * refused with exit 2, never half-judged: a CI job gets a clear message instead of a 30-second, 2 GB run.
 */
import { InputError } from "../errors";

/** Resource instances one configuration input may expand to: far above any real Okta or Cloudflare estate. */
export const MAX_INSTANCES_PER_INPUT = 100_000;

/**
 * Bytes one `.tf` file may have. HCL is parsed by a WebAssembly build of HashiCorp's parser at about
 * 2.5 s per MB (more for long heredocs); Terraform JSON (`*.tf.json`, cdktf output) has no such limit
 * beyond POSTURE_MAX_INPUT_BYTES.
 */
export const MAX_HCL_FILE_BYTES = 1024 * 1024;

/** Counts the instances of one input as they are expanded, refusing the one that goes past the limit. */
export class InstanceBudget {
  private used = 0;

  constructor(readonly max = MAX_INSTANCES_PER_INPUT) {}

  /**
   * Takes `n` instances for `what` (e.g. `okta_user.u's count of 20000`), declared at `at` (`file:line`);
   * call it before building them, so a huge count is refused without allocating anything. `what` is
   * a function, and `at` is written out, only for a refusal.
   */
  take(n: number, what: () => string, at: { toString(): string }): void {
    this.used += n;
    if (this.used > this.max) {
      throw new InputError(String(at), `${what()} takes the input past ${this.max.toLocaleString("en-US")} resource instances (count, for_each and module instances together), the most identity-posture expands per input`);
    }
  }
}

/** Refuses a `.tf` file over {@link MAX_HCL_FILE_BYTES} before it is parsed. */
export function checkHclSize(text: string, file: string): void {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_HCL_FILE_BYTES) {
    throw new InputError(file, `is ${bytes} bytes of HCL, over the ${MAX_HCL_FILE_BYTES} bytes (1 MiB) identity-posture parses per .tf file; split it, or give its JSON form (*.tf.json)`);
  }
}

/**
 * Size of one value an expression may build, counted as if written out: a string's characters, one
 * per element or key. A few lines of locals that double a list 30 times would otherwise take
 * gigabytes (or end in "Invalid string length"); real configurations stay far below.
 */
export const MAX_VALUE_SIZE = 4 * 1024 * 1024;

/** Expression evaluation steps one configuration input may take (nested `for` over `range` multiplies them). */
export const MAX_EVALUATION_STEPS = 20_000_000;

/**
 * A value or evaluation past {@link MAX_VALUE_SIZE} or {@link MAX_EVALUATION_STEPS}. The configuration
 * evaluator names the declaration that was being evaluated; `file` is a placeholder until then.
 */
export class ValueTooLarge extends InputError {
  constructor(readonly problem: string) {
    super("an expression", problem);
    this.name = "ValueTooLarge";
  }
}

/** Counts evaluation steps of one input and measures the values it builds, refusing past the limits. */
export class ValueBudget {
  private steps = 0;
  /** Sizes of values already measured: values share parts (`[local.a, local.a]`), so each part is measured once. */
  private readonly sizes = new WeakMap<object, number>();

  constructor(
    readonly maxSteps = MAX_EVALUATION_STEPS,
    readonly maxSize = MAX_VALUE_SIZE,
  ) {}

  /** Takes one evaluation step. */
  step(): void {
    if (++this.steps > this.maxSteps) {
      throw new ValueTooLarge(`evaluating the configuration takes more than ${this.maxSteps.toLocaleString("en-US")} expression steps, the most identity-posture takes per input`);
    }
  }

  /** Refuses a string of `length` characters before it is built. */
  checkLength(length: number): void {
    if (length > this.maxSize) throw this.tooLarge();
  }

  /** Refuses a value larger than the limit. */
  check(v: unknown): void {
    if (this.sizeOf(v, 0) > this.maxSize) throw this.tooLarge();
  }

  private sizeOf(v: unknown, depth: number): number {
    if (typeof v === "string") return v.length;
    if (v === null || typeof v !== "object") return 1;
    const known = this.sizes.get(v);
    if (known !== undefined) return known;
    if (depth > 1000) throw new ValueTooLarge("builds a value nested more than 1000 levels deep, the most identity-posture evaluates");
    let size = 1;
    const parts = Array.isArray(v) ? v : Object.entries(v as Record<string, unknown>).flat();
    for (const x of parts) {
      size += this.sizeOf(x, depth + 1);
      // Past the limit the exact size does not matter; stop measuring.
      if (size > this.maxSize) break;
    }
    this.sizes.set(v, size);
    return size;
  }

  private tooLarge(): ValueTooLarge {
    return new ValueTooLarge(`an expression builds a value of more than ${this.maxSize.toLocaleString("en-US")} characters and elements, the most identity-posture evaluates`);
  }
}
