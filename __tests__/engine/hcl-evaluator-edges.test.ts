/**
 * The HCL evaluator's edge cases found in review: a literal secret chosen through a conditional,
 * `coalesce` or `try`; object keys written as expressions; the budget on evaluated values; instance
 * keys printed as Terraform prints them; type unification and JSON escaping as Terraform does them.
 * Expected values were read from Terraform 1.11 (`terraform plan` / `terraform console`).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CATALOGUE } from "../../policies";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { evaluate, type EvaluationResult } from "../../engine/evaluate/evaluate";
import { loadPaths, type VariableSource } from "../../engine/load/load";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "posture-edges-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function check(dir: string, variables: VariableSource[] = []): Promise<EvaluationResult> {
  const [input] = await loadPaths([dir], { variables });
  return evaluate(input.resources, { rules: CATALOGUE, profile: "recommended", config: EMPTY_CONFIG, unknown: "warn", today: "2026-11-29" });
}

const outcome = (result: EvaluationResult, ruleId: string, address: string) => result.evaluated.find((e) => e.ruleId === ruleId && e.address === address)?.outcome;

const hook = (name: string, value: string) => `
resource "okta_event_hook" "${name}" {
  name    = "${name}"
  events  = ["user.lifecycle.create"]
  channel = { type = "HTTP", version = "1.0.0", uri = "https://example.com/${name}" }
  auth    = { type = "HEADER", key = "Authorization", value = ${value} }
}`;

describe("SECRET-1 through a choice of values", () => {
  const secret = `"SSWS 00bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`;
  const dir = tree({
    "main.tf": [
      `variable "x" { type = string }`,
      `variable "s" {
  type      = string
  sensitive = true
}`,
      hook("cond", `var.x != "" ? var.x : ${secret}`),
      hook("never", `var.x == "never" ? "x" : ${secret}`),
      hook("coalesce", `coalesce(var.x, ${secret})`),
      hook("try", `try(var.x, ${secret})`),
      hook("empty", `var.x != "" ? var.x : ""`),
      hook("nullish", `var.s != "" ? var.s : null`),
      hook("coalesce_vars", `coalesce(var.x, var.s)`),
    ].join("\n"),
  });

  it("fails a literal secret that a conditional, coalesce or try may choose, whatever the condition reads", async () => {
    const r = await check(dir);
    for (const name of ["cond", "never", "coalesce", "try"]) expect([name, outcome(r, "SECRET-1", `okta_event_hook.${name}`)]).toEqual([name, "fail"]);
  });

  it("still fails when the variable is given and the literal is the value chosen", async () => {
    const r = await check(dir, [{ name: "x", value: "" }]);
    for (const name of ["cond", "coalesce"]) expect([name, outcome(r, "SECRET-1", `okta_event_hook.${name}`)]).toEqual([name, "fail"]);
  });

  it("passes when the only literal beside a variable is empty or null, or every value is passed in", async () => {
    const r = await check(dir);
    for (const name of ["empty", "nullish", "coalesce_vars"]) expect([name, outcome(r, "SECRET-1", `okta_event_hook.${name}`)]).toEqual([name, "pass"]);
  });
});
