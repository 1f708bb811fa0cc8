import { PolicyPassword } from "@cdktf/provider-okta/lib/policy-password";
import { PolicyPasswordDefault } from "@cdktf/provider-okta/lib/policy-password-default";
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
}

/**
 * Password policy: long passwords checked against common-password lists, lockout after a few failures,
 * and recovery only by email (no SMS, voice or security question). Passes OKTA-PWD-1 and OKTA-PWD-2.
 */
export class PasswordAndRecoveryPolicy extends Construct {
  readonly policyId: string;

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
    this.policyId = props.useDefaultPolicy
      ? new PolicyPasswordDefault(this, "policy", settings).id
      : new PolicyPassword(this, "policy", {
          name: props.name ?? "Passwords resist guessing",
          description: "Long passwords, lockout, email-only recovery",
          status: "ACTIVE",
          priority: props.priority ?? 1,
          groupsIncluded: props.groupsIncluded,
          ...settings,
        }).id;
  }
}
