/**
 * The package as users install it: `npm pack`, then fresh projects that install the tarball from
 * disk and their dependencies from the registry (npm's cache first). Each project has one provider
 * only, or CDK Terrain (cdktn) in place of cdktf, or two framework copies; the TypeScript ones import
 * every entry point they can use (root, their provider's, testing, engine) and compile under the
 * `cdktf init` template's CommonJS settings (node10 resolution), node16 and bundler.
 * Needs `npm run build` first (`npm test` runs it).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync as mkdtempFs, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(__dirname, "..", "..");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const exec = promisify(execFile);

/** Temporary directories, removed after the tests. */
const made: string[] = [];
function mkdtempSync(prefix: string): string {
  const dir = mkdtempFs(prefix);
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  try {
    const r = await exec(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, stdout: err.stdout ?? "", stderr: err.stderr ?? String(e) };
  }
}

async function ok(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await sh(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} in ${cwd} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The packed tarball, made once (the tests run concurrently: each awaits it). */
let packing: Promise<string> | undefined;
function tarball(): Promise<string> {
  packing ??= (async () => {
    if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does) before these tests");
    const dir = mkdtempSync(join(tmpdir(), "posture-pack-"));
    const out = await ok("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], ROOT);
    return join(dir, out.trim().split("\n").pop() as string);
  })();
  return packing;
}

/** A fresh project with the tarball and `deps` installed, and `files` written. */
async function project(name: string, deps: string[], files: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `posture-${name}-`));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${name}`, version: "1.0.0", private: true }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  await ok("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", await tarball(), ...deps], dir);
  return dir;
}

/** The `cdktf init` TypeScript template's compiler options (CommonJS, so node10 resolution), or another resolution. */
function tsconfig(resolution: "node10" | "node16" | "bundler"): string {
  const module = resolution === "node10" ? { module: "CommonJS" } : resolution === "node16" ? { module: "Node16", moduleResolution: "Node16" } : { module: "ESNext", moduleResolution: "Bundler" };
  return JSON.stringify({
    compilerOptions: { target: "ES2020", lib: ["es2020"], ...module, strict: true, esModuleInterop: true, skipLibCheck: true, types: ["node"], outDir: `out-${resolution}`, ...(resolution === "node10" ? {} : { noEmit: true }) },
    include: ["*.ts"],
  });
}

const TSCONFIGS = { "tsconfig.node10.json": tsconfig("node10"), "tsconfig.node16.json": tsconfig("node16"), "tsconfig.bundler.json": tsconfig("bundler") };

/** Compiles the project under each resolution (only node10 emits: the template's CommonJS). */
async function compileEverywhere(dir: string): Promise<void> {
  for (const config of Object.keys(TSCONFIGS)) await ok(process.execPath, [TSC, "-p", config], dir);
}

/**
 * Uses every matcher through `identity-posture/testing`. The project has no @types/jest: `expect` is
 * declared here over `jest.Matchers`, which exists only if the package's types (and their global
 * augmentation) resolved, so a TS2307 or a missing matcher fails the compile.
 */
const MATCHERS = (stackModule: string) => `
import { App } from "cdktf";
import { evaluatePosture, setupPostureMatchers, type PostureTestOptions } from "identity-posture/testing";
import { evaluate, type EvaluationResult } from "identity-posture/engine";
import { definePack, defineRule, fail, pass } from "identity-posture/rules";
import { compliantApp, weakStack } from "./${stackModule}";

let registered: Record<string, (actual: unknown, ...args: unknown[]) => { pass: boolean; message(): string }> = {};
setupPostureMatchers({ extend: (m: object) => void (registered = m as typeof registered) });
type Both = jest.Matchers<void> & { not: jest.Matchers<void> };
function expect(actual: unknown): Both {
  const make = (negate: boolean): Both => new Proxy({} as Both, { get: (_t, name: string) => name === "not" ? make(true) : (...args: unknown[]) => {
    const r = registered[name](actual, ...args);
    if (r.pass === negate) throw new Error(r.message());
  } });
  return make(false);
}
function throws(fn: () => void, pattern: RegExp): void {
  try { fn(); } catch (e) { if (pattern.test(String((e as Error).message))) return; throw e; }
  throw new Error("expected a throw matching " + pattern);
}

const opts: PostureTestOptions = { profile: "recommended" };
const app: App = compliantApp();
expect(app).toBeCompliant(opts);
for (const stack of app.node.children) expect(stack).not.toViolate("OKTA-SES-2");
const weak = weakStack();
expect(weak).not.toBeCompliant();
expect(weak).toViolate(weak.rule, { address: weak.address });
expect(weak).toBeCompliant({ only: ["CONFIG-1"] });
throws(() => expect(weak).not.toViolate("OKTA-SES-02"), /no rule "OKTA-SES-02" in the catalogue/);
throws(() => expect(weak).toBeCompliant({ only: ["OKTA-SES-02"] }), /no rule "OKTA-SES-02" in the catalogue/);
throws(() => expect(app).toViolate(weak.rule), /found none\\. .* (passed|applied to nothing)/);
// A rule pack written with identity-posture/rules, as docs/writing-rules.md shows, run by the matchers.
const endless = defineRule({
  id: "consumer/SES-1",
  kind: "resource",
  severity: "error",
  title: "Global sessions end",
  rationale: "A consumer's own rule, typed by the package's rule API.",
  references: ["consumer test"],
  passes: "session_lifetime is not 0",
  provider: "okta",
  resourceTypes: ["okta_policy_rule_signon"],
  reads: ["session_lifetime"],
  evaluate: (r) => (r.values.session_lifetime === 0 ? fail("session_lifetime", 0, "a session lifetime of 0 never ends") : pass()),
});
const pack = definePack({ name: "consumer", rules: [endless] });
expect(app).not.toViolate("consumer/SES-1", { packs: [pack] });
throws(() => expect(app).not.toViolate("consumer/SES-1"), /no rule "consumer\\/SES-1"/);
const result: EvaluationResult = evaluatePosture(weak);
console.log("matchers ok:", result.findings.length > 0 && typeof evaluate === "function");
`;

const OKTA_APP = `
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import * as root from "identity-posture";
import { OktaPosture, Posture, PostureChecks } from "identity-posture/okta";
import type { OktaPostureProps } from "identity-posture";

function oktaStack(app: App, id: string): TerraformStack {
  const s = new TerraformStack(app, id);
  new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
  const secret = (name: string) => new TerraformVariable(s, name, { type: "string", sensitive: true }).stringValue;
  const props: OktaPostureProps = {
    groupsIncluded: ["00g0000000000000000"],
    logStream: { kind: "splunk", host: "example.splunkcloud.com", edition: "aws", token: secret("hec") },
    eventHook: { url: "https://responder.example.com/okta-events", authValue: secret("hook") },
  };
  new root.OktaPosture(s, "Posture", props);
  return s;
}

export function compliantApp(): App {
  const app = new App();
  oktaStack(app, "okta");
  return app;
}

export function weakStack(): TerraformStack & { rule: string; address: string } {
  const s = oktaStack(new App(), "weak");
  new PolicyRuleSignon(s, "kiosk", { name: "kiosk", policyId: "00p1", sessionLifetime: 0, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
  return Object.assign(s, { rule: "OKTA-SES-2", address: "okta_policy_rule_signon.kiosk" });
}

if (require.main === module) {
  if (root.OktaPosture !== OktaPosture) throw new Error("the root and identity-posture/okta export different classes");
  try {
    void root.CloudflarePosture;
    throw new Error("CloudflarePosture loaded without its provider");
  } catch (e) {
    console.log((e as Error).message);
  }
  const app = new App();
  const s = oktaStack(app, "okta");
  if (process.argv[2] === "weak") new PolicyRuleSignon(s, "kiosk", { name: "kiosk", policyId: "00p1", sessionLifetime: 0, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
  if (process.argv[2] === "waived") Posture.waive(new PolicyRuleSignon(s, "kiosk", { name: "kiosk", policyId: "00p1", sessionLifetime: 0, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" }), { rule: "OKTA-SES-2", reason: "kiosk re-auths by badge; SEC-123", expires: "2099-12-31" });
  PostureChecks.applyTo(app);
  app.synth();
}
`;

const CLOUDFLARE_APP = `
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider";
import * as root from "identity-posture";
import { CloudflarePosture, LogpushDestination, PostureChecks } from "identity-posture/cloudflare";

function cloudflareStack(app: App, id: string): TerraformStack & { posture: CloudflarePosture } {
  const s = new TerraformStack(app, id);
  new CloudflareProvider(s, "cloudflare", {});
  const secret = (name: string) => new TerraformVariable(s, name, { type: "string", sensitive: true }).stringValue;
  const posture = new root.CloudflarePosture(s, "Posture", {
    accountId: "0123456789abcdef0123456789abcdef",
    identityProvider: { oktaAccount: "https://example.okta.com", clientId: "0oa0000000000000000", clientSecret: secret("oidc") },
    devicePosture: { platforms: { mac: { version: "14.5.0" }, windows: { version: "10.0.22631" } } },
    applications: [{ name: "Internal wiki", domain: "wiki.example.com", oktaGroups: ["Engineering"] }],
    organization: { authDomain: "example.cloudflareaccess.com", autoRedirectToIdentity: true },
    logging: {
      destination: LogpushDestination.splunk({ host: "http-inputs-example.splunkcloud.com", channel: "5f0c3e1e-0000-4000-8000-000000000000", token: secret("hec") }),
      alert: { emails: ["soc@example.com"] },
    },
  });
  return Object.assign(s, { posture });
}

export function compliantApp(): App {
  const app = new App();
  cloudflareStack(app, "cloudflare");
  return app;
}

export function weakStack(): TerraformStack & { rule: string; address: string } {
  const s = cloudflareStack(new App(), "weak");
  const application = s.posture.applications["Internal wiki"].application;
  application.addOverride("session_duration", "24h");
  return Object.assign(s, { rule: "CF-ACC-4", address: \`cloudflare_zero_trust_access_application.\${application.friendlyUniqueId}\` });
}

if (require.main === module) {
  if (root.CloudflarePosture !== CloudflarePosture) throw new Error("the root and identity-posture/cloudflare export different classes");
  try {
    void root.OktaPosture;
    throw new Error("OktaPosture loaded without its provider");
  } catch (e) {
    console.log((e as Error).message);
  }
  const app = new App();
  const s = cloudflareStack(app, "cloudflare");
  if (process.argv[2] === "weak") s.posture.applications["Internal wiki"].application.addOverride("session_duration", "24h");
  PostureChecks.applyTo(app);
  app.synth();
}
`;

/** A compliant Okta tenant as raw resources: what a cdktn user without prebuilt providers writes. */
const RAW_APP = (framework: string) => `
const cdktf = require(${JSON.stringify(framework)});
const { Posture, PostureChecks } = require("identity-posture");
const app = new cdktf.App();
const stack = new cdktf.TerraformStack(app, "okta");
function raw(type, name, body) {
  const r = new cdktf.TerraformResource(stack, name, { terraformResourceType: type });
  for (const [k, v] of Object.entries(body)) r.addOverride(k, v);
  return r;
}
raw("okta_authenticator", "webauthn", { key: "webauthn", name: "webauthn" });
raw("okta_log_stream", "siem", { name: "siem", type: "aws_eventbridge" });
const lifetime = process.argv[2] === "good" ? 600 : 0;
const rule = raw("okta_policy_rule_signon", "session", { name: "session", session_idle: 15, session_lifetime: lifetime, mfa_required: true, mfa_prompt: "ALWAYS" });
if (process.argv[2] === "waived") Posture.waive(rule, { rule: "OKTA-SES-2", reason: "kiosk re-auths by badge; SEC-123", expires: "2099-12-31" });
PostureChecks.applyTo(app);
app.synth();
`;

async function synth(dir: string, script: string, arg: string): Promise<Ran & { out: string }> {
  const out = mkdtempSync(join(tmpdir(), "posture-out-"));
  return { ...(await sh(process.execPath, [script, arg], dir, { CDKTF_OUTDIR: out })), out };
}

/**
 * The installed `posture` binary on each kind of input: the CLI requires each mode's engine, each
 * report format and the configuration loaders only when used, so each of those paths is run from the
 * package as installed (a file left out of the tarball would fail only here).
 */
async function installedCli(dir: string, cdktfOut: string): Promise<void> {
  const posture = join(dir, "node_modules", ".bin", "posture");
  const fixtures = join(ROOT, "__tests__", "fixtures", "review");
  writeFileSync(join(dir, "main.tf"), 'resource "okta_policy_rule_signon" "kiosk" {\n  name = "kiosk"\n  policy_id = "00p1"\n  session_lifetime = 0\n  session_idle = 15\n  mfa_required = true\n  mfa_prompt = "ALWAYS"\n}\n');
  const review = await sh(posture, ["review", join(fixtures, "pr-plan.json"), "--format", "json", "--format", "sarif", "--output", "review.json", "--output", "review.sarif"], dir);
  expect([review.code, review.stderr]).toEqual([1, ""]);
  expect(JSON.parse(readFileSync(join(dir, "review.json"), "utf8")).mode).toBe("review");
  expect(JSON.parse(readFileSync(join(dir, "review.sarif"), "utf8")).version).toBe("2.1.0");
  const drift = await sh(posture, ["drift", join(fixtures, "drift-refresh-only.json"), "--format", "markdown"], dir);
  expect(drift.stdout).toContain("identity-posture drift");
  const hcl = await sh(posture, ["check", "main.tf"], dir);
  expect(hcl.code).toBe(1);
  expect(hcl.stdout).toMatch(/okta_policy_rule_signon\.kiosk {2}main\.tf:1\n {2}error {3}OKTA-SES-2/);
  const synthesized = await sh(posture, ["check", cdktfOut, "--format", "junit"], dir);
  expect([synthesized.code, synthesized.stderr]).toEqual([0, ""]);
  expect(synthesized.stdout).toContain("<testsuites");
}

describe("installed from the packed tarball", () => {
  it.concurrent("an Okta-only project: root and identity-posture/okta imports, every matcher under CommonJS, node16 and bundler resolution, synth verdicts", async () => {
    const dir = await project("okta", ["cdktf@0.21.0", "constructs@^10.4.2", "@cdktf/provider-okta@^14.0.0", "@types/node@^20"], {
      "app.ts": OKTA_APP,
      "matchers.ts": MATCHERS("app"),
      ...TSCONFIGS,
    });
    expect(existsSync(join(dir, "node_modules", "@cdktf", "provider-cloudflare"))).toBe(false);
    await compileEverywhere(dir);
    expect(await ok(process.execPath, ["out-node10/matchers.js"], dir, { CDKTF_OUTDIR: mkdtempSync(join(tmpdir(), "posture-out-")) })).toContain("matchers ok: true");
    const good = await synth(dir, "out-node10/app.js", "good");
    expect(good.stderr).toBe("");
    expect(good.stdout).toContain("identity-posture: CloudflarePosture needs @cdktf/provider-cloudflare, which is not installed: npm install @cdktf/provider-cloudflare");
    expect(good.stdout).toMatch(/^identity-posture: 1 stack, \d+ checks, 0 errors, 0 waived$/m);
    expect(JSON.parse(readFileSync(join(good.out, "posture-report.json"), "utf8")).summary.errors).toBe(0);
    const weak = await synth(dir, "out-node10/app.js", "weak");
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/\[okta\/kiosk\] \[OKTA-SES-2\] session lifetime is 0/);
    const waived = await synth(dir, "out-node10/app.js", "waived");
    expect(waived.code).toBe(0);
    expect(waived.stdout).toMatch(/^identity-posture: 1 stack, \d+ checks, 0 errors, 1 waived$/m);
    await installedCli(dir, good.out);
  }, 300_000);

  it.concurrent("a Cloudflare-only project: root and identity-posture/cloudflare imports, every matcher under each resolution, synth verdicts", async () => {
    const dir = await project("cloudflare", ["cdktf@0.21.0", "constructs@^10.4.2", "@cdktf/provider-cloudflare@^13.0.0", "@types/node@^20"], {
      "app.ts": CLOUDFLARE_APP,
      "matchers.ts": MATCHERS("app"),
      ...TSCONFIGS,
    });
    expect(existsSync(join(dir, "node_modules", "@cdktf", "provider-okta"))).toBe(false);
    await compileEverywhere(dir);
    expect(await ok(process.execPath, ["out-node10/matchers.js"], dir)).toContain("matchers ok: true");
    const good = await synth(dir, "out-node10/app.js", "good");
    expect(good.stderr).toBe("");
    expect(good.stdout).toContain("identity-posture: OktaPosture needs @cdktf/provider-okta, which is not installed: npm install @cdktf/provider-okta");
    expect(good.stdout).toMatch(/^identity-posture: 1 stack, \d+ checks, 0 errors, 0 waived$/m);
    const weak = await synth(dir, "out-node10/app.js", "weak");
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/\[CF-ACC-4\] session duration is 24h/);
  }, 300_000);

  it.concurrent.each([
    ["cdktf aliased to CDK Terrain (npm i cdktf@npm:cdktn@0.24.0)", ["cdktf@npm:cdktn@0.24.0"], "cdktf"],
    ["stacks built by cdktn while identity-posture loads a second framework copy (cdktf 0.21)", ["cdktn@0.24.0", "cdktf@0.21.0"], "cdktn"],
  ])("%s: a weak stack fails synth, a waiver is written and honoured, a good one passes", async (_name, frameworks, framework) => {
    const dir = await project(framework, [...frameworks, "constructs@^10.4.2"], { "app.js": RAW_APP(framework) });
    const weak = await synth(dir, "app.js", "weak");
    expect(weak.code).not.toBe(0);
    expect(weak.stderr).toMatch(/\[okta\/session\] \[OKTA-SES-2\] session lifetime is 0/);
    const waived = await synth(dir, "app.js", "waived");
    expect(waived.stderr).toBe("");
    expect(waived.stdout).toMatch(/^identity-posture: 1 stack, \d+ checks, 0 errors, 1 waived$/m);
    const json = JSON.parse(readFileSync(join(waived.out, "stacks", "okta", "cdk.tf.json"), "utf8"));
    expect(json.resource.okta_policy_rule_signon.session["//"]["identity-posture"].waivers[0].rule).toBe("OKTA-SES-2");
    const good = await synth(dir, "app.js", "good");
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/^identity-posture: 1 stack, \d+ checks, 0 errors, 0 waived$/m);
  }, 300_000);
});
