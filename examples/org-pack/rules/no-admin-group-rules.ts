/**
 * acme/OKTA-GRP-1, a resource rule: no Okta group rule puts people into an admin group. A group rule
 * adds every user whose profile matches its expression; pointed at a group that holds an admin role,
 * it hands out admin rights to whoever can edit their own profile attribute, unreviewed. "Admin group"
 * means a group this configuration gives an admin role (`okta_group_role`).
 */
import { defineRule, fail, isActive, pass, unknown, whenApplies, type Resource, type Scope, type Verdict } from "identity-posture/rules";

const GROUP_RULE = "okta_group_rule";

/** The admin roles held by `group` (an address, or a literal group id), from the scope's okta_group_role. */
function adminRolesOf(group: { address?: string; id?: string }, rule: Resource, scope: Scope): string[] {
  return scope
    .ofKind("okta_group_role")
    .filter((role) => role.unit === rule.unit)
    .filter((role) => (group.address !== undefined && role.refs.get("group_id") === group.address) || (group.id !== undefined && role.values.group_id === group.id))
    .map((role) => (typeof role.values.role_type === "string" ? role.values.role_type : "an admin role"));
}

export const noAdminGroupRules = defineRule({
  id: "acme/OKTA-GRP-1",
  kind: "resource",
  severity: "error",
  title: "No group rule assigns people to an admin group",
  rationale:
    "Admin rights are granted by a reviewed change to a group's members, never by a profile expression: whoever can change the attribute a rule matches (or a compromised HR feed) would become an admin.",
  references: ["Acme security standard ACC-4", "Okta: group rules (https://help.okta.com/en-us/content/topics/users-groups-profiles/usgp-about-group-rules.htm)"],
  passes: "every active `okta_group_rule` has no entry in `group_assignments` naming a group that an `okta_group_role` of the same configuration gives an admin role",
  provider: "okta",
  resourceTypes: [GROUP_RULE],
  reads: ["group_assignments", "status"],
  evaluate: (rule, ctx) =>
    whenApplies(isActive(rule), "an active group rule", (): Verdict => {
      const groups = rule.values.group_assignments;
      if (!Array.isArray(groups)) return unknown("group_assignments", "group_assignments is not known before apply");
      let unresolved: string | undefined;
      for (const [i, g] of groups.entries()) {
        const address = rule.refs.get(`group_assignments.${i}`);
        const id = typeof g === "string" ? g : undefined;
        const roles = adminRolesOf({ address, id }, rule, ctx.scope);
        if (roles.length > 0) return fail("group_assignments", address ?? id, `adds users to ${address ?? id}, which holds ${roles.join(", ")}`);
        if (address === undefined && id === undefined) unresolved ??= `group_assignments[${i}] is not known before apply`;
      }
      return unresolved ? unknown("group_assignments", unresolved) : pass();
    }),
});
