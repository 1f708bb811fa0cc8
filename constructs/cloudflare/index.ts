/**
 * `identity-posture/cloudflare`: the Cloudflare Zero Trust constructs with the synth-time checks and
 * waivers. Needs cdktf, constructs and @cdktf/provider-cloudflare, never the Okta provider.
 */
export { PostureChecks, type PostureCheckOptions } from "../posture-checks";
export { Posture, type WaiverProps } from "../waivers";
export { type PostureConstructProps } from "../props";
export * from "./access-application";
export * from "./cloudflare-posture";
export * from "./device-posture";
export * from "./identity-provider";
export * from "./logpush";
export * from "./logpush-destinations";
export * from "./organization";
export * from "./posture-integrations";
