import { ZeroTrustOrganization } from "@cdktf/provider-cloudflare/lib/zero-trust-organization";
import { Construct } from "constructs";
import { isToken, type PostureConstructProps, PropChecker } from "../props";
import { requireSessionDuration } from "./duration";

export interface ZeroTrustOrganizationSettingsProps extends PostureConstructProps {
  /** The Cloudflare account id. */
  readonly accountId: string;
  /** The team domain, e.g. `example.cloudflareaccess.com`. @default the existing organization's */
  readonly authDomain?: string;
  /** The organization's name. @default the existing organization's */
  readonly name?: string;
  /**
   * The global session: how long tokens issued for applications are valid, unless an application
   * sets a shorter one. At most 12h (CF-ORG-1).
   * @default "8h"
   */
  readonly sessionDuration?: string;
  /**
   * Let users authenticate to applications with their WARP session instead of signing in to the IdP.
   * @default false
   */
  readonly allowAuthenticateViaWarp?: boolean;
  /**
   * How long a WARP session authenticates users, when `allowAuthenticateViaWarp` is on. At most 12h
   * (CF-ORG-1). Units `m` and `h` only, e.g. `"30m"` or `"2h45m"`: the only units the schema allows
   * (internal/services/zero_trust_organization/schema.go:50-53@v5.14.0).
   * @default "8h"
   */
  readonly warpAuthSessionDuration?: string;
  /**
   * Lock the Zero Trust dashboard read-only, so settings change only through reviewed code (CF-ORG-2).
   * @default true
   */
  readonly readOnlyDashboard?: boolean;
  /**
   * Shown in the dashboard to explain the lock.
   * @default "Managed in code with identity-posture; change it through a reviewed pull request"
   */
  readonly readOnlyReason?: string;
  /** Skip the identity provider choice on the App Launcher (set when Okta is the only provider). @default false */
  readonly autoRedirectToIdentity?: boolean;
  /** Free a user seat after this long without activity (at least `730h`). @default never */
  readonly userSeatExpirationInactiveTime?: string;
}

/**
 * The account's Zero Trust organization: a bounded global session, no or a bounded WARP session, and
 * a dashboard locked read-only so changes go through code. Passes CF-ORG-1 and CF-ORG-2. Each account
 * has one organization: if it exists already, import it (`terraform import`) rather than create it.
 */
export class ZeroTrustOrganizationSettings extends Construct {
  readonly organization: ZeroTrustOrganization;

  constructor(scope: Construct, id: string, props: ZeroTrustOrganizationSettingsProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    const check = new PropChecker(this, "ZeroTrustOrganizationSettings", props);
    const sessionDuration = props.sessionDuration ?? "8h";
    requireSessionDuration(check, "sessionDuration", sessionDuration, "CF-ORG-1", profile);
    const warp = props.allowAuthenticateViaWarp ?? false;
    const warpDuration = props.warpAuthSessionDuration ?? "8h";
    if (warp) {
      if (!isToken(warpDuration) && !/^(?:\d+(?:\.\d+)?[mh])+$/.test(warpDuration)) {
        check.invalid("warpAuthSessionDuration", `is ${JSON.stringify(warpDuration)}; Cloudflare accepts only minutes and hours here, e.g. "30m" or "2h45m"`);
      }
      requireSessionDuration(check, "warpAuthSessionDuration", warpDuration, "CF-ORG-1", profile);
    }
    const readOnly = props.readOnlyDashboard ?? true;
    check.require(readOnly === true, readOnly, "readOnlyDashboard", "a writable dashboard lets a stolen admin session change settings outside review", "CF-ORG-2");
    this.organization = new ZeroTrustOrganization(this, "organization", {
      accountId: props.accountId,
      authDomain: props.authDomain,
      name: props.name,
      sessionDuration,
      allowAuthenticateViaWarp: warp,
      warpAuthSessionDuration: warp ? warpDuration : undefined,
      isUiReadOnly: readOnly,
      uiReadOnlyToggleReason: props.readOnlyReason ?? "Managed in code with identity-posture; change it through a reviewed pull request",
      autoRedirectToIdentity: props.autoRedirectToIdentity,
      userSeatExpirationInactiveTime: props.userSeatExpirationInactiveTime,
    });
  }
}
