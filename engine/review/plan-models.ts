/**
 * A plan JSON (`terraform show -json tfplan`) as the models that `posture review` and `posture drift`
 * judge: the prior side (what exists now), the planned side (what the plan leaves behind), the list
 * of changes with their actions, and the drift Terraform saw outside itself.
 *
 * Only Okta and Cloudflare resources are modelled; every other entry costs a glance at its type, so a
 * plan of tens of thousands of resources stays cheap. The document is parsed once by the caller.
 */
import { canonicalType } from "../model/aliases";
import { destroys, isObj, moduleResources, planResource } from "../load/load-plan";
import { addressKind, entryType, providerOf, type Resource } from "../model/model";
import { assertDepth } from "../load/read-input";

type Json = Record<string, unknown>;

/** One entry of `resource_changes` or `resource_drift`, for an Okta or Cloudflare resource. */
export interface PlanChange {
  address: string;
  /** Set when a `moved` block renamed the object: its prior state lived at this address. */
  previousAddress?: string;
  mode: "managed" | "data";
  type: string;
  /** The v5 canonical type rules match on. */
  kind: string;
  actions: readonly string[];
  /** Set for a deposed object (left over from a create_before_destroy replacement). */
  deposed?: string;
  actionReason?: string;
  /** The entry's `change` object, read into model resources only when needed ({@link beforeOf}, {@link afterOf}). */
  change: Json;
  name?: unknown;
}

export { destroys };

/** `delete` or `forget` together with `create`, in either order. */
export function replaces(actions: readonly string[]): boolean {
  return (actions.includes("delete") || actions.includes("forget")) && actions.includes("create");
}

function relevant(type: unknown): type is string {
  return typeof type === "string" && providerOf(type) !== undefined;
}

/**
 * The entries of `resource_changes` (or `resource_drift`) that may be Okta or Cloudflare resources:
 * objects with an address whose type (written, else read from the address) is one. A large plan's
 * entries are mostly other providers'; this is a review's one pass over all of them, and the readers
 * of entries ({@link planChanges}, load-plan's `plannedResources`) check what they need on the rest.
 */
export function relevantEntries(entries: unknown): Json[] {
  if (!Array.isArray(entries)) return [];
  const out: Json[] = [];
  for (const rc of entries) {
    // isObj and relevant written out: this runs once per entry of the plan, tens of thousands of
    // times in code that is still cold, where every call costs.
    if (rc === null || typeof rc !== "object" || Array.isArray(rc) || typeof rc.address !== "string") continue;
    if (providerOf(entryType(rc)) !== undefined) out.push(rc);
  }
  return out;
}

/**
 * The `resource_changes` (or `resource_drift`) entries of the plan for Okta and Cloudflare resources.
 * `entries` is the section as written, or what {@link relevantEntries} kept of it.
 */
export function planChanges(entries: unknown, file: string): PlanChange[] {
  if (!Array.isArray(entries)) return [];
  const out: PlanChange[] = [];
  for (const rc of entries) {
    if (!isObj(rc) || typeof rc.address !== "string") continue;
    const type = entryType(rc);
    if (!relevant(type) || !isObj(rc.change)) continue;
    const change = rc.change;
    assertDepth(change, file);
    const actions = Array.isArray(change.actions) ? change.actions.filter((a): a is string => typeof a === "string") : [];
    const mode = rc.mode === "data" ? "data" : rc.mode === "managed" ? "managed" : addressKind(rc.address).mode;
    const pc: PlanChange = { address: rc.address, mode, type, kind: canonicalType(type), actions, change, name: rc.name };
    if (typeof rc.previous_address === "string" && rc.previous_address !== rc.address) pc.previousAddress = rc.previous_address;
    if (typeof rc.deposed === "string") pc.deposed = rc.deposed;
    if (typeof rc.action_reason === "string") pc.actionReason = rc.action_reason;
    out.push(pc);
  }
  return out;
}

/** The object before the change (prior state: no code, so origin `state`), or undefined for a create. */
export function beforeOf(c: PlanChange, file: string): Resource | undefined {
  if (!isObj(c.change.before)) return undefined;
  return planResource({ address: c.address, mode: c.mode, type: c.type, name: c.name, values: c.change.before, sensitiveMirrors: [c.change.before_sensitive] }, file, "state", undefined);
}

/** The object after the change, or undefined when the change destroys or forgets it. */
export function afterOf(c: PlanChange, file: string, origin: "plan" | "state"): Resource | undefined {
  if (!isObj(c.change.after) || destroys(c.actions)) return undefined;
  return planResource(
    { address: c.address, mode: c.mode, type: c.type, name: c.name, values: c.change.after, unknownMirror: c.change.after_unknown, sensitiveMirrors: [c.change.after_sensitive] },
    file,
    origin,
    undefined,
  );
}

/**
 * The prior side: `prior_state` (the state as refreshed before planning), plus the `before` of any
 * change that it does not list. An object renamed by a `moved` block is modelled at its new address,
 * so a finding on the old address and one on the new are the same finding. Deposed objects are left
 * out: the object that replaced them carries the resource's posture.
 */
export function priorResources(doc: Json, file: string, changes: readonly PlanChange[]): Resource[] {
  const renames = new Map<string, string>();
  const byAddress = new Map<string, PlanChange>();
  for (const c of changes) {
    if (c.deposed !== undefined) continue;
    if (c.previousAddress) renames.set(c.previousAddress, c.address);
    byAddress.set(c.address, c);
  }
  const out = new Map<string, Resource>();
  const prior = isObj(doc.prior_state) && isObj(doc.prior_state.values) ? doc.prior_state.values.root_module : undefined;
  const fromPrior: Json[] = [];
  const priorAddresses = new Set<string>();
  for (const r of moduleResources(prior, file)) {
    if (!relevant(entryType(r)) || r.deposed_key !== undefined) continue;
    fromPrior.push(r);
    priorAddresses.add(r.address as string);
  }
  for (const r of fromPrior) {
    // Terraform writes prior_state after applying moves; a hand-made plan may not have.
    const to = renames.get(r.address as string);
    const address = to !== undefined && !priorAddresses.has(to) ? to : (r.address as string);
    const c = byAddress.get(address);
    const res = planResource({ address, mode: r.mode, type: r.type, name: r.name, values: r.values, sensitiveMirrors: [r.sensitive_values, c?.change.before_sensitive] }, file, "state", undefined);
    out.set(address, res);
  }
  for (const c of byAddress.values()) {
    if (out.has(c.address)) continue;
    const b = beforeOf(c, file);
    if (b) out.set(c.address, b);
  }
  return [...out.values()];
}

export interface PlanStatus {
  /** `complete: false`: Terraform deferred some changes; the plan does not show everything. */
  incomplete: boolean;
  /** `errored: true`: planning stopped on an error; the plan is partial. */
  errored: boolean;
  deferred: number;
}

export function planStatus(doc: Json): PlanStatus {
  return {
    incomplete: doc.complete === false,
    errored: doc.errored === true,
    deferred: Array.isArray(doc.deferred_changes) ? doc.deferred_changes.length : 0,
  };
}
