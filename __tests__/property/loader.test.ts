/**
 * Property tests: whatever JSON arrives, the loaders and every rule either evaluate or refuse with an
 * InputError (exit 2 with a message naming the file); nothing else is ever thrown.
 */
import fc from "fast-check";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { InputError } from "../../engine/errors";
import { evaluate } from "../../engine/evaluate/evaluate";
import { loadJsonDocument } from "../../engine/load/load";
import { decode, parseJson } from "../../engine/load/read-input";
import { CATALOGUE } from "../../policies";

const FILE = "fuzz.json";

/** Loads and evaluates under both profiles; returns "refused" for an InputError. */
function checkDoc(doc: unknown): "evaluated" | "refused" {
  try {
    const text = JSON.stringify(doc) ?? "null";
    const input = loadJsonDocument(JSON.parse(text), text, FILE);
    for (const profile of ["recommended", "strict"] as const) {
      evaluate(input.resources, { rules: CATALOGUE, profile, config: EMPTY_CONFIG, unknown: "warn", today: "2026-11-29" });
    }
    return "evaluated";
  } catch (e) {
    if (e instanceof InputError) {
      expect(e.message.startsWith(FILE)).toBe(true);
      return "refused";
    }
    throw e;
  }
}

/** Every attribute path any rule reads, with the resource types it reads them on. */
const READS = CATALOGUE.flatMap((r) => r.resourceTypes.map((t) => ({ type: t, reads: r.reads })));

/** Sets a dotted path in an object, creating objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segs = path.split(".");
  let cur = target;
  for (const s of segs.slice(0, -1)) {
    if (cur[s] === null || typeof cur[s] !== "object" || Array.isArray(cur[s])) cur[s] = {};
    cur = cur[s] as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]] = value;
}

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom("${var.x}", "${data.a.b.c}", "${jsonencode({a = 1})}", "${", "%{ if x }", "PT12H", "24h", "REQUIRED", "ACTIVE", "allow", "hwk", "true", "0"),
);

describe("loaders and rules never throw through", () => {
  it("arbitrary JSON documents", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (doc) => void checkDoc(doc)), { numRuns: 300 });
  });

  it("Terraform-shaped configurations with wrong types in every attribute a rule reads", () => {
    const resource = fc.record({
      target: fc.constantFrom(...READS),
      values: fc.array(anyValue, { minLength: 1, maxLength: 12 }),
      extra: fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 4 }),
      meta: fc.option(fc.record({ count: anyValue, for_each: anyValue }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(resource, { minLength: 1, maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 6 }), anyValue), (resources, variables) => {
        const tf: Record<string, Record<string, Record<string, unknown>>> = { resource: {}, variable: {} };
        for (const [k, v] of Object.entries(variables)) tf.variable[k] = { default: v };
        resources.forEach((r, i) => {
          const body: Record<string, unknown> = { ...r.extra };
          r.target.reads.forEach((path, j) => setPath(body, path, r.values[j % r.values.length]));
          if (r.meta) Object.assign(body, r.meta);
          tf.resource[r.target.type] = { ...(tf.resource[r.target.type] ?? {}), [`r${i}`]: body };
        });
        checkDoc(tf);
      }),
      { numRuns: 400 },
    );
  });

  it("plans with random values, after_unknown and *_sensitive shapes", () => {
    const change = fc.record({
      target: fc.constantFrom(...READS),
      values: fc.jsonValue({ maxDepth: 4 }),
      unknown: fc.jsonValue({ maxDepth: 4 }),
      sensitive: fc.jsonValue({ maxDepth: 4 }),
      actions: fc.array(fc.constantFrom("create", "delete", "update", "no-op", "read", "forget"), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 5 }), fc.constantFrom("0.1", "1.0", "1.2", "1.9"), (changes, version) => {
        const resources = changes.map((c, i) => ({ address: `${c.target.type}.r${i}`, mode: "managed", type: c.target.type, name: `r${i}`, values: c.values, sensitive_values: c.sensitive }));
        const plan = {
          format_version: version,
          planned_values: { root_module: { resources } },
          resource_changes: changes.map((c, i) => ({ address: `${c.target.type}.r${i}`, type: c.target.type, change: { actions: c.actions, before: null, after: c.values, after_unknown: c.unknown, after_sensitive: c.sensitive } })),
        };
        checkDoc(plan);
      }),
      { numRuns: 300 },
    );
  });

  it("deeply nested values are refused, not a stack overflow", () => {
    fc.assert(
      fc.property(fc.integer({ min: 257, max: 20000 }), (depth) => {
        const text = `{"resource": {"okta_group": {"g": {"name": ${"[".repeat(depth)}${"]".repeat(depth)}}}}}`;
        expect(() => loadJsonDocument(parseJson(text, FILE), text, FILE)).toThrow(InputError);
      }),
      { numRuns: 20 },
    );
  });

  it("huge strings are evaluated", () => {
    const huge = "x".repeat(5_000_000);
    expect(checkDoc({ resource: { okta_policy_rule_signon: { r: { name: huge, mfa_prompt: huge, session_idle: huge } }, okta_log_stream: { s: { settings: { token: huge } } } } })).toBe("evaluated");
  });
});

describe("truncated and corrupted files are refused with a clear message", () => {
  const plan = JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: [{ address: "okta_log_stream.s", type: "okta_log_stream", name: "s", values: { name: "s", settings: { token: "planted-secret-value" } } }] } } });

  it("any truncation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: plan.length - 1 }), (cut) => {
        let err: unknown;
        try {
          parseJson(plan.slice(0, cut), FILE);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(InputError);
        expect((err as Error).message).not.toContain("planted-secret-value");
        expect((err as Error).message.split("\n")).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });

  it("random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseJson(decode(Buffer.from(bytes), FILE), FILE);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
