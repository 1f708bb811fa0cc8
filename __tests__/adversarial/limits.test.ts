/**
 * Issue 10.4 and 10.11: one documented limit on the resource instances an input expands (count,
 * for_each and module instances together; a cdktf.out's stacks share it), and one on the size of a
 * .tf file. Past either, exit 2 at once, before anything past the limit is built or parsed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigModule } from "../../engine/load/load-config";
import { jsonLineLocator } from "../../engine/load/line-locators";
import { InstanceBudget, MAX_HCL_FILE_BYTES, MAX_INSTANCES_PER_INPUT } from "../../engine/load/limits";
import { cli, scratch, writeJson } from "./harness";

const TIME_LIMIT = 20_000;

describe("instances per input", () => {
  it("is 100,000", () => expect(MAX_INSTANCES_PER_INPUT).toBe(100_000));

  it(
    "200 resources with count = 10000 are refused, naming the one past the limit",
    async () => {
      const users = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`u${i}`, { count: 10000, login: "x" }]));
      const f = writeJson(scratch(), "main.tf.json", JSON.stringify({ resource: { okta_user: users } }, null, 1));
      const r = await cli(["check", f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^posture: .*main\.tf\.json:\d+: okta_user\.u10's count of 10000 takes the input past 100,000 resource instances \(count, for_each and module instances together\)/);
    },
    TIME_LIMIT,
  );

  it.each([
    ["a list", (n: number) => Array.from({ length: n }, (_, i) => `k${i}`)],
    ["a map", (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))],
  ])(
    "for_each over %s of 100,001 keys is refused",
    async (_what, keys) => {
      const f = writeJson(scratch(), "main.tf.json", { resource: { okta_user: { u: { for_each: keys(100_001), login: "x" } } } });
      const r = await cli(["check", f]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/okta_user\.u's for_each of 100001 takes the input past 100,000 resource instances/);
    },
    TIME_LIMIT,
  );

  it.each([1e15, "99999999999999999999", 2 ** 53])("count = %s is refused without allocating", async (count) => {
    const f = writeJson(scratch(), "main.tf.json", { resource: { okta_user: { u: { count, login: "x" } } } });
    const r = await cli(["check", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/takes the input past 100,000 resource instances/);
  });

  it(
    "the stacks of one cdktf.out share the limit",
    async () => {
      const d = scratch();
      const stacks: Record<string, unknown> = {};
      for (const s of ["a", "b"]) {
        mkdirSync(join(d, "stacks", s), { recursive: true });
        writeFileSync(join(d, "stacks", s, "cdk.tf.json"), JSON.stringify({ resource: { okta_user: { u: { count: 60_000, login: "x" } } } }));
        stacks[s] = { name: s, synthesizedStackPath: `stacks/${s}/cdk.tf.json` };
      }
      writeJson(d, "manifest.json", { version: "0.21.0", stacks });
      const r = await cli(["check", d]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/stacks\/b\/cdk\.tf\.json.*okta_user\.u's count of 60000 takes the input past 100,000/);
    },
    TIME_LIMIT,
  );

  it("the boundary: count, for_each and single resources add up", () => {
    const doc = { resource: { okta_user: { a: { count: 5, login: "x" }, b: { for_each: ["p", "q", "r"], login: "x" }, c: { login: "x" } } } };
    const load = (max: number) => {
      const mod = new ConfigModule();
      mod.add(doc, "m.tf.json", jsonLineLocator(JSON.stringify(doc)));
      return mod.resources(new Map(), new InstanceBudget(max));
    };
    expect(load(9)).toHaveLength(9);
    expect(() => load(8)).toThrow(/okta_user\.c's single instance of 1 takes the input past 8 resource instances/);
  });
});

describe("HCL size per file", () => {
  it("is 1 MiB", () => expect(MAX_HCL_FILE_BYTES).toBe(1024 * 1024));

  it(
    "a 50 MB heredoc is refused before parsing",
    async () => {
      const d = scratch();
      const body = ("x".repeat(99) + "\n").repeat(500_000);
      writeFileSync(join(d, "main.tf"), `resource "okta_user" "u" {\n  login = "x"\n  description = <<EOT\n${body}EOT\n}\n`);
      const r = await cli(["check", d]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/main\.tf: is 500000\d\d bytes of HCL, over the 1048576 bytes \(1 MiB\) identity-posture parses per \.tf file; split it, or give its JSON form \(\*\.tf\.json\)\n$/);
    },
    TIME_LIMIT,
  );

  it("a .tf file given by name is bounded too; JSON of the same size is not", async () => {
    const d = scratch();
    const pad = "#".repeat(MAX_HCL_FILE_BYTES);
    writeFileSync(join(d, "big.tf"), `${pad}\nresource "okta_user" "u" {}\n`);
    expect((await cli(["check", join(d, "big.tf")])).code).toBe(2);
    const json = writeJson(d, "big.tf.json", { resource: { okta_user: { u: { login: "x", description: pad } } } });
    const r = await cli(["check", json]);
    expect(r.stderr).toBe("");
    expect(r.code).not.toBe(2);
  });
});
