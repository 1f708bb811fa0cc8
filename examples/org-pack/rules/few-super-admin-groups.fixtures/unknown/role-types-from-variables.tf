# One certain top-admin group, and two whose role is decided at plan time: over either limit if they are top roles.
variable "role_b" { type = string }
variable "role_c" { type = string }
resource "okta_group_role" "a" {
  group_id  = "00g1a"
  role_type = "SUPER_ADMIN"
}
resource "okta_group_role" "b" {
  group_id  = "00g1b"
  role_type = var.role_b
}
resource "okta_group_role" "c" {
  group_id  = "00g1c"
  role_type = var.role_c
}
