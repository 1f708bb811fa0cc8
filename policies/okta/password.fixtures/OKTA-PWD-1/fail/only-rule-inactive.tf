# The policy's only rule is inactive, so no rule matches and Okta skips the policy.
resource "okta_policy_password" "p" {
  name                          = "Default for everyone"
  password_min_length           = 15
  password_max_lockout_attempts = 3
  password_dictionary_lookup    = true
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = okta_policy_password.p.id
  status    = "INACTIVE"
}
