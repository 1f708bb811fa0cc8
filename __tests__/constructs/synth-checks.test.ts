/**
 * The synth-time checks as a synth runs them: the summary line and the report, checks that cannot fail
 * open (a second copy of cdktf built the stacks, stacks added after applyTo, no stack at all), and the
 * root entry point loading a provider family only when it is used.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PolicyRuleSignon } from "@cdktf/provider-okta/lib/policy-rule-signon";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { App, TerraformStack, Testing } from "cdktf";
import { run } from "../../cli/posture";
import { GlobalSessionPolicy, OktaSystemLogStream, Posture, PostureChecks, PhishingResistantAuthenticators, SYNTH_REPORT } from "../../constructs";
import { PROVIDER_FAMILIES } from "../../constructs/families";
import { stableJson } from "../../constructs/stack-model";

const ROOT = join(__dirname, "..", "..");
const GROUPS = ["00g0000000000000000"];
const WAIVER = { reason: "accepted in SEC-42 for the migration", expires: "2099-12-31" };
const STREAM = { destination: { kind: "eventbridge" as const, accountId: "123456789012", region: "us-east-1", eventSourceName: "okta" } };

const made: string[] = [];
const outdir = () => {
  const dir = mkdtempSync(join(tmpdir(), "posture-synth-"));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Captures what the checks print while `fn` runs. */
function printed(fn: () => void): { out: string; error?: Error } {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  try {
    fn();
    return { out: chunks.join("") };
  } catch (e) {
    return { out: chunks.join(""), error: e as Error };
  } finally {
    spy.mockRestore();
  }
}

/** An Okta stack that passes every Okta rule in scope, with a raw sign-on rule of the given lifetime. */
function oktaStack(app: App, id: string, lifetime = 720): { stack: TerraformStack; raw: PolicyRuleSignon } {
  const stack = new TerraformStack(app, id);
  new OktaProvider(stack, "okta", { orgName: "example", baseUrl: "okta.com" });
  new PhishingResistantAuthenticators(stack, "Authenticators");
  new GlobalSessionPolicy(stack, "GlobalSession", { groupsIncluded: GROUPS });
  new OktaSystemLogStream(stack, "LogStream", STREAM);
  const raw = new PolicyRuleSignon(stack, "raw-rule", { name: "raw", policyId: "00p1", sessionLifetime: lifetime, sessionIdle: 15, mfaRequired: true, mfaPrompt: "ALWAYS" });
  return { stack, raw };
}

async function cliReport(dir: string, today: string): Promise<string> {
  let out = "";
  const code = await run(["check", dir, "--format", "json"], { stdout: (s) => (out += s), stderr: () => undefined, isTty: false, env: { POSTURE_TODAY: today } });
  expect(code).toBeLessThan(2);
  return out;
}

describe("the synth report and summary", () => {
  it("the reference app's synth prints its summary line and writes the report that `posture check` gives", async () => {
    const dir = outdir();
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "main.ts"], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: dir }, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^identity-posture: 2 stacks, \d+ checks, 0 errors, 0 waived$/m);
    expect(r.stdout.match(/^identity-posture:/gm)).toHaveLength(1);
    const report = readFileSync(join(dir, SYNTH_REPORT), "utf8");
    expect(report).toBe(await cliReport(dir, new Date().toISOString().slice(0, 10)));
    expect(JSON.parse(report).summary).toMatchObject({ errors: 0, passed: Number(/(\d+) checks/.exec(r.stdout)?.[1]) });
  }, 120_000);

  it("judging resource rules per stack and scope rules once gives the report `posture check` gives, findings and waivers included", async () => {
    const dir = outdir();
    // As the cdktf CLI runs an app: error annotations do not stop synth (each stack reads this when it is created).
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    let result: ReturnType<typeof printed>;
    let a: ReturnType<typeof oktaStack>;
    try {
      const app = new App({ outdir: dir });
      a = oktaStack(app, "a", 0);
      const b = oktaStack(app, "b", 0);
      Posture.waive(b.raw, { rule: "OKTA-SES-2", ...WAIVER });
      b.stack.node.tryRemoveChild("LogStream");
      PostureChecks.applyTo(app, { today: "2026-12-01" });
      result = printed(() => app.synth());
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    }
    expect(result.error).toBeUndefined();
    expect(result.out).toMatch(/^identity-posture: 2 stacks, \d+ checks, 1 error, 1 waived\n$/);
    const report = readFileSync(join(dir, SYNTH_REPORT), "utf8");
    expect(report).toBe(await cliReport(dir, "2026-12-01"));
    const findings = JSON.parse(report).findings as Array<{ ruleId: string; outcome: string; file: string; line: number }>;
    expect(findings.filter((f) => f.ruleId === "OKTA-SES-2").map((f) => [f.outcome, f.file])).toEqual([
      ["fail", join(dir, "stacks/a/cdk.tf.json")],
      ["waived", join(dir, "stacks/b/cdk.tf.json")],
    ]);
    // The check writes a stack's text out only for a finding's line: each one points at its resource's name key.
    for (const f of findings.filter((x) => x.ruleId === "OKTA-SES-2")) {
      expect(readFileSync(f.file, "utf8").split("\n")[f.line - 1]).toMatch(/^\s*"raw-rule": \{$/);
    }
    expect(a.raw.node.metadata.filter((m) => m.type === "@cdktf/error").map((m) => m.data)).toEqual([expect.stringMatching(/^\[OKTA-SES-2\] session lifetime is 0/)]);
  });

  it("a plain app.synth() that stops at a stack with errors still says so and leaves a report of the stacks checked", () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    oktaStack(app, "a", 0);
    oktaStack(app, "b");
    PostureChecks.applyTo(app);
    const { out, error } = printed(() => app.synth());
    expect(error?.message).toMatch(/\[a\/raw-rule\] \[OKTA-SES-2\] session lifetime is 0/);
    expect(out).toMatch(/^identity-posture: 1 of 2 stacks, \d+ checks, 1 error, 0 waived \(synth stopped at stack a\)\n$/);
    expect(JSON.parse(readFileSync(join(dir, SYNTH_REPORT), "utf8")).summary.errors).toBe(1);
  });

  it("writes cdk.tf.json's bytes, so report lines point into the file", () => {
    const app = Testing.app();
    const { stack } = oktaStack(app, "okta");
    const dir = Testing.fullSynth(stack);
    expect(stableJson(stack.toTerraform())).toBe(readFileSync(join(dir, "stacks/okta/cdk.tf.json"), "utf8"));
  });

  it("the reference cdktf.json turns off the stack trace recorded with each error annotation", () => {
    const context = JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")).context;
    const traces = (ctx: Record<string, unknown>) => {
      const app = new App({ outdir: outdir(), context: ctx });
      const { raw } = oktaStack(app, "a", 0);
      PostureChecks.applyTo(app, { summary: false });
      expect(() => app.synth()).toThrow(/\[OKTA-SES-2\]/);
      return raw.node.metadata.filter((m) => m.type === "@cdktf/error").map((m) => (m.trace ?? []).length);
    };
    expect(traces({})[0]).toBeGreaterThan(5);
    expect(traces(context)).toEqual([0]);
  });

  it("options turn the report and the summary off", () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    oktaStack(app, "a");
    PostureChecks.applyTo(app, { report: false, summary: false });
    const { out, error } = printed(() => app.synth());
    expect(error).toBeUndefined();
    expect(out).toBe("");
    expect(existsSync(join(dir, SYNTH_REPORT))).toBe(false);
  });
});

describe("one serialisation per stack per synth", () => {
  it("cdktf writes the JSON the check judged, without resolving the stack a second time", () => {
    const app = new App({ outdir: outdir() });
    const { stack } = oktaStack(app, "a");
    PostureChecks.applyTo(app, { summary: false });
    const real = jest.spyOn(TerraformStack.prototype, "toTerraform");
    try {
      app.synth();
      expect(real).toHaveBeenCalledTimes(1);
      // Nothing is shared past that synth: the stack serialises afresh.
      stack.addOverride("terraform.required_version", ">= 1.5");
      expect(JSON.stringify(stack.toTerraform())).toContain('"required_version":">= 1.5"');
      expect(real).toHaveBeenCalledTimes(2);
    } finally {
      real.mockRestore();
    }
  });

  it("a synth that failed, then a fix, then a synth in the same tick judges the fixed stack", () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    const { stack, raw } = oktaStack(app, "a", 0);
    PostureChecks.applyTo(app, { summary: false });
    expect(() => app.synth()).toThrow(/\[OKTA-SES-2\]/);
    raw.sessionLifetime = 720;
    expect(JSON.stringify(stack.toTerraform())).toContain('"session_lifetime":720');
    // cdktf keeps the first synth's error annotation on the construct, so this synth throws again, but
    // the check judged the fixed JSON:
    expect(() => app.synth()).toThrow();
    expect(JSON.parse(readFileSync(join(dir, SYNTH_REPORT), "utf8")).summary.errors).toBe(0);
  });

  it("reuses a stack's verdicts when its JSON has not changed since the last synth, and judges it again when it has", () => {
    const evaluate = require("../../engine/evaluate/evaluate") as typeof import("../../engine/evaluate/evaluate");
    const app = new App({ outdir: outdir() });
    const { raw } = oktaStack(app, "a");
    PostureChecks.applyTo(app, { summary: false });
    const judge = jest.spyOn(evaluate, "judge");
    try {
      app.synth();
      const first = judge.mock.calls.length;
      app.synth();
      expect(judge.mock.calls.length - first).toBe(1); // the scope rules only
      raw.sessionLifetime = 0;
      expect(() => app.synth()).toThrow(/\[OKTA-SES-2\]/);
      expect(judge.mock.calls.length - first).toBe(3);
    } finally {
      judge.mockRestore();
    }
  });
});

describe("checks that cannot fail open", () => {
  it("stacks built by a second copy of cdktf (whose aspects cdktf's copy never sees) still fail synth, and waivers still reach the JSON", () => {
    let other: typeof import("cdktf") | undefined;
    jest.isolateModules(() => {
      other = require("cdktf");
    });
    const cdktf = other as typeof import("cdktf");
    expect(cdktf.App).not.toBe(App);
    const dir = outdir();
    const app = new cdktf.App({ outdir: dir });
    const stack = new cdktf.TerraformStack(app, "okta");
    const rule = new cdktf.TerraformResource(stack, "raw-rule", { terraformResourceType: "okta_policy_rule_signon" });
    rule.addOverride("name", "raw");
    rule.addOverride("session_lifetime", 0);
    const waived = new cdktf.TerraformResource(stack, "kiosk-rule", { terraformResourceType: "okta_policy_rule_signon" });
    waived.addOverride("name", "kiosk");
    waived.addOverride("session_lifetime", 0);
    Posture.waive(waived, { rule: "OKTA-SES-2", ...WAIVER });
    PostureChecks.applyTo(app, { report: false });
    const { out, error } = printed(() => app.synth());
    expect(error?.message).toMatch(/\[okta\/raw-rule\] \[OKTA-SES-2\] session lifetime is 0/);
    expect(out).toMatch(/^identity-posture: 1 stack, \d+ checks, \d+ errors, 1 waived\n$/);
    expect(JSON.stringify(waived.toTerraform())).toContain('"identity-posture":{"waivers":[{"rule":"OKTA-SES-2"');
  });

  it("checks stacks added after applyTo: a weak one fails synth, a good one passes with its summary", () => {
    const weak = new App({ outdir: outdir() });
    PostureChecks.applyTo(weak);
    oktaStack(weak, "late", 0);
    expect(printed(() => weak.synth()).error?.message).toMatch(/\[late\/raw-rule\] \[OKTA-SES-2\] session lifetime is 0/);

    const good = new App({ outdir: outdir() });
    oktaStack(good, "first");
    PostureChecks.applyTo(good);
    oktaStack(good, "second", 0);
    // Found while the first stack was checked, so checked as its own stack: its error is on its construct.
    const { error, out } = printed(() => good.synth());
    expect(error?.message).toMatch(/\[second\/raw-rule\] \[OKTA-SES-2\]/);
    expect(out).toMatch(/^identity-posture: 2 stacks, \d+ checks, 1 error, 0 waived\n$/);

    const later = new App({ outdir: outdir() });
    PostureChecks.applyTo(later);
    oktaStack(later, "only");
    const ok = printed(() => later.synth());
    expect(ok.error).toBeUndefined();
    expect(ok.out).toMatch(/^identity-posture: 1 stack, \d+ checks, 0 errors, 0 waived\n$/);
  });

  it("fails synth when it checked no stack", () => {
    const app = new App({ outdir: outdir() });
    PostureChecks.applyTo(app);
    expect(() => app.synth()).toThrow(/identity-posture: PostureChecks checked no stack/);
  });

  it("applied to one stack, checks that stack and still ends the synth once", () => {
    const app = new App({ outdir: outdir() });
    const { stack } = oktaStack(app, "a", 0);
    oktaStack(app, "b");
    PostureChecks.applyTo(stack);
    const { error, out } = printed(() => app.synth());
    expect(error?.message).toMatch(/\[a\/raw-rule\] \[OKTA-SES-2\]/);
    expect(out).toMatch(/^identity-posture: 1 stack, \d+ checks, 1 error, 0 waived\n$/);
  });

  it("refuses an app whose validations are skipped", () => {
    const app = new App({ outdir: outdir(), skipValidation: true });
    expect(() => PostureChecks.applyTo(app)).toThrow(/skipValidation: true, so cdktf would never run the checks/);
  });
});

describe("the root entry point", () => {
  it("lists exactly the run-time exports of each provider family", () => {
    expect([...PROVIDER_FAMILIES.okta.names].sort()).toEqual(Object.keys(require("../../constructs/okta")).filter((k) => !["PostureChecks", "Posture"].includes(k)).sort());
    expect([...PROVIDER_FAMILIES.cloudflare.names].sort()).toEqual(Object.keys(require("../../constructs/cloudflare")).filter((k) => !["PostureChecks", "Posture"].includes(k)).sort());
  });

  it("names every family export for ES modules too (Node reads a CommonJS module's exports from its text)", () => {
    const names = [...PROVIDER_FAMILIES.okta.names, ...PROVIDER_FAMILIES.cloudflare.names, "PostureChecks", "Posture"];
    const url = require("node:url").pathToFileURL(join(ROOT, "dist", "index.js")).href;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", `import { ${names.join(", ")} } from ${JSON.stringify(url)}; console.log([${names.join(", ")}].map((x) => typeof x).join(" "));`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(names.map(() => "function").join(" "));
  });

  it.each([
    ["@cdktf/provider-cloudflare", "OktaPosture", "CloudflarePosture"],
    ["@cdktf/provider-okta", "CloudflarePosture", "OktaPosture"],
  ])("loads without %s until one of its constructs is used, then names the package to install", (missing, present, absent) => {
    // A require hook that hides one provider package, as in an install without it.
    const script = `
      const Module = require("node:module");
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === ${JSON.stringify(missing)} || request.startsWith(${JSON.stringify(missing + "/")})) {
          const e = new Error("Cannot find module '" + request + "'"); e.code = "MODULE_NOT_FOUND"; throw e;
        }
        return resolve.call(this, request, ...rest);
      };
      const ip = require(${JSON.stringify(join(ROOT, "dist"))});
      console.log(typeof ip.PostureChecks, typeof ip.${present});
      try { ip.${absent}; } catch (e) { console.log(e.message); }`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const [types, message] = r.stdout.trim().split("\n");
    expect(types).toBe("function function");
    expect(message).toBe(`identity-posture: ${absent} needs ${missing}, which is not installed: npm install ${missing} (or import from identity-posture/${missing.endsWith("okta") ? "cloudflare" : "okta"} if you use only the other provider)`);
  });
});
