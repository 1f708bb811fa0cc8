/**
 * The worker-thread experiment of `npm run bench`: `node hcl-workers.cjs DIR main|N` parses every
 * `.tf` file of DIR with the HCL parser (@cdktn/hcl2json, WASM) on the main thread, or split over N
 * worker threads (each loads its own parser). Prints the wall and CPU seconds of the whole parse as
 * one JSON line. posture parses on the main thread; this measures whether workers would pay.
 */
const { Worker, isMainThread, parentPort, workerData } = require("node:worker_threads");
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

async function parseAll(files) {
  const hcl = require("@cdktn/hcl2json");
  for (const f of files) await hcl.parse(f, readFileSync(f, "utf8"));
  return files.length;
}

if (!isMainThread) {
  parseAll(workerData).then((n) => parentPort.postMessage(n));
} else {
  const [dir, mode] = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".tf"))
    .sort()
    .map((f) => join(dir, f));
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const done = (counts) => {
    const cpu = process.cpuUsage(cpu0);
    if (counts.reduce((a, b) => a + b, 0) !== files.length) throw new Error("not every file was parsed");
    process.stdout.write(`${JSON.stringify({ seconds: Number(process.hrtime.bigint() - wall0) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
  };
  if (mode === "main") parseAll(files).then((n) => done([n]));
  else {
    const k = Number(mode);
    const parts = Array.from({ length: k }, (_, i) => files.filter((_, j) => j % k === i));
    Promise.all(parts.map((p) => new Promise((resolve, reject) => new Worker(__filename, { workerData: p }).on("message", resolve).on("error", reject)))).then(done);
  }
}
