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

  it("a typo'd rule id fails the matcher instead of passing vacuously", () => {
    expect(() => expect(good).not.toViolate("OKTA-SES-02")).toThrow(/no rule "OKTA-SES-02" in the catalogue/);
    expect(() => expect(weak).toViolate("OKTA-SES-02")).toThrow(/no rule "OKTA-SES-02" in the catalogue/);
    expect(() => expect(good).toBeCompliant({ only: ["OKTA-SES-02"] })).toThrow(/toBeCompliant only: no rule "OKTA-SES-02"/);
    expect(() => expect(good).not.toBeCompliant({ only: ["OKTA-SES-02"] })).toThrow(/no rule "OKTA-SES-02"/);
    expect(good).toBeCompliant({ only: ["OKTA-SES-2"] });
  });

  it("a failing toViolate says where the rule passed, or that it applied to nothing", () => {
    expect(() => expect(good).toViolate("OKTA-SES-1")).toThrow(/found none\. OKTA-SES-1 was judged: passed on okta_policy_rule_signon\.r\./);
    expect(() => expect(weak).toViolate("OKTA-SES-1", { address: "okta_policy_rule_signon.other" })).toThrow(/on okta_policy_rule_signon\.other, found none\. OKTA-SES-1 was judged: failed on okta_policy_rule_signon\.r\./);
    expect(() => expect(good).toViolate("CF-ACC-4")).toThrow(/CF-ACC-4 applied to nothing here/);
  });

  it("takes an app: every stack, judged together as the synth-time check's app scope", () => {
    const { App, TerraformStack, TerraformResource } = require("cdktf") as typeof import("cdktf");
    const app = new App({ outdir: require("node:fs").mkdtempSync(require("node:path").join(require("node:os").tmpdir(), "posture-app-")) });
    const add = (stackId: string, tf: Record<string, Record<string, Record<string, unknown>>>) => {
      const s = new TerraformStack(app, stackId);
      for (const [type, byName] of Object.entries(tf)) {
        for (const [name, body] of Object.entries(byName)) {
          const r = new TerraformResource(s, name, { terraformResourceType: type });
          for (const [k, v] of Object.entries(body)) r.addOverride(k, v);
        }
      }
      return s;
    };
    const { okta_log_stream, ...rest } = good.resource;
    add("a", { okta_log_stream });
    const b = add("b", rest);
    expect(app).toBeCompliant();
    expect(b).toViolate("OKTA-LOG-1"); // alone, stack b has no log stream
    expect(app).not.toViolate("OKTA-LOG-1");
    expect(() => expect(new App({ outdir: require("node:os").tmpdir() })).toBeCompliant()).toThrow(/has no TerraformStack to evaluate/);
  });

  it("evaluatePosture returns findings", () => {
    expect(evaluatePosture(weak).findings.map((f) => f.ruleId)).toContain("OKTA-SES-1");
  });

  it("the built module imports without jest", () => {
    const r = spawnSync(process.execPath, ["-e", `const t = require(${JSON.stringify(join(__dirname, "..", "dist", "testing"))}); console.log(typeof t.postureMatchers.toBeCompliant)`], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("function");
  });
});
