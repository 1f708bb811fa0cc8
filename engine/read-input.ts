/**
 * Reading input files safely: a size limit checked before reading, UTF-8 with or without BOM and
 * UTF-16 with BOM, binary files refused, JSON errors reported by line and column without echoing the
 * input (which may hold a secret), and nesting depth bounded so no walker can overflow the stack.
 */
import { readFileSync, statSync } from "node:fs";
import { InputError } from "./errors";

export const DEFAULT_MAX_BYTES = 1024 ** 3;
export const MAX_DEPTH = 256;

export function readText(file: string, maxBytes = DEFAULT_MAX_BYTES): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new InputError(file, (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : "cannot be read");
  }
  if (size > maxBytes) throw new InputError(file, `is ${size} bytes, over the input limit of ${maxBytes} bytes (set POSTURE_MAX_INPUT_BYTES to raise it)`);
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    throw new InputError(file, "cannot be read");
  }
  return decode(buf, file);
}

export function decode(buf: Buffer, file: string): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return utf8(buf.subarray(3), file);
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf.subarray(2));
  if (buf.includes(0)) throw new InputError(file, "is a binary file, not Terraform configuration, plan or state");
  return utf8(buf, file);
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

/** Refuses a value nested deeper than MAX_DEPTH (an iterative walk: it cannot overflow itself). */
export function assertDepth(value: unknown, file: string): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth >= MAX_DEPTH) throw new InputError(file, `nests JSON deeper than ${MAX_DEPTH} levels`);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
}
