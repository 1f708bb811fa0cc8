import { NetworkZone } from "@cdktf/provider-okta/lib/network-zone";
import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import { PolicySignon } from "@cdktf/provider-okta/lib/policy-signon";
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from "cdktf";
import { Construct } from "constructs";
import { type PostureConstructProps, PropChecker, threshold } from "../props";

export interface GlobalSessionPolicyProps extends PostureConstructProps {
  /**
   * Add the rules to this existing global session policy instead of creating one, e.g. the org's
   * default policy: `new DataOktaDefaultPolicy(this, "d", { type: "OKTA_SIGN_ON" }).id`. The default
   * policy is built in and cannot be created.
   * @default a new policy
   */
  readonly policyId?: string;
  /**
   * Name of the created policy.
   * @default "Global session"
   */
  readonly name?: string;
  /** Group ids the created policy applies to (required unless `policyId` is given). */
  readonly groupsIncluded?: string[];
  /**
   * Idle timeout in minutes. At most 30 (recommended) or 15 (strict).
   * @default 15
   */
  readonly idleMinutes?: number;
  /**
   * Session lifetime in minutes; 0 (unlimited) is refused. At most 720.
   * @default 720
   */
  readonly lifetimeMinutes?: number;
  /**
   * POLICY-usage network zones whose sign-ins are denied by a rule evaluated first. Not BLOCKLIST
   * zones: Okta applies a blocklist zone before any policy is evaluated, so a rule naming one never
   * matches (and Okta may refuse it); ThreatProtection's anonymizer blocklist needs no rule. A
   * BLOCKLIST `okta_network_zone` of the same stack is refused.
   * @default none: no deny rule
   */
  readonly blockedZoneIds?: string[];
  /**
   * Send the risk-score condition (`risk_level`/`risc_level`). The provider defaults both to `ANY`
   * and always sends `riskScore` (okta/resource_okta_policy_rule_sign_on.go:74-86, 300-311@v4.20.0);
   * orgs without risk scoring refuse it with "Invalid condition type specified: riskScore". Set
   * false there: both are sent as `""`, which the provider leaves out.
   * @default true
   */
  readonly riskScoreCondition?: boolean;
  /**
   * Priority of the first rule; the allow rule follows it.
   * @default 1
   */
  readonly priority?: number;
  /**
   * Priority of the created policy (1 is evaluated first, ahead of other custom policies).
   * @default 1
   */
  readonly policyPriority?: number;
}

/**
 * Global session policy: optionally a deny rule for POLICY-usage zones first, then short idle and
 * lifetime, no persistent cookies, MFA at every sign-in and no remembered devices. The rules are
 * created in priority order (`depends_on`): Okta gives the first rule created the lowest free
 * priority, and the provider fails on a mismatch (okta/policy_rule.go:136-138@v4.20.0). Passes
 * OKTA-SES-1 to OKTA-SES-4.
 */
export class GlobalSessionPolicy extends Construct {
  readonly policyId: string;
  /** The allow rule that carries the session settings. */
  readonly sessionRule: PolicyRuleSignon;
  /** The deny rule for `blockedZoneIds`, when any. */
  readonly denyRule?: PolicyRuleSignon;

  constructor(scope: Construct, id: string, props: GlobalSessionPolicyProps = {}) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "GlobalSessionPolicy", props);
    const idle = props.idleMinutes ?? 15;
    const lifetime = props.lifetimeMinutes ?? 720;
    const maxIdle = threshold("OKTA-SES-1", "maxIdleMinutes", profile) as number;
    const maxLifetime = threshold("OKTA-SES-2", "maxMinutes", profile) as number;
    check.require(idle >= 1 && idle <= maxIdle, idle, "idleMinutes", `between 1 and ${maxIdle} minutes allowed under the ${profile} profile`, "OKTA-SES-1");
    check.require(lifetime >= 1 && lifetime <= maxLifetime, lifetime, "lifetimeMinutes", `between 1 and ${maxLifetime} minutes allowed (0 is unlimited)`, "OKTA-SES-2");
    check.requireGroups(props.groupsIncluded, props.policyId === undefined, "pass policyId");
    this.policyId =
      props.policyId ??
      new PolicySignon(this, "policy", {
        name: props.name ?? "Global session",
        description: "Short sessions, MFA at every sign-in",
        status: "ACTIVE",
        priority: props.policyPriority ?? 1,
        groupsIncluded: props.groupsIncluded,
      }).id;
    const blocklists = blocklistZonesOf(this, props.blockedZoneIds ?? []);
    if (blocklists.length > 0) {
      check.invalid("blockedZoneIds", `names ${blocklists.join(", ")}, a BLOCKLIST zone: Okta applies it before any policy, so a sign-on rule never sees it; give POLICY-usage zones, or drop the rule`);
    }
    // "" is left out by the provider (d.GetOk), so no riskScore condition is sent.
    const risk = props.riskScoreCondition === false ? { riskLevel: "", riscLevel: "" } : {};
    let priority = props.priority ?? 1;
    if (props.blockedZoneIds && props.blockedZoneIds.length > 0) {
      this.denyRule = new PolicyRuleSignon(this, "deny-blocked-zones", {
        policyId: this.policyId,
        name: "Deny listed networks",
        status: "ACTIVE",
        access: "DENY",
        priority: priority++,
        networkConnection: "ZONE",
        networkIncludes: props.blockedZoneIds,
        ...risk,
      });
    }
    this.sessionRule = new PolicyRuleSignon(this, "session", {
      ...risk,
      dependsOn: this.denyRule ? [this.denyRule] : undefined,
      policyId: this.policyId,
      name: "Short sessions, MFA every sign-in",
      status: "ACTIVE",
      access: "ALLOW",
      priority,
      sessionIdle: idle,
      sessionLifetime: lifetime,
      sessionPersistent: false,
      mfaRequired: true,
      mfaPrompt: "ALWAYS",
      mfaRememberDevice: false,
    });
  }
}

/** The ids in `zoneIds` that are BLOCKLIST `okta_network_zone`s of the same stack, by construct path. */
function blocklistZonesOf(scope: Construct, zoneIds: readonly string[]): string[] {
  if (zoneIds.length === 0) return [];
  const stack = TerraformStack.of(scope);
  // A reference is a fresh token each time it is read: compare what they resolve to.
  const resolved = (v: string) => JSON.stringify(Tokenization.resolve(v, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }));
  const ids = new Set(zoneIds.map(resolved));
  return stack.node
    .findAll()
    .filter((c): c is NetworkZone => c instanceof NetworkZone && c.usageInput === "BLOCKLIST" && ids.has(resolved(c.id)))
    .map((z) => z.node.path);
}
