# The Okta posture Cloudflare recommended after the October 2023 support-system breach.

resource "okta_authenticator" "webauthn" {
  key    = "webauthn"
  name   = "Security Key or Biometric"
  status = "ACTIVE"
  settings = jsonencode({
    userVerification = "REQUIRED"
  })
}

resource "okta_authenticator" "okta_verify" {
  key  = "okta_verify"
  name = "Okta Verify"
  settings = jsonencode({
    channelBinding   = { style = "NUMBER_CHALLENGE", required = "ALWAYS" }
    compliance       = { fips = "OPTIONAL" }
    userVerification = "REQUIRED"
  })
}

resource "okta_authenticator" "phone" {
  key      = "phone_number"
  name     = "Phone"
  settings = jsonencode({ allowedFor = "recovery" })
}

resource "okta_policy_mfa_default" "default" {
  is_oie        = true
  okta_password = { enroll = "REQUIRED" }
  webauthn      = { enroll = "REQUIRED" }
  okta_verify   = { enroll = "NOT_ALLOWED" }
  phone_number  = { enroll = "NOT_ALLOWED" }
}

resource "okta_policy_signon" "global" {
  name        = "Global session"
  status      = "ACTIVE"
  description = "Short sessions, MFA at every sign-in"
}

resource "okta_policy_rule_signon" "deny_anonymizers" {
  policy_id          = okta_policy_signon.global.id
  name               = "Deny anonymizers"
  access             = "DENY"
  priority           = 1
  network_connection = "ZONE"
  network_includes   = [okta_network_zone.anonymizers.id]
}

resource "okta_policy_rule_signon" "global_session" {
  policy_id           = okta_policy_signon.global.id
  name                = "Everyone: short sessions"
  priority            = 2
  access              = "ALLOW"
  session_idle        = local.idle_minutes
  session_lifetime    = local.lifetime_minutes
  session_persistent  = false
  mfa_required        = true
  mfa_prompt          = "ALWAYS"
  mfa_remember_device = false
}

resource "okta_app_signon_policy" "admin_apps" {
  name        = "Phishing-resistant apps"
  description = "Hardware-bound, phishing-resistant possession for every app"
}

resource "okta_app_signon_policy_rule" "phishing_resistant" {
  policy_id                   = okta_app_signon_policy.admin_apps.id
  name                        = "Phishing-resistant 2FA"
  priority                    = 1
  access                      = "ALLOW"
  factor_mode                 = "2FA"
  re_authentication_frequency = "PT12H"
  inactivity_period           = "PT15M"
  constraints = [
    jsonencode({
      possession = {
        phishingResistant  = "REQUIRED"
        hardwareProtection = "REQUIRED"
        userVerification   = "REQUIRED"
      }
    })
  ]
}

resource "okta_policy_password_default" "default" {
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
  sms_recovery                  = "INACTIVE"
  call_recovery                 = "INACTIVE"
  question_recovery             = "INACTIVE"
}

resource "okta_log_stream" "splunk" {
  name   = "Splunk Cloud"
  type   = "splunk_cloud_logstreaming"
  status = "ACTIVE"
  settings {
    host    = "acme.splunkcloud.com"
    edition = "aws"
    token   = var.splunk_hec_token
  }
}

resource "okta_event_hook" "security" {
  name   = "Security responder"
  status = "ACTIVE"
  events = [
    "user.lifecycle.create",
    "user.lifecycle.reactivate",
    "user.mfa.factor.deactivate",
    "user.mfa.factor.reset_all",
    "user.account.reset_password",
    "user.account.update_password",
    "user.account.privilege.grant",
    "group.privilege.grant",
    "policy.lifecycle.update",
    "policy.lifecycle.deactivate",
    "policy.rule.update",
    "policy.rule.deactivate",
    "security.authenticator.lifecycle.deactivate",
    "application.user_membership.add",
    "system.idp.lifecycle.create",
    "system.api_token.create",
    "system.log_stream.lifecycle.deactivate",
  ]
  channel = {
    type    = "HTTP"
    version = "1.0.0"
    uri     = "https://responder.example.com/okta"
  }
  auth = {
    type  = "HEADER"
    key   = "Authorization"
    value = var.event_hook_secret
  }
}

resource "okta_threat_insight_settings" "block" {
  action = "block"
}

resource "okta_network_zone" "anonymizers" {
  name                          = "Block anonymizers"
  type                          = "DYNAMIC_V2"
  usage                         = "BLOCKLIST"
  status                        = "ACTIVE"
  ip_service_categories_include = ["ALL_ANONYMIZERS"]
}

resource "okta_group_role" "super_admins" {
  group_id  = local.admin_group_ids[0]
  role_type = "SUPER_ADMIN"
}

resource "okta_security_notification_emails" "all" {}

resource "okta_policy_rule_profile_enrollment" "no_self_registration" {
  policy_id           = "rst0000000000000000"
  unknown_user_action = "DENY"
}
