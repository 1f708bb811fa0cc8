import { Construct } from "constructs";
import type { Profile } from "../../policies/rule";
import { PropChecker } from "../props";
import { Posture, type WaiverProps } from "../waivers";
import { HardenedAccessApplication, type HardenedAccessApplicationProps } from "./access-application";
import { DevicePostureBaseline, type DevicePostureBaselineProps } from "./device-posture";
import { OktaIdentityProvider, type OktaIdentityProviderProps } from "./identity-provider";
import { ZeroTrustLogpush, type ZeroTrustLogpushProps } from "./logpush";
import { ZeroTrustOrganizationSettings, type ZeroTrustOrganizationSettingsProps } from "./organization";

/** A part's props without what the composite passes to every part. */
type Part<T> = Omit<T, "accountId" | "profile" | "waivers">;

/** An application of the posture: HardenedAccessApplication's props without the provider and posture, which the composite supplies. */
export type CloudflareApplicationSpec = Omit<Part<HardenedAccessApplicationProps>, "identityProviderId" | "devicePosture">;

export interface CloudflarePostureProps {
  /**
   * The profile every part is built for and checked against.
   * @default "recommended"
   */
  readonly profile?: Profile;
  /** The Cloudflare account id. */
  readonly accountId: string;
  /** Okta as the identity provider (OktaIdentityProvider). */
  readonly identityProvider: Part<OktaIdentityProviderProps>;
  /** The device posture baseline (DevicePostureBaseline); under strict, include an integration or a client certificate. */
  readonly devicePosture: Part<DevicePostureBaselineProps>;
  /**
   * Access applications, each guarded by the identity provider and the posture baseline
   * (HardenedAccessApplication). Names must differ in their letters or digits (they name the constructs).
   * @default none
   */
  readonly applications?: CloudflareApplicationSpec[];
  /**
   * Zero Trust organization settings (ZeroTrustOrganizationSettings).
   * @default a 8h global session, no WARP authentication, a read-only dashboard
   */
  readonly organization?: Part<ZeroTrustOrganizationSettingsProps>;
  /** Logpush jobs and the disabled-job alert (ZeroTrustLogpush). */
  readonly logging: Part<ZeroTrustLogpushProps>;
  /**
   * Accepted risks, applied to the whole posture.
   * @default none
   */
  readonly waivers?: WaiverProps[];
}

/**
 * The recommended Cloudflare Zero Trust posture in one construct: Okta with PKCE as the only identity
 * provider, a device posture baseline, applications that admit only healthy devices and hardware
 * keys with short sessions and bound cookies, a bounded global session with a read-only dashboard,
 * and the Zero Trust logs streamed to a SIEM with an alert when a job stops. With defaults it passes
 * every Cloudflare rule under its profile (strict also needs an EDR/MDM integration or a client
 * certificate in `devicePosture`).
 */
export class CloudflarePosture extends Construct {
  readonly identityProvider: OktaIdentityProvider;
  readonly devicePosture: DevicePostureBaseline;
  readonly organization: ZeroTrustOrganizationSettings;
  /** The applications, by name. */
  readonly applications: Readonly<Record<string, HardenedAccessApplication>>;
  readonly logging: ZeroTrustLogpush;

  constructor(scope: Construct, id: string, props: CloudflarePostureProps) {
    super(scope, id);
    const profile = props.profile ?? "recommended";
    // Waivers cover the whole posture; the parts get them too so their prop checks let a waived value through.
    const waivers = props.waivers ?? [];
    for (const w of waivers) Posture.waive(this, w);
    const common = { profile, waivers, accountId: props.accountId };
    const check = new PropChecker(this, "CloudflarePosture", {});
    const apps = props.applications ?? [];
    const ids = apps.map((a) => constructId(a.name));
    ids.forEach((appId, i) => {
      if (!appId) check.invalid(`applications[${i}].name`, "needs at least one letter or digit");
      const first = ids.indexOf(appId);
      if (first !== i) check.invalid(`applications[${i}].name`, `${JSON.stringify(apps[i].name)} collides with applications[${first}] (${JSON.stringify(apps[first].name)}); names must differ in their letters or digits`);
    });

    this.identityProvider = new OktaIdentityProvider(this, "IdentityProvider", { ...props.identityProvider, ...common });
    this.devicePosture = new DevicePostureBaseline(this, "DevicePosture", { ...props.devicePosture, ...common });
    this.organization = new ZeroTrustOrganizationSettings(this, "Organization", { ...(props.organization ?? {}), ...common });
    const applications: Record<string, HardenedAccessApplication> = {};
    apps.forEach((spec, i) => {
      applications[spec.name] = new HardenedAccessApplication(this, ids[i], {
        ...spec,
        ...common,
        identityProviderId: this.identityProvider.id,
        devicePosture: this.devicePosture.requirements,
      });
    });
    this.applications = applications;
    this.logging = new ZeroTrustLogpush(this, "Logging", { ...props.logging, ...common });
  }
}

/** A construct id from an application name: `Internal wiki` becomes `App-Internal-wiki`. */
function constructId(name: string): string {
  const core = name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return core ? `App-${core}` : "";
}
