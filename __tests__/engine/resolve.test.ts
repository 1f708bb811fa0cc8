import { UNKNOWN } from "../../engine/model";
import { Resolver, splitTemplate, type VariableDecl } from "../../engine/resolve";

function resolver(vars: Record<string, Partial<VariableDecl>> = {}, locals: Record<string, unknown> = {}, resources: Record<string, Record<string, unknown>> = {}) {
  const v = new Map(Object.entries(vars).map(([k, d]) => [k, { hasDefault: "default" in d, sensitive: false, ...d } as VariableDecl]));
  return new Resolver({ variables: v, locals: new Map(Object.entries(locals)), resources: new Map(Object.entries(resources)) });
}

describe("templates", () => {
  it("split literal text and interpolations, honouring escapes and nesting", () => {
    expect(splitTemplate("a${var.x}b")).toEqual(["a", { expr: "var.x" }, "b"]);
    expect(splitTemplate("$${literal}")).toEqual(["${literal}"]);
    expect(splitTemplate('${jsonencode({a = "}"})}')).toEqual([{ expr: 'jsonencode({a = "}"})' }]);
    expect(splitTemplate("%{ if true }x%{ endif }")).toBeUndefined();
    expect(splitTemplate("${unclosed")).toBeUndefined();
  });
});

describe("references", () => {
  it("resolve variables with defaults, keep the type of a whole-string reference", () => {
    const r = resolver({ n: { default: 30 }, s: { default: "x" }, none: {} });
    expect(r.resolveString("${var.n}", {})).toEqual({ value: 30, literal: true, sensitive: false });
    expect(r.resolveString("pre-${var.s}-${var.n}", {}).value).toBe("pre-x-30");
    expect(r.resolveString("${var.none}", {}).value).toBe(UNKNOWN);
    expect(r.resolveString("a-${var.none}", {}).value).toBe(UNKNOWN);
  });

  it("mark values from sensitive variables", () => {
    const r = resolver({ t: { sensitive: true } });
    expect(r.resolveString("${var.t}", {}).sensitive).toBe(true);
  });

  it("resolve locals through locals and variables, without looping on cycles", () => {
    const r = resolver({ base: { default: 10 } }, { a: "${local.b}", b: "${var.base}", loop: "${local.loop}", obj: { k: ["x", "y"] } });
    expect(r.resolveString("${local.a}", {}).value).toBe(10);
    expect(r.resolveString("${local.loop}", {}).value).toBe(UNKNOWN);
    expect(r.resolveString("${local.obj.k[1]}", {}).value).toBe("y");
  });

  it("resolve another resource's literal attribute but never its id", () => {
    const r = resolver({}, {}, { "okta_group.g": { name: "admins" } });
    expect(r.resolveString("${okta_group.g.name}", {})).toMatchObject({ value: "admins", ref: "okta_group.g" });
    expect(r.resolveString("${okta_group.g.id}", {})).toMatchObject({ value: UNKNOWN, ref: "okta_group.g", literal: false });
    expect(r.resolveString("${data.okta_group.everyone.id}", {}).value).toBe(UNKNOWN);
    expect(r.resolveString("${module.m.out}", {}).value).toBe(UNKNOWN);
  });

  it("read count and each in an instance", () => {
    const r = resolver();
    expect(r.resolveString("${count.index}", { countIndex: 2 }).value).toBe(2);
    expect(r.resolveString("${each.value.idle}", { eachKey: "k", eachValue: { idle: 15 } }).value).toBe(15);
    expect(r.resolveString("${each.key}", {}).value).toBe(UNKNOWN);
  });

  it("evaluate jsonencode of literal HCL, and only that", () => {
    const r = resolver({ fips: { default: "REQUIRED" } });
    const v = r.resolveString('${jsonencode({ channelBinding = { required = "ALWAYS" }, "userVerification" : "REQUIRED", list = [1, true, null], fips = var.fips })}', {});
    expect(JSON.parse(v.value as string)).toEqual({ channelBinding: { required: "ALWAYS" }, userVerification: "REQUIRED", list: [1, true, null], fips: "REQUIRED" });
    expect(r.resolveString("${jsonencode({ a = var.unset })}", {}).value).toBe(UNKNOWN);
    expect(r.resolveString("${var.fips == \"x\" ? 1 : 2}", {}).value).toBe(UNKNOWN);
    expect(r.resolveString("${upper(var.fips)}", {}).value).toBe(UNKNOWN);
    expect(r.resolveString("${[for x in var.l : x]}", {}).value).toBe(UNKNOWN);
  });

  it("read jsonencode with comments and multi-line objects as hcl2json leaves them", () => {
    const r = resolver();
    const src = '${jsonencode({\n  // the key\n  "channelBinding" : {\n    "required" : "ALWAYS",\n  "style" : "NUMBER_CHALLENGE" },\n  "compliance" : { "fips" : "OPTIONAL" }\n})}';
    expect(JSON.parse(r.resolveString(src, {}).value as string)).toEqual({ channelBinding: { required: "ALWAYS", style: "NUMBER_CHALLENGE" }, compliance: { fips: "OPTIONAL" } });
  });
});
