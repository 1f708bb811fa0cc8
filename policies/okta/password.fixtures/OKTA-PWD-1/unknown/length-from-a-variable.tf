variable "min_length" { type = number }
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = var.min_length
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = okta_policy_password.p.id
}
