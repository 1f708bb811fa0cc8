/** The CDKTF side: synth-time checks, waivers in code, and the posture constructs. */
export { PostureChecks, type PostureCheckOptions } from "./posture-checks";
export { Posture, type WaiverProps } from "./waivers";
export { type PostureConstructProps } from "./props";
export * from "./okta";
export * from "./cloudflare";
