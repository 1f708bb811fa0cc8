# Two top-admin groups: within the recommended limit of 2 (the strict limit is 1: see fail/).
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
