/**
 * A validating JSON scanner over the UTF-8 bytes of a text (already checked to be UTF-8) that builds nothing: it checks the grammar of RFC 8259 (the
 * grammar `JSON.parse` accepts) and reports where values start and end, so a reader can build only the
 * parts it needs (with `JSON.parse` of their slice) and still refuse a malformed file anywhere in it.
 * It is iterative, so any nesting depth scans without growing the call stack.
 *
 * On a syntax error it throws {@link JsonSyntaxError}; callers re-parse with `JSON.parse` to report
 * the position in the words the rest of the tool uses (see read-input's parseJson).
 * Scanning bytes spares decoding the whole file: only the slices a reader keeps become strings.
 */

/** The scanned text is not JSON. `offset` is where the scanner stopped (a byte offset). */
export class JsonSyntaxError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

const enum C {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

function fail(offset: number): never {
  throw new JsonSyntaxError(offset);
}

/** The offset of the first non-whitespace character at or after `i`. */
export function skipSpace(t: Buffer, i: number): number {
  for (;;) {
    const c = t[i];
    if (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) i++;
    else return i;
  }
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));
}

/** 1 for a byte that may stand for itself inside a string: not a control character, quote or backslash. */
const PLAIN = new Uint8Array(256).map((_, b) => (b >= C.Space && b !== C.Quote && b !== C.Backslash ? 1 : 0));

/**
 * The offset just after the string that starts (with its quote) at `i`. Bytes of 0x80 and above are
 * parts of UTF-8 characters (the text is checked to be UTF-8 before it is scanned).
 */
export function skipString(t: Buffer, i: number): number {
  if (t[i] !== C.Quote) fail(i);
  i++;
  for (;;) {
    const c = t[i];
    // Most bytes of a string are plain: one table look-up each.
    if (PLAIN[c] === 1) {
      i++;
      continue;
    }
    if (c === C.Quote) return i + 1;
    if (c === C.Backslash) {
      const e = t[i + 1];
      if (e === 117 /* u */) {
        if (!(isHex(t[i + 2]) && isHex(t[i + 3]) && isHex(t[i + 4]) && isHex(t[i + 5]))) fail(i);
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== C.Quote && e !== C.Backslash && e !== C.Slash && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) fail(i + 1);
      i += 2;
      continue;
    }
    // Control characters must be escaped; undefined (past the end) fails here too.
    if (!(c >= C.Space)) fail(i);
    i++;
  }
}

/** Where the last {@link readString} or {@link readScalar} ended (saves a tuple per call on hot paths). */
export const cursor = { end: 0 };

/** The decoded value of the string at `i` (object keys and short values); `cursor.end` is the offset after it. */
export function readString(t: Buffer, i: number): string {
  const end = skipString(t, i);
  cursor.end = end;
  const short = shortString(t, i + 1, end - 1);
  if (short !== undefined) return short;
  for (let j = i + 1; j < end - 1; j++) if (t[j] === C.Backslash) return JSON.parse(t.toString("utf8", i, end)) as string;
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
    if (b >= 0x80 || b === C.Backslash) return undefined;
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
  if (c === C.Quote) return readString(t, i);
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
  for (let c = t[i]; c >= C.Zero && c <= C.Nine; c = t[++i]);
  if (i === start) fail(i);
  return i;
}

function skipNumber(t: Buffer, i: number): number {
  if (t[i] === C.Minus) i++;
  if (t[i] === C.Zero) i++;
  else i = skipDigits(t, i);
  if (t[i] === C.Dot) i = skipDigits(t, i + 1);
  const e = t[i];
  if (e === C.LowerE || e === C.UpperE) {
    i++;
    const s = t[i];
    if (s === C.Plus || s === C.Minus) i++;
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
  if (c === C.Quote) return skipString(t, i);
  if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) return skipNumber(t, i);
  if (c === 116) return skipWord(t, i, "true");
  if (c === 102) return skipWord(t, i, "false");
  if (c === 110) return skipWord(t, i, "null");
  return fail(i);
}

/** Skips `"key"` and the colon after it, at `i` (whitespace before allowed); the offset of the value. */
function skipKey(t: Buffer, i: number): number {
  i = skipString(t, skipSpace(t, i));
  i = skipSpace(t, i);
  if (t[i] !== C.Colon) fail(i);
  return skipSpace(t, i + 1);
}

/**
 * The offset just after the value that starts at `i` (whitespace before it allowed). Containers are
 * tracked on an explicit stack, so deep nesting cannot overflow.
 */
export function skipValue(t: Buffer, i: number): number {
  // One entry per open container: true for an object, false for an array.
  const stack: boolean[] = [];
  i = skipSpace(t, i);
  for (;;) {
    // A value starts at i.
    const c = t[i];
    if (c === C.OpenBrace) {
      i = skipSpace(t, i + 1);
      if (t[i] === C.CloseBrace) i++;
      else {
        stack.push(true);
        i = skipKey(t, i);
        continue;
      }
    } else if (c === C.OpenBracket) {
      i = skipSpace(t, i + 1);
      if (t[i] === C.CloseBracket) i++;
      else {
        stack.push(false);
        continue;
      }
    } else i = skipScalar(t, i);
    // A value ended at i: close containers until one continues with a comma.
    for (;;) {
      if (stack.length === 0) return i;
      i = skipSpace(t, i);
      const d = t[i];
      const inObject = stack[stack.length - 1];
      if (d === C.Comma) {
        i = inObject ? skipKey(t, i + 1) : skipSpace(t, i + 1);
        break;
      }
      if (d === (inObject ? C.CloseBrace : C.CloseBracket)) {
        stack.pop();
        i++;
        continue;
      }
      fail(i);
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
  if (t[i] !== C.OpenBrace) fail(i);
  i = skipSpace(t, i + 1);
  if (t[i] === C.CloseBrace) return i + 1;
  for (;;) {
    i = skipSpace(t, i);
    const keyStart = i;
    const key = readString(t, i);
    i = skipSpace(t, cursor.end);
    if (t[i] !== C.Colon) fail(i);
    i = skipSpace(t, member(key, skipSpace(t, i + 1), keyStart));
    const d = t[i];
    if (d === C.CloseBrace) return i + 1;
    if (d !== C.Comma) fail(i);
    i++;
  }
}

/** Calls `element(valueStart)` for each element of the array at `i`, which returns the offset after it. */
export function scanArray(t: Buffer, i: number, element: (valueStart: number) => number): number {
  i = skipSpace(t, i);
  if (t[i] !== C.OpenBracket) fail(i);
  i = skipSpace(t, i + 1);
  if (t[i] === C.CloseBracket) return i + 1;
  for (;;) {
    i = skipSpace(t, element(skipSpace(t, i)));
    const d = t[i];
    if (d === C.CloseBracket) return i + 1;
    if (d !== C.Comma) fail(i);
    i++;
  }
}

/** Whether the value at `i` is an object or an array (its first character). */
export function isContainerAt(t: Buffer, i: number): boolean {
  const c = t[i];
  return c === C.OpenBrace || c === C.OpenBracket;
}

export function isObjectAt(t: Buffer, i: number): boolean {
  return t[i] === C.OpenBrace;
}

export function isArrayAt(t: Buffer, i: number): boolean {
  return t[i] === C.OpenBracket;
}

/** The end of the whole document: only whitespace may follow its one value. */
export function expectEnd(t: Buffer, i: number): void {
  i = skipSpace(t, i);
  if (i !== t.length) fail(i);
}
