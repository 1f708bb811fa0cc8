# Nothing set: the provider's defaults (8 characters, no dictionary check) fail.
resource "okta_policy_password" "p" {
  name = "Default for everyone"
}

resource "okta_policy_rule_password" "r" {
  name      = "Everyone"
  policy_id = okta_policy_password.p.id
}
