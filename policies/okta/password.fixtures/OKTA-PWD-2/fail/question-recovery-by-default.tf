# question_recovery left out is ACTIVE (the provider default): a guessable answer resets the password.
resource "okta_policy_password" "p" {
  name = "Default for everyone"
}
