/** A stack's final Terraform JSON (overrides included) as the engine's resource model. */
import type { TerraformStack } from "cdktf";
import { loadJsonDocument } from "../engine/load";
import type { Resource } from "../engine/model";
import { writeWaivers } from "./waivers";

export function stackResources(stack: TerraformStack): Resource[] {
  writeWaivers(stack);
  const json = stack.toTerraform();
  const text = JSON.stringify(json, null, 2);
  return loadJsonDocument(json, text, `stacks/${stack.node.id}/cdk.tf.json`).resources;
}
