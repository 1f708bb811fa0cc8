/**
 * The done-when of HCL-directory mode: `posture check` of a repository laid out as root + local
 * modules + tfvars gives the findings, at the same addresses, that `posture review` gives on the plan
 * Terraform would produce for it. The plan (fixtures/parity/plan.json) is written by hand in
 * Terraform's documented JSON plan format (format_version 1.2): planned_values with child_modules,
 * resource_changes with after_unknown, and the configuration's expressions with their references.
 */
import { CATALOGUE } from "../../policies";
import { join } from "node:path";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { evaluate, type EvaluateOptions, type Finding } from "../../engine/evaluate/evaluate";
import { loadPaths } from "../../engine/load/load";
import { parseJson, readText } from "../../engine/load/read-input";
import { reviewPlan } from "../../engine/review/review";
import type { Profile } from "../../policies/rule";

const DIR = join(__dirname, "..", "fixtures", "parity");

const key = (f: Finding) => [f.ruleId, f.address, f.outcome, f.severity, f.attribute ?? "", f.message].join(" | ");

async function both(profile: Profile): Promise<{ check: string[]; review: string[]; checked: Finding[] }> {
  const opts: EvaluateOptions = { rules: CATALOGUE, profile, config: EMPTY_CONFIG, unknown: "warn", today: "2026-12-01" };
  const [input] = await loadPaths([join(DIR, "config")]);
  const checked = evaluate(input.resources, opts).findings;
  const planFile = join(DIR, "plan.json");
  const reviewed = reviewPlan(parseJson(readText(planFile), planFile) as Record<string, unknown>, planFile, opts).findings;
  return { check: checked.map(key).sort(), review: reviewed.map(key).sort(), checked };
}

describe("check of a configuration and review of its plan agree", () => {
  it.each<Profile>(["recommended", "strict"])("with the %s profile", async (profile) => {
    const { check, review } = await both(profile);
    expect(check).toEqual(review);
  });

  it("on findings that need modules, tfvars, for_each instance links and a conditional count", async () => {
    const { check, checked } = await both("strict");
    // Links followed to the right policy instance: strict accepts hwk only, and the wiki policy requires mfa.
    expect(check).toContain('CF-ACC-2 | module.access[0].cloudflare_zero_trust_access_application.wiki | fail | error | policies | module.access[0].cloudflare_zero_trust_access_policy.p["wiki"] requires no hwk auth method');
    expect(checked.some((f) => f.address.includes("access_application.web") && f.ruleId === "CF-ACC-2")).toBe(false);
    // The idle timeout of the staff instance comes from prd.auto.tfvars.
    expect(checked.find((f) => f.ruleId === "OKTA-SES-1")).toMatchObject({ address: 'module.okta_session["staff"].okta_policy_rule_signon.session', after: 60 });
    // terraform.tfvars says prd: the dev-only module has no instance.
    expect(checked.some((f) => f.address.startsWith("module.dev_only"))).toBe(false);
  });
});
