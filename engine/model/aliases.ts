/**
 * Cloudflare provider v4 resource names and their v5 equivalents (CONTROLS.md, "Cloudflare v4 names").
 * Rules match on the v5 name; addresses keep the name as written.
 */
import { ownValue } from "./own";

const V4_TO_V5: Readonly<Record<string, string>> = {
  cloudflare_access_application: "cloudflare_zero_trust_access_application",
  cloudflare_access_policy: "cloudflare_zero_trust_access_policy",
  cloudflare_device_posture_rule: "cloudflare_zero_trust_device_posture_rule",
  cloudflare_access_organization: "cloudflare_zero_trust_organization",
  cloudflare_zero_trust_access_organization: "cloudflare_zero_trust_organization",
  cloudflare_access_identity_provider: "cloudflare_zero_trust_access_identity_provider",
  cloudflare_teams_rule: "cloudflare_zero_trust_gateway_policy",
};

export function canonicalType(type: string): string {
  return (ownValue(V4_TO_V5, type) as string | undefined) ?? type;
}
