/**
 * The documented limits on what one input may make the engine do (README "Limits"): how many resource
 * instances a configuration expands (count, for_each and module instances together) and how large
 * one HCL file may be. Past a limit the input is refused with exit 2, never half-judged: a CI job
 * gets a clear message instead of a 30-second, 2 GB run.
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
   * Takes `n` instances for `what` (e.g. `okta_user.u's count of 20000`), declared at `where`; call
   * it before building them, so a huge count is refused without allocating anything.
   */
  take(n: number, what: string, where: string): void {
    this.used += n;
    if (this.used > this.max) {
      throw new InputError(where, `${what} takes the input past ${this.max.toLocaleString("en-US")} resource instances (count, for_each and module instances together), the most identity-posture expands per input`);
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
