import { CATALOGUE } from "../policies";
import { EMPTY_CONFIG, parseConfig, type PostureConfig } from "../engine/evaluate/config";
import { evaluate, type EvaluationResult } from "../engine/evaluate/evaluate";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadJsonDocument, loadPaths, type VariableSource } from "../engine/load/load";
import type { LoadedInput, Resource } from "../engine/model/model";
import type { Profile } from "../policies/rule";

export type Verdict = "pass" | "fail" | "unknown" | "not-applicable";

/** Loads a Terraform JSON configuration object as the CLI would. */
export function load(tf: object, file = "test.tf.json"): Resource[] {
  const text = JSON.stringify(tf, null, 2);
  return loadJsonDocument(JSON.parse(text), text, file).resources;
}

/** Writes a tree of files (`{"main.tf": "...", "modules/x/main.tf": "..."}`) under a new temp directory; returns its root. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "posture-tree-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Loads a directory as `posture check DIR` does, with command-line variables (`--var`, `--var-file`). */
export async function loadDirectory(dir: string, variables: VariableSource[] = []): Promise<LoadedInput> {
  const [input] = await loadPaths([dir], { variables });
  return input;
}

/** The catalogue's evaluation of a directory, with the loaded input. */
export async function checkDirectory(dir: string, profile: Profile = "recommended", variables: VariableSource[] = []): Promise<EvaluationResult & { input: LoadedInput }> {
  const input = await loadDirectory(dir, variables);
  return { ...evaluate(input.resources, { rules: CATALOGUE, profile, config: EMPTY_CONFIG, unknown: "warn", today: "2026-11-29" }), input };
}

export interface RunOptions {
  profile?: Profile;
  config?: object;
  unknown?: "warn" | "fail";
  today?: string;
}

export function run(tf: object, opts: RunOptions = {}): EvaluationResult {
  const config: PostureConfig = opts.config ? parseConfig(opts.config, "posture.config.json", CATALOGUE) : EMPTY_CONFIG;
  return evaluate(load(tf), { rules: CATALOGUE, profile: opts.profile ?? "recommended", config, unknown: opts.unknown ?? "warn", today: opts.today ?? "2026-11-29" });
}

/**
 * The one verdict of `ruleId` on the configuration (on `address` if given): fail beats unknown beats
 * pass; nothing evaluated is not-applicable.
 */
export function verdictOf(ruleId: string, tf: object, opts: RunOptions & { address?: string } = {}): Verdict {
  const result = run(tf, opts);
  const mine = result.evaluated.filter((e) => e.ruleId === ruleId && (opts.address === undefined || e.address === opts.address));
  if (mine.some((e) => e.outcome === "fail")) return "fail";
  if (mine.some((e) => e.outcome === "unknown")) return "unknown";
  if (mine.some((e) => e.outcome === "pass")) return "pass";
  return "not-applicable";
}

/** Finds of one rule, for message assertions. */
export function findingsOf(ruleId: string, tf: object, opts: RunOptions = {}) {
  return run(tf, opts).findings.filter((f) => f.ruleId === ruleId);
}

/** A resource block: `res("okta_log_stream", "x", {...})`. */
export function res(type: string, name: string, body: object): object {
  return { resource: { [type]: { [name]: body } } };
}

/** Merges configurations (resources of several types, variables, locals). */
export function tf(...parts: object[]): object {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const p of parts) {
    for (const [block, byType] of Object.entries(p)) {
      out[block] ??= {};
      for (const [type, byName] of Object.entries(byType as Record<string, Record<string, unknown>>)) {
        if (block === "locals") (out[block] as Record<string, unknown>)[type] = byName;
        else out[block][type] = { ...(out[block][type] ?? {}), ...byName };
      }
    }
  }
  return out;
}

/** A variable with no default: its value is unknown until plan time. */
export const unknownVar = (name: string, sensitive = false) => ({ variable: { [name]: sensitive ? { type: "string", sensitive: true } : { type: "string" } } });

export interface Case {
  name: string;
  tf: object;
  expect: Verdict;
  profile?: Profile;
  address?: string;
}

/** Table-driven rule tests: every case under its profile (both profiles when not given). */
export function cases(ruleId: string, table: Case[]): void {
  describe(ruleId, () => {
    for (const c of table) {
      const profiles: Profile[] = c.profile ? [c.profile] : ["recommended", "strict"];
      for (const profile of profiles) {
        it(`${c.name} (${profile}) -> ${c.expect}`, () => {
          expect(verdictOf(ruleId, c.tf, { profile, address: c.address })).toBe(c.expect);
        });
      }
    }
    it("has passing, failing and unknown cases", () => {
      const kinds = new Set(table.map((c) => c.expect));
      expect(kinds.has("pass") && kinds.has("fail") && kinds.has("unknown")).toBe(true);
    });
  });
}
