import { ConfigModule } from "../../engine/load/load-config";
import { jsonLineLocator } from "../../engine/load/line-locators";
import { type Resource, UNKNOWN } from "../../engine/model/model";
import { interpolationEnd, splitTemplate } from "../../engine/hcl/resolve";
import fc from "fast-check";

/** The resources of one Terraform JSON configuration (HCL as hcl2json writes it). */
function load(doc: Record<string, unknown>): Resource[] {
  const mod = new ConfigModule();
  mod.add(doc, "main.tf.json", jsonLineLocator(JSON.stringify(doc)));
  return mod.resources();
}

/** The value of `attr` on a test resource whose `v` is the expression `expr`, with the given variables and locals. */
function value(expr: unknown, variable: Record<string, unknown> = {}, locals: Record<string, unknown> = {}): unknown {
  const r = load({ variable, locals, resource: { okta_group: { t: { v: expr } } } }).find((x) => x.address === "okta_group.t")!;
  return r.values.v;
}

describe("templates", () => {
  it("split literal text and interpolations, honouring escapes and nesting", () => {
    expect(splitTemplate("a${var.x}b")).toEqual(["a", { expr: "var.x" }, "b"]);
    expect(splitTemplate("$${literal}")).toEqual(["${literal}"]);
    expect(splitTemplate('${jsonencode({a = "}"})}')).toEqual([{ expr: 'jsonencode({a = "}"})' }]);
    expect(splitTemplate("%{ if true }x%{ endif }")).toBeUndefined();
    expect(splitTemplate("${unclosed")).toBeUndefined();
  });

  it("split as a reading one character at a time does (text between sequences is taken in runs)", () => {
    // The reference: a tokenizer that tries, at each position, every sequence in splitTemplate's order
    // (escapes, directive, interpolation, else one character of text), so the run-taking reading is
    // compared with a plain one, not assumed equal. Where an interpolation ends is not what changed:
    // both ask interpolationEnd.
    const oneByOne = (s: string): ReturnType<typeof splitTemplate> => {
      const parts: Array<string | { expr: string }> = [];
      let text = "";
      const token = /\$\$\{|%%\{|%\{|\$\{|[^]/y;
      for (let m = token.exec(s); m; m = token.exec(s)) {
        if (m[0] === "%{") return undefined;
        if (m[0] !== "${") {
          text += m[0].length === 3 ? m[0].slice(1) : m[0];
          continue;
        }
        const j = interpolationEnd(s, m.index);
        if (j === undefined) return undefined;
        parts.push(...(text ? [text] : []), { expr: s.slice(m.index + 2, j - 1).replace(/^~|~$/g, "") });
        text = "";
        token.lastIndex = j;
      }
      if (text || parts.length === 0) parts.push(text);
      return parts;
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom("$", "%", "{", "}", '"', "\\", "~", "a", "&"), { maxLength: 24 }), (chars) => {
        const s = chars.join("");
        expect(splitTemplate(s)).toEqual(oneByOne(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("references", () => {
  it("resolve variables with defaults, keep the type of a whole-string reference", () => {
    const vars = { n: { default: 30 }, s: { default: "x" }, none: {} };
    expect(value("${var.n}", vars)).toBe(30);
    expect(value("pre-${var.s}-${var.n}", vars)).toBe("pre-x-30");
    expect(value("${var.none}", vars)).toBe(UNKNOWN);
    expect(value("a-${var.none}", vars)).toBe(UNKNOWN);
  });

  it("mark values from sensitive variables, and only those", () => {
    const [r] = load({ variable: { t: { sensitive: true }, p: { default: "x" } }, resource: { okta_group: { g: { a: "${var.t}", b: "${var.p}" } } } });
    expect(r.sensitive.has("a")).toBe(true);
    expect(r.sensitive.has("b")).toBe(false);
  });

  it("resolve locals through locals and variables, without looping on cycles", () => {
    const locals = { a: "${local.b}", b: "${var.base}", loop: "${local.loop}", obj: { k: ["x", "y"] } };
    const vars = { base: { default: 10 } };
    expect(value("${local.a}", vars, locals)).toBe(10);
    expect(value("${local.loop}", vars, locals)).toBe(UNKNOWN);
    expect(value("${local.obj.k[1]}", vars, locals)).toBe("y");
  });

  it("resolve another resource's literal attribute but never its id", () => {
    const rs = load({ resource: { okta_group: { g: { name: "admins" }, t: { a: "${okta_group.g.name}", b: "${okta_group.g.id}", c: "${data.okta_group.everyone.id}", d: "${module.m.out}" } } } });
    const t = rs.find((r) => r.address === "okta_group.t")!;
    expect(t.values.a).toBe("admins");
    expect(t.values.b).toBe(UNKNOWN);
    expect(t.refs.get("b")).toBe("okta_group.g");
    expect(t.literal?.has("b")).toBe(false);
    expect(t.values.c).toBe(UNKNOWN);
    expect(t.values.d).toBe(UNKNOWN);
  });

  it("evaluate jsonencode of literal HCL with its keys in Terraform's order", () => {
    const v = value('${jsonencode({ channelBinding = { required = "ALWAYS" }, "userVerification" : "REQUIRED", list = [1, true, null], fips = var.fips })}', { fips: { default: "REQUIRED" } });
    expect(JSON.parse(v as string)).toEqual({ channelBinding: { required: "ALWAYS" }, userVerification: "REQUIRED", list: [1, true, null], fips: "REQUIRED" });
    expect(value("${jsonencode({ a = var.unset })}", { unset: {} })).toBe(UNKNOWN);
  });

  it("read jsonencode with comments and multi-line objects as hcl2json leaves them", () => {
    const src = '${jsonencode({\n  // the key\n  "channelBinding" : {\n    "required" : "ALWAYS",\n  "style" : "NUMBER_CHALLENGE" },\n  "compliance" : { "fips" : "OPTIONAL" }\n})}';
    expect(JSON.parse(value(src) as string)).toEqual({ channelBinding: { required: "ALWAYS", style: "NUMBER_CHALLENGE" }, compliance: { fips: "OPTIONAL" } });
  });
});
