# An inactive policy applies to no one.
resource "okta_policy_password" "p" {
  name                = "Old policy"
  status              = "INACTIVE"
  password_min_length = 4
}
