/**
 * `identity-posture/okta`: the Okta constructs with the synth-time checks and waivers. Needs cdktf,
 * constructs and @cdktf/provider-okta, never the Cloudflare provider.
 */
export { PostureChecks, type PostureCheckOptions } from "../posture-checks";
export { Posture, type WaiverProps } from "../waivers";
export { type PostureConstructProps } from "../props";
export * from "./app-policy";
export * from "./authenticators";
export * from "./enrollment";
export * from "./global-session";
export * from "./logging";
export * from "./okta-posture";
export * from "./password";
export * from "./threat-protection";
