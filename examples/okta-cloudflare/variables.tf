# Secrets come in as sensitive variables (TF_VAR_... in CI), never as literals: SECRET-1.
variable "splunk_hec_token" {
  type      = string
  sensitive = true
}

variable "okta_oidc_client_secret" {
  type      = string
  sensitive = true
}

variable "event_hook_secret" {
  type      = string
  sensitive = true
}

variable "cloudflare_account_id" {
  type    = string
  default = "0123456789abcdef0123456789abcdef"
}

locals {
  okta_org        = "example"
  admin_group_ids = ["00g1admins00000000000"]
  # Session bounds shared by Okta and Cloudflare (minutes / Go durations).
  idle_minutes     = 30
  lifetime_minutes = 720
}
