/**
 * identity-posture: the control catalogue and its engine, the CDKTF posture constructs and the
 * synth-time checks. Engine-only users (no cdktf) import `identity-posture/engine`.
 */
export * from "./engine";
export * from "./constructs";
