/**
 * The values HCL evaluation works with besides plain JSON and {@link UNKNOWN}: an unknown that says
 * which resource it comes from (so an Access app's `policies[].id` links to the right instance), a
 * resource or module instance whose known attributes can be read, and a choice between the values of
 * a conditional whose condition is not known (so a rule can judge every branch).
 */
import { isUnknown, UNKNOWN } from "../model/model";

/** A value not known before apply that belongs to a resource (`p["web"].id`); `collection` while no instance key is chosen yet. */
export class RefUnknown {
  constructor(
    readonly address: string,
    readonly collection = false,
  ) {}
}

/** A resource, data source or module instance: attributes the code sets, the rest unknown (or an error, for module outputs). */
export class InstanceValue {
  constructor(
    readonly address: string,
    readonly attrs: Record<string, unknown>,
    /** Top-level attribute names whose value is written literally in the code / is sensitive. */
    readonly literal: ReadonlySet<string>,
    readonly sensitive: ReadonlySet<string>,
    /** What reading an attribute the instance does not set gives: a reference (a resource) or an error (a module output). */
    readonly missing: "ref" | "error",
  ) {}
}

/** One of several values: a conditional whose condition is not known before apply. */
export class Choice {
  constructor(readonly options: readonly unknown[]) {}
}

/** Most variants of one value that are judged separately; more read as unknown. */
export const MAX_VARIANTS = 16;

/** True for a value not known before apply (with or without provenance). */
export function unknownish(v: unknown): boolean {
  return isUnknown(v) || v instanceof RefUnknown;
}

/** An object with no prototype: input-derived keys (for_each keys, map keys) can never reach Object.prototype. */
export function record(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof RefUnknown) && !(v instanceof InstanceValue) && !(v instanceof Choice);

/** True when a Choice occurs anywhere in `v`. */
export function containsChoice(v: unknown): boolean {
  if (v instanceof Choice) return true;
  if (Array.isArray(v)) return v.some(containsChoice);
  if (isPlainObject(v)) return Object.values(v).some(containsChoice);
  return false;
}

/**
 * Every concrete value `v` may be, Choices replaced by each of their options; undefined when there are
 * more than {@link MAX_VARIANTS}.
 */
export function expandChoices(v: unknown): unknown[] | undefined {
  if (!containsChoice(v)) return [v];
  if (v instanceof Choice) {
    const out: unknown[] = [];
    for (const o of v.options) {
      const sub = expandChoices(o);
      if (!sub || out.length + sub.length > MAX_VARIANTS) return undefined;
      out.push(...sub);
    }
    return out;
  }
  const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v as Record<string, unknown>);
  let acc: Array<Array<[string | number, unknown]>> = [[]];
  for (const [k, x] of entries) {
    const sub = expandChoices(x);
    if (!sub || acc.length * sub.length > MAX_VARIANTS) return undefined;
    acc = acc.flatMap((prefix) => sub.map((s) => [...prefix, [k, s] as [string | number, unknown]]));
  }
  return acc.map((list) => {
    if (Array.isArray(v)) return list.map(([, x]) => x);
    const o = record();
    for (const [k, x] of list) o[k as string] = x;
    return o;
  });
}

/** A Choice of distinct options, or the one value when all options are equal. */
export function choiceOf(options: readonly unknown[]): unknown {
  const distinct: unknown[] = [];
  for (const o of options.flatMap((x) => (x instanceof Choice ? x.options : [x]))) if (!distinct.some((d) => deepEqual(d, o))) distinct.push(o);
  if (distinct.length === 1) return distinct[0];
  if (distinct.length > MAX_VARIANTS) return UNKNOWN;
  return new Choice(distinct);
}

/** Structural equality of known values (unknowns are equal only to themselves). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof RefUnknown && b instanceof RefUnknown) return a.address === b.address && a.collection === b.collection;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
