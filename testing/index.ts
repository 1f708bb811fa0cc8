/**
 * Helpers for users' own tests: evaluate a CDKTF app or stack, or a synthesized Terraform JSON configuration
 * (a parsed `cdk.tf.json`, or `Testing.synth(stack)` output, which lacks construct paths and in-code
 * waivers), and assert compliance with jest matchers. Importing this module needs neither a running
 * jest nor cdktf; `setupPostureMatchers()` registers the matchers.
 */
import { EMPTY_CONFIG, type PostureConfig } from "../engine/evaluate/config";
import { evaluate, type EvaluationResult, type Finding } from "../engine/evaluate/evaluate";
import { loadJsonDocument } from "../engine/load/load";
import type { LoadedInput } from "../engine/model/model";
import type { PackSource } from "../engine/evaluate/packs";
import type { Rule } from "../engine/model/rule";
import { catalogueWith } from "../policies";
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
  /** Count only these rule ids (e.g. a construct's own rules, leaving scope rules to the whole app). Default: every rule. */
  only?: string[];
  /**
   * Rule packs to run besides the built-in catalogue: pack objects, or module paths (relative to the
   * working directory), added to the config's `packs`. Default: none.
   */
  packs?: readonly PackSource[];
}

/** A CDKTF app or stack (or any construct in one), or a Terraform JSON configuration as text or object. */
export type PostureSubject = string | object;

function isConstruct(x: unknown): boolean {
  return x !== null && typeof x === "object" && "node" in x && typeof (x as { node: { path?: unknown } }).node?.path === "string";
}

/**
 * The subject's inputs: a construct inside a stack through that stack's final Terraform JSON
 * (overrides and waivers included); an app (or any construct above the stacks) through every stack
 * under it, judged together as the synth-time check's app scope does.
 */
function inputsOf(subject: PostureSubject): LoadedInput[] {
  if (isConstruct(subject)) {
    // Loaded only for constructs, so engine-only users need no cdktf.
    const { TerraformStack, Testing } = require("cdktf") as typeof import("cdktf");
    const { stackInput } = require("../constructs/stack-model") as typeof import("../constructs/stack-model");
    const construct = subject as import("constructs").IConstruct;
    const within = construct.node.scopes.slice().reverse().find((c) => TerraformStack.isStack(c));
    const stacks = within ? [within as import("cdktf").TerraformStack] : construct.node.findAll().filter((c): c is import("cdktf").TerraformStack => TerraformStack.isStack(c));
    if (stacks.length === 0) throw new Error(`identity-posture: ${construct.node.path || "the app"} has no TerraformStack to evaluate`);
    return stacks.map((stack) => {
      Testing.synth(stack); // runs the stack's aspects (waiver writers), as a real synth does
      return stackInput(stack);
    });
  }
  const text = typeof subject === "string" ? subject : JSON.stringify(subject);
  const doc = typeof subject === "string" ? JSON.parse(subject) : subject;
  return [loadJsonDocument(doc, text, "synthesized.tf.json")];
}

/** Evaluates an app, a stack or a Terraform JSON configuration. */
export function evaluatePosture(subject: PostureSubject, opts: PostureTestOptions = {}): EvaluationResult {
  const config = opts.config ?? EMPTY_CONFIG;
  const rules = rulesFor(config, opts);
  requireKnownRules(opts.only ?? [], "only", rules);
  const inputs = inputsOf(subject);
  return evaluate(
    inputs.flatMap((i) => i.resources),
    {
      rules,
      profile: opts.profile ?? "recommended",
      config: { ...config, waivers: [...config.waivers, ...inputs.flatMap((i) => i.waivers ?? [])] },
      unknown: opts.unknownAsFailure ? "fail" : "warn",
      today: opts.today ?? new Date().toISOString().slice(0, 10),
    },
  );
}

/** The catalogue plus the config's and the options' packs. */
function rulesFor(config: PostureConfig, opts: PostureTestOptions): readonly Rule[] {
  return catalogueWith([...(config.packs ?? []), ...(opts.packs ?? [])]);
}

/** A typo'd rule id must fail the test, never make the matcher pass vacuously (as `Posture.waive` refuses one). */
function requireKnownRules(ids: readonly string[], where: string, rules: readonly Rule[]): void {
  for (const id of ids) {
    if (!rules.some((r) => r.id === id)) throw new Error(`identity-posture: ${where}: no rule ${JSON.stringify(id)} in the catalogue or the packs (see \`posture rules\`)`);
  }
}

/** Failing findings of severity error (the ones that fail `posture check`), of the `only` rules if given. */
export function blockingFindings(result: EvaluationResult, only?: string[]): Finding[] {
  return result.findings.filter((f) => f.outcome === "fail" && f.severity === "error" && (only === undefined || only.includes(f.ruleId)));
}

function describeFinding(f: Finding): string {
  return `  ${f.ruleId} ${f.address}${f.attribute ? ` ${f.attribute}` : ""}: ${f.message}`;
}

/** Where a rule was judged and how: what a failing `toViolate` says instead of only "found none". */
function whereJudged(result: EvaluationResult, ruleId: string): string {
  const seen = result.evaluated.filter((e) => e.ruleId === ruleId);
  if (seen.length === 0) return `${ruleId} applied to nothing here (no resource of its types, or its provider is not used).`;
  const byOutcome = new Map<string, string[]>();
  for (const e of seen) byOutcome.set(e.outcome, [...(byOutcome.get(e.outcome) ?? []), e.constructPath ? `${e.address} (${e.constructPath})` : e.address]);
  return `${ruleId} was judged: ${[...byOutcome].map(([outcome, where]) => `${outcome === "fail" ? "failed" : outcome === "pass" ? "passed" : outcome} on ${where.join(", ")}`).join("; ")}.`;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export const postureMatchers = {
  /** Passes when the configuration has no failing error finding under the profile. */
  toBeCompliant(received: PostureSubject, opts: PostureTestOptions = {}): MatcherResult {
    requireKnownRules(opts.only ?? [], "toBeCompliant only", rulesFor(opts.config ?? EMPTY_CONFIG, opts));
    const failing = blockingFindings(evaluatePosture(received, opts), opts.only);
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length === 0
          ? `expected violations under ${opts.profile ?? "recommended"}, found none`
          : `expected no violations under ${opts.profile ?? "recommended"}, found ${failing.length}:\n${failing.map(describeFinding).join("\n")}`,
    };
  },

  /** Passes when the rule fails (not waived) on the configuration, on `address` if given. */
  toViolate(received: PostureSubject, ruleId: string, opts: PostureTestOptions & { address?: string } = {}): MatcherResult {
    requireKnownRules([ruleId], "toViolate", rulesFor(opts.config ?? EMPTY_CONFIG, opts));
    const result = evaluatePosture(received, opts);
    const hits = result.findings.filter((f) => f.ruleId === ruleId && f.outcome === "fail" && (opts.address === undefined || f.address === opts.address));
    return {
      pass: hits.length > 0,
      message: () =>
        hits.length > 0
          ? `expected no ${ruleId} violation, found:\n${hits.map(describeFinding).join("\n")}`
          : `expected a ${ruleId} violation${opts.address ? ` on ${opts.address}` : ""}, found none. ${whereJudged(result, ruleId)}`,
    };
  },
};

export { testRuleFixtures, verdictOnFixture, fixturesIn, type RuleFixtureOptions, type FixtureVerdict } from "./rule-fixtures";

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
