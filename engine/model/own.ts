/**
 * Input keys as object keys, without ever touching a prototype. JSON.parse makes `"__proto__"` an own
 * property, but assigning `o["__proto__"] = v` calls the prototype setter, and reading a key the
 * object does not own (`__proto__`, `constructor`, `toString`) returns what its prototype inherits.
 * Every place where a key from an input (plan, configuration, HCL, posture.config.json) becomes or
 * selects an object key goes through these two helpers.
 */

/** The value of `key` when `o` owns it; never an inherited one. */
export function ownValue(o: object, key: string): unknown {
  return Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/** Sets `key` as an own, enumerable data property (`__proto__` included, as a plain key). */
export function setOwn(o: object, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else (o as Record<string, unknown>)[key] = value;
}
