/**
 * The example org pack (examples/org-pack) end to end: `posture check` with the pack from the config,
 * its threshold and waiver, --only/--skip, a baseline, `posture review` and `posture drift` on plans,
 * synth-time checks and the jest matchers. The CLI runs in-process, where jest can load the pack's
 * TypeScript (the built CLI loads JavaScript packs: see packs.test.ts).
 */
import { GroupRole } from "@cdktf/provider-okta/lib/group-role";
import { GroupRule } from "@cdktf/provider-okta/lib/group-rule";
import { Group } from "@cdktf/provider-okta/lib/group";
import { OktaProvider } from "@cdktf/provider-okta/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../cli/posture";
import { Posture, PostureChecks } from "../../constructs";
import orgRules from "../../examples/org-pack/org-rules";
import { setupPostureMatchers } from "../../testing";
import { plan } from "../review/plan-builder";

setupPostureMatchers(expect);

const PACK_DIR = join(__dirname, "..", "..", "examples", "org-pack");
const CONFIG = join(PACK_DIR, "posture.config.json");
const INFRA = join(PACK_DIR, "infra");

async function posture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTty: false, env: { POSTURE_TODAY: "2026-11-29" } });
  return { code, stdout, stderr };
}

interface JsonOut {
  summary: { errors: number };
  findings: Array<{ ruleId: string; outcome: string; address: string; change?: string; attribute?: string; message: string }>;
  notices: Array<{ level: string; message: string }>;
  selection?: { only?: string[]; skip?: string[] };
  baseline?: { file: string; matched: number; stale: number };
}
const json = (r: { stdout: string }): JsonOut => JSON.parse(r.stdout);
const acme = (j: JsonOut) => j.findings.filter((f) => f.ruleId.startsWith("acme/")).map((f) => `${f.ruleId} ${f.outcome} ${f.address}`);

describe("posture check with the example org pack", () => {
  it("runs the pack from posture.config.json: its threshold override and its waiver apply", async () => {
    const r = await posture(["check", INFRA, "--config", CONFIG, "--format", "json", "--only", "acme/*"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const j = json(r);
    // maxGroups 1 (the regulated tenant's override) fails two top-admin groups; iam_joiners is waived.
    expect(acme(j)).toEqual(["acme/OKTA-ADM-1 fail (scope)", "acme/OKTA-GRP-1 waived okta_group_rule.iam_joiners"]);
    expect(j.findings.find((f) => f.ruleId === "acme/OKTA-ADM-1")?.message).toBe("2 groups hold SUPER_ADMIN or ORG_ADMIN; at most 1 may");
    expect(j.selection).toEqual({ only: ["acme/*"] });
    expect(j.findings.every((f) => f.ruleId.startsWith("acme/"))).toBe(true);
  });

  it("every format carries pack findings: SARIF describes the pack rules, JUnit has a suite per pack rule, Markdown and text show the selection", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-pack-"));
    const out = (f: string) => join(dir, `report.${f}`);
    const formats = ["sarif", "junit", "markdown", "text"];
    const r = await posture(["check", INFRA, "--config", CONFIG, "--only", "acme/*", ...formats.flatMap((f) => ["--format", f, "--output", out(f)])]);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(readFileSync(out("sarif"), "utf8")).runs[0];
    expect(sarif.tool.driver.rules.map((d: { id: string }) => d.id)).toEqual(["acme/OKTA-GRP-1", "acme/OKTA-ADM-1"]);
    const adm = sarif.results.find((x: { ruleId: string }) => x.ruleId === "acme/OKTA-ADM-1");
    expect(sarif.tool.driver.rules[adm.ruleIndex].id).toBe("acme/OKTA-ADM-1");
    expect(sarif.properties.selection).toEqual({ only: ["acme/*"] });
    const junit = readFileSync(out("junit"), "utf8");
    expect(junit).toContain('<testsuite name="acme/OKTA-GRP-1 No group rule assigns people to an admin group" tests="2" failures="0" errors="0" skipped="1"');
    expect(junit).toContain('<testsuite name="acme/OKTA-ADM-1 At most a few groups hold super or org admin" tests="1" failures="1"');
    expect(readFileSync(out("markdown"), "utf8")).toContain(" · only acme/*");
    expect(readFileSync(out("text"), "utf8")).toContain("acme/OKTA-ADM-1 2 groups hold SUPER_ADMIN or ORG_ADMIN; at most 1 may");
  });

  it("reports a pack threshold override weaker than recommended as CONFIG-1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-pack-"));
    const cfg = join(dir, "posture.config.json");
    writeFileSync(cfg, JSON.stringify({ packs: [join(PACK_DIR, "org-rules.ts")], thresholds: { "acme/OKTA-ADM-1": { maxGroups: 3 } } }));
    const j = json(await posture(["check", INFRA, "--config", cfg, "--format", "json", "--only", "acme/*,CONFIG-1"]));
    expect(j.findings.map((f) => `${f.ruleId} ${f.attribute ?? ""}`)).toEqual(["acme/OKTA-GRP-1 group_assignments", "CONFIG-1 thresholds.acme/OKTA-ADM-1.maxGroups"]);
    expect(json(await posture(["check", INFRA, "--config", cfg, "--format", "json", "--only", "acme/*", "--profile", "strict"])).findings.map((f) => f.ruleId)).not.toContain("acme/OKTA-ADM-1");
  });

  it("--skip leaves a pack rule out and the report says so; a glob that names no rule is a usage error", async () => {
    const r = await posture(["check", INFRA, "--config", CONFIG, "--only", "acme/*", "--skip", "acme/OKTA-ADM-1", "--no-color"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rules: only acme\/\*; skipped acme\/OKTA-ADM-1$/m);
    expect(r.stdout).not.toMatch(/OKTA-ADM-1 .*groups hold/);
    const bad = await posture(["check", INFRA, "--config", CONFIG, "--skip", "acme/OKTA-XYZ-*"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--skip acme\/OKTA-XYZ-\*: matches no rule/);
  });

  it("a waiver or threshold naming a pack rule that is not loaded is an error naming the config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-pack-"));
    const cfg = join(dir, "posture.config.json");
    writeFileSync(cfg, JSON.stringify({ thresholds: { "acme/OKTA-ADM-1": { maxGroups: 1 } } }));
    const r = await posture(["check", INFRA, "--config", cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`posture: ${cfg}: thresholds: no rule acme/OKTA-ADM-1 in the catalogue\n`);
  });

  it("posture rules --pack lists and documents the pack's rules", async () => {
    const text = await posture(["rules", "--pack", join(PACK_DIR, "org-rules.ts"), "--only", "acme/*"]);
    expect(text.stdout).toBe("acme/OKTA-GRP-1 error   No group rule assigns people to an admin group\nacme/OKTA-ADM-1 error   At most a few groups hold super or org admin\n");
    const md = (await posture(["rules", "--config", CONFIG, "--only", "acme/*", "--format", "markdown"])).stdout;
    expect(md).toContain("## acme/OKTA-ADM-1");
    expect(md).toContain("| `maxGroups` | 2 | 1 | most groups that may hold SUPER_ADMIN or ORG_ADMIN |");
    const catalogue = JSON.parse((await posture(["rules", "--config", CONFIG, "--format", "json"])).stdout);
    expect(catalogue.rules.find((r: { id: string }) => r.id === "acme/OKTA-GRP-1").pack).toBe(join(PACK_DIR, "org-rules.ts"));
    expect(catalogue.rules.filter((r: { pack?: string }) => r.pack === undefined).length).toBeGreaterThan(30);
  });
});

describe("a baseline on the example configuration", () => {
  function workdir(): string {
    const dir = mkdtempSync(join(tmpdir(), "posture-baseline-"));
    cpSync(INFRA, join(dir, "infra"), { recursive: true });
    return dir;
  }

  it("makes the next check pass, and a new weak resource fail alone; moving a resource to another file keeps it matched", async () => {
    const dir = workdir();
    const baseline = join(dir, "posture-baseline.json");
    const infra = join(dir, "infra");
    // Every rule, built-in and pack: the example fails many built-in controls too.
    const before = await posture(["check", infra, "--config", CONFIG, "--format", "json"]);
    expect(before.code).toBe(1);

    const written = await posture(["check", infra, "--config", CONFIG, "--format", "json", "--write-baseline", baseline]);
    expect(written.code).toBe(0);
    const recorded = JSON.parse(readFileSync(baseline, "utf8"));
    expect(recorded.baselineVersion).toBe(1);
    expect(recorded.findings.length).toBe(json(before).findings.filter((f) => f.outcome === "fail").length);
    expect(recorded.findings).toContainEqual({ rule: "acme/OKTA-ADM-1", address: "(scope)", fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{32}$/) });
    expect(json(written).baseline).toEqual({ file: baseline, matched: recorded.findings.length, stale: 0 });

    const next = await posture(["check", infra, "--config", CONFIG, "--format", "json", "--baseline", baseline]);
    expect(next.code).toBe(0);
    expect(json(next).findings.filter((f) => f.outcome === "fail")).toEqual([]);
    expect(json(next).findings.map((f) => f.outcome)).toEqual(["waived"]);
    // JUnit lists every evaluation: the baselined ones are left out there too.
    const junit = (await posture(["check", infra, "--config", CONFIG, "--format", "junit", "--baseline", baseline])).stdout;
    expect(junit).toMatch(/^<testsuites name="identity-posture check \(recommended\)" tests="\d+" failures="0"/m);
    expect((await posture(["check", infra, "--config", CONFIG, "--format", "junit"])).stdout).not.toMatch(/^<testsuites [^>]* failures="0"/m);

    // Entries of rules that --only leaves out are not stale: their rules did not run.
    const onlyPack = json(await posture(["check", infra, "--config", CONFIG, "--format", "json", "--baseline", baseline, "--only", "acme/*"]));
    expect(onlyPack.baseline).toEqual({ file: baseline, matched: 1, stale: 0 });

    // Move every resource into another file, in another order: nothing new.
    const text = readFileSync(join(infra, "groups.tf"), "utf8");
    rmSync(join(infra, "groups.tf"));
    writeFileSync(join(infra, "z-moved.tf"), text.split("\n\n").reverse().join("\n\n"));
    expect((await posture(["check", infra, "--config", CONFIG, "--baseline", baseline])).code).toBe(0);

    // A new group rule into the super-admin group: the one new finding.
    writeFileSync(
      join(infra, "new.tf"),
      'resource "okta_group_rule" "contractors" {\n  name = "contractors"\n  group_assignments = [okta_group.platform_admins.id]\n  expression_value = "user.userType==\\"Contractor\\""\n}\n',
    );
    const after = await posture(["check", infra, "--config", CONFIG, "--format", "json", "--baseline", baseline]);
    expect(after.code).toBe(1);
    expect(json(after).findings.filter((f) => f.outcome === "fail").map((f) => `${f.ruleId} ${f.address}`)).toEqual(["acme/OKTA-GRP-1 okta_group_rule.contractors"]);
  });

  it("reports stale entries, and a changed failing value as new", async () => {
    const dir = workdir();
    const baseline = join(dir, "posture-baseline.json");
    const infra = join(dir, "infra");
    await posture(["check", infra, "--config", CONFIG, "--only", "acme/*", "--write-baseline", baseline]);
    // A third top-admin group changes OKTA-ADM-1's failing value (2 -> 3): a new finding, and the old entry is stale.
    writeFileSync(join(infra, "third.tf"), 'resource "okta_group_role" "third" {\n  group_id = "00g1third"\n  role_type = "SUPER_ADMIN"\n}\n');
    const r = await posture(["check", infra, "--config", CONFIG, "--only", "acme/*", "--format", "json", "--baseline", baseline]);
    expect(r.code).toBe(1);
    const j = json(r);
    expect(j.findings.filter((f) => f.outcome === "fail").map((f) => f.message)).toEqual(["3 groups hold SUPER_ADMIN or ORG_ADMIN; at most 1 may"]);
    expect(j.notices.filter((n) => n.message.startsWith("stale baseline entry"))).toEqual([
      { level: "warning", message: `stale baseline entry: acme/OKTA-ADM-1 on (scope) no longer fails this way (fixed, or its value changed); rewrite ${baseline} with --write-baseline to drop it` },
    ]);
    expect(j.baseline).toEqual({ file: baseline, matched: 0, stale: 1 });
  });

  it("applies in review and drift too, and a broken baseline is exit 2 naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "posture-baseline-"));
    const baseline = join(dir, "b.json");
    const admins = { group_id: "00g1admins", role_type: "SUPER_ADMIN" };
    const doc = plan([
      { address: "okta_group_role.admins", actions: ["no-op"], before: admins, after: admins },
      { address: "okta_group_rule.old", actions: ["no-op"], before: { name: "old", group_assignments: ["00g1admins"], status: "ACTIVE" }, after: { name: "old", group_assignments: ["00g1admins"], status: "ACTIVE" } },
    ]);
    const file = join(dir, "plan.json");
    writeFileSync(file, JSON.stringify(doc));
    const packArgs = ["--pack", join(PACK_DIR, "org-rules.ts"), "--only", "acme/*"];
    await posture(["check", file, ...packArgs, "--write-baseline", baseline]);
    const review = json(await posture(["review", file, ...packArgs, "--format", "json", "--baseline", baseline]));
    expect(review.findings).toEqual([]);
    expect(review.baseline).toEqual({ file: baseline, matched: 1, stale: 0 });
    const drift = json(await posture(["drift", file, ...packArgs, "--format", "json", "--baseline", baseline]));
    expect(drift.findings).toEqual([]);
    expect(drift.baseline).toEqual({ file: baseline, matched: 1, stale: 0 });
    // Without the baseline the same finding is there.
    expect(json(await posture(["review", file, ...packArgs, "--format", "json", "--fail-on", "any"])).findings.map((f) => f.address)).toEqual(["okta_group_rule.old"]);
    writeFileSync(baseline, "{}");
    const broken = await posture(["review", file, ...packArgs, "--baseline", baseline]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^posture: ${baseline}: is not a baseline of version 1`));
  });
});

describe("posture review and drift with the example org pack", () => {
  const packArgs = ["--pack", join(PACK_DIR, "org-rules.ts"), "--only", "acme/*,DRIFT-1,PLAN-1"];
  const admins = { group_id: "00g1admins", role_type: "SUPER_ADMIN" };
  const rule = (groups: string[]) => ({ name: "eng", group_assignments: groups, expression_value: 'user.department=="Engineering"', status: "ACTIVE" });

  async function planFile(doc: object): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "posture-pack-plan-"));
    writeFileSync(join(dir, "plan.json"), JSON.stringify(doc));
    return join(dir, "plan.json");
  }

  it("labels pack findings new or regression, and lists one fixed when a change removes it", async () => {
    const added = await planFile(
      plan([
        { address: "okta_group_role.admins", actions: ["no-op"], before: admins, after: admins },
        { address: "okta_group_rule.eng", actions: ["update"], before: rule(["00g1eng"]), after: rule(["00g1eng", "00g1admins"]) },
        { address: "okta_group_rule.ops", actions: ["create"], after: rule(["00g1admins"]) },
      ]),
    );
    const r = await posture(["review", added, ...packArgs, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(json(r).findings.map((f) => `${f.ruleId} ${f.change} ${f.address}`)).toEqual(["acme/OKTA-GRP-1 regression okta_group_rule.eng", "acme/OKTA-GRP-1 new okta_group_rule.ops"]);

    const removed = await planFile(
      plan([
        { address: "okta_group_role.admins", actions: ["no-op"], before: admins, after: admins },
        { address: "okta_group_rule.eng", actions: ["update"], before: rule(["00g1admins"]), after: rule(["00g1eng"]) },
      ]),
    );
    const fixed = JSON.parse((await posture(["review", removed, ...packArgs, "--format", "json"])).stdout);
    expect(fixed.fixed.map((f: { ruleId: string; address: string }) => `${f.ruleId} ${f.address}`)).toEqual(["acme/OKTA-GRP-1 okta_group_rule.eng"]);
  });

  it("DRIFT-1 watches the attributes a pack rule reads", async () => {
    const doc = plan([{ address: "okta_group_rule.eng", actions: ["no-op"], before: rule(["00g1eng"]), after: rule(["00g1eng"]) }], {
      drift: [{ address: "okta_group_rule.eng", actions: ["update"], before: rule(["00g1eng"]), after: rule(["00g1eng", "00g1ops"]) }],
    });
    const r = json(await posture(["drift", await planFile(doc), ...packArgs, "--format", "json"]));
    expect(r.findings.map((f) => `${f.ruleId} ${f.attribute} ${f.message}`)).toEqual(["DRIFT-1 group_assignments was changed outside Terraform; acme/OKTA-GRP-1 reads it, so the change skipped code review"]);
  });
});

describe("synth-time checks and matchers with the example org pack", () => {
  function app(waive: boolean) {
    const a = Testing.app();
    const s = new TerraformStack(a, "okta");
    new OktaProvider(s, "okta", { orgName: "example", baseUrl: "okta.com" });
    const admins = new Group(s, "admins", { name: "Platform Admins" });
    new GroupRole(s, "admins-super", { groupId: admins.id, roleType: "SUPER_ADMIN" });
    const r = new GroupRule(s, "eng-to-admins", { name: "eng", groupAssignments: [admins.id], expressionValue: 'user.department=="Engineering"' });
    if (waive) Posture.waive(r, { rule: "acme/OKTA-GRP-1", reason: "joiners approved in Workday; SEC-481", expires: "2099-12-31" });
    PostureChecks.applyTo(a, { packs: [orgRules] });
    return s;
  }

  it("PostureChecks with packs fails synth on the construct that breaks a pack rule, and honours Posture.waive", () => {
    expect(() => Testing.fullSynth(app(false))).toThrow(/\[okta\/eng-to-admins\] \[acme\/OKTA-GRP-1\] adds users to okta_group\.admins, which holds SUPER_ADMIN/);
    expect(() => Testing.fullSynth(app(true))).not.toThrow(/acme\/OKTA-GRP-1/);
  });

  it("the matchers take packs, as objects or module paths", () => {
    const tf = {
      resource: {
        okta_group_role: { a: { group_id: "00g1admins", role_type: "SUPER_ADMIN" } },
        okta_group_rule: { r: { name: "r", group_assignments: ["00g1admins"], expression_value: "true" } },
      },
    };
    expect(tf).toViolate("acme/OKTA-GRP-1", { packs: [orgRules], address: "okta_group_rule.r" });
    expect(tf).toViolate("acme/OKTA-GRP-1", { packs: [join(PACK_DIR, "org-rules.ts")] });
    // Without the pack its rule id is unknown: the matcher refuses it rather than pass vacuously.
    expect(() => expect(tf).not.toViolate("acme/OKTA-GRP-1")).toThrow(/no rule "acme\/OKTA-GRP-1"/);
    expect(tf).not.toBeCompliant({ packs: [orgRules], only: ["acme/OKTA-GRP-1"] });
    expect({ resource: { okta_group_role: tf.resource.okta_group_role } }).toBeCompliant({ packs: [orgRules], only: ["acme/OKTA-GRP-1", "acme/OKTA-ADM-1"] });
  });
});

