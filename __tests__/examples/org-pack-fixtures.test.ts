/** The example org pack's rules, each judged on the fixtures kept beside it (examples/org-pack/rules/*.fixtures). */
import { join } from "node:path";
import { fewSuperAdminGroups } from "../../examples/org-pack/rules/few-super-admin-groups";
import { noAdminGroupRules } from "../../examples/org-pack/rules/no-admin-group-rules";
import { testRuleFixtures } from "../../testing";

const RULES = join(__dirname, "..", "..", "examples", "org-pack", "rules");

testRuleFixtures(noAdminGroupRules, join(RULES, "no-admin-group-rules.fixtures"));
testRuleFixtures(fewSuperAdminGroups, join(RULES, "few-super-admin-groups.fixtures"));
