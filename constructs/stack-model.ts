/** A stack's final Terraform JSON (overrides included) as the engine's resource model. */
import { join } from "node:path";
import type { TerraformStack } from "cdktf";
import { loadJsonDocument } from "../engine/load";
import type { LoadedInput } from "../engine/model";
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
  writeWaivers(stack);
  const json = stack.toTerraform();
  return loadJsonDocument(json, stableJson(json), stackFile(stack, outdir));
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
