# Cloudflare Zero Trust: only hardware keys on healthy, managed devices get in; every event reaches the SIEM.

resource "cloudflare_zero_trust_device_posture_rule" "warp" {
  account_id = var.cloudflare_account_id
  name       = "WARP connected"
  type       = "warp"
  match      = [{ platform = "mac" }, { platform = "windows" }, { platform = "linux" }]
}

resource "cloudflare_zero_trust_device_posture_rule" "disk_encryption" {
  account_id = var.cloudflare_account_id
  name       = "All disks encrypted"
  type       = "disk_encryption"
  match      = [{ platform = "mac" }, { platform = "windows" }]
  input      = { require_all = true }
}

resource "cloudflare_zero_trust_device_posture_rule" "macos_version" {
  account_id = var.cloudflare_account_id
  name       = "macOS 15.3 or later"
  type       = "os_version"
  match      = [{ platform = "mac" }]
  input      = { version = "15.3.0", operator = ">=", operating_system = "mac" }
}

resource "cloudflare_zero_trust_device_posture_rule" "firewall" {
  account_id = var.cloudflare_account_id
  name       = "Firewall on (macOS)"
  type       = "firewall"
  match      = [{ platform = "mac" }]
  input      = { enabled = true, operating_system = "mac" }
}

resource "cloudflare_zero_trust_access_identity_provider" "okta" {
  account_id = var.cloudflare_account_id
  name       = "Okta"
  type       = "okta"
  config = {
    okta_account  = "https://${local.okta_org}.okta.com"
    client_id     = "0oa0000000000000000"
    client_secret = var.okta_oidc_client_secret
    pkce_enabled  = true
  }
}

resource "cloudflare_zero_trust_access_policy" "managed_device_hardware_key" {
  account_id = var.cloudflare_account_id
  name             = "Staff on healthy devices with a security key"
  decision         = "allow"
  session_duration = "1h" # a policy's session overrides the application's; the provider default is 24h
  include    = [{ okta = { identity_provider_id = cloudflare_zero_trust_access_identity_provider.okta.id, name = "staff" } }]
  require = [
    { device_posture = { integration_uid = cloudflare_zero_trust_device_posture_rule.warp.id } },
    { device_posture = { integration_uid = cloudflare_zero_trust_device_posture_rule.disk_encryption.id } },
    { device_posture = { integration_uid = cloudflare_zero_trust_device_posture_rule.firewall.id } },
    { auth_method = { auth_method = "hwk" } },
  ]
}

resource "cloudflare_zero_trust_access_application" "admin" {
  account_id                 = var.cloudflare_account_id
  name                       = "Admin console"
  domain                     = "admin.example.com"
  type                       = "self_hosted"
  session_duration           = "1h"
  allowed_idps               = [cloudflare_zero_trust_access_identity_provider.okta.id]
  auto_redirect_to_identity  = true
  enable_binding_cookie      = true
  http_only_cookie_attribute = true
  same_site_cookie_attribute = "strict"
  policies = [{
    id         = cloudflare_zero_trust_access_policy.managed_device_hardware_key.id
    precedence = 1
  }]
}

resource "cloudflare_zero_trust_organization" "org" {
  account_id                  = var.cloudflare_account_id
  name                        = "example.cloudflareaccess.com"
  auth_domain                 = "example.cloudflareaccess.com"
  session_duration            = "12h"
  allow_authenticate_via_warp = true
  warp_auth_session_duration  = "12h"
  is_ui_read_only             = true
}

resource "cloudflare_logpush_job" "access_requests" {
  account_id       = var.cloudflare_account_id
  name             = "access-requests"
  dataset          = "access_requests"
  enabled          = true
  destination_conf = "splunk://siem.example.com:8088/services/collector/raw?channel=0123&header_Authorization=Splunk%20${var.splunk_hec_token}&insecure-skip-verify=false"
}

resource "cloudflare_logpush_job" "audit_logs" {
  account_id       = var.cloudflare_account_id
  name             = "audit-logs"
  dataset          = "audit_logs"
  enabled          = true
  destination_conf = "splunk://siem.example.com:8088/services/collector/raw?channel=0123&header_Authorization=Splunk%20${var.splunk_hec_token}&insecure-skip-verify=false"
}

resource "cloudflare_logpush_job" "device_posture" {
  account_id       = var.cloudflare_account_id
  name             = "device-posture-results"
  dataset          = "device_posture_results"
  enabled          = true
  destination_conf = "splunk://siem.example.com:8088/services/collector/raw?channel=0123&header_Authorization=Splunk%20${var.splunk_hec_token}&insecure-skip-verify=false"
}

resource "cloudflare_notification_policy" "logpush_disabled" {
  account_id  = var.cloudflare_account_id
  name        = "A Logpush job was disabled"
  alert_type  = "failing_logpush_job_disabled_alert"
  enabled     = true
  mechanisms  = { email = [{ id = "soc@example.com" }] }
}
