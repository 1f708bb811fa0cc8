/**
 * The reference app: the recommended posture, synthesized with checks on. `npm start` runs it, then
 * `posture check cdktf.out`. Secrets are Terraform variables (set TF_VAR_... in CI); the Okta and
 * Cloudflare providers read their API tokens from the environment (OKTA_API_TOKEN, CLOUDFLARE_API_TOKEN).
 */
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OktaPosture, PostureChecks } from "./constructs";
import type { Profile } from "./policies/rule";

interface ExampleConfig {
  profile: Profile;
  okta: { orgName: string; baseUrl: string; everyoneGroupId: string; splunk: { host: string; edition: "aws" | "gcp" | "aws_govcloud" }; responderUrl: string };
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

const app = new App();
new OktaStack(app, "okta", config);
PostureChecks.applyTo(app, { profile: config.profile });
app.synth();
