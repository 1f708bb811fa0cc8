/**
 * Terraform's built-in functions that a configuration uses to shape values (collections, strings,
 * JSON, type conversions), with Terraform's rules for unknown arguments: a function whose result
 * depends on an unknown part is unknown. Functions that read files, the clock, randomness or the
 * network, and any function not listed, give unknown.
 */
import { InstanceValue, isPlainObject, record, unknownish } from "./hcl-values";
import { UNKNOWN } from "../model/model";

/** Terraform would refuse the expression (a type error, a missing key); `try` and `can` catch it. */
export class EvalError extends Error {}

const LAZY = new Set(["try", "can"]);
export const isLazyFunction = (name: string): boolean => LAZY.has(name);

/** True when any part of `v` is not known. */
export function hasUnknown(v: unknown): boolean {
  if (unknownish(v) || v instanceof InstanceValue) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (isPlainObject(v)) return Object.values(v).some(hasUnknown);
  return false;
}

/** A primitive as Terraform's string conversion gives it. */
export function toStringValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) throw new EvalError("null where a string is required");
  throw new EvalError("a collection where a string is required");
}

function list(v: unknown, fn: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new EvalError(`${fn}: not a list`);
}

function str(v: unknown, fn: string): string {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return toStringValue(v);
  throw new EvalError(`${fn}: not a string`);
}

function num(v: unknown, fn: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  throw new EvalError(`${fn}: not a number`);
}

function obj(v: unknown, fn: string): Record<string, unknown> {
  if (isPlainObject(v)) return v;
  throw new EvalError(`${fn}: not a map or object`);
}

/** Terraform's JSON encoding of a known value. */
function jsonEncode(v: unknown): string {
  // Go's encoding/json (which Terraform's jsonencode uses) escapes <, >, & and the JavaScript line
  // separators inside strings; they occur nowhere else in JSON text.
  return JSON.stringify(sortKeys(v)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Terraform's type unification of a collection's elements or a conditional's results, for
 * primitives: strings beside numbers or bools make them all strings (`tomap({a=1, b="x"})` is
 * `{a="1", b="x"}`). Other mixtures are left as they are.
 */
export function unifyPrimitives(values: readonly unknown[]): unknown[] {
  const primitive = (x: unknown) => typeof x === "string" || typeof x === "number" || typeof x === "boolean";
  if (!values.some((x) => typeof x === "string") || !values.some((x) => typeof x === "number" || typeof x === "boolean")) return [...values];
  if (!values.every((x) => x === null || primitive(x))) return [...values];
  return values.map((x) => (x === null ? x : toStringValue(x)));
}

/** Go's strings.ToUpper / ToLower: one code point to one (Unicode simple case mapping), so "ß" stays "ß". */
function simpleCase(s: string, upper: boolean): string {
  let out = "";
  for (const c of s) {
    const full = upper ? c.toUpperCase() : c.toLowerCase();
    if ([...full].length === 1) out += full;
    else out += simpleCaseException(c.codePointAt(0)!, upper) ?? c;
  }
  return out;
}

/** The few characters whose full case mapping is several code points but whose simple mapping is another one. */
function simpleCaseException(cp: number, upper: boolean): string | undefined {
  if (!upper) return cp === 0x130 ? "i" : undefined;
  // Greek with ypogegrammeni: ᾀ (U+1F80) maps to ᾈ (U+1F88), ᾳ to ᾼ, ῃ to ῌ, ῳ to ῼ.
  if ((cp >= 0x1f80 && cp <= 0x1faf && (cp & 0xf) < 8)) return String.fromCodePoint(cp + 8);
  const single: Record<number, number> = { 0x1fb3: 0x1fbc, 0x1fc3: 0x1fcc, 0x1ff3: 0x1ffc };
  return single[cp] !== undefined ? String.fromCodePoint(single[cp]) : undefined;
}

/** Terraform encodes object attributes in lexical order. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isPlainObject(v)) {
    const out = record();
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/** JSON parsed into null-prototype objects. */
function jsonDecode(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EvalError("jsondecode: not JSON");
  }
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (v !== null && typeof v === "object") {
      const out = record();
      for (const [k, x] of Object.entries(v)) out[k] = convert(x);
      return out;
    }
    return v;
  };
  return convert(parsed);
}

/** A set of primitives as Terraform orders it: deduplicated, strings in lexical order. */
function toSet(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of unifyPrimitives(items)) if (!out.some((y) => y === x)) out.push(x);
  if (out.every((x) => typeof x === "string")) return (out as string[]).sort();
  if (out.every((x) => typeof x === "number")) return (out as number[]).sort((a, b) => a - b);
  return out;
}

/** Go-style `format` verbs Terraform supports, for known arguments. */
function format(spec: string, args: unknown[]): string {
  let i = 0;
  return spec.replace(/%(%|([-+# 0]*)(\d*)(?:\.\d+)?[sdvqftbeEgGxXo])/g, (m, verb: string, flags: string | undefined, width: string | undefined) => {
    if (verb === "%") return "%";
    const text = formatOne(m, verb, args[i++]);
    const w = Number(width || 0);
    if (text.length >= w) return text;
    if (flags?.includes("-")) return text.padEnd(w);
    if (flags?.includes("0") && /[dfeEgG]$/.test(verb)) return text.startsWith("-") ? `-${text.slice(1).padStart(w - 1, "0")}` : text.padStart(w, "0");
    return text.padStart(w);
  });
}

function formatOne(m: string, verb: string, a: unknown): string {
  {
    if (a === undefined) throw new EvalError("format: too few arguments");
    const v = verb[verb.length - 1];
    switch (v) {
      case "s":
      case "v":
        return typeof a === "string" || typeof a === "number" || typeof a === "boolean" ? toStringValue(a) : jsonEncode(a);
      case "q":
        return JSON.stringify(str(a, "format"));
      case "d":
        return String(Math.trunc(num(a, "format")));
      case "f": {
        const p = /\.(\d+)/.exec(verb);
        return num(a, "format").toFixed(p ? Number(p[1]) : 6);
      }
      case "t":
        return String(a === true);
      default:
        throw new EvalError(`format: verb ${m} is not read`);
    }
  }
}

type Fn = (args: unknown[]) => unknown;

/** Functions whose result is unknown as soon as any argument has an unknown part. */
const STRICT: Record<string, Fn> = {
  jsonencode: ([v]) => jsonEncode(v),
  jsondecode: ([v]) => jsonDecode(str(v, "jsondecode")),
  format: ([f, ...rest]) => format(str(f, "format"), rest),
  join: ([sep, ...lists]) => lists.flatMap((l) => list(l, "join").map((x) => str(x, "join"))).join(str(sep, "join")),
  split: ([sep, s]) => str(s, "split").split(str(sep, "split")),
  lower: ([s]) => simpleCase(str(s, "lower"), false),
  upper: ([s]) => simpleCase(str(s, "upper"), true),
  title: ([s]) => str(s, "title").replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => str(s, "trimspace").trim(),
  trim: ([s, cut]) => {
    const chars = new Set(str(cut, "trim"));
    let t = str(s, "trim");
    while (t && chars.has(t[0])) t = t.slice(1);
    while (t && chars.has(t[t.length - 1])) t = t.slice(0, -1);
    return t;
  },
  trimprefix: ([s, p]) => (str(s, "trimprefix").startsWith(str(p, "trimprefix")) ? str(s, "trimprefix").slice(str(p, "trimprefix").length) : str(s, "trimprefix")),
  trimsuffix: ([s, p]) => (str(s, "trimsuffix").endsWith(str(p, "trimsuffix")) && str(p, "trimsuffix") !== "" ? str(s, "trimsuffix").slice(0, -str(p, "trimsuffix").length) : str(s, "trimsuffix")),
  startswith: ([s, p]) => str(s, "startswith").startsWith(str(p, "startswith")),
  endswith: ([s, p]) => str(s, "endswith").endsWith(str(p, "endswith")),
  replace: ([s, from, to]) => {
    const f = str(from, "replace");
    if (f.length > 1 && f.startsWith("/") && f.endsWith("/")) throw new EvalError("replace: regular expressions are not read");
    return str(s, "replace").split(f).join(str(to, "replace"));
  },
  substr: ([s, off, len]) => {
    const chars = [...str(s, "substr")];
    let o = num(off, "substr");
    if (o < 0) o = chars.length + o;
    const l = num(len, "substr");
    return chars.slice(o, l < 0 ? undefined : o + l).join("");
  },
  strrev: ([s]) => [...str(s, "strrev")].reverse().join(""),
  urlencode: ([s]) => encodeURIComponent(str(s, "urlencode")).replace(/%20/g, "+"),
  base64encode: ([s]) => Buffer.from(str(s, "base64encode"), "utf8").toString("base64"),
  base64decode: ([s]) => Buffer.from(str(s, "base64decode"), "base64").toString("utf8"),
  tostring: ([v]) => (v === null ? null : str(v, "tostring")),
  tonumber: ([v]) => (v === null ? null : num(v, "tonumber")),
  tobool: ([v]) => {
    if (v === null || typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    throw new EvalError("tobool: not a bool");
  },
  distinct: ([l]) => list(l, "distinct").filter((x, i, all) => all.findIndex((y) => JSON.stringify(sortKeys(y)) === JSON.stringify(sortKeys(x))) === i),
  toset: ([l]) => toSet(list(l, "toset")),
  sort: ([l]) => list(l, "sort").map((x) => str(x, "sort")).sort(),
  reverse: ([l]) => [...list(l, "reverse")].reverse(),
  index: ([l, v]) => {
    const i = list(l, "index").findIndex((x) => JSON.stringify(x) === JSON.stringify(v));
    if (i < 0) throw new EvalError("index: not found");
    return i;
  },
  zipmap: ([ks, vs]) => {
    const keys = list(ks, "zipmap");
    const values = list(vs, "zipmap");
    if (keys.length !== values.length) throw new EvalError("zipmap: lengths differ");
    const out = record();
    keys.forEach((k, i) => (out[str(k, "zipmap")] = values[i]));
    return out;
  },
  range: (args) => {
    const [a, b, s] = args.map((x) => num(x, "range"));
    const [start, end, step] = args.length === 1 ? [0, a, 1] : [a, b, s ?? (a <= b ? 1 : -1)];
    if (step === 0 || Math.abs((end - start) / step) > 10_000) throw new EvalError("range: too many elements");
    const out: number[] = [];
    for (let x = start; step > 0 ? x < end : x > end; x += step) out.push(x);
    return out;
  },
  sum: ([l]) => list(l, "sum").reduce((a: number, x) => a + num(x, "sum"), 0),
  max: (args) => Math.max(...args.map((x) => num(x, "max"))),
  min: (args) => Math.min(...args.map((x) => num(x, "min"))),
  abs: ([x]) => Math.abs(num(x, "abs")),
  ceil: ([x]) => Math.ceil(num(x, "ceil")),
  floor: ([x]) => Math.floor(num(x, "floor")),
  alltrue: ([l]) => list(l, "alltrue").every((x) => x === true || x === "true"),
  anytrue: ([l]) => list(l, "anytrue").some((x) => x === true || x === "true"),
  setunion: (ls) => toSet(ls.flatMap((l) => list(l, "setunion"))),
  setintersection: ([first, ...rest]) => toSet(list(first, "setintersection").filter((x) => rest.every((l) => list(l, "setintersection").includes(x)))),
  setsubtract: ([a, b]) => toSet(list(a, "setsubtract").filter((x) => !list(b, "setsubtract").includes(x))),
};

/**
 * Functions that pass unknown parts through: their result's shape is known when the collections
 * themselves are (a list of two unknown ids still has two entries).
 */
const SHAPING: Record<string, Fn> = {
  // An element not known yet cannot make a known match false: contains(["a", x], "a") is true (Terraform 1.11).
  contains: ([l, v]) => {
    if (unknownish(l) || hasUnknown(v)) return UNKNOWN;
    const wanted = JSON.stringify(sortKeys(v));
    let unknownElement = false;
    for (const x of list(l, "contains")) {
      if (hasUnknown(x)) unknownElement = true;
      else if (JSON.stringify(sortKeys(x)) === wanted) return true;
    }
    return unknownElement ? UNKNOWN : false;
  },
  length: ([v]) => {
    if (unknownish(v)) return UNKNOWN;
    if (Array.isArray(v)) return v.length;
    if (isPlainObject(v)) return Object.keys(v).length;
    if (typeof v === "string") return [...v].length;
    throw new EvalError("length: not a collection or string");
  },
  concat: (ls) => (ls.some(unknownish) ? UNKNOWN : ls.flatMap((l) => list(l, "concat"))),
  merge: (os) => {
    if (os.some(unknownish)) return UNKNOWN;
    const out = record();
    for (const o of os) if (o !== null) Object.assign(out, obj(o, "merge"));
    return out;
  },
  flatten: ([l]) => {
    const flat = (v: unknown): unknown[] | typeof UNKNOWN => {
      if (unknownish(v)) return UNKNOWN;
      const out: unknown[] = [];
      for (const x of list(v, "flatten")) {
        if (Array.isArray(x) || unknownish(x)) {
          const sub = flat(x);
          if (sub === UNKNOWN) return UNKNOWN;
          out.push(...sub);
        } else out.push(x);
      }
      return out;
    };
    return flat(l);
  },
  keys: ([o]) => (unknownish(o) ? UNKNOWN : Object.keys(obj(o, "keys")).sort()),
  values: ([o]) => {
    if (unknownish(o)) return UNKNOWN;
    const m = obj(o, "values");
    return Object.keys(m)
      .sort()
      .map((k) => m[k]);
  },
  lookup: ([o, k, d]) => {
    if (unknownish(o) || unknownish(k)) return UNKNOWN;
    const m = obj(o, "lookup");
    const key = str(k, "lookup");
    if (Object.prototype.hasOwnProperty.call(m, key)) return m[key];
    if (d === undefined) throw new EvalError("lookup: no such key and no default");
    return d;
  },
  element: ([l, i]) => {
    if (unknownish(l) || unknownish(i)) return UNKNOWN;
    const items = list(l, "element");
    if (items.length === 0) throw new EvalError("element: empty list");
    const n = num(i, "element");
    return items[((n % items.length) + items.length) % items.length];
  },
  one: ([l]) => {
    if (unknownish(l)) return UNKNOWN;
    if (l === null) return null;
    const items = list(l, "one");
    if (items.length > 1) throw new EvalError("one: more than one element");
    return items.length === 0 ? null : items[0];
  },
  coalesce: (args) => {
    for (const a of args) {
      if (unknownish(a)) return UNKNOWN;
      if (a !== null && a !== "") return a;
    }
    throw new EvalError("coalesce: no non-null argument");
  },
  coalescelist: (args) => {
    for (const a of args) {
      if (unknownish(a)) return UNKNOWN;
      if (list(a, "coalescelist").length > 0) return a;
    }
    throw new EvalError("coalescelist: every list is empty");
  },
  compact: ([l]) => {
    if (unknownish(l)) return UNKNOWN;
    const items = list(l, "compact");
    if (items.some(unknownish)) return UNKNOWN;
    return items.filter((x) => x !== null && x !== "");
  },
  tolist: ([l]) => (unknownish(l) ? UNKNOWN : unifyPrimitives(list(l, "tolist"))),
  tomap: ([o]) => {
    if (unknownish(o)) return UNKNOWN;
    const m = obj(o, "tomap");
    const keys = Object.keys(m);
    if (keys.some((k) => unknownish(m[k]))) return m;
    const values = unifyPrimitives(keys.map((k) => m[k]));
    const out = record();
    keys.forEach((k, i) => (out[k] = values[i]));
    return out;
  },
  sensitive: ([v]) => v,
  nonsensitive: ([v]) => v,
  slice: ([l, a, b]) => {
    if (unknownish(l) || unknownish(a) || unknownish(b)) return UNKNOWN;
    return list(l, "slice").slice(num(a, "slice"), num(b, "slice"));
  },
};

/** Calls a built-in function (not `try`/`can`, which need their arguments unevaluated). */
export function callFunction(name: string, args: unknown[]): unknown {
  const shaping = SHAPING[name];
  if (shaping) return shaping(args);
  const strict = STRICT[name];
  if (!strict) return UNKNOWN;
  if (args.some(hasUnknown)) return UNKNOWN;
  return strict(args);
}
