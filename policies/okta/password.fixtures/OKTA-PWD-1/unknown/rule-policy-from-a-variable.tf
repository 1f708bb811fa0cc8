# Which policy the rule belongs to is not known before apply.
variable "policy_id" { type = string }
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = var.policy_id
}
