/**
 * A synthetic CDKTF app for the synth-time benchmark:
 * `node synth-app.cjs STACKS RESOURCES on|off OUTDIR POSTURE_RESOURCES`.
 * Each stack holds the reference posture of both providers (as main.ts builds it: it passes the
 * checks) plus okta_group fillers up to RESOURCES resources. Prints one JSON line with the wall and
 * CPU time of building and synthesizing the app (`app.synth()`), module loading left out: loading the
 * provider bindings is the same with and without checks and would only hide the difference.
 *
 * POSTURE_RESOURCES is how many resources the postures make; `node synth-app.cjs count` prints it.
 * It is counted in a process of its own because counting builds and serialises a stack, which would
 * warm up cdktf's and the constructs' code before the timed part, and a user's app starts cold.
 */
const { join } = require("node:path");
const { readFileSync } = require("node:fs");

const [stacks, resources, checks, outdir, postureResources] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] === "on", process.argv[5], Number(process.argv[6])];
const ROOT = join(__dirname, "..", "..");
const { App, TerraformStack, TerraformVariable } = require("cdktf");
const { OktaProvider } = require("@cdktf/provider-okta/lib/provider");
const { Group } = require("@cdktf/provider-okta/lib/group");
const { CloudflareProvider } = require("@cdktf/provider-cloudflare/lib/provider");
const { OktaPosture, CloudflarePosture, LogpushDestination, PostureChecks } = require(join(ROOT, "dist", "index.js"));
const c = JSON.parse(readFileSync(join(ROOT, "examples", "reference-app.json"), "utf8"));

/** One stack: both postures, then `fillers` okta_group resources. */
function buildStack(app, s, fillers) {
  const stack = new TerraformStack(app, `stack${s}`);
  new OktaProvider(stack, "okta", { orgName: c.okta.orgName, baseUrl: c.okta.baseUrl });
  new CloudflareProvider(stack, "cloudflare", {});
  const secret = (id) => new TerraformVariable(stack, id, { type: "string", sensitive: true }).stringValue;
  new OktaPosture(stack, "Okta", {
    profile: c.profile,
    groupsIncluded: [c.okta.everyoneGroupId],
    logStream: { kind: "splunk", host: c.okta.splunk.host, edition: c.okta.splunk.edition, token: secret("hec") },
    eventHook: { url: c.okta.responderUrl, authValue: secret("hook") },
  });
  const cf = c.cloudflare;
  new CloudflarePosture(stack, "Cloudflare", {
    profile: c.profile,
    accountId: cf.accountId,
    identityProvider: { oktaAccount: `https://${c.okta.orgName}.${c.okta.baseUrl}`, clientId: cf.oktaClientId, clientSecret: secret("oidc") },
    devicePosture: { platforms: cf.platforms, integrations: cf.integrations },
    applications: cf.applications,
    organization: { authDomain: cf.authDomain, autoRedirectToIdentity: true },
    logging: { destination: LogpushDestination.splunk({ host: cf.splunk.host, channel: cf.splunk.channel, token: secret("cfhec") }), alert: { emails: cf.alertEmails } },
  });
  for (let i = 0; i < fillers; i++) new Group(stack, `filler${i}`, { name: `group-${s}-${i}`, description: "benchmark filler" });
  return stack;
}

if (process.argv[2] === "count") {
  const probe = buildStack(new App({ skipValidation: true }), 0, 0);
  process.stdout.write(`${Object.values(probe.toTerraform().resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0)}\n`);
  process.exit(0);
}
if (!(postureResources > 0)) throw new Error("synth-app.cjs: POSTURE_RESOURCES missing (print it with `node synth-app.cjs count`)");

const wall0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const app = new App({ outdir });
for (let s = 0; s < stacks; s++) buildStack(app, s, Math.max(0, resources - postureResources));
if (checks) PostureChecks.applyTo(app, { profile: c.profile });
app.synth();
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ seconds: Number(process.hrtime.bigint() - wall0) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
