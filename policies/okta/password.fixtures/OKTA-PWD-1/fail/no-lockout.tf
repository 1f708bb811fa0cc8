# 0 disables lockout: password spraying never stops.
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = 15
  password_max_lockout_attempts = 0
  password_dictionary_lookup    = true
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = okta_policy_password.p.id
}
