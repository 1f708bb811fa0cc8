import { locateAddresses } from "../../engine/review/plan-locations";

describe("locateAddresses", () => {
  const doc = {
    planned_values: { root_module: { resources: [{ address: 'okta_x.a["k\\"q"]' }] } },
    resource_changes: [{ address: "okta_x.b" }, { address: 'okta_x.a["k\\"q"]' }],
    prior_state: { values: { root_module: { resources: [{ address: "okta_x.c" }] } } },
  };

  it("finds the entry in the section, not earlier, in minified and pretty JSON, escaped keys included", () => {
    // A for_each key with a quote: Terraform's address escapes it, and JSON escapes the escape.
    const escaped = 'okta_x.a["k\\"q"]';
    const wanted = new Set(["okta_x.b", escaped]);
    const minified = JSON.stringify(doc);
    const at = locateAddresses(minified, "resource_changes", wanted);
    expect(at.get("okta_x.b")).toEqual({ line: 1, column: minified.indexOf('"address":"okta_x.b"') + 1 });
    expect(at.get(escaped)?.column).toBe(minified.lastIndexOf('"address":"okta_x.a') + 1);
    const pretty = JSON.stringify(doc, null, 2);
    const lines = pretty.split("\n");
    const b = locateAddresses(pretty, "resource_changes", wanted).get("okta_x.b")!;
    expect(lines[b.line - 1].slice(b.column - 1)).toBe('"address": "okta_x.b"');
  });

  it("gives nothing for an address not after the section's start, or a plan without the section", () => {
    expect(locateAddresses(JSON.stringify(doc), "resource_changes", new Set(["okta_x.z"])).size).toBe(0);
    expect(locateAddresses(JSON.stringify({ planned_values: [{ address: "okta_x.b" }], resource_changes: [] }), "resource_changes", new Set(["okta_x.b"])).size).toBe(0);
    expect(locateAddresses(JSON.stringify(doc), "resource_drift", new Set(["okta_x.b"])).size).toBe(0);
  });
});
