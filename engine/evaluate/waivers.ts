/**
 * Waivers: in posture.config.json (matched by address or construct-path glob) and in code (carried in
 * the synthesized JSON's `"//"` metadata). A waiver needs a rule, a reason of at least 10 characters and
 * an ISO expiry date; after that day it no longer applies and the report says so.
 */
import { InputError } from "../errors";
import type { Resource, Waiver } from "../model/model";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** The keys a waiver may have; any other is a typo that must not pass silently (`expiry`, `resources`). */
const CONFIG_WAIVER_KEYS = ["rule", "resource", "reason", "expires", "owner"];
const CODE_WAIVER_KEYS = ["rule", "reason", "expires", "owner"];

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
  return {
    rule: o.rule as string,
    reason: (o.reason as string).trim(),
    expires: o.expires as string,
    ...(typeof o.owner === "string" ? { owner: o.owner } : {}),
    origin,
    ...(origin === "config" ? { resource: o.resource as string } : {}),
  };
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
