/**
 * Malformed inputs, generated from a valid plan and configuration by seeded mutations (truncation, a
 * byte flipped, a value's type swapped, a key renamed, a container emptied, encodings): each run ends
 * with exit 0, 1 or 2, never an internal error; an exit 2 is a message of one or two lines naming the
 * input; and the same input always gives the same bytes.
 */
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { cli, forgottenLogStreamPlan, scratch, writeJson } from "./harness";

const dir = scratch();
const planText = JSON.stringify(forgottenLogStreamPlan());
const configText = JSON.stringify({
  variable: { idle: { default: 30 } },
  locals: { l: { a: [1, 2] } },
  resource: {
    okta_policy_rule_signon: { r: { name: "s", session_idle: "${var.idle}", count: 2 } },
    cloudflare_logpush_job: { j: { dataset: "audit_logs", enabled: true, destination_conf: "https://x.example.com/in?token=abc" } },
  },
});

type Mutation = (text: string, rnd: number[]) => string;
const at = (text: string, r: number) => Math.floor(r * text.length);
const MUTATIONS: Record<string, Mutation> = {
  truncate: (t, [r]) => t.slice(0, at(t, r)),
  flipByte: (t, [r, c]) => {
    const i = at(t, r);
    return t.slice(0, i) + String.fromCharCode(32 + Math.floor(c * 94)) + t.slice(i + 1);
  },
  deleteByte: (t, [r]) => {
    const i = at(t, r);
    return t.slice(0, i) + t.slice(i + 1);
  },
  /** The n-th JSON value of a kind swapped for a value of another kind. */
  swapValue: (t, [r, c]) => {
    const values = [...t.matchAll(/:(\{\}|\[\]|"[^"\\]*"|-?\d+(?:\.\d+)?|true|false|null)/g)];
    if (values.length === 0) return t;
    const m = values[Math.floor(r * values.length)];
    const swap = ['"x"', "7", "true", "null", "{}", "[]", '{"a":[]}', '["x"]'][Math.floor(c * 8)];
    return t.slice(0, m.index! + 1) + swap + t.slice(m.index! + m[0].length);
  },
  renameKey: (t, [r, c]) => {
    const keys = [...t.matchAll(/"([a-z_]+)":/g)];
    if (keys.length === 0) return t;
    const m = keys[Math.floor(r * keys.length)];
    const name = ["__proto__", "constructor", "", "x".repeat(300), "prototype", m[1].toUpperCase()][Math.floor(c * 6)];
    return t.slice(0, m.index!) + JSON.stringify(name) + ":" + t.slice(m.index! + m[0].length);
  },
  emptyContainer: (t, [r]) => {
    const opens = [...t.matchAll(/[[{]/g)];
    const m = opens[Math.floor(r * opens.length)];
    let depth = 0;
    for (let i = m.index!; i < t.length; i++) {
      if (t[i] === "[" || t[i] === "{") depth++;
      else if (t[i] === "]" || t[i] === "}") depth--;
      if (depth === 0) return t.slice(0, m.index! + 1) + t.slice(i);
    }
    return t;
  },
};

const encodings: Array<[string, (t: string) => Buffer]> = [
  ["UTF-8 BOM", (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])],
  ["UTF-16LE BOM", (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")])],
  ["UTF-16LE without BOM", (t) => Buffer.from(t, "utf16le")],
  ["Latin-1 bytes", (t) => Buffer.from(t.replace('"s"', '"\u00e9\u00ff"'), "latin1")],
  ["a NUL inside", (t) => Buffer.from(t.replace(":", ":\u0000"))],
];

/** Exit codes seen, so the last test can check the mutations reach both the judge and the refusals. */
const CODES: Record<number, number> = {};

async function judgeOnce(mode: string, file: string) {
  const r = await cli([mode, file, "--format", "json"]);
  expect([0, 1, 2]).toContain(r.code);
  expect(r.stderr).not.toMatch(/internal error/);
  CODES[r.code] = (CODES[r.code] ?? 0) + 1;
  if (r.code === 2) {
    expect(r.stdout).toBe("");
    expect(r.stderr.startsWith(`posture: ${file}`) || r.stderr.startsWith("posture: ")).toBe(true);
    expect(r.stderr.trimEnd().split("\n").length).toBeLessThanOrEqual(2);
  } else expect(() => JSON.parse(r.stdout)).not.toThrow();
  return r;
}

describe("seeded mutations of a valid plan and configuration", () => {
  for (const [name, mutate] of Object.entries(MUTATIONS)) {
    it(`${name}: 25 plans and 10 configurations`, async () => {
      const seeds = fc.sample(fc.tuple(fc.double({ min: 0, max: 0.9999, noNaN: true }), fc.double({ min: 0, max: 0.9999, noNaN: true })), { numRuns: 35, seed: name.length * 7919 });
      for (let i = 0; i < seeds.length; i++) {
        const isPlan = i < 25;
        const text = mutate(isPlan ? planText : configText, seeds[i]);
        const file = writeJson(dir, isPlan ? `m-${name}-${i}.json` : `m-${name}-${i}.tf.json`, text);
        const first = await judgeOnce(isPlan ? "review" : "check", file);
        // Determinism: the same input, judged again, gives the same bytes.
        const again = await cli([isPlan ? "review" : "check", file, "--format", "json"]);
        expect(again).toEqual(first);
      }
    });
  }

  it("the mutations reach both the refusals and the rules", () => {
    expect(CODES[2]).toBeGreaterThan(100);
    expect((CODES[0] ?? 0) + (CODES[1] ?? 0)).toBeGreaterThan(15);
  });

  it.each(encodings)("%s", async (_name, encode) => {
    const f = `${dir}/enc-${_name.replace(/\W/g, "")}.json`;
    writeFileSync(f, encode(planText));
    await judgeOnce("review", f);
  });
});
