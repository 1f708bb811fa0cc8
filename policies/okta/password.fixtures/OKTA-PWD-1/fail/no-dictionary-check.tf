resource "okta_policy_password_default" "d" {
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = false
}
