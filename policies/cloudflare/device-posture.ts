import { read } from "../../engine/model/view";
import { defineRule, fail, notApplicable, pass, unknown, type Verdict } from "../rule";
import { allOf, decide, getBool, getString } from "../shared/read";

const POSTURE = "cloudflare_zero_trust_device_posture_rule";
const HEALTHY =
  "In 2023 Cloudflare Access let in only healthy, managed devices, so stolen Okta sessions on an attacker's machine opened nothing.";
const BASELINE: ReadonlyArray<readonly string[]> = [["warp", "gateway"], ["disk_encryption"], ["os_version"], ["firewall"]];
const EDR = ["crowdstrike_s2s", "sentinelone_s2s", "intune", "workspace_one", "kolide", "tanium_s2s", "custom_s2s", "client_certificate_v2"];

export const postureBaseline = defineRule({
  id: "CF-DEV-1",
  kind: "scope",
  severity: "error",
  title: "Device posture baseline exists",
  rationale: `${HEALTHY} Access policies can only require posture rules that exist.`,
  references: ["Cloudflare: How Cloudflare mitigated yet another Okta compromise (2023)", "Cloudflare Zero Trust: device posture checks"],
  passes:
    "`cloudflare_zero_trust_device_posture_rule`s of types `warp` (or `gateway`), `disk_encryption`, `os_version` and `firewall` exist; `strict` also one of " +
    EDR.map((t) => `\`${t}\``).join(", "),
  provider: "cloudflare",
  resourceTypes: [POSTURE],
  reads: ["type"],
  thresholds: { requireEdr: { recommended: false, strict: true, weaker: "false", description: "an EDR, MDM or client-certificate posture rule must exist" } },
  evaluate(scope, ctx): Verdict {
    if (!scope.uses("cloudflare")) return notApplicable();
    const certain = new Set<string>();
    let uncertain: string | undefined;
    for (const r of scope.ofKind(POSTURE)) {
      const t = read(r, "type");
      if (t.state === "unknown" || r.conditional) uncertain ??= r.address;
      else if (t.state === "known" && typeof t.value === "string") certain.add(t.value);
    }
    const wanted = [...BASELINE, ...(ctx.t.requireEdr ? [EDR] : [])];
    const missing = wanted.filter((alts) => !alts.some((a) => certain.has(a))).map((alts) => alts.join(" or "));
    if (missing.length === 0) return pass();
    const message = `no device posture rule of type ${missing.join(", ")}`;
    return uncertain ? unknown(undefined, `${message}, unless ${uncertain} is one: its type or count is not known before apply`) : fail(undefined, missing, message);
  },
});

export const postureChecksMeanIt = defineRule({
  id: "CF-DEV-2",
  kind: "resource",
  severity: "error",
  title: "Posture rules check what their names say",
  rationale: `${HEALTHY} A disk-encryption rule that accepts one encrypted disk, or an OS rule with no version, passes unhealthy devices.`,
  references: ["Cloudflare Zero Trust: device posture rule inputs"],
  passes: "`disk_encryption` has `input.require_all = true`; `firewall` has `input.enabled = true`; `os_version` has `input.version` and `input.operator` in `>=`, `>`, `==`",
  provider: "cloudflare",
  resourceTypes: [POSTURE],
  reads: ["type", "input.require_all", "input.enabled", "input.version", "input.operator"],
  evaluate: (r) =>
    decide(getString(r, "type"), (type) => {
      switch (type) {
        case "disk_encryption":
          return decide(getBool(r, "input.require_all"), (all) =>
            all ? pass() : fail("input.require_all", all ?? null, "disk encryption passes with one encrypted disk; set input.require_all = true"),
          );
        case "firewall":
          return decide(getBool(r, "input.enabled"), (on) => (on ? pass() : fail("input.enabled", on ?? null, "firewall rule does not require the firewall on; set input.enabled = true")));
        case "os_version":
          return allOf(
            () => decide(getString(r, "input.version"), (v) => (v ? pass() : fail("input.version", null, "os_version rule sets no minimum input.version"))),
            () =>
              decide(getString(r, "input.operator"), (op) =>
                op !== undefined && [">=", ">", "=="].includes(op) ? pass() : fail("input.operator", op ?? null, `input.operator is ${op ?? "not set"}; use >=, > or ==`),
              ),
          );
        default:
          return notApplicable();
      }
    }),
});
