/** OKTA-PWD-1 and OKTA-PWD-2, on the Terraform fixtures kept beside the rules (policies/okta/password.fixtures). */
import { join } from "node:path";
import { noPhishableRecovery, passwordStrength } from "../../policies/okta/password";
import { testRuleFixtures } from "../../testing";

const FIXTURES = join(__dirname, "..", "..", "policies", "okta", "password.fixtures");

testRuleFixtures(passwordStrength, join(FIXTURES, "OKTA-PWD-1"));
testRuleFixtures(noPhishableRecovery, join(FIXTURES, "OKTA-PWD-2"));
