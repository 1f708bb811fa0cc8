/**
 * Waivers: in posture.config.json (matched by address or construct-path glob) and in code (carried in
 * the synthesized JSON's `"//"` metadata). A waiver needs a rule, a reason of at least 10 characters and
 * an ISO expiry date; after that day it no longer applies and the report says so.
 */
import { InputError } from "../errors";
import type { Resource, Waiver } from "../model/model";

/**
 * A waiver in code as the synthesized metadata carries it: `Posture.waive` copies one waiver into every
 * resource below the construct, and `declaredOn` (the construct's path) makes those copies one waiver
 * again, for stale detection.
 */
export interface CodeWaiver extends Waiver {
  /** The construct path `Posture.waive` was called on. Absent in metadata written before it was recorded. */
  declaredOn?: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** The keys a waiver may have; any other is a typo that must not pass silently (`expiry`, `resources`). */
const CONFIG_WAIVER_KEYS = ["rule", "resource", "reason", "expires", "owner"];
const CODE_WAIVER_KEYS = ["rule", "reason", "expires", "owner", "declaredOn"];

/** Validates one waiver object; `where` names it in the error. */
export function parseWaiver(w: unknown, origin: Waiver["origin"], where: string): Waiver {
  const bad = (problem: string): never => {
    throw new InputError(where, problem);
  };
  if (w === null || typeof w !== "object" || Array.isArray(w)) return bad("a waiver must be an object");
  const o = w as Record<string, unknown>;
  const allowed = origin === "config" ? CONFIG_WAIVER_KEYS : CODE_WAIVER_KEYS;
  for (const k of Object.keys(o)) if (!allowed.includes(k)) bad(`unknown key "${k}" in a waiver (allowed: ${allowed.join(", ")})`);
  if (typeof o.rule !== "string" || o.rule === "") bad('waiver needs "rule" (a rule id such as "OKTA-SES-2")');
  if (origin === "config" && (typeof o.resource !== "string" || o.resource === "")) bad(`waiver for ${o.rule} needs "resource" (an address or construct-path glob)`);
  if (typeof o.reason !== "string" || o.reason.trim().length < 10) bad(`waiver for ${o.rule} needs a "reason" of at least 10 characters`);
  if (typeof o.expires !== "string" || !isIsoDate(o.expires)) bad(`waiver for ${o.rule} needs "expires" as an ISO date (YYYY-MM-DD)`);
  if (o.owner !== undefined && typeof o.owner !== "string") bad(`waiver for ${o.rule}: "owner" must be a string`);
  if (o.declaredOn !== undefined && (typeof o.declaredOn !== "string" || o.declaredOn === "")) bad(`waiver for ${o.rule}: "declaredOn" must be a construct path`);
  return {
    rule: o.rule as string,
    reason: (o.reason as string).trim(),
    expires: o.expires as string,
    ...(typeof o.owner === "string" ? { owner: o.owner } : {}),
    origin,
    ...(origin === "config" ? { resource: o.resource as string } : {}),
    ...(typeof o.declaredOn === "string" ? { declaredOn: o.declaredOn } : {}),
  } as CodeWaiver;
}

/**
 * The waivers as declared, each once: a config waiver as it is; the copies of one in-code waiver that
 * the resources below its construct carry, as one group (by the construct it was declared on, or, in
 * metadata without it, by its content). A group is stale only when none of its copies matched a finding.
 */
export function declaredWaivers(configWaivers: readonly Waiver[], resources: readonly Resource[]): Array<{ copies: Waiver[]; where?: string; first?: Resource }> {
  const out: Array<{ copies: Waiver[]; where?: string; first?: Resource }> = configWaivers.map((w) => ({ copies: [w] }));
  const groups = new Map<string, { copies: Waiver[]; where?: string; first?: Resource }>();
  for (const r of resources) {
    for (const w of r.waivers as CodeWaiver[]) {
      const key = JSON.stringify([w.declaredOn ?? null, w.rule, w.reason, w.expires, w.owner ?? null]);
      const g = groups.get(key);
      if (g) g.copies.push(w);
      else groups.set(key, { copies: [w], where: w.declaredOn, first: r });
    }
  }
  return [...out, ...groups.values()];
}

/** Glob match where `*` matches any run of characters (including `.`, `/` and `[`). */
export function globMatch(glob: string, text: string): boolean {
  const re = new RegExp(`^${glob.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(text);
}

/** True once `today` (YYYY-MM-DD) is after the waiver's expiry day. */
export function isExpired(w: Waiver, today: string): boolean {
  return today > w.expires;
}

/** The waivers that name `ruleId` for this finding's resource (or for the scope, address `(scope)`). */
export function waiversFor(ruleId: string, address: string, resource: Resource | undefined, configWaivers: readonly Waiver[]): Waiver[] {
  const inCode = (resource?.waivers ?? []).filter((w) => w.rule === ruleId);
  const inConfig = configWaivers.filter(
    (w) => w.rule === ruleId && w.resource !== undefined && (globMatch(w.resource, address) || (!!resource?.constructPath && globMatch(w.resource, resource.constructPath))),
  );
  return [...inCode, ...inConfig];
}
