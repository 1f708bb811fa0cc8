/**
 * The redaction benchmark of `npm run bench`: `node redaction.cjs N` redacts a report of 10·N strings
 * (finding messages, some holding a secret) against N secrets with the engine's Redactor, and prints
 * the wall and CPU seconds of the redaction alone as one JSON line. Linear redaction costs 4× for 4×
 * N; checking every string against every secret cost 16×.
 */
const { join } = require("node:path");
const { Redactor } = require(join(__dirname, "..", "..", "dist", "engine", "evaluate", "redact.js"));

const n = Number(process.argv[2]);
const redactor = new Redactor();
for (let i = 0; i < n; i++) redactor.add(`tok-${i.toString(36)}-planted-${(i * 7919).toString(16)}`);
const strings = Array.from({ length: 10 * n }, (_, i) =>
  i % 10 === 0 ? `okta_log_stream.s${i}: settings.token is tok-${(i / 10).toString(36)}-planted-${((i / 10) * 7919).toString(16)} in the code` : `cloudflare_zero_trust_access_application.app${i}: session_duration 24h is longer than 8h`,
);
const wall0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const out = redactor.deep(strings);
const cpu = process.cpuUsage(cpu0);
if (out.filter((s) => s.includes("(sensitive)")).length !== n) throw new Error("not every secret was redacted");
process.stdout.write(`${JSON.stringify({ seconds: Number(process.hrtime.bigint() - wall0) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
