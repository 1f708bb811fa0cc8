/**
 * A rule pack that lives outside any node_modules (/etc/posture/org-rules.js beside the Docker image's
 * /app, or beside a global install) still gets `require("identity-posture/rules")`: while a pack loads,
 * `identity-posture` and its subpaths resolve to the running package. And a TypeScript pack under plain
 * Node gets the one-line hint, whatever error Node would have given.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPack } from "../../engine/evaluate/packs";
import { InputError } from "../../engine/errors";
import { CLI, posture, ROOT } from "./cli-helpers";

const CONFIG = join(ROOT, "examples", "okta-cloudflare");

/** A directory outside the repository, with no node_modules above it. */
function outside(file: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "posture-pack-"));
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

const PACK = `
const { defineRule, definePack, pass, fail } = require("identity-posture/rules");
const root = require("identity-posture");
if (typeof root.OktaPosture !== "function") throw new Error("identity-posture did not resolve to the package");
module.exports = definePack({
  name: "org",
  rules: [
    defineRule({
      id: "org/GRP-1",
      kind: "resource",
      severity: "error",
      title: "Group rules are named",
      rationale: "A test rule.",
      references: [],
      passes: "every okta_group_rule has a name",
      provider: "okta",
      resourceTypes: ["okta_group_rule"],
      reads: ["name"],
      evaluate: (r) => (typeof r.values.name === "string" ? pass() : fail("name", r.values.name, "no name")),
    }),
  ],
});
`;

describe("a rule pack outside any node_modules", () => {
  it("resolves identity-posture and identity-posture/rules to the running package", () => {
    const r = posture(["rules", "--pack", outside("org-rules.js", PACK), "--only", "org/*"], { cwd: tmpdir() });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^org\/GRP-1 +error +Group rules are named\n$/);
    expect(posture(["check", CONFIG, "--pack", outside("org-rules.js", PACK), "--only", "org/*"], { cwd: tmpdir() }).code).toBe(0);
  });

  it("still resolves other modules normally, and names the pack when one is missing", () => {
    const r = posture(["rules", "--pack", outside("org-rules.js", 'require("no-such-module-for-posture");')], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/org-rules\.js: rule pack failed to load: Cannot find module 'no-such-module-for-posture'/);
  });

  it("leaves module resolution as it was after loading a pack, whether it loaded or threw", () => {
    const before = (Module as unknown as { _resolveFilename: unknown })._resolveFilename;
    expect(() => loadPack(outside("throws.js", 'throw new Error("boom");'))).toThrow(InputError);
    expect((Module as unknown as { _resolveFilename: unknown })._resolveFilename).toBe(before);
  });
});

describe("a TypeScript pack under plain Node", () => {
  it.each([
    ["annotated", "org-rules.ts", "const rules: unknown[] = [];\nexport default { name: \"ts\", rules };\n"],
    ["without annotations (Node 20.19+ would load it as an ES module)", "org-rules.ts", 'import { definePack } from "identity-posture/rules";\nexport default definePack({ name: "ts", rules: [] });\n'],
    [".mts", "org-rules.mts", "export default { name: \"ts\", rules: [] };\n"],
    [".cts", "org-rules.cts", "module.exports = { name: \"ts\", rules: [] };\n"],
  ])("%s: gets the one-line hint and exit 2", (_what, file, text) => {
    const path = outside(file, text);
    const r = spawnSync(process.execPath, [CLI, "rules", "--pack", path], { cwd: tmpdir(), encoding: "utf8", env: { PATH: process.env.PATH } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`posture: ${path}: is TypeScript, which this Node cannot load: compile the pack to JavaScript (tsc), or run posture under tsx (npx tsx node_modules/.bin/posture ...)\n`);
  });
});
