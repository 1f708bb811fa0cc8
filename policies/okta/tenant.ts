import { isUnknown } from "../../engine/model/model";
import { asList, read } from "../../engine/model/view";
import { defineRule, fail, notApplicable, pass, unknown, type Tri, type Verdict } from "../rule";
import { allOf, and, decide, dflt, equals, getBool, getString, isActive, whenApplies } from "../shared/read";
import { requireSome } from "../shared/scope";

export const noStandingSupportAccess = defineRule({
  id: "OKTA-SUP-1",
  kind: "scope",
  severity: "error",
  title: "No standing Okta Support access",
  rationale:
    "The 2023 breach began in Okta's own support system. Access for Okta Support should be granted for a case and revoked after it, never kept in code as a standing grant.",
  references: ["Okta: give access to Okta Support", "Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)"],
  passes: "no `okta_org_support` resource exists (it grants Okta Support access to the tenant)",
  provider: "okta",
  resourceTypes: ["okta_org_support"],
  reads: [],
  evaluate(scope): Verdict | Verdict[] {
    if (!scope.uses("okta")) return notApplicable();
    const grants = scope.ofKind("okta_org_support");
    if (grants.length === 0) return pass();
    return grants.map((g) =>
      g.conditional
        ? unknown(undefined, "okta_org_support may be created (its count or for_each is not known before apply); it grants Okta Support access", g)
        : fail(undefined, undefined, "okta_org_support grants Okta Support standing access to the tenant; grant it per case instead", g),
    );
  },
});

export const threatInsightBlocks = defineRule({
  id: "OKTA-TI-1",
  kind: "scope",
  severity: "warning",
  title: "ThreatInsight blocks",
  rationale: "ThreatInsight blocks sign-in attempts from IPs Okta sees attacking many tenants: credential stuffing and password spraying stop before they reach a user.",
  references: ["Okta: ThreatInsight"],
  passes: 'an `okta_threat_insight_settings` with `action = "block"` exists',
  provider: "okta",
  resourceTypes: ["okta_threat_insight_settings"],
  reads: ["action"],
  evaluate: (scope) =>
    requireSome(scope, "okta", scope.ofKind("okta_threat_insight_settings"), (r) => equals(r, "action", "block"), 'no okta_threat_insight_settings with action = "block"'),
});

function blocksAnonymizers(r: Parameters<typeof isActive>[0]): Tri {
  const type = read(r, "type");
  if (type.state === "unknown") return "unknown";
  let kindOk: Tri = false;
  if (type.state === "known" && type.value === "DYNAMIC") {
    const p = read(r, "dynamic_proxy_type");
    kindOk = p.state === "unknown" ? "unknown" : p.state === "known" && (p.value === "Any" || p.value === "TorAnonymizer");
  } else if (type.state === "known" && type.value === "DYNAMIC_V2") {
    const c = read(r, "ip_service_categories_include");
    const list = c.state === "known" ? asList(c.value) : undefined;
    kindOk = c.state === "unknown" ? "unknown" : !!list && list.length > 0;
  }
  return and(isActive(r), equals(r, "usage", "BLOCKLIST"), kindOk);
}

export const anonymizersBlocked = defineRule({
  id: "OKTA-ZONE-1",
  kind: "scope",
  severity: "warning",
  title: "Anonymizing proxies are blocked",
  rationale: "Session replay and password spraying come through Tor and anonymizing proxies; a blocklist zone removes them from the sign-in path.",
  references: ["Okta: dynamic network zones", "Okta: enhanced dynamic zones (DYNAMIC_V2)"],
  passes:
    'an active `okta_network_zone` with `usage = "BLOCKLIST"` and either `type = "DYNAMIC"` with `dynamic_proxy_type` `Any` or `TorAnonymizer`, or `type = "DYNAMIC_V2"` with `ip_service_categories_include` non-empty',
  provider: "okta",
  resourceTypes: ["okta_network_zone"],
  reads: ["status", "usage", "type", "dynamic_proxy_type", "ip_service_categories_include"],
  evaluate: (scope) =>
    requireSome(scope, "okta", scope.ofKind("okta_network_zone"), blocksAnonymizers, "no active blocklist okta_network_zone blocks anonymizing proxies"),
});

const TOP_ROLES = ["SUPER_ADMIN", "ORG_ADMIN"];

export const adminRolesToGroups = defineRule({
  id: "OKTA-ADM-1",
  kind: "resource",
  severity: "warning",
  title: "Admin roles go to groups, and admins hear about it",
  rationale:
    "The 2023 attacker used an admin session. Super and org admin granted to individuals escapes group review, and silenced notifications hide a grant from the people who would notice it.",
  references: ["Okta: administrator roles", "Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)"],
  passes: "no `okta_user_admin_roles` grants `SUPER_ADMIN` or `ORG_ADMIN`; no `okta_group_role` / `okta_user_admin_roles` has `disable_notifications = true`",
  provider: "okta",
  resourceTypes: ["okta_user_admin_roles", "okta_group_role"],
  reads: ["admin_roles", "disable_notifications"],
  evaluate: (r) =>
    allOf(
      () => {
        if (r.kind !== "okta_user_admin_roles") return pass();
        const roles = read(r, "admin_roles");
        if (roles.state === "unknown") return unknown("admin_roles", "admin_roles is not known before apply");
        const list = roles.state === "known" ? (asList(roles.value) ?? []) : [];
        const top = list.find((x) => typeof x === "string" && TOP_ROLES.includes(x));
        if (top) return fail("admin_roles", top, `${top} is granted to a single user; grant it to a group through okta_group_role`);
        return list.some(isUnknown) ? unknown("admin_roles", "some admin_roles are not known before apply") : pass();
      },
      () =>
        decide(getBool(r, "disable_notifications"), (off) =>
          off ? fail("disable_notifications", true, "admin notifications are disabled for this grant; remove disable_notifications") : pass(),
        ),
    ),
});

const NOTIFICATIONS = [
  "report_suspicious_activity_enabled",
  "send_email_for_factor_enrollment_enabled",
  "send_email_for_factor_reset_enabled",
  "send_email_for_new_device_enabled",
  "send_email_for_password_changed_enabled",
];

export const securityNotifications = defineRule({
  id: "OKTA-NOTIFY-1",
  kind: "resource",
  severity: "warning",
  title: "Users are told of security changes",
  rationale: "A user who is told that a factor was enrolled or a password changed is the fastest detector of an account takeover.",
  references: ["Okta: security notification emails"],
  passes: "any `okta_security_notification_emails` present has every `*_enabled` attribute true (" + NOTIFICATIONS.map((n) => `\`${n}\``).join(", ") + ")",
  provider: "okta",
  resourceTypes: ["okta_security_notification_emails"],
  reads: NOTIFICATIONS,
  evaluate: (r) =>
    allOf(...NOTIFICATIONS.map((attr) => () => decide(getBool(r, attr), (on) => (on === false ? fail(attr, false, `${attr} is false; users are not told`) : pass())))),
});

export const noSelfRegistration = defineRule({
  id: "OKTA-ENR-1",
  kind: "resource",
  severity: "warning",
  title: "No self-registration",
  rationale: "Self-registration lets anyone create an identity in the tenant: a foothold that needs no stolen credential.",
  references: ["Okta: profile enrollment policies"],
  passes: 'every active `okta_policy_rule_profile_enrollment` has `unknown_user_action = "DENY"`',
  provider: "okta",
  resourceTypes: ["okta_policy_rule_profile_enrollment"],
  reads: ["status", "unknown_user_action"],
  evaluate: (r) =>
    whenApplies(isActive(r), "an active rule", () =>
      decide(getString(r, "unknown_user_action"), (action, d) =>
        action === "DENY" ? pass() : fail("unknown_user_action", action ?? null, `unknown_user_action is ${action ?? "not set"}${dflt(d)}; set it to DENY`),
      ),
    ),
});
