import { PolicyPassword } from "@cdktf/provider-okta/lib/policy-password";
import { PolicyPasswordDefault } from "@cdktf/provider-okta/lib/policy-password-default";
import { PolicyRulePassword } from "@cdktf/provider-okta/lib/policy-rule-password";
import { Construct } from "constructs";
import { type PostureConstructProps, PropChecker, threshold } from "../props";

export interface PasswordAndRecoveryPolicyProps extends PostureConstructProps {
  /**
   * Configure the org's built-in default password policy (`okta_policy_password_default`, no import
   * needed) instead of creating one.
   * @default false
   */
  readonly useDefaultPolicy?: boolean;
  /** Name of the created policy. @default "Passwords resist guessing" */
  readonly name?: string;
  /** Group ids the created policy applies to (required unless `useDefaultPolicy`). */
  readonly groupsIncluded?: string[];
  /** Policy priority. @default 1 */
  readonly priority?: number;
  /**
   * Minimum password length: at least 12 (recommended) or 15 (strict).
   * @default 15
   */
  readonly minLength?: number;
  /**
   * Failed attempts before lockout: between 1 and 10 (recommended) or 3 (strict).
   * @default 3
   */
  readonly maxLockoutAttempts?: number;
  /**
   * Let locked-out users unlock their account themselves (by email) through the created policy's
   * rule. Under the strict profile an administrator unlocks them, so a password sprayer cannot.
   * @default true, false under the strict profile
   */
  readonly selfServiceUnlock?: boolean;
}

/**
 * Password policy: long passwords checked against common-password lists, lockout after a few failures,
 * and recovery only by email (no SMS, voice or security question). A created policy gets an
 * `okta_policy_rule_password` (change and reset allowed, unlock as `selfServiceUnlock` says): Okta
 * skips a password policy that no rule matches, and the Default policy would decide instead. Passes
 * OKTA-PWD-1 and OKTA-PWD-2.
 */
export class PasswordAndRecoveryPolicy extends Construct {
  readonly policyId: string;
  /** The policy resource, for ordering (deactivate phishable authenticators after it stops offering them). */
  readonly policy: PolicyPassword | PolicyPasswordDefault;
  /** The rule that makes a created policy apply (none with `useDefaultPolicy`: the default policy has one). */
  readonly rule?: PolicyRulePassword;

  constructor(scope: Construct, id: string, props: PasswordAndRecoveryPolicyProps = {}) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "PasswordAndRecoveryPolicy", props);
    const minLength = props.minLength ?? 15;
    const lockout = props.maxLockoutAttempts ?? 3;
    const needLength = threshold("OKTA-PWD-1", "minLength", profile) as number;
    const maxLockout = threshold("OKTA-PWD-1", "maxLockoutAttempts", profile) as number;
    check.require(minLength >= needLength, minLength, "minLength", `at least ${needLength} required under the ${profile} profile`, "OKTA-PWD-1");
    check.require(lockout >= 1 && lockout <= maxLockout, lockout, "maxLockoutAttempts", `between 1 and ${maxLockout} allowed (0 never locks out)`, "OKTA-PWD-1");
    check.requireGroups(props.groupsIncluded, !props.useDefaultPolicy, "set useDefaultPolicy: true");
    const settings = {
      passwordMinLength: minLength,
      passwordMaxLockoutAttempts: lockout,
      passwordDictionaryLookup: true,
      passwordExcludeUsername: true,
      passwordHistoryCount: 4,
      smsRecovery: "INACTIVE",
      callRecovery: "INACTIVE",
      questionRecovery: "INACTIVE",
      emailRecovery: "ACTIVE",
    };
    if (props.useDefaultPolicy) {
      this.policy = new PolicyPasswordDefault(this, "policy", settings);
      this.policyId = this.policy.id;
      return;
    }
    this.policy = new PolicyPassword(this, "policy", {
      name: props.name ?? "Passwords resist guessing",
      description: "Long passwords, lockout, email-only recovery",
      status: "ACTIVE",
      priority: props.priority ?? 1,
      groupsIncluded: props.groupsIncluded,
      ...settings,
    });
    this.policyId = this.policy.id;
    const unlock = props.selfServiceUnlock ?? profile !== "strict";
    this.rule = new PolicyRulePassword(this, "rule", {
      policyId: this.policyId,
      name: "Change and reset by email",
      status: "ACTIVE",
      priority: 1,
      passwordChange: "ALLOW",
      passwordReset: "ALLOW",
      passwordUnlock: unlock ? "ALLOW" : "DENY",
    });
  }
}
