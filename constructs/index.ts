/**
 * The CDKTF side: synth-time checks, waivers in code, and the posture constructs. Each provider family
 * loads on first use of one of its constructs, so importing this module needs only cdktf, constructs
 * and the provider packages actually used (an Okta-only app never loads @cdktf/provider-cloudflare).
 */
import type * as okta from "./okta";
import type * as cloudflare from "./cloudflare";
import { defineLazyExports } from "./families";

export { PostureChecks, type PostureCheckOptions, SYNTH_REPORT } from "./posture-checks";
export { Posture, type WaiverProps } from "./waivers";
export { type PostureConstructProps } from "./props";
// Every props interface and type of both families (types cost nothing at run time).
export type * from "./okta";
export type * from "./cloudflare";

// Run-time: a getter per family export on this module's exports (`module.exports`, which is also
// right when a transpiler such as tsx/esbuild replaces the exports object).
defineLazyExports(module.exports);

// Never run: names the getters for Node's ESM loader, which finds a CommonJS module's exports by reading
// its text (cjs-module-lexer) and cannot see getters, so `import { OktaPosture } from "identity-posture"`
// works from an ES module too. A test keeps this list equal to the families'.
const ESM_NAMES_ONLY = false as boolean;
if (ESM_NAMES_ONLY) {
  exports.PhishingResistantAppPolicy = exports.PhishingResistantAppRules = exports.PhishingResistantAuthenticators = undefined;
  exports.WebAuthnOnlyEnrollmentPolicy = exports.GlobalSessionPolicy = exports.OktaSystemLogStream = undefined;
  exports.SecurityEventHooks = exports.OktaPosture = exports.PasswordAndRecoveryPolicy = exports.ThreatProtection = undefined;
  exports.HardenedAccessApplication = exports.CloudflarePosture = exports.DevicePostureBaseline = undefined;
  exports.OktaIdentityProvider = exports.ZeroTrustLogpush = exports.LogpushDestination = undefined;
  exports.ZeroTrustOrganizationSettings = exports.clientCertificateInput = exports.integrationInput = exports.integrationRuleName = undefined;
}

// The values, typed as the families declare them (the getters above provide them at run time).
export declare const PhishingResistantAppPolicy: typeof okta.PhishingResistantAppPolicy;
export type PhishingResistantAppPolicy = okta.PhishingResistantAppPolicy;
export declare const PhishingResistantAppRules: typeof okta.PhishingResistantAppRules;
export type PhishingResistantAppRules = okta.PhishingResistantAppRules;
export declare const PhishingResistantAuthenticators: typeof okta.PhishingResistantAuthenticators;
export type PhishingResistantAuthenticators = okta.PhishingResistantAuthenticators;
export declare const WebAuthnOnlyEnrollmentPolicy: typeof okta.WebAuthnOnlyEnrollmentPolicy;
export type WebAuthnOnlyEnrollmentPolicy = okta.WebAuthnOnlyEnrollmentPolicy;
export declare const GlobalSessionPolicy: typeof okta.GlobalSessionPolicy;
export type GlobalSessionPolicy = okta.GlobalSessionPolicy;
export declare const OktaSystemLogStream: typeof okta.OktaSystemLogStream;
export type OktaSystemLogStream = okta.OktaSystemLogStream;
export declare const SecurityEventHooks: typeof okta.SecurityEventHooks;
export type SecurityEventHooks = okta.SecurityEventHooks;
export declare const OktaPosture: typeof okta.OktaPosture;
export type OktaPosture = okta.OktaPosture;
export declare const PasswordAndRecoveryPolicy: typeof okta.PasswordAndRecoveryPolicy;
export type PasswordAndRecoveryPolicy = okta.PasswordAndRecoveryPolicy;
export declare const ThreatProtection: typeof okta.ThreatProtection;
export type ThreatProtection = okta.ThreatProtection;
export declare const HardenedAccessApplication: typeof cloudflare.HardenedAccessApplication;
export type HardenedAccessApplication = cloudflare.HardenedAccessApplication;
export declare const CloudflarePosture: typeof cloudflare.CloudflarePosture;
export type CloudflarePosture = cloudflare.CloudflarePosture;
export declare const DevicePostureBaseline: typeof cloudflare.DevicePostureBaseline;
export type DevicePostureBaseline = cloudflare.DevicePostureBaseline;
export declare const OktaIdentityProvider: typeof cloudflare.OktaIdentityProvider;
export type OktaIdentityProvider = cloudflare.OktaIdentityProvider;
export declare const ZeroTrustLogpush: typeof cloudflare.ZeroTrustLogpush;
export type ZeroTrustLogpush = cloudflare.ZeroTrustLogpush;
export declare const LogpushDestination: typeof cloudflare.LogpushDestination;
export type LogpushDestination = cloudflare.LogpushDestination;
export declare const ZeroTrustOrganizationSettings: typeof cloudflare.ZeroTrustOrganizationSettings;
export type ZeroTrustOrganizationSettings = cloudflare.ZeroTrustOrganizationSettings;
export declare const clientCertificateInput: typeof cloudflare.clientCertificateInput;
export declare const integrationInput: typeof cloudflare.integrationInput;
export declare const integrationRuleName: typeof cloudflare.integrationRuleName;
