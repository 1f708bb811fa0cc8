/**
 * Typed reads for rules. Each returns either the value or the verdict the rule must give when the
 * value cannot decide (unknown before apply, or of the wrong type), so a rule never passes by accident.
 */
import type { Resource } from "../../engine/model/model";
import { asBool, asNumber, asString, read, readJson, type Read } from "../../engine/model/view";
import { fail, notApplicable, pass, unknown, type Tri, type Verdict } from "../rule";

export type Got<T> = { ok: true; value: T; defaulted: boolean } | { ok: false; verdict: Verdict };

const unknownVerdict = (path: string): Got<never> => ({
  ok: false,
  verdict: unknown(path, `${path} is not known before apply`),
});

function typed<T>(r: Read, convert: (v: unknown) => T | undefined, typeName: string): Got<T | undefined> {
  if (r.state === "unknown") return unknownVerdict(r.path);
  if (r.state === "absent") return { ok: true, value: undefined, defaulted: false };
  const v = convert(r.value);
  if (v === undefined) return { ok: false, verdict: fail(r.path, r.value, `${r.path} is not a ${typeName}`) };
  return { ok: true, value: v, defaulted: r.defaulted };
}

export const getString = (res: Resource, path: string) => typed(read(res, path), asString, "string");
export const getNumber = (res: Resource, path: string) => typed(read(res, path), asNumber, "number");
export const getBool = (res: Resource, path: string) => typed(read(res, path), asBool, "boolean");

/** A JSON-string attribute parsed by the model; invalid JSON fails. */
export function getJson(res: Resource, path: string): Got<unknown> {
  const r = readJson(res, path);
  if (r.state === "unknown") return unknownVerdict(path);
  if (r.state === "invalid") return { ok: false, verdict: fail(path, undefined, `${path} is not valid JSON`) };
  if (r.state === "absent") return { ok: true, value: undefined, defaulted: false };
  return { ok: true, value: r.value, defaulted: r.defaulted };
}

/** Whether `status` (provider default applied) equals `ACTIVE`. */
export function isActive(res: Resource): Tri {
  const r = read(res, "status");
  if (r.state === "unknown") return "unknown";
  if (r.state === "absent") return true;
  return r.value === "ACTIVE";
}

/** Whether a string attribute equals `expected`, with the provider default applied. */
export function equals(res: Resource, path: string, expected: string): Tri {
  const r = read(res, path);
  if (r.state === "unknown") return "unknown";
  return r.state === "known" && r.value === expected;
}

export function and(...xs: Tri[]): Tri {
  if (xs.includes(false)) return false;
  return xs.includes("unknown") ? "unknown" : true;
}

/**
 * Runs `check` only for resources the rule covers. When coverage itself is unknown (a status or
 * access that is not known before apply), a passing check passes and anything else is unknown.
 */
export function whenApplies(covered: Tri, what: string, check: () => Verdict): Verdict {
  if (covered === false) return notApplicable(`not ${what}`);
  const v = check();
  if (covered === true || v.outcome === "pass" || v.outcome === "not-applicable") return v;
  if (v.outcome === "unknown") return unknown(v.attribute, `${v.message} (nor is whether this is ${what})`);
  return unknown(v.attribute, `whether this is ${what} is not known before apply; if it is: ${v.message}`);
}

/** Runs `check` on an active rule whose `access` (provider default applied) is ALLOW. */
export function whenActiveAllow(r: Resource, check: () => Verdict): Verdict {
  return whenApplies(and(isActive(r), equals(r, "access", "ALLOW")), "an active ALLOW rule", check);
}

/** Like whenApplies for policies; an org's default policy (`okta_policy_*_default`) has no status and is always active. */
export function whenPolicyActive(r: Resource, check: () => Verdict): Verdict {
  return r.kind.endsWith("_default") ? check() : whenApplies(isActive(r), "an active policy", check);
}

/** Runs checks in order and returns the first verdict that is not a pass. */
export function allOf(...checks: Array<() => Verdict>): Verdict {
  let firstUnknown: Verdict | undefined;
  for (const c of checks) {
    const v = c();
    if (v.outcome === "fail") return v;
    if (v.outcome === "unknown" && !firstUnknown) firstUnknown = v;
  }
  return firstUnknown ?? pass();
}

/** Resolves a `Got` into a verdict via `decide`, passing through the unknown/invalid verdict. */
export function decide<T>(got: Got<T>, decideFn: (value: T, defaulted: boolean) => Verdict): Verdict {
  return got.ok ? decideFn(got.value, got.defaulted) : got.verdict;
}

/** `(default)` suffix for messages about values the user did not write. */
export const dflt = (defaulted: boolean): string => (defaulted ? " (provider default)" : "");
