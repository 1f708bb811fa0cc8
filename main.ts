/**
 * The reference app: the recommended posture, synthesized with checks on. `npm start` runs it, then
 * `posture check cdktf.out`. Secrets are Terraform variables (set TF_VAR_... in CI); the Okta and
 * Cloudflare providers read their API tokens from the environment (OKTA_API_TOKEN, CLOUDFLARE_API_TOKEN).
 * The cloudflare stack signs users in through the same Okta org as the okta stack.
 */
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CloudflareApplicationSpec, CloudflarePosture, type DevicePostureBaselineProps, LogpushDestination, OktaPosture, PostureChecks } from "./constructs";
import type { Profile } from "./policies/rule";

interface ExampleConfig {
  profile: Profile;
  okta: { orgName: string; baseUrl: string; everyoneGroupId: string; splunk: { host: string; edition: "aws" | "gcp" | "aws_govcloud" }; responderUrl: string };
  cloudflare: {
    accountId: string;
    authDomain: string;
    /** Client id of the Okta OIDC app for Cloudflare Access (its secret is the okta_oidc_client_secret variable). */
    oktaClientId: string;
    platforms: DevicePostureBaselineProps["platforms"];
    /** EDR/MDM posture integrations; the strict profile needs one. */
    integrations: NonNullable<DevicePostureBaselineProps["integrations"]>;
    applications: CloudflareApplicationSpec[];
    splunk: { host: string; channel: string };
    alertEmails: string[];
  };
}

const config: ExampleConfig = JSON.parse(readFileSync(join(__dirname, "examples", "reference-app.json"), "utf8"));

class OktaStack extends TerraformStack {
  readonly posture: OktaPosture;

  constructor(scope: Construct, id: string, c: ExampleConfig) {
    super(scope, id);
    new OktaProvider(this, "okta", { orgName: c.okta.orgName, baseUrl: c.okta.baseUrl });
    const hecToken = new TerraformVariable(this, "splunk_hec_token", { type: "string", sensitive: true, description: "Splunk Cloud HEC token for the Okta log stream" });
    const hookSecret = new TerraformVariable(this, "event_hook_secret", { type: "string", sensitive: true, description: "Authorization header value the responder expects" });
    this.posture = new OktaPosture(this, "Posture", {
      profile: c.profile,
      groupsIncluded: [c.okta.everyoneGroupId],
      logStream: { kind: "splunk", host: c.okta.splunk.host, edition: c.okta.splunk.edition, token: hecToken.stringValue },
      eventHook: { url: c.okta.responderUrl, authValue: hookSecret.stringValue },
    });
  }
}

class CloudflareStack extends TerraformStack {
  readonly posture: CloudflarePosture;

  constructor(scope: Construct, id: string, c: ExampleConfig) {
    super(scope, id);
    new CloudflareProvider(this, "cloudflare", {});
    const oidcSecret = new TerraformVariable(this, "okta_oidc_client_secret", { type: "string", sensitive: true, description: "Client secret of the Okta OIDC app for Cloudflare Access" });
    const hecToken = new TerraformVariable(this, "splunk_hec_token", { type: "string", sensitive: true, description: "Splunk HEC token for the Zero Trust Logpush jobs" });
    const cf = c.cloudflare;
    this.posture = new CloudflarePosture(this, "Posture", {
      profile: c.profile,
      accountId: cf.accountId,
      identityProvider: { oktaAccount: `https://${c.okta.orgName}.${c.okta.baseUrl}`, clientId: cf.oktaClientId, clientSecret: oidcSecret.stringValue },
      devicePosture: { platforms: cf.platforms, integrations: cf.integrations },
      applications: cf.applications,
      organization: { authDomain: cf.authDomain, autoRedirectToIdentity: true },
      logging: {
        destination: LogpushDestination.splunk({ host: cf.splunk.host, channel: cf.splunk.channel, token: hecToken.stringValue }),
        alert: { emails: cf.alertEmails },
      },
    });
  }
}

const app = new App();
new OktaStack(app, "okta", config);
new CloudflareStack(app, "cloudflare", config);
// POSTURE_CHECKS=off synthesizes without the checks; `npm run bench` uses it to measure their overhead.
if (process.env.POSTURE_CHECKS !== "off") PostureChecks.applyTo(app, { profile: config.profile });
app.synth();
