import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../engine/errors";
import { loadPath } from "../../engine/load/load";
import { mirrorPaths, moduleResources, sensitiveVariableValues } from "../../engine/load/load-plan";
import { planChanges, relevantEntries } from "../../engine/review/plan-models";
import { addressKind, isUnknown, UNKNOWN } from "../../engine/model/model";
import { plannedResources, stateResources } from "../../engine/load/load-plan";
import { checkPlanShape } from "../../engine/load/plan-shape";
import { parseJson, readText } from "../../engine/load/read-input";
import { read } from "../../engine/model/view";
import { load } from "../helpers";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { reviewPlan } from "../../engine/review/review";
import { CATALOGUE } from "../../policies";

const FIXTURES = join(__dirname, "..", "fixtures");
const tmp = () => mkdtempSync(join(tmpdir(), "posture-load-"));

function write(dir: string, name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function refused(path: string): Promise<string> {
  try {
    await loadPath(path);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error(`${path} was not refused`);
}

describe("Terraform JSON configuration", () => {
  it("gives addresses with count and for_each keys, and drops count = 0", () => {
    const rs = load({
      variable: { zones: { default: ["b", "a"] } },
      resource: {
        okta_network_zone: { z: { for_each: "${toset(var.zones)}", name: "${each.key}" }, m: { for_each: { x: { u: "BLOCKLIST" } }, usage: "${each.value.u}" } },
        okta_group: { g: { count: 2, name: "g-${count.index}" }, none: { count: 0, name: "never" } },
      },
    });
    expect(rs.map((r) => r.address)).toEqual(['okta_network_zone.z["a"]', 'okta_network_zone.z["b"]', 'okta_network_zone.m["x"]', "okta_group.g[0]", "okta_group.g[1]"]);
    expect(rs.find((r) => r.address === 'okta_network_zone.z["a"]')?.values.name).toBe("a");
    expect(rs.find((r) => r.address === 'okta_network_zone.m["x"]')?.values.usage).toBe("BLOCKLIST");
    expect(rs.find((r) => r.address === "okta_group.g[1]")?.values.name).toBe("g-1");
  });

  it("marks a resource under an unknown count as conditional", () => {
    const [r] = load({ variable: { on: {} }, resource: { okta_log_stream: { s: { count: "${var.on ? 1 : 0}", name: "s" } } } });
    expect(r.address).toBe("okta_log_stream.s");
    expect(r.conditional).toBe(true);
  });

  it("reads cdktf's construct path, in-code waivers and the line of each resource", () => {
    const tf = {
      resource: {
        okta_policy_rule_signon: {
          rule_ABC123: {
            "//": { metadata: { path: "okta/GlobalSession/rule", uniqueId: "rule_ABC123" }, "identity-posture": { waivers: [{ rule: "OKTA-SES-2", reason: "vendor integration needs it", expires: "2027-01-31", owner: "platform" }] } },
            name: "r",
            policy_id: "p",
          },
        },
      },
    };
    const [r] = load(tf, "cdk.tf.json");
    expect(r.constructPath).toBe("okta/GlobalSession/rule");
    expect(r.waivers).toEqual([{ rule: "OKTA-SES-2", reason: "vendor integration needs it", expires: "2027-01-31", owner: "platform", origin: "code" }]);
    expect(r.source).toEqual({ file: "cdk.tf.json", line: 4 });
    expect(r.values["//"]).toBeUndefined();
  });

  it("refuses an in-code waiver without a real reason", () => {
    const tf = { resource: { okta_group: { g: { "//": { "identity-posture": { waivers: [{ rule: "OKTA-SES-2", reason: "short", expires: "2027-01-31" }] } } } } } };
    expect(() => load(tf)).toThrow(/reason.*at least 10/);
  });

  it("makes dynamic blocks over unknown collections unknown, and notes modules it cannot fetch", async () => {
    const dir = tmp();
    write(dir, "main.tf.json", JSON.stringify({ module: { okta: { source: "okta/okta-modules/x" } }, resource: { okta_policy_rule_signon: { r: { dynamic: { platform_include: [{ for_each: "${var.p}" }] } } } } }));
    const input = await loadPath(dir);
    expect(isUnknown(input.resources[0].values.platform_include)).toBe(true);
    expect(input.notes).toEqual([expect.stringMatching(/main\.tf\.json:1: module\.okta: source "okta\/okta-modules\/x" is not a local path and cannot be fetched/)]);
  });

  it("reads provider blocks as provider resources", () => {
    const [p] = load({ provider: { okta: [{ org_name: "x" }, { alias: "other", org_name: "y" }] } });
    expect(p).toMatchObject({ address: "provider.okta", mode: "provider", type: "provider.okta" });
    expect(load({ provider: { okta: [{ org_name: "x" }, { alias: "other", org_name: "y" }] } })[1].address).toBe("provider.okta.other");
  });

  it("refuses duplicate resources as Terraform does", () => {
    expect(() => load({ resource: [{ okta_group: { g: {} } }, { okta_group: { g: {} } }] })).toThrow(/duplicate resource okta_group\.g/);
  });

  it("maps v4 Cloudflare names to v5 kinds and keeps the written type", () => {
    const [r] = load({ resource: { cloudflare_access_application: { a: { name: "a" } } } });
    expect(r).toMatchObject({ type: "cloudflare_access_application", kind: "cloudflare_zero_trust_access_application", address: "cloudflare_access_application.a" });
  });
});

describe("HCL directories", () => {
  it("parse every .tf file, resolve across files and know each resource's line", async () => {
    const dir = tmp();
    write(dir, "vars.tf", 'variable "idle" {\n  default = 15\n}\nlocals {\n  life = 600\n}\n');
    write(dir, "main.tf", '# comment\n\nresource "okta_policy_rule_signon" "r" {\n  name             = "r"\n  session_idle     = var.idle\n  session_lifetime = local.life\n}\n');
    write(dir, "README.md", "not terraform");
    const input = await loadPath(dir);
    expect(input.kind).toBe("config");
    const [r] = input.resources;
    expect(r.values).toMatchObject({ session_idle: 15, session_lifetime: 600 });
    expect(r.source).toEqual({ file: join(dir, "main.tf"), line: 3 });
  });

  it("names the file and line of an HCL syntax error", async () => {
    const dir = tmp();
    const f = write(dir, "bad.tf", 'resource "okta_group" "g" {\n  name = "x"\n');
    expect(await refused(f)).toMatch(new RegExp(`^${f}:\\d+:\\d+: HCL does not parse: Unclosed configuration block$`));
  });

  it("refuses a directory with no Terraform", async () => {
    const dir = tmp();
    write(dir, "notes.txt", "hello");
    expect(await refused(dir)).toBe(`${dir}: has no Terraform files (*.tf, *.tf.json) and no cdktf manifest.json`);
  });

  it("does not follow symlinks out of the tree", async () => {
    const outside = tmp();
    write(outside, "secret.tf", 'resource "okta_group" "g" {}\n');
    const dir = tmp();
    symlinkSync(join(outside, "secret.tf"), join(dir, "linked.tf"));
    expect(await refused(dir)).toMatch(/has no Terraform files/);
  });
});

describe("cdktf.out directories", () => {
  it("evaluate every stack of the manifest", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "stacks", "okta"), { recursive: true });
    mkdirSync(join(dir, "stacks", "cloudflare"), { recursive: true });
    write(dir, "manifest.json", JSON.stringify({ version: "0.21.0", stacks: { okta: { synthesizedStackPath: "stacks/okta/cdk.tf.json" }, cloudflare: { synthesizedStackPath: "stacks/cloudflare/cdk.tf.json" } } }));
    write(join(dir, "stacks", "okta"), "cdk.tf.json", JSON.stringify({ resource: { okta_log_stream: { s: { "//": { metadata: { path: "okta/LogStream/stream" } }, name: "s" } } } }, null, 2));
    write(join(dir, "stacks", "cloudflare"), "cdk.tf.json", JSON.stringify({ resource: { cloudflare_logpush_job: { j: { dataset: "audit_logs" } } } }, null, 2));
    const input = await loadPath(dir);
    expect(input.resources.map((r) => [r.address, r.constructPath, r.source?.file])).toEqual([
      ["cloudflare_logpush_job.j", undefined, join(dir, "stacks/cloudflare/cdk.tf.json")],
      ["okta_log_stream.s", "okta/LogStream/stream", join(dir, "stacks/okta/cdk.tf.json")],
    ]);
  });
});

const planDoc = {
  format_version: "1.2",
  variables: { token: { value: "planted-variable-secret" } },
  planned_values: {
    root_module: {
      resources: [{ address: "okta_policy_rule_signon.r", mode: "managed", type: "okta_policy_rule_signon", name: "r", values: { name: "r", session_lifetime: 600 }, sensitive_values: {} }],
      child_modules: [
        {
          address: "module.sec",
          resources: [{ address: 'module.sec.okta_log_stream.s["splunk"]', mode: "managed", type: "okta_log_stream", name: "s", index: "splunk", values: { name: "s", settings: [{ token: "planted-plan-secret" }] }, sensitive_values: { settings: [{ token: true }] } }],
        },
      ],
    },
  },
  resource_changes: [
    { address: "okta_policy_rule_signon.r", mode: "managed", type: "okta_policy_rule_signon", name: "r", change: { actions: ["create"], before: null, after: { name: "r", session_lifetime: 600 }, after_unknown: { id: true, session_idle: true } } },
    { address: "aws_instance.web", mode: "managed", type: "aws_instance", name: "web", change: { actions: ["create"], before: null, after: {}, after_unknown: {} } },
  ],
  configuration: { root_module: { variables: { token: { sensitive: true } } } },
};

describe("plan and state JSON", () => {
  it("read planned values with after_unknown as unknown and *_sensitive as sensitive, modules and keys included", async () => {
    const dir = tmp();
    const input = await loadPath(write(dir, "plan.json", JSON.stringify(planDoc)));
    expect(input.kind).toBe("plan");
    expect(input.resources.map((r) => r.address)).toEqual(["okta_policy_rule_signon.r", 'module.sec.okta_log_stream.s["splunk"]']);
    const [rule, stream] = input.resources;
    expect(read(rule, "session_idle").state).toBe("unknown");
    expect(read(rule, "session_lifetime")).toMatchObject({ state: "known", value: 600 });
    expect(stream.sensitive.has("settings.token")).toBe(true);
    expect(input.secrets).toEqual(["planted-variable-secret"]);
    expect(input.notes[0]).toMatch(/planned values were evaluated/);
  });

  it("read state JSON", async () => {
    const dir = tmp();
    const state = { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: planDoc.planned_values.root_module } };
    const input = await loadPath(write(dir, "state.json", JSON.stringify(state)));
    expect(input.kind).toBe("state");
    expect(input.resources).toHaveLength(2);
  });

  it("parse real `terraform show -json` output", () => {
    const file = join(FIXTURES, "real", "terraform-data-plan.json");
    const doc = parseJson(readText(file), file) as Record<string, any>;
    expect([...moduleResources(doc.planned_values.root_module)].map((r) => r.address)).toEqual(["terraform_data.a", "terraform_data.b[0]", "terraform_data.b[1]"]);
    const unknown: string[] = [];
    mirrorPaths(doc.resource_changes[1].change.after_unknown, (p) => unknown.push(p));
    expect(unknown.sort()).toEqual(["id", "input", "output"]);
    expect(sensitiveVariableValues(doc, file)).toEqual(["planted-sensitive-variable-value"]);
  });

  it("refuses format_version 2.0, and names the version", async () => {
    expect(await refused(write(tmp(), "p.json", JSON.stringify({ ...planDoc, format_version: "2.0" })))).toMatch(/format_version 2\.0 is not supported/);
  });

  it("refuses a raw state file", async () => {
    expect(await refused(write(tmp(), "terraform.tfstate.json", JSON.stringify({ version: 4, terraform_version: "1.11.4", resources: [] })))).toMatch(/raw Terraform state file/);
  });
});

describe("relevantEntries", () => {
  it("keeps objects with an address whose type (written, else read from the address) is Okta's or Cloudflare's", () => {
    const keep = [
      { address: "okta_group.g", type: "okta_group" },
      { address: "module.m[\"k\"].data.cloudflare_zone.z", change: {} },
      { address: "okta_user.u", type: 7 },
      { address: "x", type: "provider.okta" },
    ];
    const drop = [null, 3, "okta_group.g", [{ address: "okta_group.g" }], { type: "okta_group" }, { address: "aws_s3_bucket.b", type: "aws_s3_bucket" }, { address: "okta_group.g", type: "aws_s3_bucket" }, { address: 5, type: "okta_group" }];
    expect(relevantEntries([drop[0], keep[0], ...drop.slice(1, 4), keep[1], keep[2], ...drop.slice(4), keep[3]])).toEqual(keep);
    expect(relevantEntries({ 0: keep[0] })).toEqual([]);
    // Every entry planChanges reads is kept: an address whose name segment is odd still names its type.
    const odd = [{ address: "data.okta_group.[0]", change: { actions: ["read"] } }, { address: "okta_group.", type: 1, change: { actions: ["create"] } }];
    expect(relevantEntries(odd)).toEqual(odd);
    expect(planChanges(relevantEntries(odd), "p.json")).toEqual(planChanges(odd, "p.json"));
    expect(planChanges(odd, "p.json").map((c) => c.type)).toEqual(["okta_group", "okta_group"]);
  });
});

describe("addressKind: one reading of an address for every reader of plans", () => {
  it.each([
    ["okta_group.g", { mode: "managed", type: "okta_group", name: "g" }],
    ['module.a["x.y"].module.b[0].data.okta_group.g["k"]', { mode: "data", type: "okta_group", name: "g" }],
    ["data.okta_group.[0]", { mode: "data", type: "okta_group", name: "" }],
    ["okta_group", { mode: "managed", type: "", name: "" }],
  ])("%s", (address, kind) => expect(addressKind(address)).toEqual(kind));

  it("a plan without planned_values models the entries planChanges reads, odd addresses too", () => {
    const doc = { format_version: "1.2", resource_changes: [{ address: "data.okta_group.[0]", change: { actions: ["read"], after: { name: "g" } } }] };
    expect(planChanges(doc.resource_changes, "p.json").map((c) => c.address)).toEqual(["data.okta_group.[0]"]);
    expect(plannedResources(doc, "p.json").map((r) => [r.address, r.type, r.mode])).toEqual([["data.okta_group.[0]", "okta_group", "data"]]);
  });

  it("an entry of planned_values or a state without `type` is modelled, and shape-checked, by the type its address names", () => {
    const plan = { format_version: "1.2", planned_values: { root_module: { resources: [{ address: "okta_group.g", values: { name: "g" } }, { address: "aws_s3_bucket.b", values: {} }] } } };
    expect(plannedResources(plan, "p.json").map((r) => [r.address, r.type])).toEqual([["okta_group.g", "okta_group"]]);
    const state = { format_version: "1.0", values: { root_module: { resources: [{ address: "okta_group.g", values: { name: "g" } }] } } };
    expect(stateResources(state, "s.json").map((r) => r.type)).toEqual(["okta_group"]);
    const broken = { format_version: "1.2", planned_values: { root_module: { resources: [{ address: "okta_group.g", values: "oops" }] } } };
    expect(() => checkPlanShape(broken, "p.json")).toThrow("planned_values.root_module.resources[0].values");
  });
});

describe("malformed input", () => {
  it("truncated JSON", async () => {
    const f = write(tmp(), "cut.json", JSON.stringify(planDoc).slice(0, 200));
    expect(await refused(f)).toBe(`${f}: is not valid JSON: it ends too early (truncated?)`);
  });

  it("a JSON syntax error names line and column, not the text", async () => {
    const f = write(tmp(), "bad.json", '{\n  "resource": {\n    "okta_group": { "g": { "name": "super-secret" ,, } }\n  }\n}');
    const msg = await refused(f);
    expect(msg).toMatch(new RegExp(`^${f}:3:\\d+: is not valid JSON$`));
    expect(msg).not.toContain("super-secret");
  });

  it("a binary file", async () => {
    expect(await refused(write(tmp(), "x.json", Buffer.from([0x7b, 0x00, 0x01, 0xff])))).toMatch(/binary file/);
  });

  it("a plan with a NUL byte anywhere is a binary file, where the plan reader skips as where it reads", async () => {
    for (const where of ["aws_s3_bucket", "okta_group"]) {
      const plan = JSON.stringify({
        format_version: "1.2",
        resource_changes: ["aws_s3_bucket", "okta_group"].map((type) => ({ address: `${type}.x`, type, change: { actions: ["create"], after: { name: type === where ? "NUL" : "x" } } })),
      });
      const f = write(tmp(), "plan.json", Buffer.from(plan.replace("NUL", "a\u0000b")));
      expect(await refused(f)).toBe(`${f}: is a binary file, not Terraform configuration, plan or state`);
    }
  });

  it("JSON that is not Terraform", async () => {
    expect(await refused(write(tmp(), "package.json", '{"name": "x"}'))).toMatch(/not Terraform configuration, plan or state/);
  });

  it("text that is neither JSON nor HCL by name", async () => {
    expect(await refused(write(tmp(), "main.hcl", 'resource "a" "b" {}'))).toMatch(/neither JSON nor a \.tf file/);
  });

  it("JSON nested too deep", async () => {
    const deep = `{"resource": {"okta_group": {"g": {"name": ${"[".repeat(5000)}${"]".repeat(5000)}}}}}`;
    expect(await refused(write(tmp(), "deep.tf.json", deep))).toMatch(/nests JSON deeper than 256/);
    const deepPlan = JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: [{ address: "okta_group.g", type: "okta_group", name: "g", values: {} }] } } }).replace('"values":{}', `"values":{"name":${"[".repeat(5000)}${"]".repeat(5000)}}`);
    expect(await refused(write(tmp(), "deep-plan.json", deepPlan))).toMatch(/nests JSON deeper than 256/);
  });

  it("JSON nested too deep is refused where it is evaluated, and named by the declaration that reads it", async () => {
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    const viaLocal = `{"locals": {"l": ${deep(5000)}}, "resource": {"okta_group": {"g": {"name": "g", "description": "\${local.l}"}}}}`;
    expect(await refused(write(tmp(), "local.tf.json", viaLocal))).toMatch(/local\.tf\.json:1: nests JSON deeper than 256 levels$/);
    // A dynamic block's for_each that nests dynamic blocks: every level counts, none starts afresh.
    let forEach = "[]";
    for (let i = 0; i < 3000; i++) forEach = `{"dynamic": {"d": {"for_each": ${forEach}, "content": {}}}}`;
    const viaDynamic = `{"resource": {"okta_group": {"g": {"name": "g", "dynamic": {"x": {"for_each": ${forEach}, "content": {}}}}}}}`;
    expect(await refused(write(tmp(), "dynamic.tf.json", viaDynamic))).toMatch(/nests JSON deeper than 256 levels$/);
  });

  it("JSON nested too deep is refused where evaluation skips it but the model keeps it (a key or a dynamic block not known before apply)", async () => {
    const deep = "[".repeat(20000) + "]".repeat(20000);
    const variables = `"variable": {"t": {"sensitive": true, "default": "supersecretvalue"}, "k": {}}`;
    const underKey = `{${variables}, "resource": {"okta_group": {"g": {"name": "g", "description": "\${var.t}", "profile": {"\${var.k}": ${deep}}}}}}`;
    const inDynamic = `{${variables}, "resource": {"okta_group": {"g": {"name": "g", "description": "\${var.t}", "profile": {"dynamic": {"x": {"for_each": "\${var.k}", "content": ${deep}}}}}}}}`;
    for (const [name, text] of [["key.tf.json", underKey], ["dynamic.tf.json", inDynamic]]) {
      expect(await refused(write(tmp(), name, text))).toMatch(/\.tf\.json:1: nests JSON deeper than 256 levels$/);
    }
  });

  it("a deep value nothing evaluates (another provider's resource no one refers to) is not walked, as in a plan", async () => {
    const f = write(tmp(), "aws.tf.json", `{"resource": {"aws_s3_bucket": {"b": {"tags": ${"[".repeat(5000)}${"]".repeat(5000)}}}, "okta_group": {"g": {"name": "g"}}}}`);
    expect((await loadPath(f)).resources.map((r) => r.address)).toEqual(["okta_group.g"]);
  });

  // The loader's shape check refuses a deep mirror first; a plan judged without it (the run-task
  // server's reviewPlan) meets load-plan's mirrorPaths, which bounds its own walk: same limit, same message.
  it.each(["after_unknown", "after_sensitive", "sensitive_values"])("a %s mirror nested too deep, and one at the limit", async (mirror) => {
    const planWith = (levels: number): Record<string, unknown> => {
      const nested = `${"[".repeat(levels)}true${"]".repeat(levels)}`;
      const resource = { address: "okta_group.g", mode: "managed", type: "okta_group", name: "g", values: { name: "g" }, sensitive_values: {} as unknown };
      const change = { address: "okta_group.g", mode: "managed", type: "okta_group", name: "g", change: { actions: ["create"], before: null, after: { name: "g" }, after_unknown: {} as unknown, after_sensitive: {} as unknown } };
      if (mirror === "sensitive_values") resource.sensitive_values = { name: "MARK" };
      else (change.change as Record<string, unknown>)[mirror] = { name: "MARK" };
      return JSON.parse(JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: [resource] } }, resource_changes: [change] }).replace('"MARK"', nested));
    };
    const opts = { rules: CATALOGUE, profile: "recommended" as const, config: EMPTY_CONFIG, unknown: "warn" as const, today: "2026-11-29" };
    expect(() => reviewPlan(planWith(300), "plan.json", opts)).toThrow(new InputError("plan.json", "nests JSON deeper than 256 levels"));
    expect(reviewPlan(planWith(254), "plan.json", opts).models.map((r) => r.address)).toEqual(["okta_group.g"]);
    const f = write(tmp(), "deep-mirror.json", JSON.stringify(planWith(300)));
    expect(await refused(f)).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*${mirror}.* nests deeper than 256 levels$`));
  });

  it("a missing path", async () => {
    expect(await refused("/nonexistent/plan.json")).toBe("/nonexistent/plan.json: no such file or directory");
  });

  it("UTF-8 with BOM and UTF-16 with BOM are read", async () => {
    const body = JSON.stringify({ resource: { okta_group: { g: { name: "é" } } } });
    const dir = tmp();
    const utf8 = await loadPath(write(dir, "a.tf.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)])));
    const utf16 = await loadPath(write(dir, "b.tf.json", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, "utf16le")])));
    expect(utf8.resources[0].values.name).toBe("é");
    expect(utf16.resources[0].values.name).toBe("é");
  });
});

it("UNKNOWN is a unique marker", () => {
  expect(isUnknown(UNKNOWN)).toBe(true);
  expect(isUnknown("unknown")).toBe(false);
});
