import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { evaluatePosture, setupPostureMatchers } from "../testing";

setupPostureMatchers(expect);

const good = {
  resource: {
    okta_authenticator: { w: { key: "webauthn", name: "w" } },
    okta_log_stream: { s: { name: "s", type: "aws_eventbridge" } },
    okta_policy_rule_signon: { r: { name: "r", session_idle: 15, session_lifetime: 600, mfa_required: true, mfa_prompt: "ALWAYS" } },
  },
};
const weak = { resource: { ...good.resource, okta_policy_rule_signon: { r: { name: "r", session_idle: 60 } } } };

describe("identity-posture/testing", () => {
  it("toBeCompliant passes a compliant configuration and fails a weak one", () => {
    expect(good).toBeCompliant();
    expect(JSON.stringify(good)).toBeCompliant({ profile: "recommended" });
    expect(weak).not.toBeCompliant();
    expect(() => expect(weak).toBeCompliant()).toThrow(/OKTA-SES-1 okta_policy_rule_signon\.r session_idle: session idle timeout is 60 minutes/);
  });

  it("toViolate names the rule, and the address when asked", () => {
    expect(weak).toViolate("OKTA-SES-1");
    expect(weak).toViolate("OKTA-SES-4", { address: "okta_policy_rule_signon.r" });
    expect(good).not.toViolate("OKTA-SES-1");
    expect(() => expect(good).toViolate("OKTA-SES-1")).toThrow(/expected a OKTA-SES-1 violation, found none/);
  });

  it("evaluatePosture returns findings", () => {
    expect(evaluatePosture(weak).findings.map((f) => f.ruleId)).toContain("OKTA-SES-1");
  });

  it("the built module imports without jest", () => {
    const r = spawnSync(process.execPath, ["-e", `const t = require(${JSON.stringify(join(__dirname, "..", "dist", "testing"))}); console.log(typeof t.postureMatchers.toBeCompliant)`], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("function");
  });
});
