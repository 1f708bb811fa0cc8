/**
 * Okta attribute shapes that rules share across provider versions: lists of JSON strings
 * (`constraints` since 4.x, `chains` since 5.0.0), and the steps of an authentication method chain.
 */
import type { Resource } from "../../engine/model/model";
import { isUnknown } from "../../engine/model/model";
import { asList, parseJsonValue, read, walk } from "../../engine/model/view";
import { fail, unknown, type Verdict } from "../rule";

export type JsonStrings = { ok: true; entries: unknown[] } | { ok: false; verdict: Verdict };

/** The parsed entries of an attribute that is a list of JSON strings; a verdict when they cannot be read. */
export function jsonStrings(r: Resource, path: string): JsonStrings {
  const raw = read(r, path);
  if (raw.state === "unknown") return { ok: false, verdict: unknown(path, `${path} is not known before apply`) };
  if (raw.state === "absent") return { ok: true, entries: [] };
  const list = asList(raw.value);
  if (!list) return { ok: false, verdict: fail(path, undefined, `${path} is not a list of JSON strings`) };
  const entries: unknown[] = [];
  for (const [i, item] of list.entries()) {
    const parsed = parseJsonValue(item, `${path}.${i}`);
    if (parsed.state === "unknown" || isUnknown(item)) return { ok: false, verdict: unknown(`${path}.${i}`, `${path}[${i}] is not known before apply`) };
    if (parsed.state !== "known") return { ok: false, verdict: fail(`${path}.${i}`, undefined, `${path}[${i}] is not valid JSON`) };
    entries.push(parsed.value);
  }
  return { ok: true, entries };
}

/** Okta's limit on steps in one chain (provider docs: "Each chain can support maximum 3 steps"); deeper `next` is not read. */
const MAX_CHAIN_STEPS = 3;

/**
 * The steps of one `chains` entry of an `AUTH_METHOD_CHAIN` rule (okta_app_signon_policy_rule,
 * provider 5.0.0+: okta/services/idaas/resource_okta_app_signon_policy_rule.go:253 @ v6.12.0): the
 * chain's own `authenticationMethods`, then each `next[0]`'s. A step's methods are alternatives.
 */
export function chainSteps(chain: unknown): unknown[][] {
  const steps: unknown[][] = [];
  let step: unknown = chain;
  while (step !== null && typeof step === "object" && steps.length < MAX_CHAIN_STEPS) {
    steps.push(asList(walk(step, "authenticationMethods")) ?? []);
    step = (asList(walk(step, "next")) ?? [])[0];
  }
  return steps;
}
