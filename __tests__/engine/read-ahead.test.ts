/**
 * The CLI begins reading its input files while it loads the engine (readAhead); the loaders take
 * those bytes. What is read ahead must be exactly what readBytes would read, and anything readBytes
 * would refuse must reach readBytes, so its messages do not change.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPlanOrInput } from "../../engine/load/load";
import { forgetReadAhead, readAhead, readAheadOf, readBytes } from "../../engine/load/read-input";
import { cli } from "../adversarial/harness";

const dir = mkdtempSync(join(tmpdir(), "posture-ahead-"));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

describe("reading inputs ahead", () => {
  it("gives a regular file's bytes, as readBytes reads them, once", async () => {
    const p = file("plan.json", `{"format_version": "1.2", "resource_changes": []}\n`);
    readAhead(p, 1 << 20);
    expect(await readAheadOf(p)).toEqual(readBytes(p));
    expect(await readAheadOf(p)).toBeUndefined();
  });

  it("gives nothing for what readBytes refuses or reads otherwise: a file over the limit, a directory, a missing path, a FIFO", async () => {
    const big = file("big.json", "x".repeat(100));
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    for (const p of [big, dir, join(dir, "missing.json"), fifo]) readAhead(p, 50);
    for (const p of [big, dir, join(dir, "missing.json"), fifo]) expect(await readAheadOf(p)).toBeUndefined();
  });

  it("a plan read ahead loads as one read when it is needed", async () => {
    const p = file("pr.json", JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "okta_group.g", type: "okta_group", change: { actions: ["create"], after: { name: "g" } } }] }));
    const plain = await loadPlanOrInput(p);
    readAhead(p, 1 << 20);
    expect(await loadPlanOrInput(p)).toEqual(plain);
    expect(await readAheadOf(p)).toBeUndefined(); // taken by the loader
  });

  it("the CLI's refusals are the same with inputs read ahead", async () => {
    const big = file("over.json", `{"format_version": "1.2", "resource_changes": []}`);
    const over = await cli(["review", big], { POSTURE_MAX_INPUT_BYTES: "10" });
    expect(over.code).toBe(2);
    expect(over.stderr).toBe(`posture: ${big}: is 49 bytes, over the input limit of 10 bytes (set POSTURE_MAX_INPUT_BYTES to raise it)\n`);
  });

  it("never opens a FIFO: a writer waiting on one stays waiting, as without reading ahead", async () => {
    const fifo = join(dir, "waiting-fifo");
    execFileSync("mkfifo", [fifo]);
    const writer = spawn("sh", ["-c", `echo '{}' > '${fifo}'`]);
    try {
      const r = await cli(["check", fifo]);
      expect(r.code).toBe(2);
      await new Promise((done) => setTimeout(done, 200));
      expect(writer.exitCode).toBeNull();
    } finally {
      writer.kill();
    }
  });

  it("a run leaves nothing read ahead behind: a later load reads the file as it is then", async () => {
    const p = file("changing.json", `{"format_version": "1.2", "resource_changes": []}`);
    // A run that stops before it loads its input (an unknown rule in --only is refused first).
    expect((await cli(["review", p, "--only", "NO-SUCH-1"])).code).toBe(2);
    writeFileSync(p, `{"format_version": "1.2", "resource_changes": [], "planned_values": {}}`);
    expect(await readAheadOf(p)).toBeUndefined();
    readAhead(p, 1 << 20);
    forgetReadAhead(p);
    expect(await readAheadOf(p)).toBeUndefined();
  });
});
