import { PolicyMfa } from "@cdktf/provider-okta/lib/policy-mfa";
import { PolicyMfaDefault } from "@cdktf/provider-okta/lib/policy-mfa-default";
import { PolicyRuleMfa } from "@cdktf/provider-okta/lib/policy-rule-mfa";
import { dependable } from "cdktf";
import { Construct } from "constructs";
import { type PostureConstructProps, PropChecker, threshold } from "../props";
import type { PhishingResistantAuthenticators } from "./authenticators";

export interface WebAuthnOnlyEnrollmentPolicyProps extends PostureConstructProps {
  /**
   * Configure the org's built-in default enrollment policy (`okta_policy_mfa_default`, which needs no
   * import) instead of creating a policy.
   * @default false
   */
  readonly useDefaultPolicy?: boolean;
  /**
   * Name of the created policy (ignored with `useDefaultPolicy`).
   * @default "WebAuthn only"
   */
  readonly name?: string;
  /**
   * Group ids the created policy applies to (required unless `useDefaultPolicy`).
   */
  readonly groupsIncluded?: string[];
  /**
   * Policy priority (1 is evaluated first).
   * @default 1
   */
  readonly priority?: number;
  /**
   * Let users enroll Okta Verify as an optional second authenticator. Not allowed under the strict profile.
   * @default false
   */
  readonly allowOktaVerify?: boolean;
  /**
   * The authenticators the org manages (PhishingResistantAuthenticators). The policy is created
   * after the ones it requires or allows (an enrollment policy cannot require an authenticator that
   * is not active yet), and the inactive ones are deactivated after the policy stops offering them:
   * Okta refuses to deactivate an authenticator a policy still uses
   * (okta/resource_okta_authenticator.go:39-41, 217-228@v4.20.0).
   * @default no ordering
   */
  readonly authenticators?: PhishingResistantAuthenticators;
}

/**
 * An enrollment (MFA) policy that requires WebAuthn and allows nothing phishable, with a rule that
 * enrolls users at their next sign-in. Passes OKTA-MFA-1 and OKTA-MFA-2.
 */
export class WebAuthnOnlyEnrollmentPolicy extends Construct {
  /** The policy's id (the default policy's id with `useDefaultPolicy`). */
  readonly policyId: string;
  /** The policy resource, for ordering (e.g. deactivate phishable authenticators after it). */
  readonly policy: PolicyMfa | PolicyMfaDefault;

  constructor(scope: Construct, id: string, props: WebAuthnOnlyEnrollmentPolicyProps = {}) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "WebAuthnOnlyEnrollmentPolicy", props);
    const webauthnOnly = threshold("OKTA-MFA-2", "webauthnOnly", profile) as boolean;
    check.require(!(props.allowOktaVerify && webauthnOnly), props.allowOktaVerify, "allowOktaVerify", `enrollment is WebAuthn-only under the ${profile} profile`, "OKTA-MFA-2");
    check.requireGroups(props.groupsIncluded, !props.useDefaultPolicy, "set useDefaultPolicy: true");
    // The provider requires okta_password or okta_email; the password stays required as the first factor.
    const authenticators = {
      isOie: true,
      oktaPassword: { enroll: "REQUIRED" },
      webauthn: { enroll: "REQUIRED" },
      oktaVerify: { enroll: props.allowOktaVerify ? "OPTIONAL" : "NOT_ALLOWED" },
      phoneNumber: { enroll: "NOT_ALLOWED" },
      securityQuestion: { enroll: "NOT_ALLOWED" },
      googleOtp: { enroll: "NOT_ALLOWED" },
    };
    if (props.useDefaultPolicy) {
      this.policy = new PolicyMfaDefault(this, "policy", authenticators);
    } else {
      this.policy = new PolicyMfa(this, "policy", {
        name: props.name ?? "WebAuthn only",
        description: "Phishing-resistant enrollment: WebAuthn required, nothing phishable",
        status: "ACTIVE",
        priority: props.priority ?? 1,
        groupsIncluded: props.groupsIncluded,
        ...authenticators,
      });
    }
    this.policyId = this.policy.id;
    const a = props.authenticators;
    if (a) {
      const offered = [a.byKey.webauthn, ...(props.allowOktaVerify ? [a.byKey.okta_verify] : [])].filter((x) => x !== undefined);
      this.policy.dependsOn = [...(this.policy.dependsOn ?? []), ...offered.map((x) => dependable(x))];
      for (const x of a.inactive) x.dependsOn = [...(x.dependsOn ?? []), dependable(this.policy)];
    }
    new PolicyRuleMfa(this, "enroll-at-login", { policyId: this.policyId, name: "Enroll at next sign-in", status: "ACTIVE", enroll: "LOGIN", priority: 1 });
  }
}
