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
