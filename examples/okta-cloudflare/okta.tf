# The Okta posture Cloudflare recommended after the October 2023 support-system breach.

# No settings: provider 4.20 never sends them for WebAuthn (a security_key authenticator), and an update
# of one fails without RADIUS fields (okta/resource_okta_authenticator.go:302-314, 366-381@v4.20.0).
# User verification is a method setting: set it in the Admin Console (docs/constructs.md, manual checks).
resource "okta_authenticator" "webauthn" {
  key    = "webauthn"
  name   = "Security Key or Biometric"
  status = "ACTIVE"
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

# The API returns the token lifetime with the email settings: pin it, or every plan shows an update.
resource "okta_authenticator" "email" {
  key      = "okta_email"
  name     = "Email"
  settings = jsonencode({ allowedFor = "recovery", tokenLifetimeInMinutes = 5 })
}

# Created after WebAuthn is active; phone recovery is no longer offered afterwards.
resource "okta_policy_mfa_default" "default" {
  depends_on    = [okta_authenticator.webauthn]
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

# No deny rule for the anonymizer zone: Okta applies a BLOCKLIST zone before any policy.
resource "okta_policy_rule_signon" "global_session" {
  policy_id           = okta_policy_signon.global.id
  name                = "Everyone: short sessions"
  priority            = 1
  access              = "ALLOW"
  session_idle        = local.idle_minutes
  session_lifetime    = local.lifetime_minutes
  session_persistent  = false
  mfa_required        = true
  mfa_prompt          = "ALWAYS"
  mfa_remember_device = false
}

# The built-in authentication policies of the Okta Admin Console and the Okta Dashboard: what the 2023
# attacker went for first. They cannot be created, only looked up.
data "okta_policy" "okta_built_in" {
  for_each = toset(["Okta Admin Console", "Okta Dashboard"])
  name     = each.key
  type     = "ACCESS_POLICY"
}

resource "okta_app_signon_policy_rule" "phishing_resistant" {
  for_each                    = data.okta_policy.okta_built_in
  policy_id                   = each.value.id
  name                        = "Phishing-resistant 2FA"
  priority                    = 1
  access                      = "ALLOW"
  factor_mode                 = "2FA"
  re_authentication_frequency = "PT12H"
  inactivity_period           = "PT15M"
  constraints = [
    jsonencode({
      possession = {
        required           = true # provider 4.x sends false when absent (sdk/v2_possessionConstraint.go:10)
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
