import { AppAccessPolicyAssignment } from "@cdktf/provider-okta/lib/app-access-policy-assignment";
import { AppSignonPolicy } from "@cdktf/provider-okta/lib/app-signon-policy";
import { AppSignonPolicyRule } from "@cdktf/provider-okta/lib/app-signon-policy-rule";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { type PostureConstructProps, PropChecker, threshold } from "../props";

/**
 * A possession constraint of an authentication policy rule, as Okta's API spells it. Only keys the
 * provider keeps can be expressed (OKTA-APP-3), so a typo is a compile error, not a silent weakening.
 * The construct always emits `required: true`: provider 4.20 sends `"required": false` when it is
 * absent (sdk/v2_possessionConstraint.go:10@v4.20.0, no omitempty), and `false` is refused.
 */
export interface PossessionConstraint {
  readonly phishingResistant?: "REQUIRED" | "OPTIONAL";
  readonly hardwareProtection?: "REQUIRED" | "OPTIONAL";
  readonly deviceBound?: "REQUIRED" | "OPTIONAL";
  readonly userPresence?: "REQUIRED" | "OPTIONAL";
  readonly userVerification?: "REQUIRED" | "OPTIONAL";
  readonly reauthenticateIn?: string;
  readonly required?: boolean;
  readonly types?: string[];
  readonly methods?: string[];
}

/** A knowledge constraint; emitted with `required: true` like possession (sdk/v2_knowledgeConstraint.go:10@v4.20.0). */
export interface KnowledgeConstraint {
  readonly required?: boolean;
  readonly types?: string[];
  readonly reauthenticateIn?: string;
}

export interface AuthenticationConstraint {
  readonly possession?: PossessionConstraint;
  readonly knowledge?: KnowledgeConstraint;
}

export interface PhishingResistantAppRulesProps extends PostureConstructProps {
  /** The authentication policy (app sign-on policy) to add the rule to. */
  readonly policyId: string;
  /**
   * Rule name.
   * @default "Phishing-resistant 2FA"
   */
  readonly name?: string;
  /**
   * Rule priority.
   * @default 1
   */
  readonly priority?: number;
  /**
   * Require a hardware-protected key (security key, platform authenticator), not only a
   * phishing-resistant one. Required under the strict profile.
   * @default true
   */
  readonly hardwareProtection?: boolean;
  /**
   * Re-authentication frequency in minutes. At most 720.
   * @default 120
   */
  readonly reauthenticateMinutes?: number;
  /**
   * Inactivity period in minutes. At most 15 under the strict profile.
   * @default 15
   */
  readonly inactivityMinutes?: number;
  /** Group ids the rule applies to. @default everyone the policy applies to */
  readonly groupsIncluded?: string[];
  /**
   * Extra constraints, ORed with the phishing-resistant one by Okta (each entry is one way to satisfy
   * the rule), so each must itself be phishing-resistant to keep OKTA-APP-1's guarantee. Each
   * possession and knowledge constraint is emitted with `required: true`.
   * @default none
   */
  readonly additionalConstraints?: AuthenticationConstraint[];
  /**
   * Resources the rule is created after. Okta gives the first rule created in a policy the lowest
   * free priority and the provider then fails on any other ("provided priority was not valid",
   * okta/policy_rule.go:136-138, okta/utils.go:514-518@v4.20.0), so rules of one policy must be
   * created in priority order: pass the rule with the next lower priority.
   * @default none
   */
  readonly after?: ITerraformDependable[];
}

const iso = (minutes: number) => (minutes % 60 === 0 ? `PT${minutes / 60}H` : `PT${minutes}M`);

/**
 * A rule in an existing authentication policy (for example the built-in Okta Admin Console or Okta
 * Dashboard policies, which cannot be created: pass their id) that demands phishing-resistant,
 * optionally hardware-protected possession with bounded re-authentication. Passes OKTA-APP-1 to
 * OKTA-APP-3. Make sure the policy's catch-all rule denies access.
 */
export class PhishingResistantAppRules extends Construct {
  readonly rule: AppSignonPolicyRule;

  constructor(scope: Construct, id: string, props: PhishingResistantAppRulesProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "PhishingResistantAppRules", props);
    const hardware = props.hardwareProtection ?? true;
    check.require(hardware || !threshold("OKTA-APP-1", "requireHardwareProtection", profile), hardware, "hardwareProtection", `hardware protection is required under the ${profile} profile`, "OKTA-APP-1");
    const reauth = props.reauthenticateMinutes ?? 120;
    const maxReauth = threshold("OKTA-APP-2", "maxReauthMinutes", profile) as number;
    check.require(reauth >= 1 && reauth <= maxReauth, reauth, "reauthenticateMinutes", `between 1 and ${maxReauth} minutes allowed`, "OKTA-APP-2");
    const inactivity = props.inactivityMinutes ?? 15;
    if (threshold("OKTA-APP-2", "requireInactivityPeriod", profile)) {
      const max = threshold("OKTA-APP-2", "maxInactivityMinutes", profile) as number;
      check.require(inactivity >= 1 && inactivity <= max, inactivity, "inactivityMinutes", `between 1 and ${max} minutes allowed under the ${profile} profile`, "OKTA-APP-2");
    }
    // Okta accepts any one constraint entry, so each alternative must be as strong as the main one.
    for (const [i, c] of (props.additionalConstraints ?? []).entries()) {
      const at = `additionalConstraints[${i}].possession`;
      for (const kind of ["possession", "knowledge"] as const) {
        if (c[kind]?.required === false) check.invalid(`additionalConstraints[${i}].${kind}.required`, "is false; Okta would store the factor as optional: leave it out (the construct sends true)");
      }
      check.require(c.possession?.phishingResistant === "REQUIRED", c.possession?.phishingResistant ?? null, `${at}.phishingResistant`, 'every constraint must require phishingResistant: "REQUIRED"', "OKTA-APP-1");
      if (hardware) {
        check.require(c.possession?.hardwareProtection === "REQUIRED", c.possession?.hardwareProtection ?? null, `${at}.hardwareProtection`, 'every constraint must require hardwareProtection: "REQUIRED" when the rule does', "OKTA-APP-1");
      }
    }
    const main: AuthenticationConstraint = {
      possession: { phishingResistant: "REQUIRED", userVerification: "REQUIRED", ...(hardware ? { hardwareProtection: "REQUIRED" } : {}) },
    };
    this.rule = new AppSignonPolicyRule(this, "rule", {
      policyId: props.policyId,
      name: props.name ?? "Phishing-resistant 2FA",
      status: "ACTIVE",
      priority: props.priority ?? 1,
      access: "ALLOW",
      factorMode: "2FA",
      groupsIncluded: props.groupsIncluded,
      reAuthenticationFrequency: iso(reauth),
      inactivityPeriod: iso(inactivity),
      constraints: [main, ...(props.additionalConstraints ?? [])].map((c) => JSON.stringify(required(c))),
      dependsOn: props.after,
    });
  }
}

/** The constraint with `required: true` in each of its possession and knowledge parts. */
function required(c: AuthenticationConstraint): AuthenticationConstraint {
  return {
    ...c,
    ...(c.possession ? { possession: { ...c.possession, required: true } } : {}),
    ...(c.knowledge ? { knowledge: { ...c.knowledge, required: true } } : {}),
  };
}

export interface PhishingResistantAppPolicyProps extends Omit<PhishingResistantAppRulesProps, "policyId"> {
  /**
   * Policy name.
   * @default "Phishing-resistant"
   */
  readonly policyName?: string;
  /**
   * Policy description.
   * @default "Phishing-resistant 2FA; everything else is denied"
   */
  readonly description?: string;
  /**
   * Ids of the apps the policy protects, each assigned with an `okta_app_access_policy_assignment`.
   * Do not also set `authentication_policy` on those apps' resources: the provider warns that the two
   * overwrite each other. Without apps (assigned here or through their `authentication_policy`) the
   * policy protects nothing (OKTA-APP-4).
   * @default none: assign apps through their `authentication_policy = policyId`
   */
  readonly appIds?: string[];
}

/**
 * An authentication policy (`okta_app_signon_policy`) whose catch-all rule denies (`catch_all = false`),
 * with one rule that demands phishing-resistant 2FA, assigned to `appIds` (or assign apps to
 * `policyId`). The built-in Okta Admin Console and Okta Dashboard policies cannot be created: add
 * PhishingResistantAppRules to them (OktaPosture does).
 */
export class PhishingResistantAppPolicy extends Construct {
  readonly policyId: string;
  readonly rules: PhishingResistantAppRules;
  /** The app assignments, one per `appIds` entry. */
  readonly assignments: readonly AppAccessPolicyAssignment[];

  constructor(scope: Construct, id: string, props: PhishingResistantAppPolicyProps = {}) {
    super(scope, id);
    const policy = new AppSignonPolicy(this, "policy", {
      name: props.policyName ?? "Phishing-resistant",
      description: props.description ?? "Phishing-resistant 2FA; everything else is denied",
      catchAll: false,
    });
    this.policyId = policy.id;
    const { policyName: _n, description: _d, appIds, ...ruleProps } = props;
    this.rules = new PhishingResistantAppRules(this, "rules", { ...ruleProps, policyId: policy.id });
    // Assigned only once the rule exists, so no app is ever behind a policy that denies everything.
    this.assignments = (appIds ?? []).map(
      (appId, i) => new AppAccessPolicyAssignment(this, `app-${i}`, { appId, policyId: policy.id, dependsOn: [this.rules.rule] }),
    );
  }
}
