/**
 * Links a plan's configuration gives between resources whose ids are not known before apply: the
 * `policy_id` of a password rule or an access policy assignment, an app's `authentication_policy`.
 * Rules that ask "does anything name this policy?" must see them in a plan as in a configuration.
 */
import { verdictOf } from "../helpers";
import { plan, type Entry } from "../review/plan-builder";

type Json = Record<string, unknown>;

/** A plan creating `entries`, whose configuration writes `refs` (address -> attribute -> referenced address) as references. */
function planWithRefs(entries: Entry[], refs: Record<string, Record<string, string>>, module?: string): Json {
  const doc = plan(entries);
  const resources = Object.entries(refs).map(([address, attrs]) => ({
    address,
    mode: "managed",
    type: address.split(".")[0],
    name: address.split(".")[1],
    provider_config_key: "okta",
    expressions: Object.fromEntries(Object.entries(attrs).map(([attr, target]) => [attr, { references: [`${target}.id`, target] }])),
    schema_version: 0,
  }));
  const configuration = doc.configuration as Json;
  if (module) configuration.root_module = { resources: [], module_calls: { [module]: { source: "./m", module: { resources } } } };
  else (configuration.root_module as Json).resources = resources;
  return doc;
}

const create = (address: string, after: Json, unknown: string[] = []): Entry => ({ address, actions: ["create"], after, afterUnknown: Object.fromEntries(["id", ...unknown].map((k) => [k, true])) });
const pwdPolicy = { name: "P", status: "ACTIVE", password_min_length: 15, password_max_lockout_attempts: 3, password_dictionary_lookup: true, question_recovery: "INACTIVE" };
const pwdRule = { name: "R", status: "ACTIVE", password_change: "ALLOW", password_reset: "ALLOW", password_unlock: "DENY" };

describe("plan links through references", () => {
  it("a created password rule whose policy_id references the created policy: OKTA-PWD-1 passes", () => {
    const entries = [create("okta_policy_password.p", pwdPolicy), create("okta_policy_rule_password.r", pwdRule, ["policy_id"])];
    expect(verdictOf("OKTA-PWD-1", planWithRefs(entries, { "okta_policy_rule_password.r": { policy_id: "okta_policy_password.p" } }))).toBe("pass");
    // Without the reference the rule may name any policy: unknown, never a guess.
    expect(verdictOf("OKTA-PWD-1", plan(entries))).toBe("unknown");
    // A reference to another policy does not count.
    const other = [...entries, create("okta_policy_password.q", { ...pwdPolicy, name: "Q" })];
    expect(verdictOf("OKTA-PWD-1", planWithRefs(other, { "okta_policy_rule_password.r": { policy_id: "okta_policy_password.q" } }), { address: "okta_policy_password.p" })).toBe("fail");
  });

  it("within a module, the reference names the module's own policy", () => {
    const entries = [create("module.m.okta_policy_password.p", pwdPolicy), create("module.m.okta_policy_rule_password.r", pwdRule, ["policy_id"])];
    expect(verdictOf("OKTA-PWD-1", planWithRefs(entries, { "okta_policy_rule_password.r": { policy_id: "okta_policy_password.p" } }, "m"))).toBe("pass");
  });

  it("an app's authentication_policy and an access policy assignment's policy_id assign a created policy: OKTA-APP-4 passes", () => {
    const policy = create("okta_app_signon_policy.p", { name: "p", description: "p" });
    const app = create("okta_app_saml.a", { label: "a", status: "ACTIVE" }, ["authentication_policy"]);
    expect(verdictOf("OKTA-APP-4", planWithRefs([policy, app], { "okta_app_saml.a": { authentication_policy: "okta_app_signon_policy.p" } }))).toBe("pass");
    const assignment = create("okta_app_access_policy_assignment.a", { app_id: "0oa1" }, ["policy_id"]);
    expect(verdictOf("OKTA-APP-4", planWithRefs([policy, assignment], { "okta_app_access_policy_assignment.a": { policy_id: "okta_app_signon_policy.p" } }))).toBe("pass");
    expect(verdictOf("OKTA-APP-4", plan([policy, assignment]))).toBe("unknown");
  });
});
