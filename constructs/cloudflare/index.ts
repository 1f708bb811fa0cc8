export * from "./access-application";
export * from "./cloudflare-posture";
export * from "./device-posture";
export * from "./identity-provider";
export * from "./logpush";
export * from "./logpush-destinations";
export * from "./organization";
export * from "./posture-integrations";
