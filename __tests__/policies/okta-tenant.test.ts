import { cases, res, tf, unknownVar } from "../helpers";

const okta = res("okta_group", "g", { name: "g" });

cases("OKTA-SUP-1", [
  { name: "no support grant", tf: okta, expect: "pass" },
  { name: "standing support grant", tf: tf(okta, res("okta_org_support", "s", { extend_by: 1 })), expect: "fail" },
  { name: "grant under an unknown count", tf: tf(unknownVar("n"), res("okta_org_support", "s", { count: "${var.n}" })), expect: "unknown" },
]);

cases("OKTA-TI-1", [
  { name: "block", tf: res("okta_threat_insight_settings", "t", { action: "block" }), expect: "pass" },
  { name: "audit only", tf: res("okta_threat_insight_settings", "t", { action: "audit" }), expect: "fail" },
  { name: "absent", tf: okta, expect: "fail" },
  { name: "action unknown", tf: tf(unknownVar("a"), res("okta_threat_insight_settings", "t", { action: "${var.a}" })), expect: "unknown" },
]);

const zone = (body: object) => res("okta_network_zone", "z", { name: "z", usage: "BLOCKLIST", ...body });

cases("OKTA-ZONE-1", [
  { name: "enhanced dynamic zone with categories", tf: zone({ type: "DYNAMIC_V2", ip_service_categories_include: ["ALL_ANONYMIZERS"] }), expect: "pass" },
  { name: "dynamic zone, Tor", tf: zone({ type: "DYNAMIC", dynamic_proxy_type: "TorAnonymizer" }), expect: "pass" },
  { name: "dynamic zone, not anonymizers", tf: zone({ type: "DYNAMIC", dynamic_proxy_type: "NotTorAnonymizer" }), expect: "fail" },
  { name: "policy zone, not blocklist", tf: zone({ usage: "POLICY", type: "DYNAMIC", dynamic_proxy_type: "Any" }), expect: "fail" },
  { name: "enhanced zone without categories", tf: zone({ type: "DYNAMIC_V2" }), expect: "fail" },
  { name: "ip zone", tf: zone({ type: "IP", gateways: ["1.2.3.4/32"] }), expect: "fail" },
  { name: "categories unknown", tf: tf(unknownVar("c"), zone({ type: "DYNAMIC_V2", ip_service_categories_include: "${var.c}" })), expect: "unknown" },
]);

cases("OKTA-ADM-1", [
  { name: "group role", tf: res("okta_group_role", "r", { group_id: "g", role_type: "SUPER_ADMIN" }), expect: "pass" },
  { name: "user granted super admin", tf: res("okta_user_admin_roles", "u", { user_id: "u", admin_roles: ["SUPER_ADMIN"] }), expect: "fail" },
  { name: "user granted help desk admin", tf: res("okta_user_admin_roles", "u", { user_id: "u", admin_roles: ["HELP_DESK_ADMIN"] }), expect: "pass" },
  { name: "notifications silenced", tf: res("okta_group_role", "r", { group_id: "g", role_type: "ORG_ADMIN", disable_notifications: true }), expect: "fail" },
  { name: "roles unknown", tf: tf(unknownVar("r"), res("okta_user_admin_roles", "u", { user_id: "u", admin_roles: "${var.r}" })), expect: "unknown" },
]);

cases("OKTA-NOTIFY-1", [
  { name: "all defaults (true)", tf: res("okta_security_notification_emails", "n", {}), expect: "pass" },
  { name: "factor reset emails off", tf: res("okta_security_notification_emails", "n", { send_email_for_factor_reset_enabled: false }), expect: "fail" },
  { name: "one from a variable", tf: tf(unknownVar("v"), res("okta_security_notification_emails", "n", { send_email_for_new_device_enabled: "${var.v}" })), expect: "unknown" },
]);

const enr = (body: object) => res("okta_policy_rule_profile_enrollment", "e", { policy_id: "p", ...body });

cases("OKTA-ENR-1", [
  { name: "deny unknown users", tf: enr({ unknown_user_action: "DENY" }), expect: "pass" },
  { name: "self-registration", tf: enr({ unknown_user_action: "REGISTER" }), expect: "fail" },
  { name: "not set", tf: enr({}), expect: "fail" },
  { name: "inactive rule", tf: enr({ status: "INACTIVE", unknown_user_action: "REGISTER" }), expect: "not-applicable" },
  { name: "action unknown", tf: tf(unknownVar("a"), enr({ unknown_user_action: "${var.a}" })), expect: "unknown" },
]);
