/** A stack's final Terraform JSON (overrides included) as the engine's resource model. */
import type { TerraformStack } from "cdktf";
import { loadJsonDocument } from "../engine/load";
import type { LoadedInput } from "../engine/model";
import { writeWaivers } from "./waivers";

/** The file name a stack's resources carry as their source, as in cdktf.out. */
export function stackFile(stack: TerraformStack): string {
  return `stacks/${stack.node.id}/cdk.tf.json`;
}

/** The stack as an input of the engine: its resources, and the scope waivers written in its metadata. */
export function stackInput(stack: TerraformStack): LoadedInput {
  writeWaivers(stack);
  const json = stack.toTerraform();
  const text = JSON.stringify(json, null, 2);
  return loadJsonDocument(json, text, stackFile(stack));
}
