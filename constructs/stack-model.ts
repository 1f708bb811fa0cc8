/** A stack's final Terraform JSON (overrides included) as the engine's resource model. */
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { jsonConfiguration } from "../engine/load/config-files";
import type { LoadedInput } from "../engine/model/model";
import { writeWaivers } from "./waivers";

/**
 * The file a stack's resources carry as their source, as in cdktf.out: under `outdir` when given (what
 * `posture check <outdir>` names), else relative to it.
 */
export function stackFile(stack: TerraformStack, outdir?: string): string {
  const rel = join("stacks", stack.node.id, "cdk.tf.json");
  return outdir === undefined ? rel : join(outdir, rel);
}

/**
 * The stack as an input of the engine: its resources, and the scope waivers written in its metadata.
 * Serialises the stack once (`toTerraform()` resolves every token: the expensive part of a synth).
 */
export function stackInput(stack: TerraformStack, outdir?: string): LoadedInput {
  return loadStack(stack, serialise(stack), outdir);
}

/** The stack's final Terraform JSON, its in-code waivers written first. */
export function serialise(stack: TerraformStack): object {
  disarm(stack);
  writeWaivers(stack);
  return stack.toTerraform();
}

/**
 * A serialised stack as an input of the engine. The JSON is only read, never changed: its text (as
 * cdktf writes it) is made from it only if a resource's line is read, for a finding's location.
 */
export function loadStack(stack: TerraformStack, json: object, outdir?: string): LoadedInput {
  return jsonConfiguration(json as Record<string, unknown>, stackFile(stack, outdir), () => stableJson(json));
}

/** Serialisations waiting for the synthesizer's `toTerraform()` call, by stack. */
const PENDING = new WeakMap<TerraformStack, object>();
const SHARED = Symbol("identity-posture: serialisation shared with the synthesizer");

/**
 * Lets cdktf's own serialisation of the stack, which follows the validations in the same synth, reuse
 * `json` instead of resolving every token a second time (the synth-time check's main cost). The next
 * `toTerraform()` call gets it, once; nothing is shared past the current synchronous run, and a check
 * always serialises afresh. Call it only when the synthesizer will go on to write the stack (no error
 * annotation stops it, JSON output).
 */
export function shareWithSynthesizer(stack: TerraformStack, json: object): void {
  const own = Object.getOwnPropertyDescriptor(stack, "toTerraform");
  if (own && !(own.value as { [SHARED]?: boolean } | undefined)?.[SHARED]) return; // someone else's override: leave it alone
  if (!own) {
    // Installed once per stack and never deleted (a delete would slow every later access to the stack).
    const serialiseStack = Object.getPrototypeOf(stack).toTerraform as () => object;
    const toTerraform = Object.assign(
      function (this: TerraformStack) {
        const shared = PENDING.get(stack);
        if (shared === undefined) return serialiseStack.call(this);
        PENDING.delete(stack);
        return shared;
      },
      { [SHARED]: true },
    );
    Object.defineProperty(stack, "toTerraform", { value: toTerraform, configurable: true, writable: true, enumerable: false });
  }
  PENDING.set(stack, json);
  queueMicrotask(() => disarm(stack));
}

function disarm(stack: TerraformStack): void {
  PENDING.delete(stack);
}

/**
 * True when two serialisations of a stack would be written as the same bytes: equal JSON, whatever
 * the order of keys. Conservative: a value with a `toJSON` method is never taken for equal. Not the
 * evaluator's deepEqual (hcl-values): that takes any non-array object for a plain one, and cdktf's
 * resolve passes a `Date` through as it is, so two different dates would compare equal.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (typeof (a as { toJSON?: unknown }).toJSON === "function" || typeof (b as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && sameJson(ra[k], rb[k]));
}

/**
 * The bytes cdktf writes for a stack (json-stable-stringify with 2-space indent: keys sorted, an empty
 * object or array opened and closed on two lines), so resource line numbers match cdk.tf.json.
 */
export function stableJson(value: unknown): string {
  return write(value, 0) ?? "null";
}

function write(value: unknown, level: number): string | undefined {
  const v = value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function" ? (value as { toJSON(): unknown }).toJSON() : value;
  if (v === undefined || typeof v === "function" || typeof v === "symbol") return undefined;
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  const indent = "\n" + "  ".repeat(level);
  const inner = indent + "  ";
  if (Array.isArray(v)) return "[" + v.map((x) => inner + (write(x, level + 1) ?? "null")).join(",") + indent + "]";
  const out: string[] = [];
  for (const k of Object.keys(v).sort()) {
    const s = write((v as Record<string, unknown>)[k], level + 1);
    if (s !== undefined) out.push(inner + JSON.stringify(k) + ": " + s);
  }
  return "{" + out.join(",") + indent + "}";
}
