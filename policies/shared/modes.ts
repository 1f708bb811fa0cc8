import { defineRule } from "../rule";

/** Decided by the config loader, from the user's threshold overrides. */
export const weakerOverride = defineRule({
  id: "CONFIG-1",
  kind: "config",
  severity: "warning",
  title: "A threshold override is weaker than recommended",
  rationale: "A threshold loosened in posture.config.json weakens a control for every resource at once; it should be as visible in the report as a failing resource.",
  references: ["identity-posture: posture.config.json"],
  passes: "(from the user's config, not from resources) no threshold override is weaker than the `recommended` value",
  provider: "any",
  resourceTypes: [],
  reads: [],
});

const POSTURE_TYPES = [
  "okta_authenticator",
  "okta_policy_mfa",
  "okta_policy_mfa_default",
  "okta_policy_signon",
  "okta_policy_rule_signon",
  "okta_app_signon_policy",
  "okta_app_signon_policy_rule",
  "okta_policy_password",
  "okta_log_stream",
  "okta_event_hook",
  "okta_threat_insight_settings",
  "okta_network_zone",
  "cloudflare_zero_trust_device_posture_rule",
  "cloudflare_zero_trust_access_policy",
  "cloudflare_zero_trust_access_application",
  "cloudflare_zero_trust_organization",
  "cloudflare_logpush_job",
  "cloudflare_zero_trust_gateway_policy",
];

/** Decided by `posture review` from a plan's `actions`. */
export const postureResourceDestroyed = defineRule({
  id: "PLAN-1",
  kind: "review",
  severity: "error",
  title: "A posture resource is destroyed",
  rationale: "Deleting an enrollment policy, a log stream or an Access policy removes a control outright, and scanners that judge only the planned result never see it.",
  references: ["Terraform JSON output format: resource_changes[].change.actions"],
  passes: "`actions` contains `delete` or `forget` without `create` on " + POSTURE_TYPES.map((t) => `\`${t}\``).join(", "),
  provider: "any",
  resourceTypes: POSTURE_TYPES,
  reads: [],
});

export const weakenedWithinPolicy = defineRule({
  id: "PLAN-2",
  kind: "review",
  severity: "warning",
  title: "A posture value is weakened but stays within policy",
  rationale: "A change that loosens a control without breaking it is the quiet kind reviewers miss; it deserves a line in the PR comment.",
  references: ["identity-posture: plan review"],
  passes: "no threshold attribute moves toward the weak side while still passing (e.g. `session_lifetime` 60 → 600, `session_duration` 1h → 8h, `enroll` REQUIRED → OPTIONAL where allowed)",
  provider: "any",
  resourceTypes: [],
  reads: [],
});

export const changedOutsideCode = defineRule({
  id: "DRIFT-1",
  kind: "drift",
  severity: "error",
  title: "A security setting was changed outside code review",
  rationale:
    "Someone with an admin session changed a setting that a control reads, outside Terraform: exactly what the 2023 attacker would have done first. It is a finding even when the new value still passes.",
  references: ["Terraform: refresh-only plans", "Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)"],
  passes: "no attribute that a rule reads differs between the last applied state and what the provider now reports",
  provider: "any",
  resourceTypes: [],
  reads: [],
});
