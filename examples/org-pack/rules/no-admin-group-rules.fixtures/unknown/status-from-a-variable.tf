# The rule targets an admin group, but whether it is active is decided at plan time.
variable "status" { type = string }
resource "okta_group" "admins" { name = "Platform Admins" }
resource "okta_group_role" "admins_org" {
  group_id  = okta_group.admins.id
  role_type = "ORG_ADMIN"
}
resource "okta_group_rule" "maybe" {
  name              = "maybe"
  status            = var.status
  group_assignments = [okta_group.admins.id]
  expression_value  = "user.department==\"IT\""
}
