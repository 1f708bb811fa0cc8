/**
 * The rule-test harness: a rule's test cases are Terraform files kept beside the rule, in a folder
 * per expected verdict (`pass/`, `fail/`, `unknown/`, optionally `not-applicable/`), and one jest
 * call turns each file into a test. A fixture named `*.strict.tf` (or `*.recommended.tf`) is judged under that profile only; any other
 * under both. Every rule needs at least one fixture of each verdict, so a rule that could never fail,
 * or never say unknown, does not pass its own tests.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { EMPTY_CONFIG, type PostureConfig } from "../engine/evaluate/config";
import { evaluate } from "../engine/evaluate/evaluate";
import { loadPaths } from "../engine/load/load";
import { withPacks } from "../engine/evaluate/packs";
import { PACK_ID, PROFILES, type Profile, type ResourceRule, type ScopeRule } from "../engine/model/rule";

export type FixtureVerdict = "pass" | "fail" | "unknown" | "not-applicable";
const EXPECTED = ["pass", "fail", "unknown"] as const;
/** Folders by verdict; `not-applicable/` is optional (a resource the rule does not cover). */
const FOLDERS = [...EXPECTED, "not-applicable"] as const;
const INPUT = /\.(tf|tf\.json|json)$/;

export interface RuleFixtureOptions {
  /** Thresholds, disabled rules and waivers to judge the fixtures with. Default: none. */
  config?: PostureConfig;
  /** Today's date for waiver expiry (YYYY-MM-DD). Default 2026-01-01, so results never depend on the clock. */
  today?: string;
}

/** The profiles a fixture is judged under: the one its name gives (`x.strict.tf`), else both. */
export function fixtureProfiles(file: string): Profile[] {
  const named = PROFILES.find((p) => basename(file).replace(INPUT, "").endsWith(`.${p}`));
  return named ? [named] : [...PROFILES];
}

/**
 * The rule's verdict on one fixture file under a profile: fail if any evaluation fails, else unknown if
 * any is unknown, else pass if any passes, else not-applicable.
 */
export async function verdictOnFixture(rule: ResourceRule | ScopeRule, file: string, profile: Profile, opts: RuleFixtureOptions = {}): Promise<FixtureVerdict> {
  const inputs = await loadPaths([file], { maxBytes: 10 * 1024 * 1024 });
  // A pack rule is loaded as a pack (its shape checked, run under the guard); a built-in one as is.
  const rules = PACK_ID.test(rule.id) ? withPacks([], [[rule]]) : [rule];
  const result = evaluate(
    inputs.flatMap((i) => i.resources),
    { rules, profile, config: opts.config ?? EMPTY_CONFIG, unknown: "warn", today: opts.today ?? "2026-01-01" },
  );
  const mine = result.evaluated.filter((e) => e.ruleId === rule.id);
  if (mine.some((e) => e.outcome === "fail")) return "fail";
  if (mine.some((e) => e.outcome === "unknown")) return "unknown";
  if (mine.some((e) => e.outcome === "pass")) return "pass";
  return "not-applicable";
}

/** The fixture files under `dir`, by expected verdict. */
export function fixturesIn(dir: string): Record<(typeof FOLDERS)[number], string[]> {
  const out = { pass: [] as string[], fail: [] as string[], unknown: [] as string[], "not-applicable": [] as string[] };
  for (const v of FOLDERS) {
    const sub = join(dir, v);
    if (existsSync(sub)) out[v] = readdirSync(sub).filter((f) => INPUT.test(f)).sort().map((f) => join(sub, f));
  }
  return out;
}

/**
 * Declares one jest test per fixture under `dir` (`dir/pass/*.tf`, `dir/fail/*.tf`,
 * `dir/unknown/*.tf`, optionally `dir/not-applicable/*.tf`; `.tf.json` too), each expecting the
 * rule's verdict to match its folder, plus one test that pass, fail and unknown each have a fixture. Call it at the top level of a test file:
 *
 *     testRuleFixtures(noAdminGroupRules, join(__dirname, "no-admin-group-rules.fixtures"));
 */
export function testRuleFixtures(rule: ResourceRule | ScopeRule, dir: string, opts: RuleFixtureOptions = {}): void {
  const g = globalThis as unknown as { describe?: (n: string, f: () => void) => void; it?: (n: string, f: () => Promise<void> | void) => void; expect?: (x: unknown) => { toEqual(y: unknown): void } };
  if (!g.describe || !g.it || !g.expect) throw new Error("testRuleFixtures: call it from a jest test file (describe, it and expect are needed)");
  const { describe, it, expect } = g as Required<typeof g>;
  const fixtures = fixturesIn(dir);
  describe(`${rule.id} fixtures`, () => {
    it("has a pass, a fail and an unknown fixture", () => {
      expect(EXPECTED.filter((v) => fixtures[v].length === 0).map((v) => `${dir}/${v}/ is empty`)).toEqual([]);
    });
    for (const v of FOLDERS) {
      for (const file of fixtures[v]) {
        it(`${v}: ${v}/${basename(file)}`, async () => {
          const got: Record<string, FixtureVerdict> = {};
          for (const p of fixtureProfiles(file)) got[p] = await verdictOnFixture(rule, file, p, opts);
          expect(got).toEqual(Object.fromEntries(fixtureProfiles(file).map((p) => [p, v])));
        });
      }
    }
  });
}
