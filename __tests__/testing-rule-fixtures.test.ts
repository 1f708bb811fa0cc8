/** The rule-test harness itself: it reports the verdict a rule really gives, and notices a missing verdict folder. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { noAdminGroupRules } from "../examples/org-pack/rules/no-admin-group-rules";
import { defineRule, fail } from "../rules";
import { fixtureProfiles, fixturesIn, verdictOnFixture } from "../testing/rule-fixtures";

const FIXTURES = join(__dirname, "..", "examples", "org-pack", "rules", "no-admin-group-rules.fixtures");

describe("testRuleFixtures' parts", () => {
  it("gives the rule's real verdict, so a rule that disagrees with its folder fails its test", async () => {
    const passing = join(FIXTURES, "pass", "rule-to-a-plain-group.tf");
    expect(await verdictOnFixture(noAdminGroupRules, passing, "recommended")).toBe("pass");
    const alwaysFails = defineRule({ ...noAdminGroupRules, id: "acme/BROKEN-1", evaluate: () => fail(undefined, undefined, "always") });
    expect(await verdictOnFixture(alwaysFails, passing, "recommended")).toBe("fail");
  });

  it("lists fixtures by folder, and a missing folder as empty", () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-fixtures-"));
    mkdirSync(join(dir, "pass"));
    writeFileSync(join(dir, "pass", "a.tf"), "");
    writeFileSync(join(dir, "pass", "notes.md"), "");
    expect(fixturesIn(dir)).toEqual({ pass: [join(dir, "pass", "a.tf")], fail: [], unknown: [], "not-applicable": [] });
  });

  it("judges x.strict.tf under strict only, and other fixtures under both profiles", () => {
    expect(fixtureProfiles("a/two-groups.strict.tf")).toEqual(["strict"]);
    expect(fixtureProfiles("a/two-groups.recommended.tf.json")).toEqual(["recommended"]);
    expect(fixtureProfiles("a/plain.tf")).toEqual(["recommended", "strict"]);
  });
});
