/**
 * Real `terraform show -json` output (Terraform 1.11.4, see fixtures/review/real-actions.tf.txt):
 * the review reads Terraform's own shapes for forget, both replace orders, moves and sensitive values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { reviewPlan } from "../../engine/review/review";
import { posture, ROOT } from "../cli/cli-helpers";
import { brief, options } from "./plan-builder";

const REAL = join(ROOT, "__tests__", "fixtures", "review", "real-actions-plan.json");

describe("a real plan", () => {
  const doc = JSON.parse(readFileSync(REAL, "utf8"));

  it("has the actions it was made for", () => {
    const actions = Object.fromEntries(doc.resource_changes.map((c: { address: string; change: { actions: string[] } }) => [c.address, c.change.actions.join(",")]));
    expect(actions).toEqual({
      "okta_network_zone.cbd": "create,delete",
      "okta_network_zone.dbc": "delete,create",
      "okta_network_zone.forgot": "forget",
      "okta_network_zone.gone": "delete",
      "okta_network_zone.keep": "update",
      "okta_network_zone.renamed": "no-op",
      "okta_network_zone.sec": "update",
    });
    expect(doc.resource_changes.find((c: { address: string }) => c.address === "okta_network_zone.renamed").previous_address).toBe("okta_network_zone.old");
  });

  it("PLAN-1 fires for delete and forget only; a delete-first replacement is noted", () => {
    const r = reviewPlan(doc, REAL, options());
    expect(r.findings.filter((f) => f.ruleId === "PLAN-1").map(brief)).toEqual(["PLAN-1 okta_network_zone.forgot new fail", "PLAN-1 okta_network_zone.gone new fail"]);
    expect(r.evaluated.filter((e) => e.ruleId === "PLAN-1").map((e) => `${e.address} ${e.outcome}`)).toEqual([
      "okta_network_zone.cbd pass",
      "okta_network_zone.dbc pass",
      "okta_network_zone.forgot fail",
      "okta_network_zone.gone fail",
      "okta_network_zone.keep pass",
      "okta_network_zone.renamed pass",
      "okta_network_zone.sec pass",
    ]);
    expect(r.notices.map((n) => n.message)).toContain("okta_network_zone.dbc is replaced delete-first: the control is absent between the two steps (lifecycle create_before_destroy avoids the gap)");
    // the moved object is the same object on both sides, so its scope findings stay existing
    expect(r.findings.filter((f) => f.ruleId !== "PLAN-1").every((f) => f.change === "existing")).toBe(true);
  });

  it("never prints the sensitive variable or the sensitive value in before and after", () => {
    for (const f of ["text", "json", "sarif", "junit", "markdown"]) {
      const out = posture(["review", "--format", f, REAL]);
      expect(out.code).toBe(1);
      expect(out.stdout + out.stderr).not.toContain("s3cr3t-planted-value-123456");
    }
  });

  it("a real plan of only built-in resources has nothing to review, and says so", () => {
    const r = posture(["review", "--format", "json", join(ROOT, "__tests__", "fixtures", "real", "terraform-data-plan.json")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).notices).toContainEqual({ level: "info", message: "the plan creates, updates or destroys no Okta or Cloudflare resource" });
  });
});

describe("check given the real plan", () => {
  it("evaluates what the plan leaves behind: not the deleted object, nor the forgotten one Terraform still lists in planned_values", async () => {
    const { loadPath } = await import("../../engine/load/load");
    const input = await loadPath(REAL);
    expect(input.kind).toBe("plan");
    expect(input.resources.filter((r) => r.mode === "managed").map((r) => r.address).sort()).toEqual([
      "okta_network_zone.cbd",
      "okta_network_zone.dbc",
      "okta_network_zone.keep",
      "okta_network_zone.renamed",
      "okta_network_zone.sec",
    ]);
  });
});
