/**
 * The selective plan reader: it gives what JSON.parse gives minus other providers' entries, refuses
 * malformed JSON anywhere in the file exactly as JSON.parse-based reading does, and loses nothing a
 * review reads (same report from a selective read and a full parse).
 */
import { CATALOGUE } from "../../policies";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { EMPTY_CONFIG } from "../../engine/evaluate/config";
import { driftPlan } from "../../engine/review/drift";
import { InputError } from "../../engine/errors";
import { JsonSyntaxError, skipValue } from "../../engine/load/json-scan";
import { loadJsonDocument } from "../../engine/load/load";
import { locateAddresses } from "../../engine/review/plan-locations";
import { addressPositions, readJsonBytes, readJsonInput } from "../../engine/load/plan-reader";
import { decode, parseJson, utf8Bytes } from "../../engine/load/read-input";
import { reviewPlan } from "../../engine/review/review";

const OPTS = { rules: CATALOGUE, profile: "recommended" as const, config: EMPTY_CONFIG, unknown: "warn" as const, today: "2026-11-29" };
const FIXTURES = ["review/pr-plan.json", "review/drift-refresh-only.json", "review/real-actions-plan.json", "access/v4-plan.json", "access/v5-plan.json", "access/v4-state.json", "access/v5-state.json", "real/terraform-data-plan.json"];
const fixture = (f: string) => readFileSync(join(__dirname, "..", "fixtures", f), "utf8");

const aws = (i: number, action: string) => ({
  address: `aws_s3_bucket.b${i}`,
  mode: "managed",
  type: "aws_s3_bucket",
  name: `b${i}`,
  change: { actions: [action], before: { bucket: `old-${i}`, secret: "aws-secret-value-123" }, after: { bucket: `b-${i}` }, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
});
const okta = {
  address: "okta_log_stream.s",
  mode: "managed",
  type: "okta_log_stream",
  name: "s",
  change: { actions: ["create"], before: null, after: { name: "s", status: "ACTIVE", settings: { token: "tok-planted-9876543210" } }, after_unknown: { id: true }, before_sensitive: false, after_sensitive: { settings: { token: true } } },
};

function mixedPlan(): Record<string, unknown> {
  return {
    format_version: "1.2",
    terraform_version: "1.11.4",
    variables: { hec: { value: "hec-secret-value-000111" } },
    planned_values: {
      outputs: { big: { sensitive: false, value: [1, 2, 3] } },
      root_module: {
        resources: [
          { address: "aws_s3_bucket.b1", mode: "managed", type: "aws_s3_bucket", name: "b1", values: { bucket: "b-1" }, sensitive_values: {} },
          { address: "okta_log_stream.s", mode: "managed", type: "okta_log_stream", name: "s", values: okta.change.after, sensitive_values: { settings: { token: true } } },
        ],
        child_modules: [{ address: "module.m", resources: [{ address: "module.m.cloudflare_logpush_job.j", mode: "managed", type: "cloudflare_logpush_job", name: "j", values: { dataset: "audit_logs" } }, { address: "module.m.aws_iam_role.r", type: "aws_iam_role", values: {} }] }],
      },
    },
    resource_changes: [aws(1, "update"), okta, aws(2, "no-op")],
    resource_drift: [aws(3, "update")],
    output_changes: { big: { actions: ["no-op"] } },
    prior_state: { format_version: "1.0", values: { root_module: { resources: [{ address: "aws_s3_bucket.b1", type: "aws_s3_bucket", values: { bucket: "old-1" } }] } } },
    configuration: {
      provider_config: { okta: { name: "okta", expressions: { api_token: { constant_value: "ssws-literal-0000000000" } } } },
      root_module: {
        variables: { hec: { sensitive: true } },
        resources: [
          { address: "aws_s3_bucket.b1", type: "aws_s3_bucket", expressions: { bucket: { constant_value: "b-1" } } },
          { address: "okta_log_stream.s", type: "okta_log_stream", expressions: { settings: [{ token: { references: ["var.hec"] } }] } },
        ],
        module_calls: { m: { source: "./m", module: { resources: [{ address: "cloudflare_logpush_job.j", type: "cloudflare_logpush_job", expressions: {} }, { address: "aws_iam_role.r", type: "aws_iam_role" }] } } },
      },
    },
    relevant_attributes: [{ resource: "aws_s3_bucket.b1", attribute: ["bucket"] }],
    complete: true,
    errored: false,
  };
}

describe("readJsonInput", () => {
  it("keeps Okta and Cloudflare entries whole, drops other providers' resources, stubs their changes with address, type and actions and their declarations with address and type", () => {
    const doc = readJsonInput(JSON.stringify(mixedPlan(), null, 2), "plan.json") as any;
    const full = mixedPlan() as any;
    expect(doc.planned_values.root_module.resources).toEqual([full.planned_values.root_module.resources[1]]);
    expect(doc.planned_values.root_module.child_modules[0].resources).toEqual([full.planned_values.root_module.child_modules[0].resources[0]]);
    expect(doc.planned_values.outputs).toBeUndefined();
    expect(doc.resource_changes).toEqual([
      { address: "aws_s3_bucket.b1", type: "aws_s3_bucket", change: { actions: ["update"] } },
      okta,
      { address: "aws_s3_bucket.b2", type: "aws_s3_bucket", change: { actions: ["no-op"] } },
    ]);
    expect(doc.resource_drift).toHaveLength(1);
    expect(JSON.stringify(doc)).not.toContain("aws-secret-value-123");
    expect(doc.prior_state.values.root_module.resources).toEqual([]);
    // Everything that may carry a secret or a reference the rules follow is kept whole.
    expect(doc.variables).toEqual(full.variables);
    expect(doc.configuration.provider_config).toEqual(full.configuration.provider_config);
    expect(doc.configuration.root_module.variables).toEqual(full.configuration.root_module.variables);
    // Other providers' declarations stay as stubs without their expressions: every declared address is kept.
    expect(doc.configuration.root_module.resources).toEqual([{ address: "aws_s3_bucket.b1", type: "aws_s3_bucket" }, full.configuration.root_module.resources[1]]);
    expect(doc.configuration.root_module.module_calls.m.module.resources).toEqual([full.configuration.root_module.module_calls.m.module.resources[0], { address: "aws_iam_role.r", type: "aws_iam_role" }]);
    expect(doc.configuration.root_module.module_calls.m.source).toBe("./m");
    expect(doc.relevant_attributes).toBeUndefined();
    expect([doc.format_version, doc.complete, doc.errored]).toEqual(["1.2", true, false]);
  });

  it("reads a change's type whether it comes before or after the change (hand-made plans)", () => {
    const plan = mixedPlan();
    plan.resource_changes = [{ change: okta.change, address: okta.address, type: okta.type }, { change: aws(1, "delete").change, type: "aws_s3_bucket", address: "aws_s3_bucket.b1" }, { change: { actions: ["create"] }, address: "okta_group.g" }];
    const doc = readJsonInput(JSON.stringify(plan), "plan.json") as any;
    expect(doc.resource_changes).toEqual([{ change: okta.change, address: okta.address, type: okta.type }, { type: "aws_s3_bucket", address: "aws_s3_bucket.b1", change: { actions: ["delete"] } }, { change: { actions: ["create"] }, address: "okta_group.g" }]);
  });

  it("keeps whole an entry whose address or type is not a string: relevance is never decided on a wrong type", () => {
    const plan = {
      format_version: "1.2",
      planned_values: { root_module: { resources: [{ address: 7, type: "aws_x", values: { big: 1 } }, { type: "aws_x", values: {} }, { address: "aws_x.a", type: ["okta_group"], values: {} }, { address: "aws_x.b", type: "aws_x", values: {} }] } },
      resource_changes: [{ address: "aws_x.a", type: { t: 1 }, change: { actions: ["no-op"], before: { secret: "s" } } }, { address: "aws_x.b", type: "aws_x", change: ["create"] }, { address: "aws_x.c", type: "aws_x", change: { actions: ["create"], after: {} } }],
    };
    const doc = readJsonInput(JSON.stringify(plan), "plan.json") as any;
    expect(doc.planned_values.root_module.resources).toEqual(plan.planned_values.root_module.resources.slice(0, 3));
    expect(doc.resource_changes).toEqual([...plan.resource_changes.slice(0, 2), { address: "aws_x.c", type: "aws_x", change: { actions: ["create"] } }]);
  });

  it("keeps a member of an unexpected type as it is, for the loaders to refuse", () => {
    const plan = { format_version: "1.2", planned_values: "oops", resource_changes: { not: "a list" }, prior_state: [1], configuration: { root_module: { resources: [7, "x"] } } };
    expect(readJsonInput(JSON.stringify(plan), "plan.json")).toEqual(plan);
  });

  it("parses a key named __proto__ as an own member, never as the prototype", () => {
    const doc = readJsonInput('{"format_version":"1.2","__proto__":"top","configuration":{"__proto__":{"polluted":1}},"resource_changes":[{"type":"aws_x","address":"aws_x.a","__proto__":"p","change":{"actions":["no-op"]}}]}', "plan.json") as any;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(doc, "__proto__")?.value).toBe("top");
    expect(doc.configuration.polluted).toBeUndefined();
    expect(Object.getPrototypeOf(doc.configuration)).toBe(Object.prototype);
    // A stub keeps only its address, type and actions: the member is dropped, the prototype untouched.
    expect(Object.getPrototypeOf(doc.resource_changes[0])).toBe(Object.prototype);
    expect(doc.resource_changes[0]).toEqual({ type: "aws_x", address: "aws_x.a", change: { actions: ["no-op"] } });
  });

  it("reads whole an entry whose deciding key repeats or is written with an escape: what JSON.parse would decide, never the first spelling", () => {
    const entries = [
      '{"address":"aws_x.a","type":"aws_x","typ\\u0065":"okta_group","change":{"actions":["no-op"],"after":{"k":1}}}',
      '{"address":"aws_x.b","type":"aws_x","change":{"actions":["no-op"]},"type":"cloudflare_ruleset"}',
      '{"address":"aws_x.c","type":"aws_x","change":{"actions":["no-op"],"act\\u0069ons":["delete"]}}',
      '{"address":"aws_x.d","type":"aws_x","change":{"actions":["no-op"],"actions":["create"]}}',
      '{"address":"aws_x.e","\\u0061ddress":"okta_group.e","type":"aws_x","change":{"actions":["no-op"]}}',
    ];
    const text = `{"format_version":"1.2","resource_changes":[${entries.join(",")}],"planned_values":{"root_module":{"resources":[${entries.join(",")}]}}}`;
    const doc = readJsonInput(text, "plan.json") as any;
    const full = JSON.parse(text);
    expect(doc.resource_changes).toEqual(full.resource_changes);
    expect(doc.planned_values.root_module.resources).toEqual(full.planned_values.root_module.resources);
  });

  it("keeps the last of a repeated key, as JSON.parse does", () => {
    const doc = readJsonInput('{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":[],"terraform_version":{"x":1},"errored":{"y":1},"errored":false}', "plan.json") as any;
    // A member the engine does not read keeps only scalars (the object that won is dropped); one it reads
    // (`errored`, `complete`) is kept whatever its type, so the shape check can refuse a wrong one.
    expect(doc).toEqual({ format_version: "1.2", resource_changes: [], errored: false });
    expect(readJsonInput('{"format_version":"1.2","resource_changes":[],"complete":true,"complete":{"x":1}}', "plan.json")).toEqual({ format_version: "1.2", resource_changes: [], complete: { x: 1 } });
  });

  it("parses anything that is not a plan or state whole", () => {
    const config = { resource: { aws_s3_bucket: { b: { bucket: "x" } } }, locals: { note: '"format_version"' } };
    expect(readJsonInput(JSON.stringify(config), "main.tf.json")).toEqual(config);
    const nested = { resource_changes: [{ type: "aws_x", format_version: "1" }] };
    expect(readJsonInput(JSON.stringify(nested), "x.json")).toEqual(nested);
  });

  it.each(FIXTURES)("reviews %s to the same result as a full parse", (f) => {
    const text = fixture(f);
    const full = JSON.parse(text);
    const selective = readJsonInput(text, f) as Record<string, unknown>;
    if (!("resource_changes" in full)) {
      expect(loadJsonDocument(selective, text, f)).toEqual(loadJsonDocument(full, text, f));
      return;
    }
    expect(reviewPlan(selective, f, OPTS)).toEqual(reviewPlan(full, f, OPTS));
    expect(driftPlan(selective, f, OPTS)).toEqual(driftPlan(full, f, OPTS));
  });

  it("finds a plan's sensitive values and changes the same way on a mixed plan", () => {
    const text = JSON.stringify(mixedPlan());
    expect(reviewPlan(readJsonInput(text, "p.json") as Record<string, unknown>, "p.json", OPTS)).toEqual(reviewPlan(JSON.parse(text), "p.json", OPTS));
    expect(driftPlan(readJsonInput(text, "p.json") as Record<string, unknown>, "p.json", OPTS)).toEqual(driftPlan(JSON.parse(text), "p.json", OPTS));
  });
});

describe("malformed JSON anywhere is refused, with the position JSON.parse gives", () => {
  const text = JSON.stringify(mixedPlan(), null, 1);
  const outcome = (f: () => unknown): string => {
    try {
      f();
      return "ok";
    } catch (e) {
      if (e instanceof InputError) return e.message;
      throw e;
    }
  };

  it("at every single-character corruption of a plan, the selective reader and a full parse agree", () => {
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.constantFrom("", "x", ",", "}", "]", '"', "\\", "\u0001", "{", ":", "0", "-", " "), (at, ch) => {
        const bad = text.slice(0, at) + ch + text.slice(at + 1);
        expect(outcome(() => readJsonInput(bad, "plan.json"))).toBe(outcome(() => parseJson(bad, "plan.json")));
      }),
      { numRuns: 1500 },
    );
  });

  it("a minified plan agrees with a full parse at every corruption", () => {
    const plan = mixedPlan();
    // Escapes of every kind inside another provider's strings, where only the scanner looks.
    (plan.resource_changes as any[]).push(aws(7, "update"));
    (plan.resource_changes as any[])[3].change.before.bucket = 'q"uo\\te \u00e9 \n\t/ \u2028 end';
    const minified = JSON.stringify(plan) + "\n";
    expect(outcome(() => readJsonInput(minified, "plan.json"))).toBe("ok");
    expect(readJsonInput(minified, "plan.json")).toEqual(readJsonInput(JSON.stringify(plan, null, 1), "plan.json"));
    fc.assert(
      fc.property(fc.nat(minified.length - 2), fc.constantFrom("", "x", ",", "}", '"', "\\", "\\u", "\\x", "\u0001", "\n", "\t", "{", ":", "0"), fc.boolean(), (at, ch, insert) => {
        const bad = minified.slice(0, at) + ch + minified.slice(insert ? at : at + 1);
        expect(outcome(() => readJsonInput(bad, "plan.json"))).toBe(outcome(() => parseJson(bad, "plan.json")));
      }),
      { numRuns: 2000 },
    );
  });

  it("a syntax error deep inside another provider's resource is still refused", () => {
    const bad = text.replace('"old-1"', '"old-1" 1');
    expect(bad).not.toBe(text);
    expect(outcome(() => readJsonInput(bad, "plan.json"))).toMatch(/^plan\.json:\d+:\d+: is not valid JSON$/);
    expect(outcome(() => readJsonInput(text.slice(0, -3), "plan.json"))).toBe("plan.json: is not valid JSON: it ends too early (truncated?)");
  });

  it("the scanner accepts exactly what JSON.parse accepts", () => {
    const scans = (s: string): boolean => {
      try {
        const bytes = Buffer.from(s, "utf8");
        return bytes.toString("utf8", skipValue(bytes, 0)).trim() === "";
      } catch (e) {
        if (e instanceof JsonSyntaxError) return false;
        throw e;
      }
    };
    const verdict = scans;
    const parses = (s: string): boolean => {
      try {
        JSON.parse(s);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(fc.property(fc.json(), (s) => expect(verdict(s)).toBe(true)), { numRuns: 500 });
    fc.assert(
      fc.property(fc.json(), fc.nat(), fc.string({ maxLength: 3 }), (s, at, ins) => {
        const i = at % (s.length + 1);
        const mutated = s.slice(0, i) + ins + s.slice(i);
        expect(verdict(mutated)).toBe(parses(mutated));
      }),
      { numRuns: 3000 },
    );
    for (const s of ["01", "1.", ".5", "-", "1e", "+1", "tru", "nul", '"\\x"', '"\\u12G4"', "[1,]", '{"a":1,}', '{"a"}', "[", "{", '"abc', "1 2", "\u00a01", "NaN", "[-0.5e+3, 1E-2, true, false, null]"]) {
      expect(verdict(s)).toBe(parses(s));
    }
  });
});

describe("strings are scanned four bytes at a time", () => {
  // Each piece lands at every offset within a word as the padding and lengths vary: a quote, a
  // backslash or a control character must be found wherever it sits, and multi-byte characters passed.
  const pieces = ["a", "bcd", '"', "\\", "\u0001", "\n", "\t", "\u001f", "\u007f", "é", "😀", "\\n", '\\"', "\\u00e9", "\\u12", " "];
  it("accepts and ends each string exactly where JSON.parse does", () => {
    fc.assert(
      fc.property(fc.nat(7), fc.array(fc.constantFrom(...pieces), { maxLength: 24 }), fc.constantFrom("", "]", ",1]", ' , "x"]'), (pad, parts, tail) => {
        const text = `${" ".repeat(pad)}["${parts.join("")}"${tail}`;
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const bytes = Buffer.from(text, "utf8");
        let scans: boolean;
        try {
          scans = skipValue(bytes, 0) === bytes.length;
        } catch (e) {
          if (!(e instanceof JsonSyntaxError)) throw e;
          scans = false;
        }
        expect(scans).toBe(parses);
      }),
      { numRuns: 4000 },
    );
  });
});

describe("addressPositions", () => {
  it.each([0, 2])("gives the lines and UTF-16 columns a scan of the decoded text gives, after non-ASCII text (indent %i)", (indent) => {
    const plan = mixedPlan();
    // Two-, three- and four-byte characters before the entries: byte offsets and UTF-16 columns differ.
    plan.variables = { note: { value: "é – 🔑 ✓" } };
    // A repeated address: the first entry is the one pointed at.
    plan.resource_changes = [aws(1, "update"), { ...okta, address: 'okta_log_stream.t["ü🔑"]' }, okta, { ...okta, change: { ...okta.change, actions: ["no-op"] } }];
    plan.resource_drift = [{ ...okta, address: "okta_log_stream.d" }];
    const text = JSON.stringify(plan, null, indent);
    const doc = readJsonInput(Buffer.from(text, "utf8"), "p.json");
    const both = ['okta_log_stream.t["ü🔑"]', "okta_log_stream.s"];
    const changes = addressPositions(doc, "resource_changes", [...both, "okta_log_stream.s", "okta_group.not_in_plan"])!;
    expect(changes).toEqual(locateAddresses(text, "resource_changes", new Set(both)));
    expect(changes.size).toBe(2);
    // Only the addresses asked for: the one after the non-ASCII address still gets its UTF-16 column.
    expect(addressPositions(doc, "resource_changes", ["okta_log_stream.s"])).toEqual(locateAddresses(text, "resource_changes", new Set(["okta_log_stream.s"])));
    expect(addressPositions(doc, "resource_changes", [])!.size).toBe(0);
    expect(addressPositions(doc, "resource_drift", ["okta_log_stream.d"])).toEqual(locateAddresses(text, "resource_drift", new Set(["okta_log_stream.d"])));
    expect(addressPositions(JSON.parse(text), "resource_changes", both)).toBeUndefined();
  });

  it("gives the position of an entry read whole (a key with an escape) and an empty map for a section the plan lacks", () => {
    const plan = mixedPlan();
    delete plan.resource_drift;
    plan.resource_changes = [aws(1, "update"), okta];
    // `"mod\u0065"` is `mode`: the entry is read whole by JSON.parse, and its address keeps its position.
    const text = JSON.stringify(plan, null, 1).replace(/"mode": "managed",(\s*)"type": "okta_log_stream"/g, '"mod\\u0065": "managed",$1"type": "okta_log_stream"');
    expect(text).toContain("mod\\u0065");
    const doc = readJsonInput(Buffer.from(text, "utf8"), "p.json");
    expect(addressPositions(doc, "resource_changes", [okta.address])).toEqual(locateAddresses(text, "resource_changes", new Set([okta.address])));
    expect(addressPositions(doc, "resource_changes", [okta.address])!.size).toBe(1);
    expect(addressPositions(doc, "resource_drift", [okta.address])).toEqual(new Map());
  });
});

describe("utf8Bytes", () => {
  const outcome = (f: () => unknown): string => {
    try {
      return String(f());
    } catch (e) {
      if (e instanceof InputError) return e.message;
      throw e;
    }
  };
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const utf16 = (s: string, be: boolean): Buffer => {
    const le = Buffer.from(`\ufeff${s}`, "utf16le");
    return be ? Buffer.from(le).swap16() : le;
  };
  it.each([
    ["plain UTF-8", Buffer.from('{"a":"é🔑"}')],
    ["a BOM", Buffer.concat([bom, Buffer.from('{"a":1}')])],
    ["two BOMs", Buffer.concat([bom, bom, Buffer.from('{"a":1}')])],
    ["UTF-16 LE", utf16('{"a":"é🔑"}', false)],
    ["UTF-16 BE", utf16('{"a":"é🔑"}', true)],
    ["a NUL byte", Buffer.from([0x7b, 0x00, 0x7d])],
    ["a NUL byte in a plan", Buffer.from('{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "change": {"after": {"bucket": "a\u0000b"}}}]}')],
    ["a BOM and a NUL byte", Buffer.concat([bom, Buffer.from([0x7b, 0x00, 0x7d])])],
    ["UTF-16 with a NUL character", utf16('{"a": 1,\u0000}', false)],
    ["invalid UTF-8", Buffer.from([0x7b, 0xc3, 0x28, 0x7d])],
    ["a BOM then invalid UTF-8", Buffer.concat([bom, Buffer.from([0xff])])],
  ])("read as JSON, gives what decode's text gives, or is refused as it is: %s", (_, buf) => {
    // A NUL byte in valid UTF-8 is refused on the way to the JSON reader's error, not by utf8Bytes (one pass less over a plan).
    const read = (f: () => unknown) => outcome(() => JSON.stringify(f()));
    expect(read(() => readJsonBytes(buf, utf8Bytes(buf, "f.json"), "f.json"))).toBe(read(() => parseJson(decode(buf, "f.json"), "f.json")));
  });
  it("gives the bytes of the text decode gives for every input that holds no NUL byte", () => {
    for (const buf of [Buffer.from('{"a":"é🔑"}'), Buffer.concat([bom, bom, Buffer.from('{"a":1}')]), utf16('{"a":"é🔑"}', true)]) {
      expect(utf8Bytes(buf, "f.json").toString("utf8")).toBe(decode(buf, "f.json"));
    }
  });
});
