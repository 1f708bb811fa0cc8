# The same, with the group named by its Okta id (as in a plan or state, or an imported group).
resource "okta_group_role" "helpdesk" {
  group_id  = "00g1helpdesk"
  role_type = "HELP_DESK_ADMIN"
}
resource "okta_group_rule" "support_staff" {
  name              = "support-staff"
  group_assignments = ["00g1helpdesk"]
  expression_value  = "user.title==\"Support\""
}
