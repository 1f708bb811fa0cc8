# 12 characters is below the strict minimum of 15.
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = 12
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = okta_policy_password.p.id
}
