import { DataOktaPolicy } from "@cdktf/provider-okta/lib/data-okta-policy";
import { SecurityNotificationEmails } from "@cdktf/provider-okta/lib/security-notification-emails";
import { dependable } from "cdktf";
import { Construct } from "constructs";
import type { Profile } from "../../policies/rule";
import type { PartOf } from "../props";
import { Posture, type WaiverProps } from "../waivers";
import { PhishingResistantAppPolicy, PhishingResistantAppRules } from "./app-policy";
import { type ImportableAuthenticatorKey, PhishingResistantAuthenticators } from "./authenticators";
import { WebAuthnOnlyEnrollmentPolicy } from "./enrollment";
import { GlobalSessionPolicy } from "./global-session";
import { type EventBridgeDestination, OktaSystemLogStream, SecurityEventHooks, type SplunkCloudDestination } from "./logging";
import { PasswordAndRecoveryPolicy } from "./password";
import { ThreatProtection } from "./threat-protection";

export interface OktaPostureProps {
  /**
   * The profile every part is built for and checked against.
   * @default "recommended"
   */
  readonly profile?: Profile;
  /** Group ids the created policies apply to (typically the Everyone group). */
  readonly groupsIncluded: string[];
  /** Where the System Log streams (OKTA-LOG-1). */
  readonly logStream: SplunkCloudDestination | EventBridgeDestination;
  /**
   * The responder that receives sensitive changes in real time (OKTA-MON-1): its HTTPS URL and the
   * authorization header value (a sensitive variable's value or another token).
   */
  readonly eventHook: { readonly url: string; readonly authValue: string; readonly verify?: boolean };
  /**
   * Global session idle timeout in minutes.
   * @default 15
   */
  readonly sessionIdleMinutes?: number;
  /**
   * Global session lifetime in minutes.
   * @default 720
   */
  readonly sessionLifetimeMinutes?: number;
  /**
   * Send the risk-score condition on the global session rules (GlobalSessionPolicy's
   * `riskScoreCondition`). Set false when Okta answers "Invalid condition type specified: riskScore".
   * @default true
   */
  readonly signOnRiskScore?: boolean;
  /**
   * Ids of the org's existing authenticators to import, by key (see PhishingResistantAuthenticators;
   * WebAuthn is adopted, never imported).
   * @default none
   */
  readonly authenticatorImportIds?: Partial<Record<ImportableAuthenticatorKey, string>>;
  /**
   * Lifetime of email verification codes and links, in minutes.
   * @default 5
   */
  readonly emailTokenLifetimeMinutes?: number;
  /**
   * The Okta Verify app instance id, so that Okta Verify's settings round-trip without a diff
   * (PhishingResistantAuthenticators' `oktaVerifyAppInstanceId`).
   * @default not managed
   */
  readonly oktaVerifyAppInstanceId?: string;
  /**
   * Add the global session rules to this existing policy (e.g. the default policy) instead of creating one.
   * @default a new policy
   */
  readonly globalSessionPolicyId?: string;
  /**
   * Id of the built-in "Okta Admin Console" authentication policy, which gets the phishing-resistant
   * rule at priority 1 (the attacker of the 2023 support breach went for admin sessions first).
   * @default looked up by name with `data "okta_policy"` (type ACCESS_POLICY)
   */
  readonly adminConsolePolicyId?: string;
  /**
   * Id of the built-in "Okta Dashboard" authentication policy, which gets the phishing-resistant rule
   * at priority 1.
   * @default looked up by name with `data "okta_policy"` (type ACCESS_POLICY)
   */
  readonly dashboardPolicyId?: string;
  /**
   * Ids of further apps to protect: they are assigned to a new phishing-resistant authentication
   * policy whose catch-all denies. Without ids no such policy is created (one that no app uses
   * protects nothing: OKTA-APP-4).
   * @default none
   */
  readonly protectedAppIds?: string[];
  /**
   * Manage the security notification emails (`okta_security_notification_emails`). The provider can
   * do so only with an SSWS API token (not OAuth 2.0), through a private Okta endpoint
   * (docs/resources/security_notification_emails.md@v4.20.0): set false when the provider
   * authenticates with OAuth, and set them in the Admin Console instead (a manual check then:
   * OKTA-NOTIFY-1 judges only the resource when it exists).
   * @default true
   */
  readonly securityNotificationEmails?: boolean;
  /**
   * Accepted risks, applied to the whole posture.
   * @default none
   */
  readonly waivers?: WaiverProps[];
}

/** The built-in authentication policies that guard Okta itself, by their default names. */
const BUILT_IN_APP_POLICIES = [
  { id: "AdminConsole", name: "Okta Admin Console", prop: "adminConsolePolicyId" },
  { id: "Dashboard", name: "Okta Dashboard", prop: "dashboardPolicyId" },
] as const;

/**
 * The recommended Okta posture in one construct: phishing-resistant authenticators, WebAuthn-only
 * enrollment, short global sessions with MFA every sign-in, an anonymizer blocklist, phishing-resistant
 * rules in the Okta Admin Console and Okta Dashboard policies (and a policy for the apps you name), a
 * password policy without phishable recovery, ThreatInsight blocking, the System Log streamed to a
 * SIEM, an event hook for sensitive changes, and security notification emails. With defaults it
 * passes every Okta rule under its profile. Validation errors name OktaPosture's props.
 */
export class OktaPosture extends Construct {
  readonly authenticators: PhishingResistantAuthenticators;
  readonly enrollment: WebAuthnOnlyEnrollmentPolicy;
  readonly threatProtection: ThreatProtection;
  readonly globalSession: GlobalSessionPolicy;
  /** The phishing-resistant rules of the Okta Admin Console and Okta Dashboard policies. */
  readonly builtInAppRules: { readonly adminConsole: PhishingResistantAppRules; readonly dashboard: PhishingResistantAppRules };
  /** The policy for `protectedAppIds`, when any. */
  readonly appPolicy?: PhishingResistantAppPolicy;
  readonly passwords: PasswordAndRecoveryPolicy;
  readonly logStream: OktaSystemLogStream;
  readonly eventHooks: SecurityEventHooks;

  constructor(scope: Construct, id: string, props: OktaPostureProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    // Waivers cover the whole posture; the parts get them too so their prop checks let a waived value through.
    const waivers = props.waivers ?? [];
    for (const w of waivers) Posture.waive(this, w);
    const common = { profile, waivers };
    const partOf = (names: Record<string, string>): PartOf => ({ className: "OktaPosture", construct: this, props: names });
    this.authenticators = new PhishingResistantAuthenticators(this, "Authenticators", {
      ...common,
      importIds: props.authenticatorImportIds,
      emailTokenLifetimeMinutes: props.emailTokenLifetimeMinutes,
      oktaVerifyAppInstanceId: props.oktaVerifyAppInstanceId,
      partOf: partOf({ importIds: "authenticatorImportIds", emailTokenLifetimeMinutes: "emailTokenLifetimeMinutes", oktaVerifyAppInstanceId: "oktaVerifyAppInstanceId" }),
    });
    // The org's default enrollment policy covers everyone; it is set after WebAuthn is active, and
    // phishable authenticators are deactivated only once it stops offering them.
    this.enrollment = new WebAuthnOnlyEnrollmentPolicy(this, "Enrollment", { ...common, useDefaultPolicy: true, authenticators: this.authenticators });
    // Okta evaluates the BLOCKLIST zone before any policy: no sign-on rule names it.
    this.threatProtection = new ThreatProtection(this, "ThreatProtection", common);
    this.globalSession = new GlobalSessionPolicy(this, "GlobalSession", {
      ...common,
      groupsIncluded: props.groupsIncluded,
      policyId: props.globalSessionPolicyId,
      idleMinutes: props.sessionIdleMinutes,
      lifetimeMinutes: props.sessionLifetimeMinutes,
      riskScoreCondition: props.signOnRiskScore,
      partOf: partOf({ idleMinutes: "sessionIdleMinutes", lifetimeMinutes: "sessionLifetimeMinutes", policyId: "globalSessionPolicyId", groupsIncluded: "groupsIncluded", riskScoreCondition: "signOnRiskScore" }),
    });
    const builtIn = BUILT_IN_APP_POLICIES.map(
      (p) =>
        new PhishingResistantAppRules(this, p.id, {
          ...common,
          policyId: props[p.prop] ?? new DataOktaPolicy(this, `${p.id}Policy`, { name: p.name, type: "ACCESS_POLICY" }).id,
          name: "Phishing-resistant 2FA",
          priority: 1,
          partOf: partOf({ policyId: p.prop }),
        }),
    );
    this.builtInAppRules = { adminConsole: builtIn[0], dashboard: builtIn[1] };
    if (props.protectedAppIds && props.protectedAppIds.length > 0) {
      this.appPolicy = new PhishingResistantAppPolicy(this, "AppPolicy", { ...common, appIds: props.protectedAppIds, partOf: partOf({ appIds: "protectedAppIds" }) });
    }
    this.passwords = new PasswordAndRecoveryPolicy(this, "Passwords", { ...common, groupsIncluded: props.groupsIncluded, partOf: partOf({ groupsIncluded: "groupsIncluded" }) });
    // The password policy stops offering SMS, voice and question recovery before those authenticators go.
    for (const a of this.authenticators.inactive) a.dependsOn = [...(a.dependsOn ?? []), dependable(this.passwords.policy)];
    this.logStream = new OktaSystemLogStream(this, "LogStream", { ...common, destination: props.logStream, partOf: partOf({ destination: "logStream" }) });
    this.eventHooks = new SecurityEventHooks(this, "EventHooks", {
      ...common,
      url: props.eventHook.url,
      authValue: props.eventHook.authValue,
      verify: props.eventHook.verify,
      partOf: partOf({ url: "eventHook.url", authValue: "eventHook.authValue", verify: "eventHook.verify" }),
    });
    if (props.securityNotificationEmails !== false) {
      new SecurityNotificationEmails(this, "NotificationEmails", {
        reportSuspiciousActivityEnabled: true,
        sendEmailForFactorEnrollmentEnabled: true,
        sendEmailForFactorResetEnabled: true,
        sendEmailForNewDeviceEnabled: true,
        sendEmailForPasswordChangedEnabled: true,
      });
    }
  }
}
