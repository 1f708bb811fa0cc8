# Which groups the rule fills is decided at plan time.
variable "groups" { type = list(string) }
resource "okta_group_role" "admins_super" {
  group_id  = "00g1admins"
  role_type = "SUPER_ADMIN"
}
resource "okta_group_rule" "dynamic" {
  name              = "dynamic"
  group_assignments = var.groups
  expression_value  = "user.department==\"Engineering\""
}
