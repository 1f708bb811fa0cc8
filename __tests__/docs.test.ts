import { readFileSync } from "node:fs";
import { join } from "node:path";
import { catalogueMarkdown } from "../report/catalogue";

it("docs/controls.md is generated from the catalogue (run `npm run docs` after changing a rule)", () => {
  expect(readFileSync(join(__dirname, "..", "docs", "controls.md"), "utf8")).toBe(catalogueMarkdown());
});

it("data/okta-event-types.json matches Okta's catalogue in ../shared/data (run scripts/event-types.mjs to refresh)", () => {
  const tsvPath = join(__dirname, "..", "..", "shared", "data", "okta-event-types.tsv");
  let tsv: string;
  try {
    tsv = readFileSync(tsvPath, "utf8");
  } catch {
    return; // shared/ is not beside this checkout: nothing to compare with
  }
  const data = JSON.parse(readFileSync(join(__dirname, "..", "data", "okta-event-types.json"), "utf8"));
  const rows = tsv.split("\n").filter((l) => l && !l.startsWith("#") && !l.startsWith("event_type\t")).map((l) => l.split("\t"));
  expect(data.hookEligible).toEqual(rows.filter((r) => r[1] === "yes").map((r) => r[0]).sort());
  expect(data.notHookEligible).toEqual(rows.filter((r) => r[1] !== "yes").map((r) => r[0]).sort());
});
