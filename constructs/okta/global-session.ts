import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import { PolicySignon } from "@cdktf/provider-okta/lib/policy-signon";
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
   * Network zones whose sign-ins are denied by a rule evaluated first (e.g. an anonymizer blocklist).
   * @default none
   */
  readonly blockedZoneIds?: string[];
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
 * Global session policy: a deny rule for blocklisted zones first, then short idle and lifetime, no
 * persistent cookies, MFA at every sign-in and no remembered devices. Passes OKTA-SES-1 to OKTA-SES-4.
 */
export class GlobalSessionPolicy extends Construct {
  readonly policyId: string;
  /** The allow rule that carries the session settings. */
  readonly sessionRule: PolicyRuleSignon;

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
    let priority = props.priority ?? 1;
    if (props.blockedZoneIds && props.blockedZoneIds.length > 0) {
      new PolicyRuleSignon(this, "deny-blocked-zones", {
        policyId: this.policyId,
        name: "Deny blocklisted networks",
        status: "ACTIVE",
        access: "DENY",
        priority: priority++,
        networkConnection: "ZONE",
        networkIncludes: props.blockedZoneIds,
      });
    }
    this.sessionRule = new PolicyRuleSignon(this, "session", {
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
