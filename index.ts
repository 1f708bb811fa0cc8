/**
 * identity-posture: the control catalogue and its engine, the CDKTF posture constructs and the
 * synth-time checks. Engine-only users (no cdktf) import `identity-posture/engine`; a project with one
 * provider imports `identity-posture/okta` or `identity-posture/cloudflare` (or this module, which loads
 * each provider family on first use).
 */
export * from "./engine";
export * from "./constructs";
