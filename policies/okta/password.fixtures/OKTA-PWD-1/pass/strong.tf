# 15 characters, lockout after 3 attempts, dictionary check: passes both profiles.
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = okta_policy_password.p.id
}
