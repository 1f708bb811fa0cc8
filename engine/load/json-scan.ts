/**
 * A validating JSON scanner over the UTF-8 bytes of a text (already checked to be UTF-8) that builds nothing: it checks the grammar of RFC 8259 (the
 * grammar `JSON.parse` accepts) and reports where values start and end, so a reader can build only the
 * parts it needs (with `JSON.parse` of their slice) and still refuse a malformed file anywhere in it.
 * It is iterative, so any nesting depth scans without growing the call stack.
 *
 * On a syntax error it throws {@link JsonSyntaxError}; callers re-parse with `JSON.parse` to report
 * the position in the words the rest of the tool uses (see read-input's parseJson).
 * Scanning bytes spares decoding the whole file: only the slices a reader keeps become strings.
 *
 * Bytes are compared with their ASCII codes written as numbers (9 tab, 10 LF, 13 CR, 32 space,
 * 34 `"`, 44 `,`, 45 `-`, 46 `.`, 48–57 digits, 58 `:`, 91 `[`, 92 `\`, 93 `]`, 123 `{`, 125 `}`):
 * a `const enum` is not inlined under `isolatedModules`, and a property load per byte in these loops
 * cost a third of the scan.
 */

/** The scanned text is not JSON. `offset` is where the scanner stopped (a byte offset). */
export class JsonSyntaxError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

function fail(offset: number): never {
  throw new JsonSyntaxError(offset);
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The offset of the first non-whitespace character at or after `i`. */
export function skipSpace(t: Buffer, i: number): number {
  while (isSpace(t[i])) i++;
  return i;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));
}

/** 1 for a byte that may stand for itself inside a string: not a control character, quote or backslash. */
const PLAIN = new Uint8Array(256).map((_, b) => (b >= 32 && b !== 34 && b !== 92 ? 1 : 0));

/**
 * A little-endian view of the bytes being scanned, for reading four at a time (kept for the last buffer
 * seen: one document is scanned at a time, and the check costs one comparison per string).
 */
let viewed: Buffer | undefined;
let view: DataView = new DataView(new ArrayBuffer(0));

/** How many escape sequences {@link skipString} has passed: a caller tells an escaped key by a change. */
let escapes = 0;

/**
 * The offset just after the string that starts (with its quote) at `i`. Bytes of 0x80 and above are
 * parts of UTF-8 characters (the text is checked to be UTF-8 before it is scanned).
 *
 * It reads four bytes a step: a bare loop over single bytes costs more than all the rest of a scan of
 * a plan, which is mostly strings.
 */
export function skipString(t: Buffer, i: number): number {
  if (t[i] !== 34) fail(i);
  if (t !== viewed) {
    viewed = t;
    view = new DataView(t.buffer, t.byteOffset, t.length);
  }
  const last = t.length - 4;
  i++;
  for (;;) {
    while (i <= last) {
      const w = view.getInt32(i, true);
      const quote = w ^ 0x22222222;
      const backslash = w ^ 0x5c5c5c5c;
      // Per byte, the high bit is set for a byte below 0x20, a quote or a backslash (exact for the
      // lowest such byte, which is all that is used: borrows only flag bytes above a true one).
      const special = (((w - 0x20202020) & ~w) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash)) & 0x80808080;
      if (special !== 0) {
        i += (31 - Math.clz32(special & -special)) >> 3;
        break;
      }
      i += 4;
    }
    const c = t[i];
    if (c === 34) return i + 1;
    if (c === 92) {
      escapes++;
      i = skipEscape(t, i);
    }
    // A byte of the last three, past the last whole word.
    else if (PLAIN[c] === 1) i++;
    // Control characters must be escaped; undefined (past the end) fails here too.
    else fail(i);
  }
}

/** The offset after the escape sequence at `i` (its backslash). */
function skipEscape(t: Buffer, i: number): number {
  const e = t[i + 1];
  if (e === 117 /* u */) {
    if (!(isHex(t[i + 2]) && isHex(t[i + 3]) && isHex(t[i + 4]) && isHex(t[i + 5]))) fail(i);
    return i + 6;
  }
  // " \ / b f n r t
  if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) fail(i + 1);
  return i + 2;
}

/** Where the last {@link readString} or {@link readScalar} ended (saves a tuple per call on hot paths). */
export const cursor = { end: 0 };

/** The decoded value of the string at `i` (object keys and short values); `cursor.end` is the offset after it. */
export function readString(t: Buffer, i: number): string {
  const end = skipString(t, i);
  cursor.end = end;
  const short = shortString(t, i + 1, end - 1);
  if (short !== undefined) return short;
  for (let j = i + 1; j < end - 1; j++) if (t[j] === 92) return JSON.parse(t.toString("utf8", i, end)) as string;
  return t.toString("utf8", i + 1, end - 1);
}

/**
 * Short ASCII strings without escapes (keys, types, modes, actions) recur throughout a plan: each is
 * decoded once and then found again by a hash of its bytes (checked byte by byte), which spares a
 * native call per occurrence. At most {@link SHORT_KEPT} are kept, so a plan of unique names cannot
 * grow the table.
 */
const SHORT_LENGTH = 40;
const SHORT_KEPT = 4096;
const shortStrings = new Map<number, string>();

function shortString(t: Buffer, from: number, to: number): string | undefined {
  const length = to - from;
  if (length > SHORT_LENGTH) return undefined;
  let h = 0x811c9dc5 ^ length;
  for (let j = from; j < to; j++) {
    const b = t[j];
    if (b >= 0x80 || b === 92) return undefined;
    h = Math.imul(h ^ b, 16777619);
  }
  const hit = shortStrings.get(h);
  if (hit !== undefined && hit.length === length) {
    let k = 0;
    while (k < length && hit.charCodeAt(k) === t[from + k]) k++;
    if (k === length) return hit;
  }
  const s = t.toString("latin1", from, to);
  if (shortStrings.size < SHORT_KEPT) shortStrings.set(h, s);
  return s;
}

/** The value of the scalar at `i` (a string, number, true, false or null); `cursor.end` is the offset after it. */
export function readScalar(t: Buffer, i: number): string | number | boolean | null {
  const c = t[i];
  if (c === 34) return readString(t, i);
  const end = skipScalar(t, i);
  cursor.end = end;
  if (c === 116) return true;
  if (c === 102) return false;
  if (c === 110) return null;
  // skipScalar checked the JSON number grammar, which Number() reads the same way.
  return Number(t.toString("latin1", i, end));
}

function skipDigits(t: Buffer, i: number): number {
  const start = i;
  for (let c = t[i]; c >= 48 && c <= 57; c = t[++i]);
  if (i === start) fail(i);
  return i;
}

function skipNumber(t: Buffer, i: number): number {
  if (t[i] === 45) i++;
  if (t[i] === 48) i++;
  else i = skipDigits(t, i);
  if (t[i] === 46) i = skipDigits(t, i + 1);
  const e = t[i];
  if (e === 101 || e === 69) {
    i++;
    const s = t[i];
    if (s === 43 || s === 45) i++;
    i = skipDigits(t, i);
  }
  return i;
}

function skipWord(t: Buffer, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (t[i + k] !== word.charCodeAt(k)) fail(i);
  return i + word.length;
}

/** The offset just after a scalar (string, number, true, false, null) at `i`; fails on anything else. */
function skipScalar(t: Buffer, i: number): number {
  const c = t[i];
  if (c === 34) return skipString(t, i);
  if (c === 45 || (c >= 48 && c <= 57)) return skipNumber(t, i);
  if (c === 116) return skipWord(t, i, "true");
  if (c === 102) return skipWord(t, i, "false");
  if (c === 110) return skipWord(t, i, "null");
  return fail(i);
}

/** Where the last {@link skipKey} found its key's closing quote (the offset after it). */
let keyEnd = 0;

/** Skips `"key"` and the colon after it, at `i` (no whitespace before); the offset of the value. Sets {@link keyEnd}. */
function skipKey(t: Buffer, i: number): number {
  if (t[i] !== 34) fail(i);
  i = keyEnd = skipString(t, i);
  let c = t[i];
  while (isSpace(c)) c = t[++i];
  if (c !== 58) fail(i);
  c = t[++i];
  while (isSpace(c)) c = t[++i];
  return i;
}

/** skipValue's stack, one entry per open container (1 for an object, 2 for an array), kept between calls: most skip a scalar. */
let openContainers = new Uint8Array(64);

/**
 * The offset just after the value that starts at `i` (whitespace before it allowed). Containers are
 * tracked on an explicit stack, so deep nesting cannot overflow. Nearly every byte of a plan that
 * the rules do not read passes through here, so it is one loop with its cases written out: strings
 * go four bytes a step (skipString), the rest byte by byte.
 */
export function skipValue(t: Buffer, i: number): number {
  let stack = openContainers;
  let depth = 0;
  let c = t[i];
  while (isSpace(c)) c = t[++i];
  for (;;) {
    // A value starts at i, and c is its first byte.
    if (c === 34) i = skipString(t, i);
    else if (c === 123 || c === 91) {
      const close = c === 123 ? 125 : 93;
      c = t[++i];
      while (isSpace(c)) c = t[++i];
      if (c === close) i++;
      else {
        if (depth === stack.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(stack);
          stack = openContainers = grown;
        }
        if (close === 125) {
          stack[depth++] = 1;
          i = skipKey(t, i);
        } else stack[depth++] = 2;
        c = t[i];
        continue;
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) i = skipNumber(t, i);
    else if (c === 116) i = skipWord(t, i, "true");
    else if (c === 102) i = skipWord(t, i, "false");
    else if (c === 110) i = skipWord(t, i, "null");
    else fail(i);
    // A value ended at i: close containers until one continues with a comma.
    for (;;) {
      if (depth === 0) return i;
      c = t[i];
      while (isSpace(c)) c = t[++i];
      const inObject = stack[depth - 1] === 1;
      if (c === 44) {
        c = t[++i];
        while (isSpace(c)) c = t[++i];
        if (inObject) {
          i = skipKey(t, i);
          c = t[i];
        }
        break;
      }
      if (c !== (inObject ? 125 : 93)) fail(i);
      depth--;
      i++;
    }
  }
}

/**
 * Calls `member(key, valueStart, keyStart)` for each member of the object at `i` (whitespace before it
 * allowed); `member` returns the offset just after the value (it may skip it or read it). Returns the
 * offset after the closing brace.
 */
export function scanObject(t: Buffer, i: number, member: (key: string, valueStart: number, keyStart: number) => number): number {
  i = skipSpace(t, i);
  if (t[i] !== 123) fail(i);
  i = skipSpace(t, i + 1);
  if (t[i] === 125) return i + 1;
  for (;;) {
    i = skipSpace(t, i);
    const keyStart = i;
    const key = readString(t, i);
    i = skipSpace(t, cursor.end);
    if (t[i] !== 58) fail(i);
    i = skipSpace(t, member(key, skipSpace(t, i + 1), keyStart));
    const d = t[i];
    if (d === 125) return i + 1;
    if (d !== 44) fail(i);
    i++;
  }
}

/** Members to find in an object by {@link findMembers}: their names as bytes, and where each was found. */
export interface MemberQuery {
  names: readonly Buffer[];
  /** Where each named member's key starts (its quote), -1 when absent. */
  keys: Int32Array;
  /** Where each named member's value starts, -1 when absent. */
  values: Int32Array;
  /** The members of one named member's value, when it is an object, found on the same pass. */
  inner?: { of: number; query: MemberQuery };
}

/** A query for `names`, with room for what {@link findMembers} finds. */
export function memberQuery(names: readonly string[], inner?: { of: string; query: MemberQuery }): MemberQuery {
  return {
    names: names.map((n) => Buffer.from(n)),
    keys: new Int32Array(names.length),
    values: new Int32Array(names.length),
    ...(inner ? { inner: { of: names.indexOf(inner.of), query: inner.query } } : {}),
  };
}

/**
 * Finds the members `q` names in the object at `i` (its opening brace), checking and skipping every
 * member, and returns the offset after the object; or -1 when a named member appears twice or any key
 * has an escape (`"typ\u0065"` is `type`, which only decoding shows): the caller then reads the object
 * whole. Keys are matched as bytes, without decoding, in one loop without callbacks: every resource
 * entry of a plan passes through here.
 */
export function findMembers(t: Buffer, i: number, q: MemberQuery): number {
  const { names, keys, values, inner } = q;
  // Loops, not fill(): a native call per entry costs more than these few stores.
  for (let n = 0; n < names.length; n++) keys[n] = values[n] = -1;
  if (inner) for (let n = 0; n < inner.query.names.length; n++) inner.query.keys[n] = inner.query.values[n] = -1;
  let clean = true;
  if (t[i] !== 123) fail(i);
  let c = t[++i];
  while (isSpace(c)) c = t[++i];
  if (c === 125) return i + 1;
  for (;;) {
    const escapesBefore = escapes;
    const valueAt = skipKey(t, i);
    if (escapes !== escapesBefore) clean = false;
    const keyFrom = i + 1;
    const keyTo = keyEnd - 1;
    let found = -1;
    for (let n = 0; n < names.length; n++) {
      const name = names[n];
      if (keyTo - keyFrom !== name.length) continue;
      let k = 0;
      while (k < name.length && t[keyFrom + k] === name[k]) k++;
      if (k < name.length) continue;
      if (values[n] !== -1) clean = false;
      keys[n] = i;
      values[n] = valueAt;
      found = n;
    }
    c = t[valueAt];
    if (c === 34) i = skipString(t, valueAt);
    else if (inner && found === inner.of && c === 123) {
      i = findMembers(t, valueAt, inner.query);
      if (i < 0) {
        clean = false;
        i = skipValue(t, valueAt);
      }
    } else i = skipValue(t, valueAt);
    c = t[i];
    while (isSpace(c)) c = t[++i];
    if (c === 125) return clean ? i + 1 : -1;
    if (c !== 44) fail(i);
    c = t[++i];
    while (isSpace(c)) c = t[++i];
  }
}

/** Calls `element(valueStart)` for each element of the array at `i`, which returns the offset after it. */
export function scanArray(t: Buffer, i: number, element: (valueStart: number) => number): number {
  i = skipSpace(t, i);
  if (t[i] !== 91) fail(i);
  i = skipSpace(t, i + 1);
  if (t[i] === 93) return i + 1;
  for (;;) {
    i = skipSpace(t, element(skipSpace(t, i)));
    const d = t[i];
    if (d === 93) return i + 1;
    if (d !== 44) fail(i);
    i++;
  }
}

/** Whether the value at `i` is an object or an array (its first character). */
export function isContainerAt(t: Buffer, i: number): boolean {
  const c = t[i];
  return c === 123 || c === 91;
}

export function isObjectAt(t: Buffer, i: number): boolean {
  return t[i] === 123;
}

export function isArrayAt(t: Buffer, i: number): boolean {
  return t[i] === 91;
}

/** The end of the whole document: only whitespace may follow its one value. */
export function expectEnd(t: Buffer, i: number): void {
  i = skipSpace(t, i);
  if (i !== t.length) fail(i);
}
