/**
 * Provider defaults that decide verdicts (CONTROLS.md, "Provider defaults"), read from the provider
 * sources of Okta v4.20.0 and Cloudflare v5.14.0. An absent attribute reads as its default here, so a
 * rule never has to remember one. Keyed by canonical (v5) resource type, then dotted attribute path.
 */
import { ownValue } from "./own";
const PASSWORD = {
  password_min_length: 8,
  password_max_lockout_attempts: 10,
  password_dictionary_lookup: false,
  sms_recovery: "INACTIVE",
  call_recovery: "INACTIVE",
  question_recovery: "ACTIVE",
};

const DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  okta_policy_rule_signon: {
    access: "ALLOW",
    status: "ACTIVE",
    session_idle: 120,
    session_lifetime: 120,
    session_persistent: false,
    mfa_required: false,
    mfa_remember_device: false,
  },
  okta_app_signon_policy_rule: {
    access: "ALLOW",
    status: "ACTIVE",
    factor_mode: "2FA",
    re_authentication_frequency: "PT2H",
    inactivity_period: "PT1H",
    type: "ASSURANCE",
  },
  okta_policy_password: { status: "ACTIVE", ...PASSWORD },
  okta_policy_password_default: PASSWORD,
  okta_policy_mfa: { status: "ACTIVE" },
  okta_policy_signon: { status: "ACTIVE" },
  okta_authenticator: { status: "ACTIVE" },
  // No provider default; the API creates these ACTIVE, so absent reads as active.
  okta_log_stream: { status: "ACTIVE" },
  okta_network_zone: { status: "ACTIVE" },
  okta_event_hook: { status: "ACTIVE" },
  okta_policy_rule_profile_enrollment: { status: "ACTIVE" },
  okta_security_notification_emails: {
    report_suspicious_activity_enabled: true,
    send_email_for_factor_enrollment_enabled: true,
    send_email_for_factor_reset_enabled: true,
    send_email_for_new_device_enabled: true,
    send_email_for_password_changed_enabled: true,
  },
  cloudflare_zero_trust_access_application: {
    session_duration: "24h",
    type: "self_hosted",
    enable_binding_cookie: false,
    http_only_cookie_attribute: true,
  },
  // Provider v5's schema default (v4 has none: an unset v4 policy takes its application's, see
  // inheritsAppSession). A policy's session duration takes precedence over its application's, so an
  // omitted one means 24-hour sessions in v5 (CF-ACC-4).
  cloudflare_zero_trust_access_policy: { session_duration: "24h" },
  cloudflare_zero_trust_organization: { allow_authenticate_via_warp: false },
  cloudflare_logpush_job: { enabled: false },
};

export function providerDefault(kind: string, path: string): unknown {
  const byPath = ownValue(DEFAULTS, kind) as Record<string, unknown> | undefined;
  return byPath === undefined ? undefined : ownValue(byPath, path);
}
