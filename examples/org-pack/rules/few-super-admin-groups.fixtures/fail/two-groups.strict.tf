# Two top-admin groups: over the strict limit of 1.
resource "okta_group" "admins" { name = "Platform Admins" }
resource "okta_group" "iam" { name = "IAM team" }
resource "okta_group_role" "admins_super" {
  group_id  = okta_group.admins.id
  role_type = "SUPER_ADMIN"
}
resource "okta_group_role" "iam_org" {
  group_id  = okta_group.iam.id
  role_type = "ORG_ADMIN"
}
