export * from "./app-policy";
export * from "./authenticators";
export * from "./enrollment";
export * from "./global-session";
export * from "./logging";
export * from "./okta-posture";
export * from "./password";
export * from "./threat-protection";
