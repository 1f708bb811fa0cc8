variable "sms_recovery" { type = string }
resource "okta_policy_password" "p" {
  name              = "Default for everyone"
  question_recovery = "INACTIVE"
  sms_recovery      = var.sms_recovery
}
