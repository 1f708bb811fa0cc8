# A created password policy with no rule is never selected: Okta moves on to the next policy (docs/provider-facts.md).
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}
