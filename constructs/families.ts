/**
 * The run-time exports of each provider family, for the root entry point: one getter per export that
 * loads the family (and its provider package) on first use, and says which package to install when
 * it is missing. The names must equal the family modules' exports (a test compares them).
 */
export const PROVIDER_FAMILIES = {
  okta: {
    peer: "@cdktf/provider-okta",
    names: [
      "PhishingResistantAppPolicy",
      "PhishingResistantAppRules",
      "PhishingResistantAuthenticators",
      "WebAuthnOnlyEnrollmentPolicy",
      "GlobalSessionPolicy",
      "OktaSystemLogStream",
      "SecurityEventHooks",
      "OktaPosture",
      "PasswordAndRecoveryPolicy",
      "ThreatProtection",
    ],
    load: (): object => require("./okta"),
  },
  cloudflare: {
    peer: "@cdktf/provider-cloudflare",
    names: [
      "HardenedAccessApplication",
      "CloudflarePosture",
      "DevicePostureBaseline",
      "OktaIdentityProvider",
      "ZeroTrustLogpush",
      "LogpushDestination",
      "ZeroTrustOrganizationSettings",
      "clientCertificateInput",
      "integrationInput",
      "integrationRuleName",
    ],
    load: (): object => require("./cloudflare"),
  },
} as const;

/** Defines a lazy getter on `target` for every export of every family. */
export function defineLazyExports(target: object): void {
  for (const family of Object.values(PROVIDER_FAMILIES)) {
    for (const name of family.names) {
      Object.defineProperty(target, name, { enumerable: true, get: () => (loadFamily(family, name) as Record<string, unknown>)[name] });
    }
  }
}

function loadFamily(family: (typeof PROVIDER_FAMILIES)[keyof typeof PROVIDER_FAMILIES], name: string): object {
  try {
    return family.load();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err?.code === "MODULE_NOT_FOUND" && String(err.message).includes(`'${family.peer}`)) {
      throw new Error(`identity-posture: ${name} needs ${family.peer}, which is not installed: npm install ${family.peer} (or import from identity-posture/${family === PROVIDER_FAMILIES.okta ? "cloudflare" : "okta"} if you use only the other provider)`);
    }
    throw e;
  }
}

