# The org's default policy counts too; 10 attempts is over the strict limit of 3.
resource "okta_policy_password_default" "d" {
  password_min_length           = 15
  password_max_lockout_attempts = 10
  password_dictionary_lookup    = true
}
