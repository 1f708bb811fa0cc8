import { Behavior } from "@cdktf/provider-okta/lib/behavior";
import { NetworkZone } from "@cdktf/provider-okta/lib/network-zone";
import { ThreatInsightSettings } from "@cdktf/provider-okta/lib/threat-insight-settings";
import { Construct } from "constructs";
import { type PostureConstructProps, PropChecker } from "../props";

export interface ThreatProtectionProps extends PostureConstructProps {
  /**
   * IP service categories the blocklist zone denies (an enhanced dynamic zone, `DYNAMIC_V2`).
   * @default ["ALL_ANONYMIZERS"]
   */
  readonly blockedServiceCategories?: string[];
  /** Zone ids ThreatInsight never blocks (e.g. your office egress). @default none */
  readonly threatInsightExcludedZoneIds?: string[];
  /**
   * Also define sign-in behaviors (new country, new device) that policies can use as risk signals.
   * @default false
   */
  readonly behaviors?: boolean;
}

/**
 * ThreatInsight in block mode and a blocklist zone for anonymizing proxies and Tor. Passes OKTA-TI-1
 * and OKTA-ZONE-1. (The org's built-in `DefaultEnhancedDynamicZone` cannot be created; this adds a zone
 * of its own.) The zone's usage is BLOCKLIST, which Okta applies before any policy: it needs no
 * sign-on rule, and no sign-on rule may name it (GlobalSessionPolicy refuses it in `blockedZoneIds`).
 */
export class ThreatProtection extends Construct {
  readonly anonymizerZoneId: string;

  constructor(scope: Construct, id: string, props: ThreatProtectionProps = {}) {
    super(scope, id);
    const check = new PropChecker(this, "ThreatProtection", props);
    const categories = props.blockedServiceCategories ?? ["ALL_ANONYMIZERS"];
    check.require(categories.length > 0, categories, "blockedServiceCategories", "at least one category is required", "OKTA-ZONE-1");
    new ThreatInsightSettings(this, "threat-insight", { action: "block", networkExcludes: props.threatInsightExcludedZoneIds });
    this.anonymizerZoneId = new NetworkZone(this, "anonymizers", {
      name: "Block anonymizing proxies",
      type: "DYNAMIC_V2",
      usage: "BLOCKLIST",
      status: "ACTIVE",
      ipServiceCategoriesInclude: categories,
    }).id;
    if (props.behaviors) {
      new Behavior(this, "new-country", { name: "New country", type: "ANOMALOUS_LOCATION", locationGranularityType: "COUNTRY", numberOfAuthentications: 3, status: "ACTIVE" });
      new Behavior(this, "new-device", { name: "New device", type: "ANOMALOUS_DEVICE", numberOfAuthentications: 3, status: "ACTIVE" });
    }
  }
}
