import { SecurityNotificationEmails } from "@cdktf/provider-okta/lib/security-notification-emails";
import { Construct } from "constructs";
import type { Profile } from "../../policies/rule";
import { Posture, type WaiverProps } from "../waivers";
import { PhishingResistantAppPolicy } from "./app-policy";
import { PhishingResistantAuthenticators } from "./authenticators";
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
   * Ids of the org's existing authenticators to import, by key (see PhishingResistantAuthenticators).
   * @default none
   */
  readonly authenticatorImportIds?: Partial<Record<string, string>>;
  /**
   * Add the global session rules to this existing policy (e.g. the default policy) instead of creating one.
   * @default a new policy
   */
  readonly globalSessionPolicyId?: string;
  /**
   * Accepted risks, applied to the whole posture.
   * @default none
   */
  readonly waivers?: WaiverProps[];
}

/**
 * The recommended Okta posture in one construct: phishing-resistant authenticators, WebAuthn-only
 * enrollment, short global sessions with MFA every sign-in behind an anonymizer blocklist,
 * phishing-resistant app authentication with a deny catch-all, a password policy without phishable
 * recovery, ThreatInsight blocking, the System Log streamed to a SIEM, an event hook for sensitive
 * changes, and security notification emails. With defaults it passes every Okta rule under its profile.
 */
export class OktaPosture extends Construct {
  readonly authenticators: PhishingResistantAuthenticators;
  readonly enrollment: WebAuthnOnlyEnrollmentPolicy;
  readonly threatProtection: ThreatProtection;
  readonly globalSession: GlobalSessionPolicy;
  readonly appPolicy: PhishingResistantAppPolicy;
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
    this.authenticators = new PhishingResistantAuthenticators(this, "Authenticators", { ...common, importIds: props.authenticatorImportIds });
    // The org's default enrollment policy covers everyone; a phishable authenticator can be
    // deactivated only once no enrollment policy offers it, hence the ordering.
    this.enrollment = new WebAuthnOnlyEnrollmentPolicy(this, "Enrollment", { ...common, useDefaultPolicy: true });
    for (const a of this.authenticators.inactive) a.dependsOn = [...(a.dependsOn ?? []), this.enrollment.policy.fqn];
    this.threatProtection = new ThreatProtection(this, "ThreatProtection", common);
    this.globalSession = new GlobalSessionPolicy(this, "GlobalSession", {
      ...common,
      groupsIncluded: props.groupsIncluded,
      policyId: props.globalSessionPolicyId,
      idleMinutes: props.sessionIdleMinutes,
      lifetimeMinutes: props.sessionLifetimeMinutes,
      blockedZoneIds: [this.threatProtection.anonymizerZoneId],
    });
    this.appPolicy = new PhishingResistantAppPolicy(this, "AppPolicy", common);
    this.passwords = new PasswordAndRecoveryPolicy(this, "Passwords", { ...common, groupsIncluded: props.groupsIncluded });
    this.logStream = new OktaSystemLogStream(this, "LogStream", { ...common, destination: props.logStream });
    this.eventHooks = new SecurityEventHooks(this, "EventHooks", { ...common, url: props.eventHook.url, authValue: props.eventHook.authValue, verify: props.eventHook.verify });
    new SecurityNotificationEmails(this, "NotificationEmails", {
      reportSuspiciousActivityEnabled: true,
      sendEmailForFactorEnrollmentEnabled: true,
      sendEmailForFactorResetEnabled: true,
      sendEmailForNewDeviceEnabled: true,
      sendEmailForPasswordChangedEnabled: true,
    });
  }
}
