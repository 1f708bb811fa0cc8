resource "okta_policy_password" "p" {
  name              = "Default for everyone"
  question_recovery = "INACTIVE"
  call_recovery     = "ACTIVE"
}
