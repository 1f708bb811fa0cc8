# The org's default policy always has Okta's default rule: it needs none in the code.
resource "okta_policy_password_default" "d" {
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}
