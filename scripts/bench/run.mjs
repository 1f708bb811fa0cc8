#!/usr/bin/env node
/**
 * `npm run bench` (add `-- --quick` for 3 runs per measurement instead of 5): one scenario per speed
 * goal of identity-posture, each measured against its floor or its smaller self, and docs/benchmarks.md
 * written from what this run measured (nothing else is published there).
 *
 * Method: every measurement is a whole process (`node -r peak-rss.cjs ...`), except synth-time, which
 * times `app.synth()` inside the process (module loading excluded: it is the same with and without
 * checks; nothing is built before it, so cdktf's code starts as cold as in a user's app). The subject
 * and its floor run alternately, round after round, so a change in machine load hits both alike;
 * figures are medians; ratios are of medians. Wall time, CPU time (user + system) and peak RSS are
 * recorded for each.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, platform, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { accessPlan, tfJson, writeHclDirectory } from "./generate-inputs.mjs";
import { generatePlan } from "./generate-plan.mjs";

const ROOT = new URL("../..", import.meta.url).pathname;
const QUICK = process.argv.includes("--quick");
// `--only=1,5`: run the scenarios of those goals only (docs/benchmarks.md is then not rewritten).
const ONLY = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const runs = (goal) => !ONLY || ONLY.includes(String(goal));
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 3 : 5));
const PEAK = join(ROOT, "scripts/bench/peak-rss.cjs");
const FLOOR = join(ROOT, "scripts/bench/floor.cjs");
const CLI = join(ROOT, "dist/cli/posture.js");
const SYNTH = join(ROOT, "scripts/bench/synth-app.cjs");
const dir = mkdtempSync(join(tmpdir(), "posture-bench-"));
const out = join(dir, "report.json");

/** One whole process: wall seconds, CPU seconds, peak RSS in MB. Exit 0 or 1 (findings) is success. */
function proc(args, env = process.env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-r", PEAK, ...args], { encoding: "utf8", maxBuffer: 1 << 30, env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const m = /__PEAK_RSS_KB__ (\d+) __CPU_US__ (\d+)/.exec(r.stderr);
  if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return { seconds, cpuSeconds: Number(m[2]) / 1e6, rssMb: Number(m[1]) / 1024 };
}

/** How many resources the reference postures make (synth-app.cjs counts them in a process of its own). */
let postureResources;

/**
 * The synth benchmark app: seconds and CPU seconds of building and synthesizing, measured inside the
 * process; and under `whole`, the whole process that runs the app (what `cdktf synth` waits for).
 */
function synth(stacks, resources, checks) {
  if (postureResources === undefined) {
    const count = spawnSync(process.execPath, [SYNTH, "count"], { cwd: ROOT, encoding: "utf8" });
    if (count.status !== 0) throw new Error(`synth-app.cjs count failed: ${count.stderr.slice(0, 800)}`);
    postureResources = count.stdout.trim();
  }
  const outdir = join(dir, `cdktf.out-${stacks}-${resources}-${checks}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["-r", PEAK, SYNTH, String(stacks), String(resources), checks ? "on" : "off", outdir, postureResources], { cwd: ROOT, encoding: "utf8" });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  const m = /__PEAK_RSS_KB__ (\d+) __CPU_US__ (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`synth ${stacks}x${resources} ${checks} failed: ${r.stderr.slice(0, 800)}`);
  return { ...JSON.parse(r.stdout.trim().split("\n").pop()), rssMb: NaN, whole: { seconds, cpuSeconds: Number(m[2]) / 1e6, rssMb: Number(m[1]) / 1024 } };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs each subject once per round, `rounds` rounds; the median of each measure per subject. */
function interleaved(subjects, rounds = RUNS) {
  const samples = subjects.map(() => []);
  for (let i = 0; i < rounds; i++) subjects.forEach((run, s) => samples[s].push(run()));
  return samples.map(medians);
}

/** The median of each measure over runs (and of a nested `whole` measure, when the runs have one). */
function medians(runs) {
  const m = { seconds: median(runs.map((r) => r.seconds)), cpuSeconds: median(runs.map((r) => r.cpuSeconds)), rssMb: median(runs.map((r) => r.rssMb)) };
  if (runs[0].whole) m.whole = medians(runs.map((r) => r.whole));
  return m;
}

const rows = [];
/** One line of the results table: a subject against its reference (floor or smaller size), and the goal on the ratio. */
function row(scenario, subject, reference, s, ref, goal, { memory = true } = {}) {
  const ratio = s.seconds / ref.seconds;
  const cpuRatio = s.cpuSeconds / ref.cpuSeconds;
  const memRatio = memory ? s.rssMb / ref.rssMb : NaN;
  const met = ratio <= goal.max && (!goal.memory || memRatio <= goal.max);
  const r = { scenario, subject, reference, s, ref, ratio, cpuRatio, memRatio, goal: goal.text, met };
  rows.push(r);
  console.log(`${scenario}: ${subject} ${s.seconds.toFixed(2)} s (cpu ${s.cpuSeconds.toFixed(2)} s) vs ${reference} ${ref.seconds.toFixed(2)} s (cpu ${ref.cpuSeconds.toFixed(2)} s): ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x cpu${memory ? `, ${memRatio.toFixed(2)}x memory` : ""} — goal ${goal.text}: ${met ? "met" : "NOT met"}`);
}

const write = (name, doc, pretty = false) => {
  const p = join(dir, name);
  writeFileSync(p, pretty ? JSON.stringify(doc, null, 2) : JSON.stringify(doc));
  return p;
};
const mb = (p) => (statSync(p).size / 1e6).toFixed(1);
const load0 = loadavg()[0];
const started = Date.now();

// 1. Review and check of a 20,000-resource plan against a bare JSON.parse of it.
if (runs(1)) {
  const plan = write("plan-20000.json", generatePlan(20000));
  // Twice the rounds: the goal is a ratio near 1, and one round's noise on a shared machine is about 10%.
  const [floor, review, check] = interleaved([() => proc([FLOOR, plan]), () => proc([CLI, "review", plan, "--format", "json", "--output", out]), () => proc([CLI, "check", plan, "--format", "json", "--output", out])], RUNS * 2);
  const goal = { max: 1.0, memory: true, text: "≤ 1.0× time and memory" };
  row("1. plan, 20,000 resources", "`posture review`", "bare JSON.parse", review, floor, goal);
  row("1. plan, 20,000 resources", "`posture check`", "bare JSON.parse", check, floor, goal);
}

// 5. Start-up.
if (runs(5)) {
  const [bare, help] = interleaved([() => proc(["-e", "0"]), () => proc([CLI, "--help"])], RUNS * 3);
  row("5. start-up", "`posture --help`", "`node -e 0`", help, bare, { max: 1.3, text: "≤ 1.3× time" });
}

// 2. Linear growth: Access apps and policies in one scope; one large .tf.json.
if (runs(2)) {
  const n = QUICK ? 500 : 1000;
  const small = write(`access-${n}.json`, accessPlan(n));
  const large = write(`access-${4 * n}.json`, accessPlan(4 * n));
  const [a, b] = interleaved([() => proc([CLI, "review", small, "--format", "json", "--output", out]), () => proc([CLI, "review", large, "--format", "json", "--output", out])]);
  row("2. growth", `review, ${(4 * n).toLocaleString("en-US")} Access apps + policies`, `${n.toLocaleString("en-US")} apps + policies`, b, a, { max: 5, text: "≤ 5× for 4× the input" });
}
if (runs(2)) {
  const small = write("main-5000.tf.json", tfJson(5000), true);
  const large = write("main-20000.tf.json", tfJson(20000), true);
  const [floor, a, b] = interleaved([() => proc([FLOOR, large]), () => proc([CLI, "check", small, "--format", "json", "--output", out]), () => proc([CLI, "check", large, "--format", "json", "--output", out])]);
  row("2. growth", "check, one .tf.json of 20,000 resources", "5,000 resources", b, a, { max: 5, text: "≤ 5× for 4× the input" });
  row("2. growth", `check, one .tf.json of 20,000 resources (${mb(large)} MB)`, "bare JSON.parse", b, floor, { max: 3, text: "≤ 3× time" });
}

if (runs(2)) {
  // Redaction of a report: 10 strings per secret, measured inside the process.
  const redact = (n) => ({ ...JSON.parse(spawnSync(process.execPath, [join(ROOT, "scripts/bench/redaction.cjs"), String(n)], { encoding: "utf8" }).stdout.trim()), rssMb: NaN });
  const [a, b] = interleaved([() => redact(2000), () => redact(8000)]);
  row("2. growth", "redaction, 8,000 secrets × 80,000 report strings", "2,000 × 20,000", b, a, { max: 5, text: "≤ 5× for 4× the input" }, { memory: false });
}

// 4. A directory of 2,000 .tf files (the WASM HCL parser).
if (runs(4)) {
  const hcl = join(dir, "hcl");
  writeHclDirectory(hcl, 2000);
  const cache = join(dir, "hcl-cache");
  // The cache is filled before the first round, so every warm run reads it.
  proc([CLI, "check", hcl, "--format", "json", "--output", out]);
  const warmArgs = [CLI, "check", hcl, "--format", "json", "--output", out];
  const warmEnv = { ...process.env, POSTURE_CACHE_DIR: cache };
  proc(warmArgs, warmEnv);
  const [cold, warm] = interleaved([() => proc([CLI, "check", hcl, "--format", "json", "--output", out]), () => proc(warmArgs, warmEnv)]);
  const fourSeconds = { seconds: 4, cpuSeconds: 4, rssMb: NaN };
  row("4. HCL directory", "check, 2,000 .tf files", "4 s", cold, fourSeconds, { max: 1, text: "< 4 s" }, { memory: false });
  row("4. HCL directory", "check, 2,000 .tf files, warm POSTURE_CACHE_DIR", "no cache", warm, cold, { max: 1, text: "faster than no cache" });
  // Worker threads: adopted only if they pay on this machine (posture parses on the main thread).
  const workers = (mode) => ({ ...JSON.parse(spawnSync(process.execPath, [join(ROOT, "scripts/bench/hcl-workers.cjs"), hcl, mode], { cwd: ROOT, encoding: "utf8" }).stdout.trim()), rssMb: NaN });
  const [main, two] = interleaved([() => workers("main"), () => workers("2")]);
  row("4. HCL directory", "HCL parse of 2,000 files on 2 worker threads", "on the main thread", two, main, { max: 0.8, text: "≤ 0.8× to be worth adopting" }, { memory: false });
}

// 3. Synth-time checks, and 2. growth in stacks.
if (runs(3)) {
  // Twice the rounds, as for goal 1: the overhead is tens of milliseconds, one round's noise several.
  const [off, on] = interleaved([() => synth(10, 50, false), () => synth(10, 50, true)], RUNS * 2);
  row("3. synth", "app.synth() with PostureChecks, 10 stacks × 50 resources", "without checks", on, off, { max: 1.2, text: "≤ +20%" }, { memory: false });
  // Not a goal: the same runs timed as whole processes, which is what the checks add to a `cdktf synth`.
  row("3. synth", "the whole process running the 10 × 50 app, with PostureChecks", "without checks", on.whole, off.whole, { max: Infinity, text: "– (not a goal)" });
  const [off1, on1] = interleaved([() => synth(1, 500, false), () => synth(1, 500, true)], RUNS * 2);
  row("3. synth", "app.synth() with PostureChecks, 1 stack × 500 resources", "without checks", on1, off1, { max: 1.2, text: "≤ +20%" }, { memory: false });
}
if (runs(2)) {
  const [five, twenty] = interleaved([() => synth(5, 50, true), () => synth(20, 50, true)]);
  row("2. growth", "app.synth() with PostureChecks, 20 stacks × 50 resources", "5 stacks", twenty, five, { max: 5, text: "≤ 5× for 4× the input" }, { memory: false });
}
rmSync(dir, { recursive: true, force: true });

const cpu = cpus();
const f2 = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "–");
const secs = (m) => `${m.seconds.toFixed(2)} s / ${m.cpuSeconds.toFixed(2)} s`;
const lines = [
  "# Benchmarks",
  "",
  `<!-- Written by \`npm run bench${QUICK ? " -- --quick" : ""}\` (scripts/bench/run.mjs); every figure below is from that run. -->`,
  "",
  `Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory (${(freemem() / 2 ** 30).toFixed(0)} GiB free at the start), ${platform()} ${release()}, Node ${process.version}; load average ${load0.toFixed(1)} at the start. The run took ${((Date.now() - started) / 60000).toFixed(1)} minutes.`,
  "",
  `Method: each subject and its reference run alternately, ${RUNS} rounds (goals 1 and 3: ${RUNS * 2}; start-up: ${RUNS * 3}), and each figure is a median; ratios are of medians. ` +
    "Times are wall / CPU (user + system) of the whole process, except three timed inside the process: synth (building the app and `app.synth()` in a process that has built no stack before, as a user's app starts; loading cdktf and the provider bindings, the same with and without checks, is left out; one row times the same runs as whole processes), redaction, and the HCL worker experiment. " +
    "Memory is peak resident set size. The floor for a JSON input is a bare `node` that reads it with `readFileSync(file, \"utf8\")` and runs `JSON.parse`: the least any tool must do to look at it. " +
    "On a shared machine absolute times move with its load; the interleaved ratios are what to compare, and a goal is met only when this run met it.",
  "",
  "Inputs (scripts/bench/generate-plan.mjs, generate-inputs.mjs, synth-app.cjs, redaction.cjs): a plan of 20,000 resources (96% AWS, 2% Okta, 2% Cloudflare; 70% no-op, 15% update, 10% create, 5% delete; planned values, changes, prior state, configuration); " +
    "plans of Cloudflare Access apps each linked to its own reusable policy (every fifth also to a shared one); one `.tf.json` (96% AWS, 4% Okta); a directory of `.tf` files (one AWS instance and one Okta group each); report strings of which one in ten holds a secret (redaction, timed inside the process); " +
    "a CDKTF app whose every stack holds both reference postures plus okta_group fillers.",
  "",
  "| goal | subject | reference | subject time (wall / CPU) | reference time (wall / CPU) | time ratio | CPU ratio | memory ratio | target | met |",
  "|---|---|---|---:|---:|---:|---:|---:|---|---|",
  ...rows.map((r) => `| ${r.scenario} | ${r.subject} | ${r.reference} | ${secs(r.s)} | ${r.reference === "4 s" ? "–" : secs(r.ref)} | ${r.reference === "4 s" ? "–" : f2(r.ratio)} | ${r.reference === "4 s" ? "–" : f2(r.cpuRatio)} | ${f2(r.memRatio)} | ${r.goal} | ${r.goal.startsWith("–") ? "–" : r.met ? "yes" : "**no**"} |`),
  "",
];
if (!ONLY) writeFileSync(join(ROOT, "docs/benchmarks.md"), lines.join("\n"));
console.log(lines.join("\n"));
