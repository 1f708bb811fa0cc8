/**
 * HCL-directory mode reads configurations as `terraform plan` would: local modules, instance
 * references, expressions, conditional count and for_each, tfvars and command-line variables,
 * dynamic blocks. Each pattern is a small configuration of its own.
 */
import fc from "fast-check";
import { join } from "node:path";
import { parseArgs } from "../../cli/args";
import type { EvaluationResult } from "../../engine/evaluate/evaluate";
import { loadPaths } from "../../engine/load/load";
import { type LoadedInput, type Resource, UNKNOWN } from "../../engine/model/model";
import { Redactor } from "../../engine/evaluate/redact";
import { checkDirectory as check, load, loadDirectory as loadDir, writeTree as tree } from "../helpers";


const byAddress = (rs: Resource[], address: string): Resource => {
  const r = rs.find((x) => x.address === address);
  if (!r) throw new Error(`${address} not among ${rs.map((x) => x.address).join(", ")}`);
  return r;
};

const outcome = (result: EvaluationResult, ruleId: string, address: string) => result.evaluated.find((e) => e.ruleId === ruleId && e.address === address)?.outcome;

/** The value of `v` on a test resource, for expression tests (HCL as hcl2json writes it). */
function value(expr: unknown, extra: Record<string, unknown> = {}): unknown {
  const rs = load({ ...extra, resource: { okta_group: { t: { v: expr } } } });
  return byAddress(rs, "okta_group.t").values.v;
}

describe("local modules", () => {
  const files = {
    "main.tf": `
module "okta" {
  source   = "./modules/session"
  lifetime = 120
}

module "per_env" {
  source   = "./modules/session"
  for_each = { dev = 60, prd = 30 }
  lifetime = each.value
}

module "counted" {
  source   = "./modules/session"
  count    = 1
  lifetime = 15
}

module "registry" {
  source  = "okta/okta-modules/group"
  version = "1.0.0"
}

resource "okta_group" "named" {
  name = module.okta.policy_name
}
`,
    "modules/session/main.tf": `
variable "lifetime" {
  type    = number
  default = 720
}

resource "okta_policy_signon" "p" {
  name = "policy-\${var.lifetime}"
}

resource "okta_policy_rule_signon" "session" {
  policy_id        = okta_policy_signon.p.id
  name             = "session"
  session_lifetime = var.lifetime
}

module "inner" {
  source = "../inner"
}

output "policy_name" {
  value = okta_policy_signon.p.name
}
`,
    "modules/inner/main.tf": `
resource "okta_group" "admins" {
  name = "admins"
}
`,
  };

  it("evaluates module resources at Terraform's addresses, with the call's arguments, in the module's file and line", async () => {
    const input = await loadDir(tree(files));
    const addresses = input.resources.map((r) => r.address).sort();
    expect(addresses).toEqual(
      [
        "okta_group.named",
        "module.okta.okta_policy_signon.p",
        "module.okta.okta_policy_rule_signon.session",
        "module.okta.module.inner.okta_group.admins",
        'module.per_env["dev"].okta_policy_signon.p',
        'module.per_env["dev"].okta_policy_rule_signon.session',
        'module.per_env["dev"].module.inner.okta_group.admins',
        'module.per_env["prd"].okta_policy_signon.p',
        'module.per_env["prd"].okta_policy_rule_signon.session',
        'module.per_env["prd"].module.inner.okta_group.admins',
        "module.counted[0].okta_policy_signon.p",
        "module.counted[0].okta_policy_rule_signon.session",
        "module.counted[0].module.inner.okta_group.admins",
      ].sort(),
    );
    const session = byAddress(input.resources, "module.okta.okta_policy_rule_signon.session");
    expect(session.values.session_lifetime).toBe(120);
    expect(session.source).toEqual({ file: expect.stringMatching(/modules\/session\/main\.tf$/), line: 11 });
    expect(session.refs.get("policy_id")).toBe("module.okta.okta_policy_signon.p");
    expect(byAddress(input.resources, 'module.per_env["prd"].okta_policy_rule_signon.session').values.session_lifetime).toBe(30);
    expect(byAddress(input.resources, "module.counted[0].okta_policy_rule_signon.session").values.session_lifetime).toBe(15);
    // A module output resolves to what the module's resource writes.
    expect(byAddress(input.resources, "okta_group.named").values.name).toBe("policy-120");
  });

  it("says once per call that a registry or git module is not evaluated, and keeps going", async () => {
    const input = await loadDir(tree(files));
    const notes = input.notes.filter((n) => n.includes("module.registry"));
    expect(notes).toEqual([expect.stringMatching(/main\.tf:19: module\.registry: source "okta\/okta-modules\/group" is not a local path and cannot be fetched/)]);
  });

  it("reports findings on module resources at their module address", async () => {
    const r = await check(tree(files));
    const idle = r.findings.filter((f) => f.ruleId === "OKTA-SES-1");
    expect(idle.map((f) => f.address)).toEqual(expect.arrayContaining(["module.okta.okta_policy_rule_signon.session", 'module.per_env["prd"].okta_policy_rule_signon.session']));
    expect(idle.find((f) => f.address === "module.okta.okta_policy_rule_signon.session")?.source).toEqual({ file: expect.stringMatching(/modules\/session\/main\.tf$/), line: 11 });
  });

  it("refuses a local module source that is not a directory, naming the call", async () => {
    await expect(loadDir(tree({ "main.tf": 'module "m" {\n  source = "./nowhere"\n}\n' }))).rejects.toThrow(/main\.tf:1: module\.m: source "\.\/nowhere" is not a directory/);
  });

  it("refuses a module that calls itself", async () => {
    await expect(loadDir(tree({ "main.tf": 'module "m" {\n  source = "./m"\n}\n', "m/main.tf": 'module "again" {\n  source = "../m"\n}\n' }))).rejects.toThrow(/already calling it/);
  });

  it("gives a module whose for_each is not known one uncertain instance", async () => {
    const input = await loadDir(tree({ "main.tf": 'variable "envs" {}\nmodule "m" {\n  source = "./m"\n  for_each = var.envs\n}\n', "m/main.tf": 'resource "okta_group" "g" {\n  name = "g"\n}\n' }));
    expect(input.resources.map((r) => [r.address, r.conditional])).toEqual([["module.m.okta_group.g", true]]);
  });
});

const ACCESS = `
resource "cloudflare_zero_trust_access_policy" "p" {
  for_each   = { web = "hwk", api = "mfa" }
  account_id = "a"
  name       = each.key
  decision   = "allow"
  include    = [{ email = { email = "ops@example.com" } }]
  require    = [{ auth_method = { auth_method = each.value } }, { device_posture = { integration_uid = "posture" } }]
  session_duration = "1h"
}

resource "cloudflare_zero_trust_access_policy" "counted" {
  count      = 1
  account_id = "a"
  name       = "counted"
  decision   = "allow"
  include    = [{ email = { email = "ops@example.com" } }]
  require    = [{ auth_method = { auth_method = "hwk" } }, { device_posture = { integration_uid = "posture" } }]
  session_duration = "1h"
}
`;

const app = (name: string, policies: string) => `
resource "cloudflare_zero_trust_access_application" "${name}" {
  account_id       = "a"
  name             = "${name}"
  domain           = "${name}.example.com"
  type             = "self_hosted"
  session_duration = "1h"
  policies         = ${policies}
}
`;

describe("instance references", () => {
  it("link an app to the for_each policy instance its key names", async () => {
    const r = await check(tree({ "main.tf": ACCESS + app("web", '[{ id = cloudflare_zero_trust_access_policy.p["web"].id, precedence = 1 }]') + app("api", '[{ id = cloudflare_zero_trust_access_policy.p["api"].id, precedence = 1 }]') }), "strict");
    expect(byAddress(r.input.resources, "cloudflare_zero_trust_access_application.web").refs.get("policies.0.id")).toBe('cloudflare_zero_trust_access_policy.p["web"]');
    expect(outcome(r, "CF-ACC-1", "cloudflare_zero_trust_access_application.web")).toBe("pass");
    expect(outcome(r, "CF-ACC-2", "cloudflare_zero_trust_access_application.web")).toBe("pass");
    // strict accepts only hwk: the api app's policy requires mfa.
    expect(outcome(r, "CF-ACC-2", "cloudflare_zero_trust_access_application.api")).toBe("fail");
    expect(r.findings.find((f) => f.ruleId === "CF-ACC-2" && f.address === "cloudflare_zero_trust_access_application.api")?.message).toMatch(/p\["api"\] requires no hwk/);
  });

  it("link through [0], one(), splats and values()[*]", async () => {
    const r = await check(
      tree({
        "main.tf":
          ACCESS +
          app("indexed", "[{ id = cloudflare_zero_trust_access_policy.counted[0].id }]") +
          app("one", "[{ id = one(cloudflare_zero_trust_access_policy.counted[*].id) }]") +
          app("splat", "[for id in cloudflare_zero_trust_access_policy.counted[*].id : { id = id }]") +
          app("every", "[for id in values(cloudflare_zero_trust_access_policy.p)[*].id : { id = id }]"),
      }),
      "strict",
    );
    for (const a of ["indexed", "one", "splat"]) {
      const res = byAddress(r.input.resources, `cloudflare_zero_trust_access_application.${a}`);
      expect([a, res.refs.get("policies.0.id")]).toEqual([a, "cloudflare_zero_trust_access_policy.counted[0]"]);
      expect([a, outcome(r, "CF-ACC-2", res.address)]).toEqual([a, "pass"]);
    }
    const every = byAddress(r.input.resources, "cloudflare_zero_trust_access_application.every");
    expect([...every.refs.values()]).toEqual(['cloudflare_zero_trust_access_policy.p["api"]', 'cloudflare_zero_trust_access_policy.p["web"]']);
    expect(outcome(r, "CF-ACC-2", every.address)).toBe("fail");
  });
});

describe("expressions", () => {
  const locals = {
    locals: {
      apps: { web: { domain: "a.example.com", tier: 1 }, api: { domain: "b.example.com", tier: 2 } },
      names: ["B", "a", "b"],
      empty: "",
    },
  };
  it.each<[string, unknown, unknown]>([
    ["list for with if", "${[for k, v in local.apps : v.domain if v.tier > 1]}", ["b.example.com"]],
    ["map for", "${{ for k, v in local.apps : upper(k) => v.tier }}", { API: 2, WEB: 1 }],
    ["grouped map for", '${{ for k, v in local.apps : (v.tier > 1 ? "hi" : "lo") => k... }}', { hi: ["api"], lo: ["web"] }],
    ["conditional", '${length(local.names) == 3 ? "three" : "other"}', "three"],
    ["try falls back on a missing key", '${try(local.apps.nope.domain, "fallback")}', "fallback"],
    ["can", "${[can(local.apps.web), can(local.apps.nope)]}", [true, false]],
    ["concat, merge, lookup", '${[concat([1], [2, 3]), merge({ a = 1 }, { b = 2 }), lookup(local.apps.web, "x", "d")]}', [[1, 2, 3], { a: 1, b: 2 }, "d"]],
    ["flatten, coalesce, contains", '${[flatten([[1], [2, [3]]]), coalesce(local.empty, "x"), contains(local.names, "a")]}', [[1, 2, 3], "x", true]],
    ["keys, values, tomap, toset", '${[keys(local.apps), values({ b = 2, a = 1 }), tomap({ a = "x" }), toset(local.names)]}', [["api", "web"], [1, 2], { a: "x" }, ["B", "a", "b"]]],
    ["jsonencode, jsondecode", '${[jsonencode({ b = 1, a = [true] }), jsondecode("{\\"x\\": [1]}")]}', ['{"a":[true],"b":1}', { x: [1] }]],
    ["format, join, split, lower, upper", '${[format("%s-%03d", "x", 7), join(",", local.names), split(",", "a,b"), lower("AB"), upper("ab")]}', ["x-007", "B,a,b", ["a", "b"], "ab", "AB"]],
    ["string templates with arithmetic", "n=${1 + 2 * 3}, ${!false}", "n=7, true"],
  ])("%s", (_name, expr, expected) => {
    expect(value(expr, locals)).toEqual(expected);
  });

  it("reads a variable whose default is null as null", () => {
    expect(value('${coalesce(var.x, "fallback")}', { variable: { x: { default: null } } })).toBe("fallback");
    expect(value("${var.x == null}", { variable: { x: { default: null } } })).toBe(true);
  });

  it("keeps what is not known unknown", () => {
    const vars = { variable: { unset: {} } };
    expect(value("${var.unset == 1 ? 2 : 2}", vars)).toBe(2);
    expect(value("${upper(var.unset)}", vars)).toBe(UNKNOWN);
    expect(value("${[for x in var.unset : x]}", vars)).toBe(UNKNOWN);
    expect(value("${length([var.unset, 1])}", vars)).toBe(2);
    expect(value('${try(var.unset.x, "d")}', vars)).toBe(UNKNOWN);
    expect(value("${file(\"x.json\")}", vars)).toBe(UNKNOWN);
  });

  it("evaluate each and count inside expressions", () => {
    const rs = load({ resource: { okta_group: { g: { for_each: { a: { n: 1 } }, name: "${each.key}-${each.value.n}", tags: "${[for i in range(each.value.n + 1) : i]}" }, c: { count: 2, name: '${format("c%d", count.index)}' } } } });
    expect(byAddress(rs, 'okta_group.g["a"]').values).toMatchObject({ name: "a-1", tags: [0, 1] });
    expect(byAddress(rs, "okta_group.c[1]").values.name).toBe("c1");
  });

  it("judge both branches of a conditional that is not known: a verdict they agree on is the verdict", async () => {
    const pr = JSON.stringify({ possession: { required: true, phishingResistant: "REQUIRED", userVerification: "REQUIRED" } });
    const hw = JSON.stringify({ possession: { required: true, phishingResistant: "REQUIRED", hardwareProtection: "REQUIRED" } });
    const weak = JSON.stringify({ knowledge: { types: ["password"] } });
    const rule = (name: string, a: string, b: string) => `
resource "okta_app_signon_policy_rule" "${name}" {
  policy_id                  = "rst1"
  name                       = "${name}"
  re_authentication_frequency = "PT12H"
  inactivity_period          = "PT15M"
  constraints                = var.strict ? [${JSON.stringify(a)}] : [${JSON.stringify(b)}]
}
`;
    const r = await check(tree({ "main.tf": `variable "strict" {\n  type = bool\n}\n${rule("both_fine", hw, pr)}${rule("one_weak", hw, weak)}${rule("both_weak", weak, weak)}` }));
    expect(outcome(r, "OKTA-APP-1", "okta_app_signon_policy_rule.both_fine")).toBe("pass");
    expect(outcome(r, "OKTA-APP-1", "okta_app_signon_policy_rule.one_weak")).toBe("unknown");
    expect(outcome(r, "OKTA-APP-1", "okta_app_signon_policy_rule.both_weak")).toBe("fail");
  });
});

describe("conditional count and for_each from variables", () => {
  const main = `
variable "env" {
  default = "dev"
}

resource "okta_group" "prd_only" {
  count = var.env == "prd" ? 1 : 0
  name  = "prd"
}

resource "okta_group" "per_zone" {
  for_each = var.env == "prd" ? toset(["a", "b"]) : toset([])
  name     = each.key
}
`;
  const addresses = (input: LoadedInput) => input.resources.map((r) => r.address).sort();

  it("a count of 0 from the variable's default makes no instance", async () => {
    expect(addresses(await loadDir(tree({ "main.tf": main })))).toEqual([]);
  });

  it("reads terraform.tfvars, then *.auto.tfvars(.json) in name order", async () => {
    expect(addresses(await loadDir(tree({ "main.tf": main, "terraform.tfvars": 'env = "prd"\n' })))).toEqual(['okta_group.per_zone["a"]', 'okta_group.per_zone["b"]', "okta_group.prd_only[0]"]);
    expect(addresses(await loadDir(tree({ "main.tf": main, "terraform.tfvars": 'env = "prd"\n', "a.auto.tfvars": 'env = "stg"\n' })))).toEqual([]);
    expect(addresses(await loadDir(tree({ "main.tf": main, "a.auto.tfvars": 'env = "stg"\n', "b.auto.tfvars.json": '{"env": "prd"}' })))).toHaveLength(3);
    expect(addresses(await loadDir(tree({ "main.tf": main, "terraform.tfvars": 'env = "stg"\n', "terraform.tfvars.json": '{"env": "prd"}' })))).toHaveLength(3);
  });

  it("--var and --var-file override the files, in command-line order", async () => {
    const dir = tree({ "main.tf": main, "terraform.tfvars": 'env = "prd"\n', "dev.tfvars": 'env = "dev"\n' });
    expect(addresses(await loadDir(dir, [{ name: "env", value: "dev" }]))).toEqual([]);
    expect(addresses(await loadDir(dir, [{ file: join(dir, "dev.tfvars") }, { name: "env", value: "prd" }]))).toHaveLength(3);
    expect(addresses(await loadDir(dir, [{ name: "env", value: "prd" }, { file: join(dir, "dev.tfvars") }]))).toEqual([]);
  });

  it("a --var for a variable the configuration does not declare is noted, not used", async () => {
    const input = await loadDir(tree({ "main.tf": main }), [{ name: "evn", value: "prd" }]);
    expect(input.notes).toContain("--var evn: the configuration declares no variable evn; the value is not used");
  });

  it("a count whose condition is not known gives one uncertain instance", async () => {
    const input = await loadDir(tree({ "main.tf": main.replace('default = "dev"', "") }));
    expect(input.resources.map((r) => [r.address, r.conditional]).sort()).toEqual([
      ["okta_group.per_zone", true],
      ["okta_group.prd_only", true],
    ]);
  });

  it("parses a --var for a collection variable as HCL, as Terraform does", async () => {
    const dir = tree({ "main.tf": 'variable "zones" {\n  type = list(string)\n}\nresource "okta_group" "z" {\n  for_each = toset(var.zones)\n  name = each.key\n}\n' });
    expect(addresses(await loadDir(dir, [{ name: "zones", value: '["x", "y"]' }]))).toEqual(['okta_group.z["x"]', 'okta_group.z["y"]']);
  });
});

describe("secrets through dynamic blocks, locals and module arguments", () => {
  it("SECRET-1 follows a literal map into dynamic headers", async () => {
    const r = await check(
      tree({
        "main.tf": `
locals {
  headers = { "X-Api-Key" = "a1b2c3d4e5f6a7b8" }
}

resource "okta_event_hook" "h" {
  name   = "h"
  events = ["user.lifecycle.create"]
  auth = {
    type  = "HEADER"
    key   = "Authorization"
    value = var.token
  }
  dynamic "headers" {
    for_each = local.headers
    content {
      key   = headers.key
      value = headers.value
    }
  }
}

variable "token" {
  sensitive = true
}
`,
      }),
    );
    expect(byAddress(r.input.resources, "okta_event_hook.h").values.headers).toEqual([{ key: "X-Api-Key", value: "a1b2c3d4e5f6a7b8" }]);
    expect(outcome(r, "SECRET-1", "okta_event_hook.h")).toBe("fail");
  });

  it("SECRET-1 follows a literal list of headers from a local", async () => {
    const r = await check(
      tree({
        "main.tf": 'locals {\n  headers = [{ key = "X-Api-Key", value = "a1b2c3d4e5f6a7b8" }]\n}\nresource "okta_event_hook" "h" {\n  name = "h"\n  events = ["user.lifecycle.create"]\n  auth = { type = "HEADER", key = "Authorization", value = var.t }\n  headers = local.headers\n}\nvariable "t" {\n  sensitive = true\n}\n',
      }),
    );
    expect(outcome(r, "SECRET-1", "okta_event_hook.h")).toBe("fail");
  });

  it("SECRET-1 follows a literal module argument into the module's resource, and not a sensitive variable", async () => {
    const mod = 'variable "token" {}\nresource "okta_log_stream" "s" {\n  name = "s"\n  type = "splunk_cloud_logstreaming"\n  settings = {\n    host = "x.splunkcloud.com"\n    token = var.token\n  }\n}\n';
    const r = await check(
      tree({
        "main.tf": 'module "lit" {\n  source = "./m"\n  token = "11111111-2222-3333-4444-555555555555"\n}\nvariable "t" {\n  sensitive = true\n}\nmodule "var" {\n  source = "./m"\n  token = var.t\n}\n',
        "m/main.tf": mod,
      }),
    );
    expect(outcome(r, "SECRET-1", "module.lit.okta_log_stream.s")).toBe("fail");
    expect(outcome(r, "SECRET-1", "module.var.okta_log_stream.s")).toBe("pass");
  });
});

describe("what was not judged is said", () => {
  it("names a type the provider does not have, once per declaration", async () => {
    const input = await loadDir(tree({ "main.tf": 'resource "okta_policy_signon_rule" "typo" {\n  count = 2\n  name = "x"\n}\nresource "okta_group" "g" {\n  name = "g"\n}\ndata "cloudflare_nope" "d" {}\n' }));
    expect(input.notes.filter((n) => /has no/.test(n))).toEqual([
      expect.stringMatching(/main\.tf:1: okta_policy_signon_rule\.typo: the okta provider \(v4\.20\.0 to v6\.\d+\.\d+\) has no resource type okta_policy_signon_rule; it is not judged$/),
      expect.stringMatching(/main\.tf:8: data\.cloudflare_nope\.d: the cloudflare provider \(v4\.52\.8 to v5\.14\.0\) has no data source cloudflare_nope; it is not judged$/),
    ]);
  });

  it("tells the user to pass a plan or state JSON that sits in a directory without Terraform files", async () => {
    await expect(loadDir(tree({ "plan.json": "{}" }))).rejects.toThrow(/has no Terraform files .*; to check a plan or state JSON, pass the file itself/);
  });

  it("says when an input has no Okta or Cloudflare resource", async () => {
    const input = await loadDir(tree({ "main.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n' }));
    expect(input.notes).toEqual([expect.stringMatching(/has no Okta or Cloudflare resource; nothing was judged$/)]);
  });
});

describe("robustness", () => {
  it("never throws on arbitrary expression text: it evaluates or reads as unknown", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom("", "[", "{", "(", "for x in ", '"', "a ? ", "x."), (s, prefix) => {
        value(`\${${prefix}${s}}`);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps input-derived keys off Object.prototype", () => {
    const rs = load({
      locals: { m: '${{ for k in ["__proto__", "constructor"] : k => { polluted = true } }}' },
      resource: { okta_group: { g: { for_each: '${merge(local.m, { toString = "x" })}', name: "${each.key}", v: '${jsondecode("{\\"__proto__\\": {\\"polluted\\": true}}")}' } } },
    });
    expect(rs.map((r) => r.address)).toEqual(['okta_group.g["__proto__"]', 'okta_group.g["constructor"]', 'okta_group.g["toString"]']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(rs[0].values.v)).toBe(null);
  });

  it("reads a reference cycle as unknown", () => {
    const rs = load({ resource: { okta_group: { a: { name: "${okta_group.b.name}" }, b: { name: "${okta_group.a.name}" } } }, locals: { x: "${local.y}", y: "${local.x}" } });
    expect(rs.map((r) => r.values.name)).toEqual([UNKNOWN, UNKNOWN]);
  });
});

describe("--var and --var-file on the command line", () => {
  it("are parsed in order, for check only", () => {
    const args = parseArgs(["check", "infra", "--var", "env=prd", "--var-file", "prd.tfvars", "--var", "json={\"a\" = 1}"]);
    expect(args !== "help" && args !== "version" && args.variables).toEqual([{ name: "env", value: "prd" }, { file: "prd.tfvars" }, { name: "json", value: '{"a" = 1}' }]);
    expect(() => parseArgs(["check", "infra", "--var", "novalue"])).toThrow(/--var must be NAME=VALUE/);
    expect(() => parseArgs(["review", "plan.json", "--var", "a=b"])).toThrow(/a plan already holds its variables' values/);
  });

  it("are refused when no path is a configuration", async () => {
    const dir = tree({ "plan.json": '{"format_version": "1.2", "planned_values": {}}' });
    await expect(loadPaths([join(dir, "plan.json")], { variables: [{ name: "a", value: "b" }] })).rejects.toThrow(/none of the paths is one/);
  });
});

describe("variable type constraints", () => {
  it("fill optional() attributes with their defaults, as Terraform does, in tfvars and module arguments", async () => {
    const dir = tree({
      "main.tf": `
variable "rules" {
  type = list(object({
    name    = string
    idle    = optional(number, 15)
    persist = optional(bool)
  }))
}

module "m" {
  source = "./m"
  rule   = { name = "from-module" }
}

resource "okta_policy_rule_signon" "r" {
  for_each           = { for r in var.rules : r.name => r }
  policy_id          = "p"
  name               = each.key
  session_idle       = each.value.idle
  session_persistent = each.value.persist
}
`,
      "terraform.tfvars": 'rules = [{ name = "default-idle" }, { name = "set", idle = "60" }]\n',
      "m/main.tf": 'variable "rule" {\n  type = object({ name = string, idle = optional(number, 20) })\n}\nresource "okta_policy_rule_signon" "r" {\n  policy_id = "p"\n  name = var.rule.name\n  session_idle = var.rule.idle\n}\n',
    });
    const input = await loadDir(dir);
    expect(byAddress(input.resources, 'okta_policy_rule_signon.r["default-idle"]').values).toMatchObject({ session_idle: 15, session_persistent: null });
    expect(byAddress(input.resources, 'okta_policy_rule_signon.r["set"]').values.session_idle).toBe(60);
    expect(byAddress(input.resources, "module.m.okta_policy_rule_signon.r").values.session_idle).toBe(20);
  });
});

describe("secrets in branches", () => {
  it("are redacted though only a branch of a conditional holds them", () => {
    const [r] = load({
      variable: { prod: { type: "bool" }, token: { sensitive: true, default: "s3cr3t-token-value-0001" } },
      resource: { okta_log_stream: { s: { name: "s", type: "splunk_cloud_logstreaming", settings: { host: "h", token: '${var.prod ? var.token : "placeholder-value"}' } } } },
    });
    expect(r.variants?.map((v) => (v.settings as Record<string, unknown>).token)).toEqual(["s3cr3t-token-value-0001", "placeholder-value"]);
    expect(new Redactor().addResources([r]).text("x s3cr3t-token-value-0001 y")).toBe("x (sensitive) y");
  });
});
