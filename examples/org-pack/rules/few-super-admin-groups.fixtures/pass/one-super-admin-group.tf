resource "okta_group" "admins" { name = "Platform Admins" }
resource "okta_group" "helpdesk" { name = "Help desk" }
resource "okta_group_role" "admins_super" {
  group_id  = okta_group.admins.id
  role_type = "SUPER_ADMIN"
}
# Same group, second top role: still one group. Help desk roles do not count.
resource "okta_group_role" "admins_org" {
  group_id  = okta_group.admins.id
  role_type = "ORG_ADMIN"
}
resource "okta_group_role" "helpdesk" {
  group_id  = okta_group.helpdesk.id
  role_type = "HELP_DESK_ADMIN"
}
