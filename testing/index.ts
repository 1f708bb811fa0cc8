/**
 * Helpers for users' own tests: evaluate a synthesized Terraform JSON configuration (cdktf's
 * `Testing.synth(stack)` output, or a parsed `cdk.tf.json`) and assert compliance with jest matchers.
 * Importing this module needs no running jest; `setupPostureMatchers()` registers the matchers.
 */
import { EMPTY_CONFIG, type PostureConfig } from "../engine/config";
import { evaluate, type EvaluationResult, type Finding } from "../engine/evaluate";
import { loadJsonDocument } from "../engine/load";
import type { Profile } from "../policies/rule";

export interface PostureTestOptions {
  /** Default `recommended`. */
  profile?: Profile;
  /** Thresholds, disabled rules and waivers, as in posture.config.json. Default none. */
  config?: PostureConfig;
  /** Count unknown verdicts as failures. Default false. */
  unknownAsFailure?: boolean;
  /** Today's date for waiver expiry (YYYY-MM-DD). Default: today. */
  today?: string;
}

/** Evaluates a Terraform JSON configuration, given as text or as an object. */
export function evaluateTerraformJson(config: string | object, opts: PostureTestOptions = {}): EvaluationResult {
  const text = typeof config === "string" ? config : JSON.stringify(config);
  const doc = typeof config === "string" ? JSON.parse(config) : config;
  const input = loadJsonDocument(doc, text, "synthesized.tf.json");
  return evaluate(input.resources, {
    profile: opts.profile ?? "recommended",
    config: opts.config ?? EMPTY_CONFIG,
    unknown: opts.unknownAsFailure ? "fail" : "warn",
    today: opts.today ?? new Date().toISOString().slice(0, 10),
  });
}

/** Failing findings of severity error, the ones that fail `posture check`. */
export function blockingFindings(result: EvaluationResult): Finding[] {
  return result.findings.filter((f) => f.outcome === "fail" && f.severity === "error");
}

function describeFinding(f: Finding): string {
  return `  ${f.ruleId} ${f.address}${f.attribute ? ` ${f.attribute}` : ""}: ${f.message}`;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export const postureMatchers = {
  /** Passes when the configuration has no failing error finding under the profile. */
  toBeCompliant(received: string | object, opts: PostureTestOptions = {}): MatcherResult {
    const failing = blockingFindings(evaluateTerraformJson(received, opts));
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length === 0
          ? `expected violations under ${opts.profile ?? "recommended"}, found none`
          : `expected no violations under ${opts.profile ?? "recommended"}, found ${failing.length}:\n${failing.map(describeFinding).join("\n")}`,
    };
  },

  /** Passes when the rule fails (not waived) on the configuration, on `address` if given. */
  toViolate(received: string | object, ruleId: string, opts: PostureTestOptions & { address?: string } = {}): MatcherResult {
    const result = evaluateTerraformJson(received, opts);
    const hits = result.findings.filter((f) => f.ruleId === ruleId && f.outcome === "fail" && (opts.address === undefined || f.address === opts.address));
    return {
      pass: hits.length > 0,
      message: () =>
        hits.length > 0
          ? `expected no ${ruleId} violation, found:\n${hits.map(describeFinding).join("\n")}`
          : `expected a ${ruleId} violation${opts.address ? ` on ${opts.address}` : ""}, found none`,
    };
  },
};

/** Registers the matchers with jest's `expect` (the global one unless given). */
export function setupPostureMatchers(expectApi?: { extend(matchers: object): void }): void {
  const e = expectApi ?? (globalThis as { expect?: { extend(m: object): void } }).expect;
  if (!e) throw new Error("setupPostureMatchers: no jest expect found; call it from a jest setup file or pass expect");
  e.extend(postureMatchers);
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeCompliant(opts?: PostureTestOptions): R;
      toViolate(ruleId: string, opts?: PostureTestOptions & { address?: string }): R;
    }
  }
}
