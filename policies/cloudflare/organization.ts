import { goDurationMinutes } from "../../engine/model/duration";
import type { Resource } from "../../engine/model/model";
import { defineRule, fail, pass, type Verdict } from "../rule";
import { allOf, decide, getBool, getString } from "../shared/read";

const ORG = "cloudflare_zero_trust_organization";

function boundedDuration(r: Resource, attr: string, max: number): Verdict {
  return decide(getString(r, attr), (d) => {
    if (d === undefined) return fail(attr, null, `${attr} is not set; set it to at most ${max / 60}h`);
    const m = goDurationMinutes(d);
    if (m === undefined) return fail(attr, d, `${attr} ${JSON.stringify(d)} is not a duration`);
    return m <= max ? pass() : fail(attr, d, `${attr} is ${d}; at most ${max / 60}h allowed`);
  });
}

export const globalSessionBounded = defineRule({
  id: "CF-ORG-1",
  kind: "resource",
  severity: "error",
  title: "Global Zero Trust session is bounded",
  rationale: "The 2023 Okta support breach replayed stolen sessions; the Zero Trust global session and the WARP session bound how long any of them lasts.",
  references: ["NIST SP 800-63B AAL3 (12 h)", "Cloudflare Zero Trust: global session timeout"],
  passes: "every `cloudflare_zero_trust_organization` has `session_duration` set and ≤ `12h`, and either `allow_authenticate_via_warp` false or `warp_auth_session_duration` ≤ `12h`",
  provider: "cloudflare",
  resourceTypes: [ORG],
  reads: ["session_duration", "allow_authenticate_via_warp", "warp_auth_session_duration"],
  weakens: [
    { attribute: "session_duration", scale: "go-duration" },
    { attribute: "warp_auth_session_duration", scale: "go-duration" },
  ],
  thresholds: { maxSessionMinutes: { recommended: 720, strict: 720, weaker: "higher", description: "maximum session_duration and warp_auth_session_duration in minutes" } },
  evaluate: (r, ctx) =>
    allOf(
      () => boundedDuration(r, "session_duration", ctx.t.maxSessionMinutes as number),
      () => decide(getBool(r, "allow_authenticate_via_warp"), (warp) => (warp ? boundedDuration(r, "warp_auth_session_duration", ctx.t.maxSessionMinutes as number) : pass())),
    ),
});

export const settingsReadOnly = defineRule({
  id: "CF-ORG-2",
  kind: "resource",
  severity: "warning",
  title: "Zero Trust settings change only through code",
  rationale: "An attacker with a stolen admin session changes settings in the dashboard first; a read-only dashboard forces every change through reviewed code.",
  references: ["Cloudflare Zero Trust: manage settings with Terraform (read-only dashboard)"],
  passes: "`cloudflare_zero_trust_organization.is_ui_read_only = true`",
  provider: "cloudflare",
  resourceTypes: [ORG],
  reads: ["is_ui_read_only"],
  evaluate: (r) => decide(getBool(r, "is_ui_read_only"), (ro) => (ro ? pass() : fail("is_ui_read_only", ro ?? null, "the Zero Trust dashboard is writable; set is_ui_read_only = true"))),
});

export const identityFromIdp = defineRule({
  id: "CF-IDP-1",
  kind: "resource",
  severity: "warning",
  title: "Identity comes from the IdP, not from email codes",
  rationale:
    "A one-time PIN sent by email bypasses the IdP's hardware-key policy, and (with allowed_idps unset) every app accepts it. Okta with PKCE keeps the authorization code from being replayed.",
  references: ["Cloudflare Zero Trust: One-time PIN", "RFC 7636 (PKCE)"],
  passes: 'no `cloudflare_zero_trust_access_identity_provider` of `type = "onetimepin"`; every `type = "okta"` has `config.pkce_enabled = true`',
  provider: "cloudflare",
  resourceTypes: ["cloudflare_zero_trust_access_identity_provider"],
  reads: ["type", "config.pkce_enabled"],
  evaluate: (r) =>
    decide(getString(r, "type"), (type) => {
      if (type === "onetimepin") return fail("type", type, "one-time PIN login bypasses the IdP's MFA; remove it");
      if (type !== "okta") return pass();
      return decide(getBool(r, "config.pkce_enabled"), (on) => (on ? pass() : fail("config.pkce_enabled", on ?? null, "Okta login without PKCE; set config.pkce_enabled = true")));
    }),
});
