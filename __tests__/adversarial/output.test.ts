/**
 * Issue 10.8: --output naming a directory, a missing folder, or one file twice is refused (exit 2)
 * before anything is written and leaves no temporary file; --output through a symlink writes through
 * it; a closed stdout (`posture ... | head`) ends quietly.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CLI } from "../cli/cli-helpers";
import { cli, scratch, writeJson } from "./harness";

const session = { resource: { okta_policy_rule_signon: { r: { name: "s", session_idle: 120 } } } };

function setup() {
  const d = scratch();
  const input = writeJson(d, "main.tf.json", session);
  mkdirSync(join(d, "out"));
  return { d, input, out: join(d, "out") };
}

describe("--output is checked before anything is written", () => {
  it.each([
    ["a directory second", (o: string) => [join(o, "r.json"), o], (o: string) => `${o}: is a directory; --output takes a file name`],
    ["a directory first", (o: string) => [o, join(o, "r.json")], (o: string) => `${o}: is a directory; --output takes a file name`],
    ["the same path twice", (o: string) => [join(o, "r.json"), join(o, "r.json")], (o: string) => `${join(o, "r.json")}: is named twice; give each --format its own --output`],
    ["one file by two names", (o: string) => (symlinkSync(o, `${o}-link`), [join(o, "r.json"), join(`${o}-link`, "r.json")]), (o: string) => `is the same file as ${join(o, "r.json")}`],
    ["a missing folder", (o: string) => [join(o, "r.json"), join(o, "nope", "r.sarif")], () => "cannot be written: its folder does not exist"],
  ])("%s", async (_what, outputs, message) => {
    const { input, out } = setup();
    const [a, b] = outputs(out);
    const r = await cli(["check", input, "--format", "json", "--output", a, "--format", "sarif", "--output", b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message(out));
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(readdirSync(out)).toEqual([]);
  });

  it("through a symlink: the file it points at is written, the link stays", async () => {
    const { d, input, out } = setup();
    writeFileSync(join(out, "real.json"), "old");
    symlinkSync(join(out, "real.json"), join(d, "link.json"));
    const r = await cli(["check", input, "--format", "json", "--output", join(d, "link.json")]);
    expect(r.code).toBe(1);
    expect(lstatSync(join(d, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(out, "real.json"), "utf8")).reportVersion).toBe(1);
    expect(readdirSync(out)).toEqual(["real.json"]);
  });

  it("through a dangling symlink: the file it names is created", async () => {
    const { d, input, out } = setup();
    symlinkSync(join(out, "new.json"), join(d, "link.json"));
    expect((await cli(["check", input, "--format", "json", "--output", join(d, "link.json")])).code).toBe(1);
    expect(JSON.parse(readFileSync(join(out, "new.json"), "utf8")).reportVersion).toBe(1);
  });
});

describe("a closed stdout", () => {
  it("posture ... | head ends quietly, with the verdict's exit code", () => {
    const { input } = setup();
    // Many findings (several pipe buffers of output) so the writer meets the closed pipe.
    const many = { resource: { okta_policy_rule_signon: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`r${i}`, { name: `s${i}`, session_idle: 120 }])) } };
    const big = writeJson(setup().d, "big.tf.json", many);
    const r = spawnSync("bash", ["--noprofile", "--norc", "-c", `node "${CLI}" check "${big}" --format json | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`], {
      env: { PATH: process.env.PATH, POSTURE_TODAY: "2026-11-29" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.stderr).toBe("exit=1\n");
    expect(input).toBeTruthy();
  });
});
