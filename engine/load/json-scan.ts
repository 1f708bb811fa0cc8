/**
 * A validating JSON scanner over a string that builds nothing: it checks the grammar of RFC 8259 (the
 * grammar `JSON.parse` accepts) and reports where values start and end, so a reader can build only the
 * parts it needs (with `JSON.parse` of their slice) and still refuse a malformed file anywhere in it.
 * It is iterative, so any nesting depth scans without growing the call stack.
 *
 * On a syntax error it throws {@link JsonSyntaxError}; callers re-parse with `JSON.parse` to report
 * the position in the words the rest of the tool uses (see read-input's parseJson).
 */

/** The scanned text is not JSON. `offset` is where the scanner stopped (UTF-16 code units). */
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
export function skipSpace(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === C.Space || c === C.Lf || c === C.Cr || c === C.Tab) i++;
    else return i;
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Fast strings: inside {@link withFastStrings}, over a text with no raw control character, a string
 * cannot hold one either, so its end is the next quote that no backslash escapes: found with the
 * native `indexOf`, and the backslashes before it (found the same way, the next one remembered) are
 * checked one by one. Set only for the duration of one synchronous read.
 */
let fastText: string | undefined;
/** The offset of the first backslash at or after `backslashFrom` (-1: none), valid while reading `fastText`. */
let nextBackslash = -1;
let backslashFrom = -1;

/**
 * Runs `read` with fast string skipping when `text` holds no raw control character (a minified
 * `terraform show -json`, whatever its trailing newline); otherwise as usual.
 */
export function withFastStrings<T>(text: string, read: () => T): T {
  let end = text.length;
  while (end > 0 && skipSpace(text, end - 1) === end) end--;
  const prior = fastText;
  fastText = /[\u0000-\u001f]/.test(end === text.length ? text : text.slice(0, end)) ? undefined : text;
  backslashFrom = -1;
  try {
    return read();
  } finally {
    fastText = prior;
    backslashFrom = -1;
  }
}

function skipFastString(t: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const quote = t.indexOf('"', j);
    if (quote < 0) fail(t.length);
    if (backslashFrom < 0 || backslashFrom > j || (nextBackslash >= 0 && nextBackslash < j)) {
      backslashFrom = j;
      nextBackslash = t.indexOf("\\", j);
    }
    if (nextBackslash < 0 || nextBackslash > quote) return quote + 1;
    // An escape before the quote: check it, and look again after it.
    const b = nextBackslash;
    const e = t.charCodeAt(b + 1);
    if (e === 117 /* u */) {
      if (!(isHex(t.charCodeAt(b + 2)) && isHex(t.charCodeAt(b + 3)) && isHex(t.charCodeAt(b + 4)) && isHex(t.charCodeAt(b + 5)))) fail(b);
      j = b + 6;
    } else if (e === C.Quote || e === C.Backslash || e === C.Slash || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) j = b + 2;
    else fail(b + 1);
    backslashFrom = -1;
  }
}

/** The offset just after the string that starts (with its quote) at `i`. */
export function skipString(t: string, i: number): number {
  if (t.charCodeAt(i) !== C.Quote) fail(i);
  if (t === fastText) return skipFastString(t, i);
  i++;
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === C.Quote) return i + 1;
    // Control characters must be escaped; NaN (past the end) fails here too.
    if (!(c >= C.Space)) fail(i);
    if (c === C.Backslash) {
      const e = t.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        if (!(isHex(t.charCodeAt(i + 2)) && isHex(t.charCodeAt(i + 3)) && isHex(t.charCodeAt(i + 4)) && isHex(t.charCodeAt(i + 5)))) fail(i);
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== C.Quote && e !== C.Backslash && e !== C.Slash && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) fail(i + 1);
      i += 2;
      continue;
    }
    i++;
  }
}

/** Where the last {@link readString} or {@link readScalar} ended (saves a tuple per call on hot paths). */
export const cursor = { end: 0 };

/** The decoded value of the string at `i` (object keys and short values); `cursor.end` is the offset after it. */
export function readString(t: string, i: number): string {
  const end = skipString(t, i);
  cursor.end = end;
  const raw = t.slice(i + 1, end - 1);
  return raw.includes("\\") ? (JSON.parse(t.slice(i, end)) as string) : raw;
}

/** The value of the scalar at `i` (a string, number, true, false or null); `cursor.end` is the offset after it. */
export function readScalar(t: string, i: number): string | number | boolean | null {
  const c = t.charCodeAt(i);
  if (c === C.Quote) return readString(t, i);
  const end = skipScalar(t, i);
  cursor.end = end;
  if (c === 116) return true;
  if (c === 102) return false;
  if (c === 110) return null;
  // skipScalar checked the JSON number grammar, which Number() reads the same way.
  return Number(t.slice(i, end));
}

function skipDigits(t: string, i: number): number {
  const start = i;
  for (let c = t.charCodeAt(i); c >= C.Zero && c <= C.Nine; c = t.charCodeAt(++i));
  if (i === start) fail(i);
  return i;
}

function skipNumber(t: string, i: number): number {
  if (t.charCodeAt(i) === C.Minus) i++;
  if (t.charCodeAt(i) === C.Zero) i++;
  else i = skipDigits(t, i);
  if (t.charCodeAt(i) === C.Dot) i = skipDigits(t, i + 1);
  const e = t.charCodeAt(i);
  if (e === C.LowerE || e === C.UpperE) {
    i++;
    const s = t.charCodeAt(i);
    if (s === C.Plus || s === C.Minus) i++;
    i = skipDigits(t, i);
  }
  return i;
}

function skipWord(t: string, i: number, word: string): number {
  if (!t.startsWith(word, i)) fail(i);
  return i + word.length;
}

/** The offset just after a scalar (string, number, true, false, null) at `i`; fails on anything else. */
function skipScalar(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === C.Quote) return skipString(t, i);
  if (c === C.Minus || (c >= C.Zero && c <= C.Nine)) return skipNumber(t, i);
  if (c === 116) return skipWord(t, i, "true");
  if (c === 102) return skipWord(t, i, "false");
  if (c === 110) return skipWord(t, i, "null");
  return fail(i);
}

/** Skips `"key"` and the colon after it, at `i` (whitespace before allowed); the offset of the value. */
function skipKey(t: string, i: number): number {
  i = skipString(t, skipSpace(t, i));
  i = skipSpace(t, i);
  if (t.charCodeAt(i) !== C.Colon) fail(i);
  return skipSpace(t, i + 1);
}

/**
 * The offset just after the value that starts at `i` (whitespace before it allowed). Containers are
 * tracked on an explicit stack, so deep nesting cannot overflow.
 */
export function skipValue(t: string, i: number): number {
  // One entry per open container: true for an object, false for an array.
  const stack: boolean[] = [];
  i = skipSpace(t, i);
  for (;;) {
    // A value starts at i.
    const c = t.charCodeAt(i);
    if (c === C.OpenBrace) {
      i = skipSpace(t, i + 1);
      if (t.charCodeAt(i) === C.CloseBrace) i++;
      else {
        stack.push(true);
        i = skipKey(t, i);
        continue;
      }
    } else if (c === C.OpenBracket) {
      i = skipSpace(t, i + 1);
      if (t.charCodeAt(i) === C.CloseBracket) i++;
      else {
        stack.push(false);
        continue;
      }
    } else i = skipScalar(t, i);
    // A value ended at i: close containers until one continues with a comma.
    for (;;) {
      if (stack.length === 0) return i;
      i = skipSpace(t, i);
      const d = t.charCodeAt(i);
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
export function scanObject(t: string, i: number, member: (key: string, valueStart: number, keyStart: number) => number): number {
  i = skipSpace(t, i);
  if (t.charCodeAt(i) !== C.OpenBrace) fail(i);
  i = skipSpace(t, i + 1);
  if (t.charCodeAt(i) === C.CloseBrace) return i + 1;
  for (;;) {
    i = skipSpace(t, i);
    const keyStart = i;
    const key = readString(t, i);
    i = skipSpace(t, cursor.end);
    if (t.charCodeAt(i) !== C.Colon) fail(i);
    i = skipSpace(t, member(key, skipSpace(t, i + 1), keyStart));
    const d = t.charCodeAt(i);
    if (d === C.CloseBrace) return i + 1;
    if (d !== C.Comma) fail(i);
    i++;
  }
}

/** Calls `element(valueStart)` for each element of the array at `i`, which returns the offset after it. */
export function scanArray(t: string, i: number, element: (valueStart: number) => number): number {
  i = skipSpace(t, i);
  if (t.charCodeAt(i) !== C.OpenBracket) fail(i);
  i = skipSpace(t, i + 1);
  if (t.charCodeAt(i) === C.CloseBracket) return i + 1;
  for (;;) {
    i = skipSpace(t, element(skipSpace(t, i)));
    const d = t.charCodeAt(i);
    if (d === C.CloseBracket) return i + 1;
    if (d !== C.Comma) fail(i);
    i++;
  }
}

/** Whether the value at `i` is an object or an array (its first character). */
export function isContainerAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c === C.OpenBrace || c === C.OpenBracket;
}

export function isObjectAt(t: string, i: number): boolean {
  return t.charCodeAt(i) === C.OpenBrace;
}

export function isArrayAt(t: string, i: number): boolean {
  return t.charCodeAt(i) === C.OpenBracket;
}

/** The end of the whole document: only whitespace may follow its one value. */
export function expectEnd(t: string, i: number): void {
  i = skipSpace(t, i);
  if (i !== t.length) fail(i);
}
