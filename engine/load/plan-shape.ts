/**
 * The types of every plan and state field the engine reads, checked on the parsed document before any
 * model is built: a field of the wrong type is refused (exit 2, naming the file and the JSON path),
 * never skipped. A skipped `actions: "forget"` reviewed as a pass, and a `resource_drift` object as
 * "no drift". Fields the engine does not read are not checked (unknown keys are ignored, CLI.md), and
 * the values of resources of other providers are not walked, so a large plan stays cheap.
 */
import { InputError } from "../errors";
import { entryType, providerOf } from "../model/model";
import { MAX_DEPTH } from "./read-input";

type Json = Record<string, unknown>;
type Kind = "object" | "list" | "string" | "boolean" | "null";

const isObj = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Terraform's change actions (plans/plan.go, jsonplan's actionString). */
export const PLAN_ACTIONS: ReadonlySet<string> = new Set(["no-op", "create", "read", "update", "delete", "forget"]);

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

const NAMES: Record<Kind, string> = { object: "an object", list: "a list", string: "a string", boolean: "true/false", null: "null" };

function matches(v: unknown, k: Kind): boolean {
  switch (k) {
    case "object":
      return isObj(v);
    case "list":
      return Array.isArray(v);
    case "null":
      return v === null;
    default:
      return typeof v === k;
  }
}

class Shape {
  constructor(private readonly file: string) {}

  /** Refuses `v` at `path` unless it is absent or of one of `kinds`. */
  opt(v: unknown, path: string, ...kinds: Kind[]): void {
    if (v !== undefined) this.req(v, path, ...kinds);
  }

  req(v: unknown, path: string, ...kinds: Kind[]): void {
    if (kinds.some((k) => matches(v, k))) return;
    const want = kinds.map((k) => NAMES[k]).join(" or ");
    throw new InputError(this.file, v === undefined ? `${path} is missing (${want} expected)` : `${path} must be ${want}, not ${kindOf(v)}`);
  }

  /** A `*_unknown` / `*_sensitive` mirror: objects and lists whose leaves are all true or false. */
  mirror(v: unknown, path: string): void {
    // Nearly every mirror is valid: checked first without a path per node, walked again for the message only when not.
    if (mirrorOk(v, 0)) return;
    const stack: Array<[unknown, string, number]> = [[v, path, 0]];
    while (stack.length > 0) {
      const [m, p, depth] = stack.pop()!;
      if (typeof m === "boolean") continue;
      if (m === null || typeof m !== "object") this.req(m, p, "boolean", "object", "list");
      if (depth >= MAX_DEPTH) throw new InputError(this.file, `${p} nests deeper than ${MAX_DEPTH} levels`);
      if (Array.isArray(m)) m.forEach((x, i) => stack.push([x, `${p}[${i}]`, depth + 1]));
      else for (const [k, x] of Object.entries(m as Json)) stack.push([x, `${p}.${k}`, depth + 1]);
    }
  }

  /** `planned_values` / `prior_state.values` / a state's `values`: root_module and its child_modules. */
  values(values: unknown, path: string): void {
    this.opt(values, path, "object");
    if (!isObj(values)) return;
    const queue: Array<[unknown, string, number]> = [[values.root_module, `${path}.root_module`, 0]];
    for (let q = 0; q < queue.length; q++) {
      const [mod, p, depth] = queue[q];
      this.opt(mod, p, "object");
      if (!isObj(mod)) continue;
      if (depth > MAX_DEPTH) throw new InputError(this.file, `nests modules deeper than ${MAX_DEPTH} levels`);
      this.opt(mod.resources, `${p}.resources`, "list");
      if (Array.isArray(mod.resources)) {
        const list = mod.resources as unknown[];
        for (let i = 0; i < list.length; i++) {
          const r = list[i];
          if (!moduleResourceOk(r)) this.moduleResource(r, `${p}.resources[${i}]`);
        }
      }
      this.opt(mod.child_modules, `${p}.child_modules`, "list");
      if (Array.isArray(mod.child_modules)) mod.child_modules.forEach((c, i) => queue.push([c, `${p}.child_modules[${i}]`, depth + 1]));
    }
  }

  private moduleResource(r: unknown, p: string): void {
    this.req(r, p, "object");
    const o = r as Json;
    this.req(o.address, `${p}.address`, "string");
    this.opt(o.type, `${p}.type`, "string");
    if (providerOf(entryType(o)) === undefined) return;
    this.opt(o.mode, `${p}.mode`, "string");
    this.opt(o.name, `${p}.name`, "string");
    this.opt(o.deposed_key, `${p}.deposed_key`, "string");
    this.opt(o.values, `${p}.values`, "object", "null");
    if (o.sensitive_values !== undefined) this.mirror(o.sensitive_values, `${p}.sensitive_values`);
  }

  /** `resource_changes` / `resource_drift`. */
  changes(entries: unknown, path: string): void {
    this.opt(entries, path, "list");
    if (!Array.isArray(entries)) return;
    for (let i = 0; i < entries.length; i++) {
      const rc = entries[i];
      if (!basicsOk(rc)) this.changeBasics(rc, `${path}[${i}]`);
      const o = rc as Json;
      const c = o.change as Json;
      if (providerOf(entryType(o)) === undefined) continue;
      if (!detailOk(o, c)) this.changeDetail(o, c, `${path}[${i}]`);
    }
  }

  /** Refuses an entry whose address, type, change or actions are wrong, naming the first such field. */
  private changeBasics(rc: unknown, p: string): void {
    this.req(rc, p, "object");
    const o = rc as Json;
    this.req(o.address, `${p}.address`, "string");
    this.opt(o.type, `${p}.type`, "string");
    this.req(o.change, `${p}.change`, "object");
    const c = o.change as Json;
    this.req(c.actions, `${p}.change.actions`, "list");
    (c.actions as unknown[]).forEach((a, j) => {
      if (typeof a !== "string" || !PLAN_ACTIONS.has(a)) {
        throw new InputError(this.file, `${p}.change.actions[${j}] must be one of ${[...PLAN_ACTIONS].join(", ")}${typeof a === "string" ? "" : `, not ${kindOf(a)}`}`);
      }
    });
  }

  /** The fields read only for Okta and Cloudflare entries. */
  private changeDetail(o: Json, c: Json, p: string): void {
    for (const k of ["mode", "name", "previous_address", "deposed", "action_reason"]) this.opt(o[k], `${p}.${k}`, "string");
    this.opt(c.before, `${p}.change.before`, "object", "null");
    this.opt(c.after, `${p}.change.after`, "object", "null");
    for (const k of ["after_unknown", "before_sensitive", "after_sensitive"]) if (c[k] !== undefined) this.mirror(c[k], `${p}.change.${k}`);
    // Terraform marks unknown attributes, never a whole planned object; read as "nothing is known", it
    // would leave every attribute to its provider default, a silent pass.
    if (c.after_unknown === true && isObj(c.after)) throw new InputError(this.file, `${p}.change.after_unknown is true for the whole object; Terraform marks unknown attributes, not objects`);
  }

  configuration(conf: unknown): void {
    this.opt(conf, "configuration", "object");
    if (!isObj(conf)) return;
    this.opt(conf.provider_config, "configuration.provider_config", "object");
    if (isObj(conf.provider_config)) {
      for (const [k, pc] of Object.entries(conf.provider_config)) {
        const p = `configuration.provider_config.${k}`;
        this.req(pc, p, "object");
        this.opt((pc as Json).name, `${p}.name`, "string");
        this.opt((pc as Json).alias, `${p}.alias`, "string");
        this.opt((pc as Json).expressions, `${p}.expressions`, "object");
      }
    }
    const queue: Array<[unknown, string, number]> = [[conf.root_module, "configuration.root_module", 0]];
    for (let q = 0; q < queue.length; q++) {
      const [mod, p, depth] = queue[q];
      this.opt(mod, p, "object");
      if (!isObj(mod)) continue;
      if (depth > MAX_DEPTH) throw new InputError(this.file, `nests module calls deeper than ${MAX_DEPTH} levels`);
      this.opt(mod.resources, `${p}.resources`, "list");
      if (Array.isArray(mod.resources)) {
        mod.resources.forEach((r, i) => {
          if (isObj(r) && (r.address === undefined || typeof r.address === "string") && (r.type === undefined || typeof r.type === "string") && (r.expressions === undefined || isObj(r.expressions))) return;
          this.req(r, `${p}.resources[${i}]`, "object");
          this.opt((r as Json).address, `${p}.resources[${i}].address`, "string");
          this.opt((r as Json).type, `${p}.resources[${i}].type`, "string");
          this.opt((r as Json).expressions, `${p}.resources[${i}].expressions`, "object");
        });
      }
      if (depth === 0) {
        this.opt(mod.variables, `${p}.variables`, "object");
        if (isObj(mod.variables)) {
          for (const [k, v] of Object.entries(mod.variables)) {
            this.req(v, `${p}.variables.${k}`, "object");
            this.opt((v as Json).sensitive, `${p}.variables.${k}.sensitive`, "boolean");
          }
        }
      }
      this.opt(mod.module_calls, `${p}.module_calls`, "object");
      if (isObj(mod.module_calls)) {
        for (const [name, call] of Object.entries(mod.module_calls)) {
          this.req(call, `${p}.module_calls.${name}`, "object");
          queue.push([(call as Json).module, `${p}.module_calls.${name}.module`, depth + 1]);
        }
      }
    }
  }
}

/*
 * The checks below say, without building a path or a message, that the matching Shape method would
 * pass; only an entry they reject is walked again by that method, which names the first wrong field.
 * Each must return true only where its method throws nothing. Plain loops and no closures: they run
 * once per entry of plans of tens of thousands, mostly before the JIT has compiled them.
 */

/** True for an entry whose address, type, change and actions are of the right types (Shape.changeBasics). */
function basicsOk(rc: unknown): boolean {
  if (!isObj(rc) || typeof rc.address !== "string" || (rc.type !== undefined && typeof rc.type !== "string") || !isObj(rc.change)) return false;
  const actions = rc.change.actions;
  if (!Array.isArray(actions)) return false;
  for (let i = 0; i < actions.length; i++) {
    const a: unknown = actions[i];
    if (typeof a !== "string" || !PLAN_ACTIONS.has(a)) return false;
  }
  return true;
}

const optString = (v: unknown): boolean => v === undefined || typeof v === "string";
const optObjectOrNull = (v: unknown): boolean => v === undefined || v === null || isObj(v);

/** True for an Okta or Cloudflare entry whose detail fields are of the right types (Shape.changeDetail). */
function detailOk(o: Json, c: Json): boolean {
  return (
    optString(o.mode) &&
    optString(o.name) &&
    optString(o.previous_address) &&
    optString(o.deposed) &&
    optString(o.action_reason) &&
    optObjectOrNull(c.before) &&
    optObjectOrNull(c.after) &&
    (c.after_unknown === undefined || mirrorOk(c.after_unknown, 0)) &&
    (c.before_sensitive === undefined || mirrorOk(c.before_sensitive, 0)) &&
    (c.after_sensitive === undefined || mirrorOk(c.after_sensitive, 0)) &&
    !(c.after_unknown === true && isObj(c.after))
  );
}

/** True for a resource of `planned_values` or a state that Shape.moduleResource passes. */
function moduleResourceOk(r: unknown): boolean {
  if (!isObj(r) || typeof r.address !== "string") return false;
  if (r.type !== undefined && typeof r.type !== "string") return false;
  if (providerOf(entryType(r)) === undefined) return true;
  return optString(r.mode) && optString(r.name) && optString(r.deposed_key) && optObjectOrNull(r.values) && (r.sensitive_values === undefined || mirrorOk(r.sensitive_values, 0));
}

/** True for a mirror whose leaves are all true or false, nested less than MAX_DEPTH deep (Shape.mirror). */
function mirrorOk(m: unknown, depth: number): boolean {
  if (typeof m === "boolean") return true;
  if (m === null || typeof m !== "object" || depth >= MAX_DEPTH) return false;
  if (Array.isArray(m)) {
    for (let i = 0; i < m.length; i++) if (!mirrorOk(m[i], depth + 1)) return false;
    return true;
  }
  const keys = Object.keys(m);
  for (let i = 0; i < keys.length; i++) if (!mirrorOk((m as Json)[keys[i]], depth + 1)) return false;
  return true;
}

/** Refuses a plan whose fields the engine reads have the wrong type. */
export function checkPlanShape(doc: Json, file: string): void {
  const s = new Shape(file);
  s.changes(doc.resource_changes, "resource_changes");
  s.changes(doc.resource_drift, "resource_drift");
  s.values(doc.planned_values, "planned_values");
  s.opt(doc.prior_state, "prior_state", "object");
  if (isObj(doc.prior_state)) s.values(doc.prior_state.values, "prior_state.values");
  s.configuration(doc.configuration);
  s.opt(doc.variables, "variables", "object");
  if (isObj(doc.variables)) for (const [k, v] of Object.entries(doc.variables)) s.req(v, `variables.${k}`, "object");
  s.opt(doc.complete, "complete", "boolean");
  s.opt(doc.errored, "errored", "boolean");
  s.opt(doc.deferred_changes, "deferred_changes", "list");
}

/** Refuses a state (`terraform show -json` of a state) whose fields the engine reads have the wrong type. */
export function checkStateShape(doc: Json, file: string): void {
  new Shape(file).values(doc.values, "values");
}
