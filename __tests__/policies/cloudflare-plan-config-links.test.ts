/** A plan that creates an app and its policy together: ids are unknown, the configuration's references link them. */
import { verdictOf } from "../helpers";

const POLICY = "cloudflare_zero_trust_access_policy";
const APP = "cloudflare_zero_trust_access_application";
const strong = {
  account_id: "a",
  name: "p",
  decision: "allow",
  include: [{ group: { id: "staff" } }],
  require: [{ device_posture: { integration_uid: "r1" } }, { auth_method: { auth_method: "hwk" } }],
  session_duration: "1h",
};

function plan(policyValues: object, appPolicies: unknown[], references: string[]): object {
  const app = { account_id: "a", name: "app", domain: "app.example.com", type: "self_hosted", session_duration: "1h", policies: appPolicies };
  return {
    format_version: "1.2",
    planned_values: {
      root_module: {
        resources: [
          { address: `${POLICY}.p`, mode: "managed", type: POLICY, name: "p", values: policyValues },
          { address: `${POLICY}.q`, mode: "managed", type: POLICY, name: "q", values: policyValues },
          { address: `${APP}.app`, mode: "managed", type: APP, name: "app", values: app },
        ],
      },
    },
    resource_changes: [
      { address: `${POLICY}.p`, type: POLICY, change: { actions: ["create"], before: null, after: policyValues, after_unknown: { id: true } } },
      { address: `${POLICY}.q`, type: POLICY, change: { actions: ["create"], before: null, after: policyValues, after_unknown: { id: true } } },
      { address: `${APP}.app`, type: APP, change: { actions: ["create"], before: null, after: app, after_unknown: { id: true, policies: appPolicies.map(() => ({ id: true })) } } },
    ],
    configuration: { root_module: { resources: [{ address: `${APP}.app`, mode: "managed", type: APP, name: "app", expressions: { policies: { references } } }] } },
  };
}

const ref = (n: string) => [`${POLICY}.${n}.id`, `${POLICY}.${n}`];

describe("plans link a new app to the policies its configuration references", () => {
  it("one policy, one entry: judged on the policy", () => {
    expect(verdictOf("CF-ACC-1", plan(strong, [{ precedence: 1 }], ref("p")), { address: `${APP}.app` })).toBe("pass");
    expect(verdictOf("CF-ACC-1", plan({ ...strong, require: [{ auth_method: { auth_method: "hwk" } }] }, [{ precedence: 1 }], ref("p")), { address: `${APP}.app` })).toBe("fail");
  });

  it("two entries, two referenced policies", () => {
    expect(verdictOf("CF-ACC-2", plan(strong, [{ precedence: 1 }, { precedence: 2 }], [...ref("p"), ...ref("q")]), { address: `${APP}.app` })).toBe("pass");
  });

  it("references that cannot be matched to entries stay unknown", () => {
    expect(verdictOf("CF-ACC-1", plan(strong, [{ precedence: 1 }, { precedence: 2 }], ref("p")), { address: `${APP}.app` })).toBe("unknown");
    expect(verdictOf("CF-ACC-1", plan(strong, [{ precedence: 1 }], ["var.policy_id"]), { address: `${APP}.app` })).toBe("unknown");
  });
});
