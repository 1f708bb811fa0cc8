/**
 * posture.config.json: profile, per-rule threshold overrides, disabled rules and waivers. Anything
 * the file says that the catalogue does not know (a rule id, a threshold, a key) is an error, so a
 * typo never silently weakens a control.
 */
import { existsSync } from "node:fs";
import { CATALOGUE, ruleById } from "../policies";
import { PROFILES, type Profile, type Rule, type Thresholds } from "../policies/rule";
import { InputError } from "./errors";
import { ownValue } from "./own";
import type { Waiver } from "./model";
import { assertDepth, duplicateKey, parseJson, readText } from "./read-input";
import { parseWaiver } from "./waivers";

export interface PostureConfig {
  /** The file it came from, if any. */
  file?: string;
  profile?: Profile;
  thresholds: Readonly<Record<string, Thresholds>>;
  disabled: readonly string[];
  waivers: readonly Waiver[];
}

export const EMPTY_CONFIG: PostureConfig = { thresholds: {}, disabled: [], waivers: [] };
export const DEFAULT_CONFIG_FILE = "posture.config.json";

const KEYS = new Set(["$schema", "profile", "thresholds", "disabled", "waivers"]);

/** Loads `file`, or `posture.config.json` in the working directory when it exists. */
export function loadConfig(file?: string): PostureConfig {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return EMPTY_CONFIG;
  const text = readText(path);
  const doc = parseJson(text, path);
  // JSON.parse keeps the last of two equal keys: a second "disabled" or threshold would win unseen.
  const dup = duplicateKey(text);
  if (dup) throw new InputError(path, `${dup.path === "" ? "" : `${dup.path}: `}duplicate key "${dup.key}"`);
  return parseConfig(doc, path);
}

export function parseConfig(doc: unknown, file: string): PostureConfig {
  const bad = (problem: string): never => {
    throw new InputError(file, problem);
  };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return bad("must be a JSON object");
  assertDepth(doc, file);
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) bad(`unknown key "${k}" (allowed: profile, thresholds, disabled, waivers)`);
  if (o.profile !== undefined && !PROFILES.includes(o.profile as Profile)) bad(`profile must be one of ${PROFILES.join(", ")}`);

  const thresholds: Record<string, Thresholds> = {};
  if (o.thresholds !== undefined) {
    if (o.thresholds === null || typeof o.thresholds !== "object" || Array.isArray(o.thresholds)) bad('"thresholds" must be an object keyed by rule id');
    for (const [id, t] of Object.entries(o.thresholds as Record<string, unknown>)) {
      const rule = ruleById(id) ?? bad(`thresholds: no rule ${id} in the catalogue`);
      const specs = rule.thresholds ?? bad(`thresholds: ${id} has no thresholds`);
      if (t === null || typeof t !== "object" || Array.isArray(t)) return bad(`thresholds.${id} must be an object`);
      const out: Record<string, number | boolean> = {};
      for (const [k, v] of Object.entries(t as Record<string, unknown>)) {
        const spec = (ownValue(specs, k) as (typeof specs)[string] | undefined) ?? bad(`thresholds.${id}: unknown threshold "${k}" (known: ${Object.keys(specs).join(", ")})`);
        const want = typeof spec.recommended;
        if (typeof v !== want || (want === "number" && (!Number.isFinite(v) || (v as number) < 0))) bad(`thresholds.${id}.${k} must be a ${want === "number" ? "non-negative number" : "boolean"}`);
        out[k] = v as number | boolean;
      }
      thresholds[id] = out;
    }
  }

  let disabled: string[] = [];
  if (o.disabled !== undefined) {
    if (!Array.isArray(o.disabled) || o.disabled.some((d) => typeof d !== "string")) bad('"disabled" must be a list of rule ids');
    disabled = o.disabled as string[];
    for (const id of disabled) if (!ruleById(id)) bad(`disabled: no rule ${id} in the catalogue`);
    if (disabled.includes("CONFIG-1")) bad("disabled: CONFIG-1 cannot be disabled: it is what reports a threshold set weaker than recommended");
  }

  let waivers: Waiver[] = [];
  if (o.waivers !== undefined) {
    if (!Array.isArray(o.waivers)) bad('"waivers" must be a list');
    waivers = (o.waivers as unknown[]).map((w, i) => parseWaiver(w, "config", `${file}: waivers[${i}]`));
    for (const w of waivers) if (!ruleById(w.rule)) bad(`waivers: no rule ${w.rule} in the catalogue`);
  }
  return { file, profile: o.profile as Profile | undefined, thresholds, disabled, waivers };
}

/** A threshold override weaker than the recommended value (CONFIG-1). */
export interface WeakerOverride {
  rule: Rule;
  key: string;
  recommended: number | boolean;
  value: number | boolean;
}

export function weakerOverrides(config: PostureConfig): WeakerOverride[] {
  const out: WeakerOverride[] = [];
  for (const rule of CATALOGUE) {
    const o = config.thresholds[rule.id];
    if (!o) continue;
    for (const [key, value] of Object.entries(o)) {
      const spec = rule.thresholds![key];
      const rec = spec.recommended;
      const weaker =
        spec.weaker === "higher" ? value > rec : spec.weaker === "lower" ? value < rec : spec.weaker === "false" ? value === false && rec === true : value === true && rec === false;
      if (weaker) out.push({ rule, key, recommended: rec, value });
    }
  }
  return out;
}
