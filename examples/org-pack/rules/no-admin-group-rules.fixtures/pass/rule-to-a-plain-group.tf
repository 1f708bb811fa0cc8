# Engineering is filled by a group rule; only Platform Admins holds an admin role.
resource "okta_group" "admins" { name = "Platform Admins" }
resource "okta_group" "eng" { name = "Engineering" }
resource "okta_group_role" "admins_super" {
  group_id  = okta_group.admins.id
  role_type = "SUPER_ADMIN"
}
resource "okta_group_rule" "eng" {
  name              = "engineering"
  group_assignments = [okta_group.eng.id]
  expression_value  = "user.department==\"Engineering\""
}
