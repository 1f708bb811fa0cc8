# A profile attribute decides who becomes a super admin.
resource "okta_group" "admins" { name = "Platform Admins" }
resource "okta_group_role" "admins_super" {
  group_id  = okta_group.admins.id
  role_type = "SUPER_ADMIN"
}
resource "okta_group_rule" "eng_to_admins" {
  name              = "eng-to-admins"
  group_assignments = [okta_group.admins.id]
  expression_value  = "user.department==\"Engineering\""
}
