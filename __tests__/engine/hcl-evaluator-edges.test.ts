/**
 * The HCL evaluator's edge cases found in review: a literal secret chosen through a conditional,
 * `coalesce` or `try`; object keys written as expressions; the budget on evaluated values; instance
 * keys printed as Terraform prints them; type unification and JSON escaping as Terraform does them.
 * Expected values were read from Terraform 1.11 (`terraform plan` / `terraform console`).
 */
import type { EvaluationResult } from "../../engine/evaluate/evaluate";
import { loadPaths } from "../../engine/load/load";
import { UNKNOWN } from "../../engine/model/model";
import { checkDirectory as check, writeTree as tree } from "../helpers";


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
      hook("lookup", `lookup({ a = ${secret} }, var.x, "")`),
      hook("lookup_var", `lookup({ a = var.s }, var.x, "")`),
    ].join("\n"),
  });

  it("fails a literal secret that a conditional, coalesce or try may choose, whatever the condition reads", async () => {
    const r = await check(dir);
    for (const name of ["cond", "never", "coalesce", "try", "lookup"]) expect([name, outcome(r, "SECRET-1", `okta_event_hook.${name}`)]).toEqual([name, "fail"]);
  });

  it("still fails when the variable is given and the literal is the value chosen", async () => {
    const r = await check(dir, "recommended", [{ name: "x", value: "" }]);
    for (const name of ["cond", "coalesce"]) expect([name, outcome(r, "SECRET-1", `okta_event_hook.${name}`)]).toEqual([name, "fail"]);
  });

  it("passes when the only literal beside a variable is empty or null, or every value is passed in", async () => {
    const r = await check(dir);
    for (const name of ["empty", "nullish", "coalesce_vars", "lookup_var"]) expect([name, outcome(r, "SECRET-1", `okta_event_hook.${name}`)]).toEqual([name, "pass"]);
  });
});

describe("object keys written as expressions", () => {
  // terraform plan (1.11) of the same configuration: input = { "${x}" = 2, "%{z}" = 6, plain = 5, web = 1, web2 = 4 }
  // and instances terraform_data.f["web"], terraform_data.f["web2"].
  const expected = { "${x}": 2, "%{z}": 6, plain: 5, web: 1, web2: 4 };

  it("evaluates keys in attribute values and for_each maps of a .tf file", async () => {
    const dir = tree({
      "main.tf": `
locals { k = "web" }
resource "okta_group" "a" {
  name = "a"
  description = jsonencode({ (local.k) = 1, "$\${x}" = 2, "\${local.k}2" = 4, plain = 5, "%%{z}" = 6 })
  tags = { (local.k) = 1, "$\${x}" = 2, "\${local.k}2" = 4, plain = 5, "%%{z}" = 6 }
}
resource "okta_group" "f" {
  for_each = { (local.k) = 1, "\${local.k}2" = 2 }
  name     = each.key
}`,
    });
    const [input] = await loadPaths([dir]);
    const a = input.resources.find((r) => r.address === "okta_group.a")!;
    expect(a.values.tags).toEqual(expected);
    expect(JSON.parse(a.values.description as string)).toEqual(expected);
    expect(input.resources.map((r) => r.address).filter((x) => x.startsWith("okta_group.f")).sort()).toEqual(['okta_group.f["web"]', 'okta_group.f["web2"]']);
  });

  it("evaluates keys in Terraform JSON, and a key not known makes the object unknown", async () => {
    const dir = tree({
      "main.tf.json": JSON.stringify({
        variable: { u: { type: "string" } },
        locals: { k: "web" },
        resource: {
          okta_group: {
            f: { for_each: { "${local.k}": 1 }, name: "${each.key}" },
            u: { name: "u", custom_profile_attributes: { "${var.u}": 1 } },
          },
        },
      }),
    });
    const [input] = await loadPaths([dir]);
    expect(input.resources.map((r) => r.address).sort()).toEqual(['okta_group.f["web"]', "okta_group.u"]);
    expect(input.resources.find((r) => r.address === "okta_group.u")!.values.custom_profile_attributes).toEqual(UNKNOWN);
  });
});

describe("the budget on evaluated values", () => {
  // Each local doubles the one before: 2 KB of HCL describes values of gigabytes.
  const doubling = Array.from({ length: 30 }, (_, i) => `  a${i + 1} = [local.a${i}, local.a${i}]\n  s${i + 1} = "\${local.s${i}}\${local.s${i}}"`).join("\n");
  const config = (expr: string) =>
    tree({
      "main.tf": `locals {
  a0 = ["x", "y"]
  s0 = "xy"
${doubling}
}
resource "okta_group" "g" {
  name        = "g"
  description = ${expr}
}`,
    });

  it.each(["length(jsonencode(local.a25))", "length(local.s30)", "length(jsonencode(local.a19))", 'format("%0999999999d", 1)'])("refuses %s naming the file, exit 2", async (expr) => {
    const dir = config(expr);
    await expect(loadPaths([dir])).rejects.toMatchObject({ name: "InputError", message: expect.stringMatching(/main\.tf:\d+: .*(more than 4,194,304 characters and elements|larger than identity-posture evaluates)/) });
  });

  it("evaluates values below the budget", async () => {
    const [input] = await loadPaths([config("length(jsonencode(local.a12))")]);
    // 8192 leaves of 3 characters ("x"), 8191 lists of 3 ([, ] and one comma).
    expect(input.resources[0].values.description).toBe(49149);
  });
});

describe("instance keys as Terraform prints them", () => {
  it("quotes keys the way terraform plan (1.11) addresses them", async () => {
    const dir = tree({
      "main.tf": `
resource "okta_group" "x" {
  for_each = toset(["a\\\\b", "$\${y}", "%%{z}", "t\\tn\\r\\n", "ü", "q\\"", "\\u0008", "\\u2028", "\\u00a0", "a b", "$x", "%", "😀", "\\u200b"])
  name     = each.key
}`,
    });
    const [input] = await loadPaths([dir]);
    // Copied from `terraform plan` of the same for_each on terraform_data.
    const terraform = ['x["\\u0008"]', 'x["$x"]', 'x["$${y}"]', 'x["%"]', 'x["%%{z}"]', 'x["a b"]', 'x["a\\\\b"]', 'x["q\\""]', 'x["t\\tn\\r\\n"]', 'x["\\u00a0"]', 'x["ü"]', 'x["\\u200b"]', 'x["\\u2028"]', 'x["😀"]'];
    expect(input.resources.map((r) => r.address.replace(/^okta_group\./, "")).sort()).toEqual(terraform.sort());
  });
});

describe("values as Terraform 1.11 computes them", () => {
  it("unifies types, escapes JSON as Go does and maps case one code point to one", async () => {
    const dir = tree({
      "main.tf": `
resource "okta_group" "g" {
  name        = "g"
  description = jsonencode([upper("ᾀßŉﬁ"), lower("İΣ"), jsonencode({a="<x>&\\u2028"}), tomap({a=1,b="x"}), tolist([1,"a",true]), true ? 1 : "1", tomap({a=true,b="x"})])
}`,
    });
    const [input] = await loadPaths([dir]);
    // \`terraform show -json\` of the same expression as an output (planned_values.outputs.a.value).
    const terraform = String.raw`["ᾈßŉﬁ","iσ","{\"a\":\"\\u003cx\\u003e\\u0026\\u2028\"}",{"a":"1","b":"x"},["1","a","true"],"1",{"a":"true","b":"x"}]`;
    expect(input.resources[0].values.description).toBe(terraform);
  });
});

describe("knowable values Terraform 1.11 knows", () => {
  const dir = tree({
    "main.tf": `
module "m" {
  source = "./mod"
  names  = ["a", "b"]
}
resource "okta_group" "u" {
  name = "u"
}
resource "okta_group" "top" {
  name        = "top"
  description = jsonencode({ o9 = module.m, c = contains(["a", okta_group.u.id], "a") })
}
resource "okta_group" "open" {
  name        = "open"
  description = contains(["b", okta_group.u.id], "a")
}
module "s" {
  source = "./secret"
}
resource "okta_group" "s" {
  name        = "s"
  description = jsonencode(module.s)
}`,
    "mod/main.tf": `
variable "names" { type = list(string) }
output "inputs" { value = [for n in var.names : n] }
output "byname" { value = { for n in var.names : n => "\${n}!" } }
output "nested" { value = { deep = [1, { x = var.names }] } }`,
    "secret/main.tf": `
output "token" {
  value     = "not-to-be-printed"
  sensitive = true
}`,
  });

  it("reads a whole module as the object of its outputs, and contains() finds a known element beside an unknown one", async () => {
    const [input] = await loadPaths([dir]);
    const top = input.resources.find((r) => r.address === "okta_group.top")!;
    // terraform plan: o9 = { byname = { a = "a!", b = "b!" }, inputs = ["a", "b"], nested = { deep = [1, { x = ["a", "b"] }] } }; contains(...) = true
    expect(JSON.parse(top.values.description as string)).toEqual({ c: true, o9: { byname: { a: "a!", b: "b!" }, inputs: ["a", "b"], nested: { deep: [1, { x: ["a", "b"] }] } } });
    expect(input.resources.find((r) => r.address === "okta_group.open")!.values.description).toBe(UNKNOWN);
  });

  it("keeps a module's sensitive output sensitive when the module is read whole", async () => {
    const [input] = await loadPaths([dir]);
    expect(input.resources.find((r) => r.address === "okta_group.s")!.sensitive.has("description")).toBe(true);
  });
});

describe("which Terraform JSON strings are templates", () => {
  const { hasTemplate } = require("../../engine/hcl/hcl-eval") as typeof import("../../engine/hcl/hcl-eval");
  it.each([
    ["${var.x}", true],
    ["prefix-%{ if true }x%{ endif }", true],
    ["a{${b}", true],
    ["$${escaped}", true], // the evaluator unescapes it
    ['{"json": {"nested": 1}}', false],
    ["{", false],
    ["$", false],
    ["", false],
    ["plain", false],
  ])("%j: %s", (s, expected) => expect(hasTemplate(s)).toBe(expected));
});
