/**
 * The opt-in HCL cache (POSTURE_CACHE_DIR): same model with and without it, keyed by content (a
 * changed file is parsed again), corrupt entries are misses, parse errors are not cached, and a
 * directory whose every file is cached never loads the WASM parser.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../engine/errors";
import { loadPaths } from "../../engine/load/load";
import { CLI, ROOT } from "../cli/cli-helpers";

const GROUP = (name: string) => `resource "okta_group" "g" {\n  name = "${name}"\n}\n`;

describe("HCL cache", () => {
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "posture-hcl-"));
    cache = join(dir, ".cache");
    writeFileSync(join(dir, "main.tf"), GROUP("Everyone"));
    writeFileSync(join(dir, "vars.tf"), 'variable "v" {\n  default = "x"\n}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = async (cacheDir?: string) => (await loadPaths([dir], cacheDir ? { cacheDir } : {}))[0].resources;

  it("gives the same model from a cold cache, a warm cache and no cache", async () => {
    const plain = await load();
    expect(await load(cache)).toEqual(plain);
    expect(readdirSync(cache)).toHaveLength(2);
    expect(await load(cache)).toEqual(plain);
  });

  it("keys entries by content: a changed file is parsed again, never read stale", async () => {
    await load(cache);
    writeFileSync(join(dir, "main.tf"), GROUP("Changed"));
    const r = await load(cache);
    expect(r.find((x) => x.address === "okta_group.g")?.values.name).toBe("Changed");
    expect(readdirSync(cache)).toHaveLength(3);
  });

  it("treats a corrupt entry as a miss", async () => {
    await load(cache);
    for (const f of readdirSync(cache)) writeFileSync(join(cache, f), "{ not json");
    expect(await load(cache)).toEqual(await load());
  });

  it("does not cache a file that does not parse", async () => {
    writeFileSync(join(dir, "bad.tf"), 'resource "okta_group" {\n');
    await expect(load(cache)).rejects.toBeInstanceOf(InputError);
    await expect(load(cache)).rejects.toThrow(/bad\.tf:\d+:\d+: HCL does not parse/);
  });

  it("a fully cached directory never loads the HCL parser", () => {
    const run = () => {
      const script = `const m = require(${JSON.stringify(CLI)}); m.run(["check", ${JSON.stringify(dir)}, "--format", "json"], { stdout: () => {}, stderr: (s) => process.stderr.write(s), isTty: false, env: { POSTURE_CACHE_DIR: ${JSON.stringify(cache)}, POSTURE_TODAY: "2026-11-29" } }).then((code) => process.stdout.write(JSON.stringify({ code, hcl: Object.keys(require.cache).some((p) => p.includes("hcl2json")) })));`;
      const r = spawnSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" });
      return JSON.parse(r.stdout) as { code: number; hcl: boolean };
    };
    const cold = run();
    expect(cold.hcl).toBe(true);
    const warm = run();
    expect(warm).toEqual({ code: cold.code, hcl: false });
  });
});
