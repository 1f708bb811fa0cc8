/**
 * posture.config.json: profile, rule packs, per-rule threshold overrides, disabled rules and waivers.
 * Anything the file says that the rules do not know (a rule id, a threshold, a key) is an error, so a
 * typo never silently weakens a control. Rule ids are checked against the rules that run (the
 * catalogue plus packs) once those are known: by `parseConfig` when it is given them, and always
 * before evaluation ({@link checkConfigRules}).
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PROFILES, type Profile, type Rule, type Thresholds } from "../model/rule";
import { InputError } from "../errors";
import { ownValue, setOwn } from "../model/own";
import type { Waiver } from "../model/model";
import { assertDepth, duplicateKey, parseJson, readText } from "../load/read-input";
import { parseWaiver } from "./waivers";

export interface PostureConfig {
  /** The file it came from, if any. */
  file?: string;
  profile?: Profile;
  thresholds: Readonly<Record<string, Thresholds>>;
  disabled: readonly string[];
  waivers: readonly Waiver[];
  /** Rule packs to load (`"packs"`), as paths resolved against the config file's directory. */
  packs?: readonly string[];
}

export const EMPTY_CONFIG: PostureConfig = { thresholds: {}, disabled: [], waivers: [] };
export const DEFAULT_CONFIG_FILE = "posture.config.json";

const KEYS = new Set(["$schema", "profile", "packs", "thresholds", "disabled", "waivers"]);

/**
 * Loads `file`, or `posture.config.json` in the working directory when it exists. With `rules`, rule
 * ids are checked against them too (pass the catalogue with the config's packs added).
 */
export function loadConfig(file?: string, rules?: readonly Rule[]): PostureConfig {
  const path = file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (!path) return EMPTY_CONFIG;
  const text = readText(path);
  const doc = parseJson(text, path);
  // JSON.parse keeps the last of two equal keys: a second "disabled" or threshold would win unseen.
  const dup = duplicateKey(text);
  if (dup) throw new InputError(path, `${dup.path === "" ? "" : `${dup.path}: `}duplicate key "${dup.key}"`);
  return parseConfig(doc, path, rules);
}

/**
 * Checks and reads a parsed config. Rule ids, thresholds and their values are checked against
 * `rules` when given; without them only the shape is, and {@link checkConfigRules} (run before every
 * evaluation) checks the rest.
 */
export function parseConfig(doc: unknown, file: string, rules?: readonly Rule[]): PostureConfig {
  const bad = (problem: string): never => {
    throw new InputError(file, problem);
  };
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return bad("must be a JSON object");
  assertDepth(doc, file);
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) bad(`unknown key "${k}" (allowed: profile, packs, thresholds, disabled, waivers)`);
  if (o.profile !== undefined && !PROFILES.includes(o.profile as Profile)) bad(`profile must be one of ${PROFILES.join(", ")}`);

  const thresholds: Record<string, Thresholds> = {};
  if (o.thresholds !== undefined) {
    if (o.thresholds === null || typeof o.thresholds !== "object" || Array.isArray(o.thresholds)) bad('"thresholds" must be an object keyed by rule id');
    for (const [id, t] of Object.entries(o.thresholds as Record<string, unknown>)) {
      if (t === null || typeof t !== "object" || Array.isArray(t)) return bad(`thresholds.${id} must be an object`);
      const out: Record<string, number | boolean> = {};
      // Values are checked against the rule's threshold specs in checkConfigRules.
      for (const [k, v] of Object.entries(t as Record<string, unknown>)) setOwn(out, k, v);
      setOwn(thresholds, id, out);
    }
  }

  let packs: string[] | undefined;
  if (o.packs !== undefined) {
    if (!Array.isArray(o.packs) || o.packs.some((p) => typeof p !== "string" || p === "")) bad('"packs" must be a list of rule pack files (paths relative to this config)');
    packs = (o.packs as string[]).map((p) => resolve(dirname(file), p));
  }

  let disabled: string[] = [];
  if (o.disabled !== undefined) {
    if (!Array.isArray(o.disabled) || o.disabled.some((d) => typeof d !== "string")) bad('"disabled" must be a list of rule ids');
    disabled = o.disabled as string[];
    if (disabled.includes("CONFIG-1")) bad("disabled: CONFIG-1 cannot be disabled: it is what reports a threshold set weaker than recommended");
  }

  let waivers: Waiver[] = [];
  if (o.waivers !== undefined) {
    if (!Array.isArray(o.waivers)) bad('"waivers" must be a list');
    waivers = (o.waivers as unknown[]).map((w, i) => parseWaiver(w, "config", `${file}: waivers[${i}]`));
  }
  const config: PostureConfig = { file, profile: o.profile as Profile | undefined, thresholds, disabled, waivers, ...(packs ? { packs } : {}) };
  if (rules) checkConfigRules(config, rules);
  return config;
}

const checked = new WeakMap<PostureConfig, readonly Rule[]>();

/**
 * Checks every rule id the config names (thresholds, disabled, waivers) and every threshold override
 * against `rules`: an unknown one is an error naming the config file. Cheap to repeat: a config
 * already checked against the same list is not checked again.
 */
export function checkConfigRules(config: PostureConfig, rules: readonly Rule[]): void {
  if (checked.get(config) === rules) return;
  const file = config.file ?? "config";
  const bad = (problem: string): never => {
    throw new InputError(file, problem);
  };
  const byId = new Map(rules.map((r) => [r.id, r]));
  for (const [id, t] of Object.entries(config.thresholds)) {
    const rule = byId.get(id) ?? bad(`thresholds: no rule ${id} in the catalogue`);
    const specs = rule.thresholds ?? bad(`thresholds: ${id} has no thresholds`);
    for (const [k, v] of Object.entries(t)) {
      const spec = (ownValue(specs, k) as (typeof specs)[string] | undefined) ?? bad(`thresholds.${id}: unknown threshold "${k}" (known: ${Object.keys(specs).join(", ")})`);
      const want = typeof spec.recommended;
      if (typeof v !== want || (want === "number" && (!Number.isFinite(v) || (v as number) < 0))) bad(`thresholds.${id}.${k} must be a ${want === "number" ? "non-negative number" : "boolean"}`);
    }
  }
  for (const id of config.disabled) if (!byId.has(id)) bad(`disabled: no rule ${id} in the catalogue`);
  for (const w of config.waivers) if (w.origin === "config" && !byId.has(w.rule)) bad(`waivers: no rule ${w.rule} in the catalogue`);
  checked.set(config, rules);
}

/** A threshold override weaker than the recommended value (CONFIG-1). */
export interface WeakerOverride {
  rule: Rule;
  key: string;
  recommended: number | boolean;
  value: number | boolean;
}

export function weakerOverrides(config: PostureConfig, rules: readonly Rule[]): WeakerOverride[] {
  const out: WeakerOverride[] = [];
  for (const rule of rules) {
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
