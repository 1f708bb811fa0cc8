/** The control catalogue: every rule of CONTROLS.md, in the order the docs list them. */
import * as access from "./cloudflare/access";
import * as device from "./cloudflare/device-posture";
import * as gateway from "./cloudflare/gateway";
import * as logpush from "./cloudflare/logpush";
import * as org from "./cloudflare/organization";
import * as appSignon from "./okta/app-signon";
import * as authenticators from "./okta/authenticators";
import * as enrollment from "./okta/enrollment";
import * as session from "./okta/global-session";
import * as logging from "./okta/logging";
import * as password from "./okta/password";
import * as tenant from "./okta/tenant";
import { type PackSource, withPacks } from "../engine/evaluate/packs";
import type { Rule } from "./rule";
import * as modes from "./shared/modes";
import * as secrets from "./shared/secrets";

export const OKTA_RULES: readonly Rule[] = [
  authenticators.webauthnActive,
  authenticators.phishableAuthenticators,
  authenticators.oktaVerifyHardened,
  authenticators.noIgnoredSettings,
  enrollment.webauthnRequired,
  enrollment.noPhishableEnrollment,
  session.sessionIdle,
  session.sessionLifetime,
  session.noPersistentCookies,
  session.mfaEverySignIn,
  appSignon.phishingResistantApps,
  appSignon.boundedReauthentication,
  appSignon.constraintKeysKept,
  appSignon.policyAssigned,
  password.passwordStrength,
  password.noPhishableRecovery,
  logging.systemLogStreams,
  logging.monitoredEvents,
  logging.hookEligibleEvents,
  tenant.noStandingSupportAccess,
  tenant.threatInsightBlocks,
  tenant.anonymizersBlocked,
  tenant.adminRolesToGroups,
  tenant.securityNotifications,
  tenant.noSelfRegistration,
];

export const CLOUDFLARE_RULES: readonly Rule[] = [
  device.postureBaseline,
  device.postureChecksMeanIt,
  access.devicePostureRequired,
  access.hardwareKeyRequired,
  access.noAllowEveryone,
  access.shortAppSessions,
  access.cookiesResistTheft,
  org.globalSessionBounded,
  org.settingsReadOnly,
  org.identityFromIdp,
  logpush.zeroTrustLogsStream,
  logpush.deliveryAuthenticated,
  logpush.disabledJobAlert,
  gateway.gatewayRechecksSession,
];

export const SHARED_RULES: readonly Rule[] = [secrets.noSecretsInCode, modes.weakerOverride];
export const PLAN_RULES: readonly Rule[] = [modes.postureResourceDestroyed, modes.weakenedWithinPolicy, modes.changedOutsideCode];

export const CATALOGUE: readonly Rule[] = [...OKTA_RULES, ...CLOUDFLARE_RULES, ...SHARED_RULES, ...PLAN_RULES];

const BY_ID = new Map(CATALOGUE.map((r) => [r.id, r]));
if (BY_ID.size !== CATALOGUE.length) throw new Error("duplicate rule id in the catalogue");

export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

/**
 * The rules a run uses: the built-in catalogue (the default pack) followed by the given packs'
 * rules. Module paths resolve against `baseDir` (default: the working directory).
 */
export function catalogueWith(packs: readonly PackSource[] = [], baseDir?: string): readonly Rule[] {
  return packs.length === 0 ? CATALOGUE : withPacks(CATALOGUE, packs, baseDir);
}
