/**
 * Reading input files safely: regular files only (or standard input, `-`), never more bytes than
 * the input limit (checked before reading and while reading), UTF-8 with or without BOM and
 * UTF-16 with BOM, binary files refused, JSON errors reported by line and column without echoing the
 * input (which may hold a secret), and nesting depth bounded so no walker can overflow the stack.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, read, readSync, type Stats, statSync } from "node:fs";
import { InputError } from "../errors";

export const DEFAULT_MAX_BYTES = 1024 ** 3;
export const MAX_DEPTH = 256;
/** The path that means standard input (CLI.md), and the name reports give it. */
export const STDIN_PATH = "-";
export const STDIN_NAME = "(stdin)";

/**
 * Reads a regular file as text, never more than `maxBytes`. Anything else (a FIFO, which would block
 * forever without a writer; a device such as /dev/zero, which never ends; a socket) is refused before
 * it is opened, and the open file is checked again, so a path swapped in between is refused too.
 */
export function readText(file: string, maxBytes = DEFAULT_MAX_BYTES): string {
  return decode(readBytes(file, maxBytes), file);
}

/** The input limit `POSTURE_MAX_INPUT_BYTES` sets (default {@link DEFAULT_MAX_BYTES}); undefined when it is not a positive number. */
export function inputLimit(env: NodeJS.ProcessEnv): number | undefined {
  const limit = env.POSTURE_MAX_INPUT_BYTES ? Number(env.POSTURE_MAX_INPUT_BYTES) : DEFAULT_MAX_BYTES;
  return Number.isFinite(limit) && limit > 0 ? limit : undefined;
}

/** Reads begun ahead of use by {@link readAhead}, by path: each is taken once. */
const AHEAD = new Map<string, Promise<Buffer | undefined>>();

/**
 * Begins reading `file` on libuv's thread pool, so that the read overlaps what the main thread does
 * meanwhile (the CLI loads the engine's modules: the command line names its inputs before that). Only
 * a regular file within `maxBytes` that does not change while it is read is read ahead; anything else
 * gives nothing, and {@link readBytes} then reads it, or refuses it with its usual message.
 */
export function readAhead(file: string, maxBytes: number): void {
  AHEAD.delete(file);
  let fd: number;
  try {
    // Only a regular file is opened (opening a FIFO or a device can have effects of its own). Opened
    // and measured here (microseconds): the read is then one request to the thread pool, which needs
    // nothing from the main thread until it is done. O_NONBLOCK, as readBytes opens.
    if (!statSync(file).isFile()) return;
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return;
  }
  let size: number | undefined;
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size <= maxBytes) size = st.size;
  } catch {
    // left to readBytes
  }
  if (size === undefined) {
    closeSync(fd);
    return;
  }
  const buf = Buffer.allocUnsafe(size + 1);
  const readAt = (at: number) => new Promise<number>((done, fail) => read(fd, buf, at, buf.length - at, at, (e, n) => (e ? fail(e) : done(n))));
  const all = async (): Promise<Buffer | undefined> => {
    try {
      let total = 0;
      for (let n = await readAt(0); n > 0; n = await readAt(total)) {
        total += n;
        // More bytes than it had when opened: the file is changing; readBytes will see.
        if (total > size) return undefined;
      }
      return total === size ? buf.subarray(0, total) : undefined;
    } finally {
      closeSync(fd);
    }
  };
  AHEAD.set(file, all().catch(() => undefined));
}

/** Forgets what was read ahead for `file` and not taken (a run that stopped before loading it). */
export function forgetReadAhead(file: string): void {
  AHEAD.delete(file);
}

/** The bytes {@link readAhead} read for `file`, once; undefined when it read none (readBytes reads it then). */
export async function readAheadOf(file: string): Promise<Buffer | undefined> {
  const ahead = AHEAD.get(file);
  if (!ahead) return undefined;
  AHEAD.delete(file);
  return ahead;
}

/** The bytes of a regular file, read as {@link readText} reads it (same checks, same limit), undecoded. */
export function readBytes(file: string, maxBytes = DEFAULT_MAX_BYTES): Buffer {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw new InputError(file, (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : "cannot be read");
  }
  refuseUnlessRegular(st, file);
  if (st.size > maxBytes) throw overLimit(file, maxBytes, st.size);
  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    throw new InputError(file, "cannot be read");
  }
  try {
    refuseUnlessRegular(fstatSync(fd), file);
    return readBounded(fd, file, maxBytes, st.size + 1);
  } finally {
    closeSync(fd);
  }
}

/** Standard input (the path `-`), read to its end but never past `maxBytes`. */
export function readStdin(maxBytes = DEFAULT_MAX_BYTES, fd = 0): string {
  return decode(readBounded(fd, STDIN_NAME, maxBytes, 64 * 1024), STDIN_NAME);
}

function refuseUnlessRegular(st: Stats, file: string): void {
  if (st.isFile()) return;
  if (st.isDirectory()) throw new InputError(file, "is a directory, not a file");
  const what = st.isFIFO() ? "a pipe (FIFO)" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : st.isSocket() ? "a socket" : "not a file";
  throw new InputError(file, `is ${what}, not a regular file; give a file, or - to read standard input`);
}

function overLimit(file: string, maxBytes: number, size?: number): InputError {
  const what = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes`;
  return new InputError(file, `is ${what}, over the input limit of ${maxBytes} bytes (set POSTURE_MAX_INPUT_BYTES to raise it)`);
}

/** Reads `fd` to its end into one buffer, refusing as soon as more than `maxBytes` arrive. */
function readBounded(fd: number, file: string, maxBytes: number, expected: number): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(expected, maxBytes + 1)));
  let total = 0;
  for (;;) {
    if (total === buf.length) {
      if (total > maxBytes) throw overLimit(file, maxBytes);
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
      buf.copy(bigger, 0, 0, total);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(fd, buf, total, buf.length - total, null);
    } catch (e) {
      // A non-blocking pipe with no data yet: wait a moment and read again.
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        continue;
      }
      throw new InputError(file, "cannot be read");
    }
    if (n === 0) break;
    total += n;
  }
  if (total > maxBytes) throw overLimit(file, maxBytes);
  return buf.subarray(0, total);
}

export function decode(buf: Buffer, file: string): string {
  if (startsWithBom(buf)) return utf8(buf.subarray(3), file);
  const utf16 = utf16Of(buf);
  if (utf16) return new TextDecoder(utf16).decode(buf.subarray(2));
  if (buf.includes(0)) throw binaryFile(file);
  return utf8(buf, file);
}

/** True when {@link decode} refuses `buf` as a binary file: no BOM, not UTF-16, and a NUL byte in it. */
export function isBinary(buf: Buffer): boolean {
  return !startsWithBom(buf) && !utf16Of(buf) && buf.includes(0);
}

export const binaryFile = (file: string): InputError => new InputError(file, "is a binary file, not Terraform configuration, plan or state");

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const startsWithBom = (buf: Buffer): boolean => buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2];
/** The UTF-16 encoding `buf`'s byte order mark names, if it has one. */
const utf16Of = (buf: Buffer): "utf-16le" | "utf-16be" | undefined => (buf[0] === 0xff && buf[1] === 0xfe ? "utf-16le" : buf[0] === 0xfe && buf[1] === 0xff ? "utf-16be" : undefined);

/**
 * The text of `buf` as UTF-8 bytes without a BOM, refused as {@link decode} refuses it: the same text
 * `decode` gives, re-encoded only when it came as UTF-16. A reader can then scan the bytes and decode
 * only the parts it keeps. One difference saves a pass over a large plan: a NUL byte in valid UTF-8
 * is left to the JSON reader, which refuses every one (no JSON text holds one); its caller names the
 * file binary then, when {@link isBinary} says `decode` would have.
 */
export function utf8Bytes(raw: Buffer, file: string): Buffer {
  if (utf16Of(raw)) return Buffer.from(decode(raw, file), "utf8");
  const bom = startsWithBom(raw);
  const buf = bom ? raw.subarray(3) : raw;
  if (!isUtf8(buf)) throw isBinary(raw) ? binaryFile(file) : new InputError(file, "is not UTF-8 or UTF-16 text");
  // TextDecoder drops one BOM at the start of what it decodes: after a first BOM, a second one too.
  return bom && startsWithBom(buf) ? buf.subarray(3) : buf;
}

function utf8(buf: Buffer, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw new InputError(file, "is not UTF-8 or UTF-16 text");
  }
}

/**
 * Parses JSON, naming the line and column of a syntax error (never the text around it). V8's parser
 * is not recursive, so any depth parses; the walkers that are recursive bound depth with
 * {@link assertDepth} on what they walk, which keeps a large plan's unrelated resources at the cost of
 * parsing alone.
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    if (/end of JSON input|Unterminated string/i.test(msg) && !/position \d+/.test(msg)) throw new InputError(file, "is not valid JSON: it ends too early (truncated?)");
    const pos = /position (\d+)/.exec(msg);
    if (!pos) throw new InputError(file, "is not valid JSON");
    const offset = Number(pos[1]);
    if (offset >= text.trimEnd().length) throw new InputError(file, "is not valid JSON: it ends too early (truncated?)");
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const col = offset - before.lastIndexOf("\n");
    throw new InputError(`${file}:${line}:${col}`, "is not valid JSON");
  }
}

/**
 * Refuses a value nested deeper than MAX_DEPTH. The walk recurses, but never past MAX_DEPTH frames, so
 * it cannot overflow itself; it allocates nothing per value (it runs on every modelled resource).
 */
export function assertDepth(value: unknown, file: string): void {
  if (!nestsWithin(value, 0)) throw tooDeep(file);
}

/** True when `value`, found `depth` levels down, nests no deeper than MAX_DEPTH (for walks that refuse as they go). */
export function nestsWithin(value: unknown, depth: number): boolean {
  return value === null || typeof value !== "object" || withinDepth(value, depth);
}

/** The error for a value nested deeper than MAX_DEPTH, for walks that bound their own depth. */
export function tooDeep(file: string): InputError {
  return new InputError(file, `nests JSON deeper than ${MAX_DEPTH} levels`);
}

/** True when the object `v`, at `depth`, nests no deeper than MAX_DEPTH. Called for objects only: most values are not. */
function withinDepth(v: object, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === "object" && !withinDepth(x, depth + 1)) return false;
    }
    return true;
  }
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === "object" && !withinDepth(x, depth + 1)) return false;
  }
  return true;
}

/**
 * The first key that appears twice in one object of a JSON text (already known to parse), with the
 * path of that object; undefined when there is none. A single pass, no recursion.
 */
export function duplicateKey(text: string): { path: string; key: string } | undefined {
  interface Level {
    keys?: Set<string>;
    path: string;
    expectKey: boolean;
    lastKey: string;
    index: number;
  }
  const stack: Level[] = [];
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    const seg = top.keys ? top.lastKey : `[${top.index}]`;
    return top.keys ? (top.path === "" ? seg : `${top.path}.${seg}`) : `${top.path}${seg}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { path: top.path, key };
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === "{" || c === "[") {
      stack.push({ keys: c === "{" ? new Set() : undefined, path: childPath(), expectKey: c === "{", lastKey: "", index: 0 });
    } else if (c === "}" || c === "]") stack.pop();
    else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}
