# Acme's Okta groups and admin roles: the configuration the org pack is shown on (posture.config.json
# beside this folder loads the pack). Two groups hold top admin roles; two group rules fill groups.
resource "okta_group" "platform_admins" { name = "Platform Admins" }
resource "okta_group" "iam" { name = "IAM team" }
resource "okta_group" "engineering" { name = "Engineering" }

resource "okta_group_role" "platform_admins_super" {
  group_id  = okta_group.platform_admins.id
  role_type = "SUPER_ADMIN"
}

resource "okta_group_role" "iam_org" {
  group_id  = okta_group.iam.id
  role_type = "ORG_ADMIN"
}

# Fine: Engineering holds no admin role.
resource "okta_group_rule" "engineering" {
  name              = "engineering"
  group_assignments = [okta_group.engineering.id]
  expression_value  = "user.department==\"Engineering\""
}

# Fails acme/OKTA-GRP-1 (IAM holds ORG_ADMIN); waived in posture.config.json until the joiner process lands.
resource "okta_group_rule" "iam_joiners" {
  name              = "iam-joiners"
  group_assignments = [okta_group.iam.id]
  expression_value  = "user.department==\"IAM\""
}
