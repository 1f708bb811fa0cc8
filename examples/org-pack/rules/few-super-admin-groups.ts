/**
 * acme/OKTA-ADM-1, a scope rule with a threshold: few groups hold SUPER_ADMIN or ORG_ADMIN. Every member
 * of such a group can take over the tenant, so the count is kept small (two by default; one for the
 * regulated tenant, with the strict profile or a threshold override).
 */
import { defineRule, fail, notApplicable, pass, unknown, type Verdict } from "identity-posture/rules";

const TOP_ROLES = ["SUPER_ADMIN", "ORG_ADMIN"];

export const fewSuperAdminGroups = defineRule({
  id: "acme/OKTA-ADM-1",
  kind: "scope",
  severity: "error",
  title: "At most a few groups hold super or org admin",
  rationale: "Every member of a super or org admin group can take over the tenant; the fewer such groups, the fewer people to review and the smaller the prize of one stolen admin session.",
  references: ["Acme security standard ACC-2", "Okta: standard administrator roles"],
  passes: "the `okta_group_role` resources granting `SUPER_ADMIN` or `ORG_ADMIN` name at most `maxGroups` distinct groups",
  provider: "okta",
  thresholds: {
    maxGroups: { recommended: 2, strict: 1, weaker: "higher", description: "most groups that may hold SUPER_ADMIN or ORG_ADMIN" },
  },
  resourceTypes: ["okta_group_role"],
  reads: ["role_type", "group_id"],
  evaluate: (scope, ctx): Verdict => {
    if (!scope.uses("okta")) return notApplicable("no Okta resources in scope");
    const max = ctx.t.maxGroups as number;
    const certain = new Set<string>();
    let maybe = 0;
    for (const role of scope.ofKind("okta_group_role")) {
      const type = role.values.role_type;
      const group = role.refs.get("group_id") ?? (typeof role.values.group_id === "string" ? role.values.group_id : undefined);
      if (typeof type === "string" && !TOP_ROLES.includes(type)) continue;
      // A role whose type, group or existence (count/for_each) is not known may add one more group.
      if (typeof type !== "string" || group === undefined || role.conditional) maybe++;
      else certain.add(`${role.unit ?? ""}\u0000${group}`);
    }
    if (certain.size > max) return fail(undefined, certain.size, `${certain.size} groups hold SUPER_ADMIN or ORG_ADMIN; at most ${max} may`);
    if (certain.size + maybe > max) return unknown(undefined, `${certain.size} groups certainly hold SUPER_ADMIN or ORG_ADMIN and ${maybe} more may (values not known before apply); at most ${max} may`);
    return pass();
  },
});
