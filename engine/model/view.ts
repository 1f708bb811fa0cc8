/**
 * Reading a resource's attributes as rules need them: provider defaults applied, unknown and sensitive
 * paths honoured, v4 blocks read like v5 objects, JSON-string attributes parsed.
 */
import { providerDefault } from "./defaults";
import { ownValue } from "./own";
import { assertDepth } from "../load/read-input";
import { isUnknown, normPath, pathIn, type Resource, UNKNOWN } from "./model";

/** The result of reading one attribute. */
export type Read =
  | { state: "known"; path: string; value: unknown; defaulted: boolean }
  | { state: "unknown"; path: string }
  | { state: "absent"; path: string };

/**
 * Walks a value along a dotted path. A non-numeric segment applied to a list descends into its first
 * element: v4 providers write nested objects as blocks, which Terraform JSON shows as lists of one
 * object; v5 writes plain objects. `null` reads as absent (Terraform JSON's "not set").
 */
export function walk(root: unknown, path: string): unknown {
  if (path === "") return root;
  let cur: unknown = root;
  // Segments are taken in place rather than split into an array: rules read thousands of paths,
  // most of them one segment long.
  for (let start = 0; ; ) {
    const dot = path.indexOf(".", start);
    cur = walkSegment(cur, dot < 0 ? path.slice(start) : path.slice(start, dot));
    // Absent and unknown stay so down any further path.
    if (dot < 0 || cur === undefined || isUnknown(cur)) return cur;
    start = dot + 1;
  }
}

/** One step of {@link walk}. */
function walkSegment(cur: unknown, seg: string): unknown {
  if (isUnknown(cur)) return UNKNOWN;
  if (Array.isArray(cur)) {
    if (/^\d+$/.test(seg)) return cur[Number(seg)];
    if (cur.length === 0) return undefined;
    cur = cur[0];
    if (isUnknown(cur)) return UNKNOWN;
  }
  if (cur === null || typeof cur !== "object") return undefined;
  return ownValue(cur, seg);
}

/** Reads `path` of a resource, applying the provider default when the attribute is absent. */
export function read(resource: Resource, path: string): Read {
  const v = walk(resource.values, path);
  if (isUnknown(v)) return { state: "unknown", path };
  if (v === undefined || v === null) {
    const d = providerDefault(resource.kind, path);
    if (d !== undefined) return { state: "known", path, value: d, defaulted: true };
    return { state: "absent", path };
  }
  return { state: "known", path, value: v, defaulted: false };
}

/** True when any value inside `v` is unknown. */
export function containsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/** Parsed JSON-string attribute (Okta `settings`, `constraints`): the model, not the rule, parses. */
export type JsonRead = Read | { state: "invalid"; path: string };

export function readJson(resource: Resource, path: string): JsonRead {
  const r = read(resource, path);
  if (r.state !== "known") return r;
  return parseJsonValue(r.value, path);
}

export function parseJsonValue(value: unknown, path: string): JsonRead {
  if (isUnknown(value)) return { state: "unknown", path };
  if (typeof value !== "string") {
    // cdktf and plans always give a string; an object here means it was written as one.
    return value !== null && typeof value === "object"
      ? { state: "known", path, value, defaulted: false }
      : { state: "invalid", path };
  }
  try {
    const parsed: unknown = JSON.parse(value);
    assertDepth(parsed, path);
    return { state: "known", path, value: parsed, defaulted: false };
  } catch {
    // Not JSON, or nested deeper than any walker here may go: either way it cannot be judged as written.
    return { state: "invalid", path };
  }
}

export function isSensitive(resource: Resource, path: string): boolean {
  return pathIn(resource.sensitive, normPath(path));
}

/** Reads a string, comparing case-sensitively as the providers do. */
export function asString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Reads a number; Terraform JSON may carry numbers as numeric strings. */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** Reads a boolean; Terraform JSON may carry booleans as "true"/"false". */
export function asBool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** A list attribute (a single object is a list of one; v4 blocks are lists already). */
export function asList(v: unknown): unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === "object") return [v];
  return undefined;
}
