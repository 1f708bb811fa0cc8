/**
 * Every resource carries the unit it was declared in (a cdktf stack, a configuration file or
 * directory, a plan or state file), and cross-resource links resolve only within that unit: a dev
 * and a prod stack with the same logical ids must not lend each other their Access policies.
 */
import { CATALOGUE } from "../../policies";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { evaluate, type EvaluateOptions } from "../../engine/evaluate/evaluate";
import { loadJsonDocument, loadPath } from "../../engine/load/load";
import type { Resource } from "../../engine/model/model";
import { afterOf, beforeOf, planChanges, priorResources } from "../../engine/review/plan-models";
import { Scope } from "../../engine/model/scope";

const tmp = () => mkdtempSync(join(tmpdir(), "posture-units-"));
const OPTS: EvaluateOptions = { rules: CATALOGUE, profile: "recommended", config: EMPTY_CONFIG, unknown: "warn", today: "2026-11-29" };
const FIXTURES = join(__dirname, "..", "fixtures", "access");

const POLICY = "cloudflare_zero_trust_access_policy";
const APP = "cloudflare_zero_trust_access_application";
const posture = { device_posture: { integration_uid: "posture-rule" } };
const hwk = { auth_method: { auth_method: "hwk" } };

/** One cdktf stack: an app linked to its policy, with the same logical ids in every stack. */
function stack(stage: string, require: object[]): object {
  return {
    resource: {
      [POLICY]: { Posture_allow_1A2B3C4D: { "//": { metadata: { path: `${stage}/Posture/allow` } }, account_id: "a", name: "allow", decision: "allow", include: [{ group: { id: "staff" } }], require } },
      [APP]: {
        Posture_app_5E6F7A8B: {
          "//": { metadata: { path: `${stage}/Posture/app` } },
          account_id: "a",
          name: "app",
          domain: `app.${stage}.example.com`,
          session_duration: "1h",
          policies: [{ id: `\${${POLICY}.Posture_allow_1A2B3C4D.id}`, precedence: 1 }],
        },
      },
      // v4: a legacy policy names its app through application_id.
      cloudflare_access_application: { legacy: { "//": { metadata: { path: `${stage}/legacy` } }, name: "legacy", domain: `legacy.${stage}.example.com`, session_duration: "1h" } },
      cloudflare_access_policy: {
        legacy: { "//": { metadata: { path: `${stage}/legacy-policy` } }, application_id: "${cloudflare_access_application.legacy.id}", name: "legacy", decision: "allow", include: [{ email: ["a@example.com"] }], require: [{ device_posture: ["id1"], auth_method: "hwk" }], session_duration: "1h" },
      },
    },
  };
}

function cdktfOut(stacks: Record<string, object>): string {
  const dir = tmp();
  const manifest: Record<string, object> = {};
  for (const [name, doc] of Object.entries(stacks)) {
    mkdirSync(join(dir, "stacks", name), { recursive: true });
    writeFileSync(join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(doc, null, 2));
    manifest[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
  }
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: manifest }));
  return dir;
}

/** The verdicts of `ruleId`, keyed by construct path (addresses repeat across stacks). */
async function byConstruct(dir: string, ruleId: string): Promise<Record<string, string>> {
  const resources = (await loadPath(dir)).resources;
  const result = evaluate(resources, OPTS);
  const out: Record<string, string> = {};
  const failing = new Map(result.findings.filter((f) => f.ruleId === ruleId).map((f) => [f.constructPath, f.outcome]));
  for (const r of resources) {
    if (!r.constructPath || !(r.kind === APP)) continue;
    const judged = result.evaluated.some((e) => e.ruleId === ruleId && e.address === r.address);
    out[r.constructPath] = failing.get(r.constructPath) ?? (judged ? "pass" : "not judged");
  }
  return out;
}

describe("the unit a resource was declared in", () => {
  it("is the stack file for cdktf.out, so two stacks with the same logical ids stay apart", async () => {
    const dir = cdktfOut({ dev: stack("dev", [posture, hwk]), prod: stack("prod", [hwk]) });
    const input = await loadPath(dir);
    const units = new Set(input.resources.map((r) => r.unit));
    expect(units).toEqual(new Set([join(dir, "stacks/dev/cdk.tf.json"), join(dir, "stacks/prod/cdk.tf.json")]));
    for (const r of input.resources) expect(r.unit).toBe(r.source?.file);
  });

  it("is the file for a single configuration file, and the directory for a directory of them", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "a.tf.json"), JSON.stringify({ resource: { okta_group: { g: { name: "g" } } } }));
    writeFileSync(join(dir, "b.tf.json"), JSON.stringify({ resource: { okta_group: { h: { name: "h" } } } }));
    expect((await loadPath(join(dir, "a.tf.json"))).resources.map((r) => r.unit)).toEqual([join(dir, "a.tf.json")]);
    expect((await loadPath(dir)).resources.map((r) => r.unit)).toEqual([dir, dir]);
  });

  it("is the plan or state file for plans, states and the review and drift models", async () => {
    for (const name of ["v5-plan.json", "v5-state.json", "v4-plan.json", "v4-state.json"]) {
      const file = join(FIXTURES, name);
      const input = await loadPath(file);
      expect(input.resources.length).toBeGreaterThan(0);
      for (const r of input.resources) expect(r.unit).toBe(file);
    }
    const file = join(FIXTURES, "v5-plan.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    const changes = planChanges(doc.resource_changes, file);
    const models: Array<Resource | undefined> = [...priorResources(doc, file, changes), ...changes.flatMap((c) => [beforeOf(c, file), afterOf(c, file, "plan")])];
    for (const r of models) expect(r?.unit).toBe(file);
  });
});

describe("links resolve within the unit", () => {
  it("Scope.byAddress finds the resource of the unit asked for", () => {
    const r = (unit: string, name: string): Resource => ({ address: `${POLICY}.p`, type: POLICY, kind: POLICY, name, mode: "managed", origin: "config", values: { name }, sensitive: new Set(), refs: new Map(), waivers: [], unit });
    const scope = new Scope([r("dev.json", "dev"), r("prod.json", "prod")]);
    expect(scope.byAddress(`${POLICY}.p`, "prod.json")?.name).toBe("prod");
    expect(scope.byAddress(`${POLICY}.p`, "dev.json")?.name).toBe("dev");
    expect(scope.byAddress(`${POLICY}.p`, "other.json")).toBeUndefined();
  });

  it("cdktf.out: prod's app is judged against prod's policy, not dev's (CF-ACC-1, CF-ACC-2)", async () => {
    const dir = cdktfOut({ dev: stack("dev", [posture, hwk]), prod: stack("prod", [hwk]) });
    expect(await byConstruct(dir, "CF-ACC-1")).toEqual({ "dev/Posture/app": "pass", "prod/Posture/app": "fail", "dev/legacy": "pass", "prod/legacy": "pass" });
    const weakDev = cdktfOut({ dev: stack("dev", [posture]), prod: stack("prod", [posture, hwk]) });
    expect(await byConstruct(weakDev, "CF-ACC-2")).toEqual({ "dev/Posture/app": "fail", "prod/Posture/app": "pass", "dev/legacy": "pass", "prod/legacy": "pass" });
  });

  it("cdktf.out: a v4 policy's application_id links only to the app of its own stack", async () => {
    const prod = stack("prod", [posture, hwk]) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    // prod's legacy app has no policy of its own; dev's must not guard it.
    delete prod.resource.cloudflare_access_policy;
    const dir = cdktfOut({ dev: stack("dev", [posture, hwk]), prod });
    expect(await byConstruct(dir, "CF-ACC-1")).toMatchObject({ "dev/legacy": "pass", "prod/legacy": "fail" });
  });

  it("two inputs of one run (two plan files) with the same addresses keep their own links", () => {
    const file = join(FIXTURES, "v5-state.json");
    const text = readFileSync(file, "utf8");
    const good = loadJsonDocument(JSON.parse(text), text, "good/state.json").resources;
    const doc = JSON.parse(text);
    // In the second state, the admin app links to the weak policy's id.
    const admin = doc.values.root_module.resources.find((r: { address: string }) => r.address === `${APP}.admin`);
    const weakId = doc.values.root_module.resources.find((r: { address: string }) => r.address === `${POLICY}.weak`).values.id;
    admin.values.policies[0].id = weakId;
    const bad = loadJsonDocument(doc, JSON.stringify(doc), "bad/state.json").resources;
    const result = evaluate([...good, ...bad], OPTS);
    const adminFindings = result.findings.filter((f) => f.ruleId === "CF-ACC-1" && f.address === `${APP}.admin`);
    expect(adminFindings.map((f) => [f.source?.file, f.outcome])).toEqual([["bad/state.json", "fail"]]);
  });
});
