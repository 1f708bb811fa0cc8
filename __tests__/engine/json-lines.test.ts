/** jsonLineLocator: the line of each declaration's name key, found structurally in one scan. */
import { jsonLineLocator } from "../../engine/load/line-locators";

describe("jsonLineLocator", () => {
  const text = [
    "{",
    '  "locals": { "x": "okta_group", "y": "g" },',
    '  "provider": { "okta": [{ "org_name": "acme" }] },',
    '  "data": { "okta_group": { "g": { "name": "Everyone" } } },',
    '  "resource": [',
    '    { "okta_group": {',
    '        "h": { "name": "g" },',
    '        "g": { "name": "h" } } },',
    '    { "okta_user": { "u": {} } }',
    "  ]",
    "}",
  ].join("\n");
  const at = jsonLineLocator(text);

  it("finds resources in list-form blocks, data sources and providers, not strings that look like them", () => {
    expect(at("managed", "okta_group", "h")).toBe(7);
    expect(at("managed", "okta_group", "g")).toBe(8);
    expect(at("managed", "okta_user", "u")).toBe(9);
    expect(at("data", "okta_group", "g")).toBe(4);
    expect(at("provider", "okta", "okta")).toBe(3);
    expect(at("managed", "okta_group", "missing")).toBeUndefined();
  });

  it("is undefined for every declaration of text that is not a JSON object", () => {
    expect(jsonLineLocator("[1, 2]")("managed", "okta_group", "g")).toBeUndefined();
  });
});

describe("when a configuration's lines are found", () => {
  const { ConfigModule } = require("../../engine/load/load-config") as typeof import("../../engine/load/load-config");
  const doc = { resource: { okta_group: { a: { name: "a" }, b: { name: "b" } } }, data: { okta_group: { e: { name: "Everyone" } } } };
  const text = JSON.stringify(doc, null, 2);

  it("a file's text: every line as the file is added, and the text is let go (nothing asks it again)", () => {
    let asked = 0;
    const locate = jsonLineLocator(text);
    const mod = new ConfigModule();
    mod.add(doc, "main.tf.json", (...a) => (asked++, locate(...a)));
    expect(asked).toBe(3);
    expect(mod.resources().map((r) => [r.address, r.source?.line])).toEqual([
      ["okta_group.a", 4],
      ["okta_group.b", 7],
      ["data.okta_group.e", 14],
    ]);
    expect(asked).toBe(3);
  });

  it("a synthesized stack's text: made only when a line is read, then every line in one pass", () => {
    let made = 0;
    const mod = new ConfigModule();
    mod.add(doc, "cdk.tf.json", jsonLineLocator(() => (made++, text)));
    const resources = mod.resources();
    expect(made).toBe(0);
    expect(resources[1].source?.line).toBe(7);
    expect(resources.map((r) => r.source?.line)).toEqual([4, 7, 14]);
    expect(made).toBe(1);
  });
});
