/**
 * Real stacks and root modules hold other providers' resources (aws, random, terraform_data) beside the
 * Okta and Cloudflare ones. The plan reader builds only the latter, but a plan must still say every
 * address its configuration declares: --synth matches a plan to its stack, and --repo-root a plan to its
 * directory, by exactly those addresses.
 */
import { join } from "node:path";
import { posture } from "../cli/cli-helpers";

const DIR = join(__dirname, "..", "fixtures", "review", "other-providers");

describe("plans whose configuration declares other providers' resources", () => {
  it.each(["okta.json", "plan.json"])("--synth joins %s to the stack that also holds terraform_data.marker", (plan) => {
    const r = posture(["review", "--synth", "cdktf.out", plan, "--format", "json"], { cwd: DIR });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.notices.map((n: { message: string }) => n.message)).toContainEqual(expect.stringMatching(new RegExp(`^${plan.replace(".", "\\.")}: joined to stack okta`)));
  });

  it("--repo-root picks the directory that declares every root address, terraform_data included", () => {
    const r = posture(["review", "b.json", "--repo-root", "repo", "--format", "json"], { cwd: DIR });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string; file?: string; line?: number; plan?: string }>;
    const ses = findings.find((f) => f.ruleId === "OKTA-SES-2");
    // repo/a declares the same Okta rule without terraform_data.t: it is not the plan's root module.
    expect(ses).toEqual(expect.objectContaining({ file: "b/main.tf", line: 5, plan: "b.json" }));
  });
});
