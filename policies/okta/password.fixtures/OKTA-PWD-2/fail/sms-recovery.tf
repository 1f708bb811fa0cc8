resource "okta_policy_password_default" "d" {
  question_recovery = "INACTIVE"
  sms_recovery      = "ACTIVE"
}
