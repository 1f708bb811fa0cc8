/**
 * `--synth cdktf.out`: gives the plans of a CDKTF app back what Terraform drops from them. Terraform
 * leaves cdktf's `"//"` metadata out of a plan's configuration, so a plan carries neither construct
 * paths nor `Posture.waive` waivers. Each plan is joined to its stack's `cdk.tf.json`, resource by
 * resource through the logical id (a root-module address is `type.logicalId`), so review and drift
 * show the construct paths and honour the in-code waivers exactly as synth did.
 *
 * Which stack a plan belongs to is checked, not assumed: the plan's configuration must declare exactly
 * the resources of the stack. The stack's name (the plan's directory under `cdktf.out/stacks/`, or the
 * plan's file name) only chooses between stacks that declare the same resources (dev and prod of one
 * construct tree); a name that points at a stack with other resources is an error.
 */
import { basename, dirname, relative, resolve, sep } from "node:path";
import { InputError } from "../errors";
import { addDistinctWaivers, type CdktfStack } from "../load/config-files";
import { configAddress, isObj } from "../load/load-plan";
import type { Resource, SourceLocation, Waiver } from "../model/model";
import type { Decorate, PlanDoc } from "./review";

type Json = Record<string, unknown>;

/** What a stack's `cdk.tf.json` says about one resource (by root-module address without instance keys). */
interface Declared {
  constructPath?: string;
  waivers: Waiver[];
  line?: number;
}

export interface SynthJoin {
  /** Sets the construct path and in-code waivers of the stack's resource on a plan's model resource. */
  decorate: Decorate;
  /** The stack each plan was joined to, by plan path. */
  stackOf: ReadonlyMap<string, CdktfStack>;
  /** Where a plan's resource is declared in its stack's `cdk.tf.json`, when it is. */
  declaration(planPath: string, address: string): SourceLocation | undefined;
  /** The scope waivers of the joined stacks (their top-level `"//"` metadata). */
  scopeWaivers: Waiver[];
  /** What the join did, for the report's notices. */
  notes: string[];
}

/** The root-module addresses (`type.name`, `data.type.name`) a stack declares. */
function stackAddresses(doc: Json): Set<string> {
  const out = new Set<string>();
  for (const [key, prefix] of [
    ["resource", ""],
    ["data", "data."],
  ] as const) {
    for (const byType of Array.isArray(doc[key]) ? doc[key] : [doc[key]]) {
      if (!isObj(byType)) continue;
      for (const [type, byName] of Object.entries(byType)) {
        if (type === "//") continue;
        for (const names of Array.isArray(byName) ? byName : [byName]) {
          if (isObj(names)) for (const name of Object.keys(names)) if (name !== "//") out.add(`${prefix}${type}.${name}`);
        }
      }
    }
  }
  return out;
}

/**
 * The root-module addresses a plan declares: its configuration's root module resources, or (a plan
 * without configuration) the root-module addresses of its changes and planned values.
 */
function planAddresses(doc: Json): Set<string> {
  const out = new Set<string>();
  const root = isObj(doc.configuration) && isObj(doc.configuration.root_module) ? doc.configuration.root_module : undefined;
  if (root && Array.isArray(root.resources)) {
    for (const r of root.resources) if (isObj(r) && typeof r.address === "string") out.add(r.address);
    return out;
  }
  const entries = [
    ...(Array.isArray(doc.resource_changes) ? doc.resource_changes : []),
    ...(isObj(doc.planned_values) && isObj(doc.planned_values.root_module) && Array.isArray(doc.planned_values.root_module.resources) ? doc.planned_values.root_module.resources : []),
  ];
  for (const e of entries) if (isObj(e) && typeof e.address === "string" && !e.address.startsWith("module.")) out.add(configAddress(e.address));
  return out;
}

/** The stack names a plan's path suggests: `cdktf.out/stacks/<name>/…`, or the file name (`okta.json`, `okta.plan.json`). */
function nameHints(planPath: string, synthDir: string): string[] {
  const hints: string[] = [];
  const rel = relative(resolve(synthDir, "stacks"), resolve(planPath));
  if (!rel.startsWith("..") && rel.includes(sep)) hints.push(rel.split(sep)[0]);
  hints.push(basename(planPath).replace(/\.json$/i, "").replace(/[.-]?(tf)?plan$/i, ""));
  hints.push(basename(dirname(resolve(planPath))));
  return hints;
}

const equalSets = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

function difference(plan: ReadonlySet<string>, stack: ReadonlySet<string>): string {
  const missing = [...plan].filter((a) => !stack.has(a)).sort();
  const extra = [...stack].filter((a) => !plan.has(a)).sort();
  const list = (xs: string[]) => xs.slice(0, 3).join(", ") + (xs.length > 3 ? `, … (${xs.length})` : "");
  return [missing.length ? `the plan has ${list(missing)} which the stack lacks` : "", extra.length ? `the stack has ${list(extra)} which the plan lacks` : ""].filter(Boolean).join("; ");
}

/** Joins each plan to its stack; throws an InputError naming the plan when no stack (or several) fit. */
export function joinPlansToStacks(plans: readonly PlanDoc[], stacks: readonly CdktfStack[], synthDir: string): SynthJoin {
  const addresses = new Map(stacks.map((s) => [s, stackAddresses(s.doc)]));
  const stackOf = new Map<string, CdktfStack>();
  const notes: string[] = [];
  for (const p of plans) {
    const own = planAddresses(p.doc);
    const hinted = nameHints(p.path, synthDir)
      .map((h) => stacks.find((s) => s.name === h))
      .find((s) => s !== undefined);
    const fitting = stacks.filter((s) => equalSets(own, addresses.get(s)!));
    let stack: CdktfStack | undefined;
    if (hinted) {
      if (own.size > 0 && !fitting.includes(hinted)) {
        throw new InputError(p.path, `is named for stack ${hinted.name} of ${synthDir}, but does not declare its resources (${difference(own, addresses.get(hinted)!)}); plan the stack you synthesized`);
      }
      stack = hinted;
    } else if (fitting.length === 1 && own.size > 0) stack = fitting[0];
    else if (fitting.length > 1) {
      throw new InputError(p.path, `declares the resources of stacks ${fitting.map((s) => s.name).join(" and ")} of ${synthDir} alike; name the plan after its stack (${fitting[0].name}.json) or keep it in ${synthDir}/stacks/${fitting[0].name}/`);
    } else {
      throw new InputError(p.path, `matches no stack of ${synthDir} (${stacks.map((s) => s.name).join(", ")}): plan each stack of the synth you pass with --synth`);
    }
    const taken = [...stackOf].find(([, s]) => s === stack);
    if (taken) throw new InputError(p.path, `and ${taken[0]} are both plans of stack ${stack.name}; give each stack's plan once`);
    stackOf.set(p.path, stack);
    notes.push(`${p.path}: joined to stack ${stack.name} (${stack.file}): construct paths and in-code waivers from the synth`);
  }
  const planned = new Set(stackOf.values());
  for (const s of stacks) {
    if (!planned.has(s)) notes.push(`stack ${s.name} of ${synthDir} has no plan in this run: its resources are not judged, and scope rules do not see them`);
  }

  const declared = new Map<CdktfStack, Map<string, Declared>>();
  for (const s of planned) {
    const byAddress = new Map<string, Declared>();
    for (const r of s.resources) {
      const key = configAddress(r.address);
      if (r.mode !== "provider" && !byAddress.has(key)) byAddress.set(key, { constructPath: r.constructPath, waivers: r.waivers, line: r.source?.line });
    }
    declared.set(s, byAddress);
  }
  const lookup = (planPath: string | undefined, address: string): { stack: CdktfStack; d: Declared } | undefined => {
    const stack = planPath === undefined ? undefined : stackOf.get(planPath);
    const d = stack ? declared.get(stack)?.get(configAddress(address)) : undefined;
    return stack && d ? { stack, d } : undefined;
  };

  const scopeWaivers: Waiver[] = [];
  for (const s of planned) addDistinctWaivers(scopeWaivers, s.scopeWaivers);
  return {
    decorate(r: Resource) {
      if (r.mode === "provider") return;
      const found = lookup(r.unit, r.address);
      if (!found) return;
      if (found.d.constructPath) r.constructPath = found.d.constructPath;
      // The same waiver objects as the stack's: a waiver used on any instance is not stale.
      if (found.d.waivers.length > 0) r.waivers = found.d.waivers;
    },
    stackOf,
    declaration(planPath, address) {
      const found = lookup(planPath, address);
      return found ? { file: found.stack.file, ...(found.d.line ? { line: found.d.line } : {}) } : undefined;
    },
    scopeWaivers,
    notes,
  };
}
