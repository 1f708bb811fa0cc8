/**
 * Terraform's conversion of a variable's value to its type constraint: primitives converted
 * ("30" to 30 for a number), object attributes the type does not declare dropped, and `optional()`
 * attributes that the value leaves out filled with their default (or null). Modules written for many
 * callers lean on these defaults; without them a decidable value would read as unknown.
 */
import { Evaluator, parseExpressionCached } from "./hcl-eval";
import type { Expr } from "./hcl-expr";
import { Choice, isPlainObject, record, unknownish } from "./hcl-values";
import { UNKNOWN } from "../model/model";
import { ValueBudget } from "../load/limits";

/** A type constraint's default values refer to nothing. It lives as long as the process, so its steps count against no input. */
const constants = new Evaluator({ root: (_n, steps) => ({ value: UNKNOWN, used: steps.length }) }, new ValueBudget(Infinity));

/** Converts `value` to the type constraint written as `type` (the text inside hcl2json's `${...}`). */
export function convertToType(value: unknown, type: string | undefined): unknown {
  if (type === undefined) return value;
  // Cached: a few distinct constraints per configuration, read for every variable of every module instance.
  const t = parseExpressionCached(type);
  return t ? convert(value, t) : value;
}

function convert(v: unknown, t: Expr): unknown {
  if (unknownish(v) || v === null || v instanceof Choice) return v;
  if (t.t === "ref" && t.steps.length === 0) {
    if (t.root === "number" && typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    if (t.root === "bool" && (v === "true" || v === "false")) return v === "true";
    if (t.root === "string" && (typeof v === "number" || typeof v === "boolean")) return String(v);
    return v;
  }
  if (t.t !== "call") return v;
  const [inner] = t.args;
  switch (t.name) {
    case "optional":
      return inner ? convert(v, inner) : v;
    case "list":
    case "set":
      return Array.isArray(v) && inner ? v.map((x) => convert(x, inner)) : v;
    case "map": {
      if (!isPlainObject(v) || !inner) return v;
      const out = record();
      for (const k of Object.keys(v)) out[k] = convert(v[k], inner);
      return out;
    }
    case "tuple":
      return Array.isArray(v) && inner?.t === "tuple" ? v.map((x, i) => (inner.items[i] ? convert(x, inner.items[i]) : x)) : v;
    case "object": {
      if (!isPlainObject(v) || inner?.t !== "object") return v;
      const out = record();
      for (const { key, value: attrType } of inner.items) {
        if (key.t !== "lit" || typeof key.value !== "string") return v;
        const name = key.value;
        if (Object.prototype.hasOwnProperty.call(v, name) && v[name] !== null) out[name] = convert(v[name], attrType);
        else if (attrType.t === "call" && attrType.name === "optional") out[name] = attrType.args[1] ? convert(constants.evaluateExpr(attrType.args[1], new Map()).value, attrType.args[0]) : null;
        else out[name] = Object.prototype.hasOwnProperty.call(v, name) ? null : UNKNOWN;
      }
      return out;
    }
    default:
      return v;
  }
}
