/**
 * Selective reading of plan and state JSON (`terraform show -json`): the same value `JSON.parse` would
 * give, minus what no rule reads: other providers' resources, outputs, checks and relevant_attributes.
 * Most of a real plan is other providers' resources, so building only the Okta and Cloudflare entries
 * makes a review cheaper than parsing the file.
 *
 * The guarantees that do not bend for speed:
 * - the whole file is still checked: malformed JSON anywhere is refused with its position, in the
 *   words `JSON.parse` would give (the scanner finds the error; {@link parseJson} re-reads to word it);
 * - everything that can carry a sensitive value or a reference the rules follow is kept whole: every
 *   Okta and Cloudflare entry (with its `*_sensitive` and `*_unknown` mirrors), the `variables`, the
 *   `configuration`'s provider blocks and variable declarations, and the configuration of every Okta
 *   and Cloudflare resource in every module;
 * - an entry of `resource_changes` or `resource_drift` for another provider is not dropped but kept as
 *   a stub (its `address`, `type` and `change.actions`), so counts of changes and drift stay true; so is
 *   another provider's resource in the configuration (its `address` and `type`, without its
 *   expressions), so a plan still says every address its configuration declares (--synth and
 *   --repo-root match stacks and directories by them);
 * - a member of an unexpected type (a string where an object belongs) is kept as it is, for the
 *   loaders' own checks to refuse.
 * Anything that is not a plan or state (no top-level `format_version`) is parsed whole.
 *
 * The reader scans the file's UTF-8 bytes (see json-scan): the whole text is never decoded, only the
 * slices that are kept.
 */
import { isAscii } from "node:buffer";
import { cursor, expectEnd, isArrayAt, isContainerAt, isObjectAt, JsonSyntaxError, readScalar, readString, findMembers, memberQuery, scanArray, scanObject, skipSpace, skipValue } from "./json-scan";
import { addressKind, providerOf } from "../model/model";
import { InputError } from "../errors";
import { binaryFile, isBinary, MAX_DEPTH, parseJson } from "./read-input";

type Json = Record<string, unknown>;

/** How to read one value. */
type Spec =
  /** Build it whole. */
  | "keep"
  /** Check it, build nothing. */
  | "skip"
  /** Build scalars; check and drop objects and arrays. */
  | "scalars"
  /** An object: members by name, the rest by `rest`. */
  | { members: Readonly<Record<string, Spec>>; rest: "keep" | "skip" | "scalars" }
  /** An object whose every member is read by `each` (module_calls). */
  | { every: Spec }
  /** An array whose every element is read by `each` (child_modules). */
  | { each: Spec }
  /**
   * A list of resource entries: Okta and Cloudflare ones whole, others dropped (`resources`) or stubbed:
   * `changes` (whose `section` records where each address is) and `declarations` (the configuration's).
   */
  | { entries: "resources" | "changes" | "declarations"; section?: Section };

type Section = "resource_changes" | "resource_drift";

/** Where, in the bytes, each Okta or Cloudflare entry of a section has its `"address"` key (first entry per address). */
type Offsets = Partial<Record<Section, Map<string, number>>>;

interface Read {
  bytes: Buffer;
  offsets: Offsets;
}

const OFFSETS = new WeakMap<object, Read>();

/**
 * The line and column (1-based, the column in UTF-16 code units) of the `"address"` key of each Okta
 * and Cloudflare entry of `section` named in `wanted` (the addresses that have findings), as
 * plan-locations' scan of the text would give them: findings point at their plan entry without
 * decoding or scanning the text again. Undefined for a document this reader did not read.
 */
export function addressPositions(doc: unknown, section: Section, wanted: Iterable<string>): ReadonlyMap<string, { line: number; column: number }> | undefined {
  const read = doc !== null && typeof doc === "object" ? OFFSETS.get(doc) : undefined;
  if (!read) return undefined;
  // A plan without the section has no entry there to point at: nothing to decode the text for.
  const byBytes = read.offsets[section] ?? new Map<string, number>();
  const entries: Array<[string, number]> = [];
  for (const address of new Set(wanted)) {
    const at = byBytes.get(address);
    if (at !== undefined) entries.push([address, at]);
  }
  entries.sort((x, y) => x[1] - y[1]);
  // The start of each entry's line, found by the native indexOf (a minified plan has no newline).
  const lineStarts: number[] = [];
  const lines: number[] = [];
  let line = 1;
  let lineStart = 0;
  let nextNewline = read.bytes.indexOf(10);
  for (const [, at] of entries) {
    while (nextNewline !== -1 && nextNewline < at) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = read.bytes.indexOf(10, lineStart);
    }
    lineStarts.push(lineStart);
    lines.push(line);
  }
  // Both lists ascend; each is converted in one pass.
  const units = utf16Offsets(read.bytes, entries.map(([, at]) => at));
  const lineUnits = utf16Offsets(read.bytes, lineStarts);
  return new Map(entries.map(([address], k) => [address, { line: lines[k], column: units[k] - lineUnits[k] + 1 }]));
}

/**
 * Byte offsets (ascending) of UTF-8 `bytes` as offsets in UTF-16 code units: each continuation byte
 * adds no unit, each four-byte character two. ASCII text needs no count.
 */
function utf16Offsets(bytes: Buffer, ascending: readonly number[]): number[] {
  if (ascending.length === 0 || isAscii(bytes.subarray(0, ascending[ascending.length - 1]))) return [...ascending];
  const out: number[] = [];
  let units = 0;
  let at = 0;
  for (const target of ascending) {
    for (; at < target; at++) {
      const b = bytes[at];
      if (b < 0x80 || b >= 0xc0) units += b >= 0xf0 ? 2 : 1;
    }
    out.push(units);
  }
  return out;
}

const SKIPPED = Symbol("skipped");

/** A module of planned_values, prior_state or a state: resources, and child modules recursively. */
const MODULE: { members: Record<string, Spec>; rest: "scalars" } = { members: {}, rest: "scalars" };
MODULE.members.resources = { entries: "resources" };
MODULE.members.child_modules = { each: MODULE };

/** A module of the configuration: its Okta and Cloudflare resources, variable declarations, and module calls recursively. */
const CONFIG_MODULE: { members: Record<string, Spec>; rest: "scalars" } = { members: {}, rest: "scalars" };
CONFIG_MODULE.members.resources = { entries: "declarations" };
CONFIG_MODULE.members.variables = "keep";
CONFIG_MODULE.members.module_calls = { every: { members: { module: CONFIG_MODULE }, rest: "scalars" } };

const VALUES: Spec = { members: { root_module: MODULE }, rest: "scalars" };

const DOCUMENT: Spec = {
  members: {
    planned_values: VALUES,
    prior_state: { members: { values: VALUES }, rest: "scalars" },
    values: VALUES,
    resource_changes: { entries: "changes", section: "resource_changes" },
    resource_drift: { entries: "changes", section: "resource_drift" },
    configuration: { members: { root_module: CONFIG_MODULE, provider_config: "keep" }, rest: "scalars" },
    variables: "keep",
    deferred_changes: "keep",
    // Read by the engine, so kept whatever their type: a wrong type must reach the shape check (plan-shape), not vanish.
    complete: "keep",
    errored: "keep",
  },
  rest: "scalars",
};

/**
 * {@link readJsonInput} on a file's bytes: `raw` as read, `bytes` its UTF-8 form (read-input's
 * utf8Bytes). A file that read-input's `decode` refuses as binary is refused so here too, on the way to
 * the reader's error: the reader refuses every NUL byte, so valid input is never scanned for one first.
 */
export function readJsonBytes(raw: Buffer, bytes: Buffer, file: string): unknown {
  try {
    return readJsonInput(bytes, file);
  } catch (e) {
    if (e instanceof InputError && isBinary(raw)) throw binaryFile(file);
    throw e;
  }
}

/**
 * Parses JSON input, given as text or as its UTF-8 bytes (see read-input's utf8Bytes). A plan or state
 * is read selectively (see the module comment); anything else, and any text the scanner refuses, goes
 * to {@link parseJson}, which gives the position of a syntax error.
 */
export function readJsonInput(input: string | Buffer, file: string): unknown {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const whole = (): unknown => parseJson(typeof input === "string" ? input : bytes.toString("utf8"), file);
  // A cheap test first: configurations and manifests are parsed whole, as before.
  if (!bytes.includes('"format_version"')) return whole();
  let doc: unknown;
  try {
    const start = skipSpace(bytes, 0);
    if (!isObjectAt(bytes, start)) return whole();
    const offsets: Offsets = {};
    const [value, end] = read(bytes, start, DOCUMENT, 0, offsets);
    expectEnd(bytes, end);
    doc = value;
    if (doc !== null && typeof doc === "object") OFFSETS.set(doc, { bytes, offsets });
  } catch (e) {
    if (e instanceof JsonSyntaxError) return whole();
    throw e;
  }
  // `"format_version"` appeared, but not as a top-level key: not a plan or state, so nothing may be left out.
  return doc !== null && typeof doc === "object" && Object.prototype.hasOwnProperty.call(doc, "format_version") ? doc : whole();
}

/** Builds the whole value at `start` with the native parser (its slice is already checked). */
function build(text: Buffer, start: number): [unknown, number] {
  const end = skipValue(text, start);
  return [JSON.parse(text.toString("utf8", start, end)), end];
}

/** Sets a member as JSON.parse would: `__proto__` is an own property, never the prototype. */
function setMember(o: Json, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Reads the value at `start` by `spec`; returns it (or SKIPPED) and the offset after it. */
function read(text: Buffer, start: number, spec: Spec, depth: number, offsets: Offsets): [unknown, number] {
  if (spec === "keep") return build(text, start);
  if (spec === "skip") return [SKIPPED, skipValue(text, start)];
  if (spec === "scalars") return isContainerAt(text, start) ? [SKIPPED, skipValue(text, start)] : [readScalar(text, start), cursor.end];
  // Past any real nesting (the module walkers refuse deeper documents): build it, for them to refuse.
  if (depth > MAX_DEPTH) return build(text, start);
  if ("entries" in spec) {
    if (!isArrayAt(text, start)) return build(text, start);
    // A repeated key: JSON.parse keeps the last, and so do the offsets.
    const at = spec.section ? (offsets[spec.section] = new Map()) : undefined;
    return readEntries(text, start, spec.entries, at);
  }
  if ("each" in spec) {
    if (!isArrayAt(text, start)) return build(text, start);
    const out: unknown[] = [];
    const end = scanArray(text, start, (at) => {
      const [v, after] = read(text, at, spec.each, depth + 1, offsets);
      out.push(v);
      return after;
    });
    return [out, end];
  }
  if (!isObjectAt(text, start)) return build(text, start);
  const out: Json = {};
  const end = scanObject(text, start, (key, at) => {
    // An own-property lookup: a key such as `__proto__` or `constructor` must not find Object.prototype's.
    const memberSpec = "every" in spec ? spec.every : Object.hasOwn(spec.members, key) ? spec.members[key] : spec.rest;
    const [v, after] = read(text, at, memberSpec, depth + 1, offsets);
    if (v !== SKIPPED) setMember(out, key, v);
    // A repeated key: JSON.parse keeps the last value, so a dropped last value drops an earlier one.
    else if (Object.hasOwn(out, key)) delete out[key];
    return after;
  });
  return [out, end];
}

/** Okta and Cloudflare types: the only resources the catalogue reads. */
function relevant(type: string): boolean {
  return providerOf(type) !== undefined;
}

/** What decides an entry's relevance and makes its stub: found as bytes, without decoding. */
const CHANGE = memberQuery(["actions"]);
const ENTRY = memberQuery(["address", "type", "change"], { of: "change", query: CHANGE });
const [ADDRESS, TYPE, CHANGE_AT] = [0, 1, 2];

/**
 * An array of resource entries. Each object entry is scanned once, its members skipped but for where
 * `address`, `type` and `change` are. An Okta or Cloudflare entry is then built whole, and so is an
 * entry whose address, type or change is not of its type (what decides relevance must be refusable,
 * never skipped) or whose keys need decoding. Another provider's entry is dropped (`resources`) or kept
 * as a stub of its `address`, `type` and `change.actions` (`changes`: what counts of changes and
 * drift, and the shape check of every entry, read; `declarations`: the addresses a configuration
 * declares).
 */
function readEntries(text: Buffer, start: number, kind: "resources" | "changes" | "declarations", offsets?: Map<string, number>): [unknown[], number] {
  const out: unknown[] = [];
  const whole = (at: number): number => {
    const [v, after] = build(text, at);
    out.push(v);
    // Its address still gets its position: a finding on it points at the entry as any other does.
    if (offsets && isObjectAt(text, at)) {
      const address = (v as Json).address;
      if (typeof address === "string" && !offsets.has(address)) offsets.set(address, lastAddressKey(text, at));
    }
    return after;
  };
  const end = scanArray(text, start, (at) => {
    if (!isObjectAt(text, at)) return whole(at);
    const after = findMembers(text, at, ENTRY);
    if (after < 0) return whole(at);
    const addressAt = ENTRY.values[ADDRESS];
    const typeAt = ENTRY.values[TYPE];
    const changeAt = ENTRY.values[CHANGE_AT];
    // A string address is required; a type, when present, is a string; a change, when present, an object.
    if (addressAt < 0 || text[addressAt] !== 34 || (typeAt >= 0 && text[typeAt] !== 34) || (changeAt >= 0 && !isObjectAt(text, changeAt))) return whole(at);
    // Types recur, so reading one costs a look-up in readString's table, not a decode.
    const type = typeAt >= 0 ? readString(text, typeAt) : undefined;
    if (relevant(type ?? addressKind(readString(text, addressAt)).type)) {
      out.push(JSON.parse(text.toString("utf8", at, after)));
      const address = readString(text, addressAt);
      if (offsets && !offsets.has(address)) offsets.set(address, ENTRY.keys[ADDRESS]);
      return after;
    }
    if (kind === "resources") return after;
    const stub: Json = {};
    setMember(stub, "address", readString(text, addressAt));
    if (type !== undefined) setMember(stub, "type", type);
    if (kind === "changes" && changeAt >= 0) {
      const actionsAt = CHANGE.values[0];
      stub.change = actionsAt < 0 ? {} : { actions: readActions(text, actionsAt) };
    }
    out.push(stub);
    return after;
  });
  return [out, end];
}

/** Where the entry at `at` has its last `address` key (the one JSON.parse keeps), keys decoded: an entry read whole may spell it with escapes. */
function lastAddressKey(text: Buffer, at: number): number {
  let last = -1;
  scanObject(text, at, (key, valueAt, keyStart) => {
    if (key === "address") last = keyStart;
    return skipValue(text, valueAt);
  });
  return last;
}

/** `change.actions` at `start`: a list of strings read string by string (they recur), anything else built whole. */
function readActions(text: Buffer, start: number): unknown {
  if (!isArrayAt(text, start)) return build(text, start)[0];
  const actions: string[] = [];
  let plain = true;
  scanArray(text, start, (at) => {
    if (text[at] !== 34 /* " */) {
      plain = false;
      return skipValue(text, at);
    }
    actions.push(readString(text, at));
    return cursor.end;
  });
  return plain ? actions : build(text, start)[0];
}
