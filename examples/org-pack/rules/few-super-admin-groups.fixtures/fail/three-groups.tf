resource "okta_group_role" "a" {
  group_id  = "00g1a"
  role_type = "SUPER_ADMIN"
}
resource "okta_group_role" "b" {
  group_id  = "00g1b"
  role_type = "SUPER_ADMIN"
}
resource "okta_group_role" "c" {
  group_id  = "00g1c"
  role_type = "ORG_ADMIN"
}
