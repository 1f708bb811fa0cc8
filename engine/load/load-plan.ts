/**
 * Plan and state JSON (`terraform show -json`) to the resource model. For a plan this reads the
 * planned values, with `after_unknown` marked unknown and `after_sensitive` marked sensitive (Terraform
 * leaves unknown values out of `planned_values`, so both come from `resource_changes`). Literal-ness
 * for SECRET-1 comes from the plan's `configuration` expressions (`constant_value`).
 */
import { canonicalType } from "../model/aliases";
import { InputError } from "../errors";
import { addressKind, entryType, normPath, providerOf, type Resource, UNKNOWN } from "../model/model";
import { ownValue, setOwn } from "../model/own";
import { assertDepth, MAX_DEPTH, tooDeep } from "./read-input";
import { markSchemaSensitive } from "../evaluate/redact";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** Accepts format_version 0.1 to 1.x; refuses 2.0 and later, and anything that is not a version. */
export function checkFormatVersion(doc: Json, file: string): void {
  const v = doc.format_version;
  const m = typeof v === "string" ? /^(\d+)\.(\d+)/.exec(v) : null;
  if (!m) throw new InputError(file, "format_version is missing or not a version string");
  if (Number(m[1]) >= 2) throw new InputError(file, `format_version ${v} is not supported (identity-posture reads 0.1 to 1.x)`);
}

/**
 * Marks paths where a `*_unknown` / `*_sensitive` mirror has `true`: calls `mark(path)`. A mirror
 * nested deeper than MAX_DEPTH is refused as {@link assertDepth} refuses it: this walk visits every
 * container anyway, so it bounds its own recursion instead of a second walk doing it.
 */
export function mirrorPaths(mirror: unknown, mark: (path: string) => void, file = "plan"): void {
  markMirror(mirror, mark, file, "", 0);
}

function markMirror(mirror: unknown, mark: (path: string) => void, file: string, path: string, depth: number): void {
  if (mirror === true) {
    mark(path);
    return;
  }
  if (mirror === null || typeof mirror !== "object") return;
  if (depth >= MAX_DEPTH) throw tooDeep(file);
  if (Array.isArray(mirror)) mirror.forEach((m, i) => markMirror(m, mark, file, path === "" ? String(i) : `${path}.${i}`, depth + 1));
  else for (const k of Object.keys(mirror)) markMirror((mirror as Json)[k], mark, file, path === "" ? k : `${path}.${k}`, depth + 1);
}

/** Sets UNKNOWN at `path` in `values`, creating containers as needed. */
export function setUnknown(values: Json, path: string): void {
  if (path === "") return;
  const segs = path.split(".");
  let cur: Record<string, unknown> | unknown[] = values;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i];
    const next = ownValue(cur, k);
    if (next === null || typeof next !== "object") {
      const made: Record<string, unknown> | unknown[] = /^\d+$/.test(segs[i + 1]) ? [] : {};
      setOwn(cur, k, made);
      cur = made;
    } else cur = next as Record<string, unknown>;
  }
  setOwn(cur, segs[segs.length - 1], UNKNOWN);
}


/** The config address of an instance address: module and resource keys dropped. */
export function configAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, "");
}

export interface PlanResourceInput {
  address: string;
  mode?: unknown;
  type?: unknown;
  name?: unknown;
  values: unknown;
  unknownMirror?: unknown;
  sensitiveMirrors?: unknown[];
}

/** Builds one model resource from plan/state values. */
export function planResource(
  input: PlanResourceInput,
  file: string,
  origin: "plan" | "state",
  literals: ReadonlyMap<string, Set<string>> | undefined,
  references?: ReadonlyMap<string, Map<string, string[]>>,
): Resource {
  const parts = addressKind(input.address);
  const type = typeof input.type === "string" ? input.type : parts.type;
  assertDepth(input.values, file);
  const values = withUnknowns(input.values, input.unknownMirror, file);
  const sensitive = new Set<string>();
  for (const m of input.sensitiveMirrors ?? []) mirrorPaths(m, (p) => sensitive.add(normPath(p)), file);
  const config = literals || references ? configAddress(input.address) : "";
  const r: Resource = {
    address: input.address,
    type,
    kind: canonicalType(type),
    name: typeof input.name === "string" ? input.name : parts.name,
    mode: input.mode === "data" ? "data" : parts.mode,
    origin,
    values,
    sensitive,
    refs: planRefs(values, references?.get(config), input.address),
    literal: literals ? (literals.get(config) ?? new Set()) : undefined,
    source: { file },
    // A plan or state file is one unit: its addresses are unique within it, not across inputs.
    unit: file,
    waivers: [],
  };
  markSchemaSensitive(r);
  return r;
}

/**
 * The values with UNKNOWN set where the `*_unknown` mirror marks them. The document's object itself
 * when the mirror marks nothing (no model changes its values once built, see
 * __tests__/review/plan-not-mutated.test.ts); a copy when it does, so the document stays as read.
 */
function withUnknowns(values: unknown, unknownMirror: unknown, file: string): Json {
  const unknown: string[] = [];
  mirrorPaths(unknownMirror, (p) => unknown.push(p), file);
  if (!isObj(values)) {
    const made: Json = {};
    for (const p of unknown) setUnknown(made, p);
    return made;
  }
  if (unknown.length === 0) return values;
  const copy = structuredClone(values);
  for (const p of unknown) setUnknown(copy, p);
  return copy;
}

/** `delete` or `forget` without `create`: the object is gone (or no longer managed) after apply. */
export function destroys(actions: unknown): boolean {
  if (!Array.isArray(actions)) return false;
  return (actions.includes("delete") || actions.includes("forget")) && !actions.includes("create");
}

/** Only Okta and Cloudflare resources are modelled: the catalogue reads nothing else. */
function relevant(type: unknown): boolean {
  return typeof type === "string" && providerOf(type) !== undefined;
}

/** Walks `root_module` and its `child_modules` (iteratively, depth-bounded), yielding each resource object. */
export function* moduleResources(root: unknown, file = "plan"): Generator<Json> {
  const queue: Array<[unknown, number]> = [[root, 0]];
  for (let q = 0; q < queue.length; q++) {
    const [mod, depth] = queue[q];
    if (!isObj(mod)) continue;
    if (depth > MAX_DEPTH) throw new InputError(file, `nests modules deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(mod.resources)) for (const r of mod.resources) if (isObj(r) && typeof r.address === "string") yield r;
    if (Array.isArray(mod.child_modules)) for (const c of mod.child_modules) queue.push([c, depth + 1]);
  }
}

/**
 * From a plan's `configuration`: for each resource config address, the attribute paths written as
 * constants (`constant_value`), for SECRET-1; plus the provider blocks as resources of mode provider.
 */
export function configurationLiterals(
  configuration: unknown,
  file: string,
): { literals?: Map<string, Set<string>>; references: Map<string, Map<string, string[]>>; providers: Resource[] } {
  const literals = new Map<string, Set<string>>();
  const references = new Map<string, Map<string, string[]>>();
  const providers: Resource[] = [];
  if (!isObj(configuration)) return { providers, references };
  const queue: Array<[unknown, string, number]> = [[configuration.root_module, "", 0]];
  for (let q = 0; q < queue.length; q++) {
    const [mod, prefix, depth] = queue[q];
    if (!isObj(mod)) continue;
    if (depth > MAX_DEPTH) throw new InputError(file, `nests module calls deeper than ${MAX_DEPTH} levels`);
    if (Array.isArray(mod.resources)) {
      for (const r of mod.resources) {
        if (!isObj(r) || typeof r.address !== "string" || !relevant(r.type)) continue;
        assertDepth(r.expressions, file);
        const set = new Set<string>();
        constants(r.expressions, "", (p) => set.add(normPath(p)));
        literals.set(prefix + r.address, set);
        const refs = new Map<string, string[]>();
        resourceReferences(r.expressions, "", (p, targets) => refs.set(normPath(p), targets));
        if (refs.size > 0) references.set(prefix + r.address, refs);
      }
    }
    if (isObj(mod.module_calls)) {
      for (const [name, call] of Object.entries(mod.module_calls)) if (isObj(call)) queue.push([call.module, `${prefix}module.${name}.`, depth + 1]);
    }
  }
  if (isObj(configuration.provider_config)) {
    for (const [key, p] of Object.entries(configuration.provider_config)) {
      if (!isObj(p) || typeof p.name !== "string" || key.includes(":")) continue;
      assertDepth(p.expressions, file);
      const values: Json = {};
      const literal = new Set<string>();
      if (isObj(p.expressions)) {
        for (const [k, e] of Object.entries(p.expressions)) {
          if (isObj(e) && "constant_value" in e) {
            setOwn(values, k, e.constant_value);
            literal.add(k);
          } else setOwn(values, k, UNKNOWN);
        }
      }
      const type = `provider.${p.name}`;
      const r: Resource = {
        address: `provider.${p.name}${typeof p.alias === "string" ? `.${p.alias}` : ""}`,
        type,
        kind: type,
        name: typeof p.alias === "string" ? p.alias : p.name,
        mode: "provider",
        origin: "plan",
        values,
        sensitive: new Set(),
        refs: new Map(),
        literal,
        source: { file },
        unit: file,
        waivers: [],
      };
      markSchemaSensitive(r);
      providers.push(r);
    }
  }
  return { literals, references, providers };
}

function constants(expr: unknown, path: string, found: (p: string) => void): void {
  if (Array.isArray(expr)) expr.forEach((e, i) => constants(e, path === "" ? String(i) : `${path}.${i}`, found));
  else if (isObj(expr)) {
    if ("constant_value" in expr) {
      if (typeof expr.constant_value === "string") found(path);
      else if (expr.constant_value !== null && typeof expr.constant_value === "object") literalLeaves(expr.constant_value, path, found);
      return;
    }
    if ("references" in expr) return;
    for (const [k, e] of Object.entries(expr)) constants(e, path === "" ? k : `${path}.${k}`, found);
  }
}

/** Resource (not variable, local or data) addresses an expression refers to, with a static instance key, without attributes. */
const RESOURCE_REFERENCE = /^((?:module\.[^.[\]]+\.)*)([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)(\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?/;

/**
 * The resources each expression refers to, relative to its module. Terraform lists a reference to an
 * instance (`p["web"].id`) as the instance and also as its containing resource (`p`); the resource
 * is dropped when an instance of it is listed, so one entry's reference names one target.
 */
function resourceReferences(expr: unknown, path: string, found: (p: string, targets: string[]) => void): void {
  if (Array.isArray(expr)) expr.forEach((e, i) => resourceReferences(e, path === "" ? String(i) : `${path}.${i}`, found));
  else if (isObj(expr)) {
    if (Array.isArray(expr.references)) {
      const targets: string[] = [];
      for (const ref of expr.references) {
        const m = typeof ref === "string" ? RESOURCE_REFERENCE.exec(ref) : null;
        if (!m || ["var", "local", "data", "each", "count", "path", "terraform", "self", "module"].includes(m[2])) continue;
        const target = `${m[1]}${m[2]}.${m[3]}${m[4] ?? ""}`;
        if (!targets.includes(target)) targets.push(target);
      }
      const specific = targets.filter((t) => !targets.some((o) => o !== t && o.startsWith(`${t}[`)));
      if (specific.length > 0) found(path, specific);
      return;
    }
    if ("constant_value" in expr) return;
    for (const [k, e] of Object.entries(expr)) resourceReferences(e, path === "" ? k : `${path}.${k}`, found);
  }
}

/** The module instance path of an address (`module.a["x"].module.b[0].`), empty at the root. */
function moduleInstancePrefix(address: string): string {
  return /^((?:module\.[^.[]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\.)*)/.exec(address)?.[1] ?? "";
}

/**
 * Links from a plan's configuration, for objects whose ids are not known before apply, as a
 * configuration gives them: every attribute whose expression names exactly one resource
 * (`application_id`, `policy_id`, `authentication_policy`), and a `policies` list whose references
 * name exactly as many resources as it has entries (Terraform lists references in the order they are
 * written, entry by entry).
 */
function planRefs(values: Json, refs: ReadonlyMap<string, string[]> | undefined, address: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!refs) return out;
  const modulePrefix = moduleInstancePrefix(address);
  // References within a module name resources of the same module instance.
  for (const [path, targets] of refs) if (targets.length === 1) out.set(path, modulePrefix + targets[0]);
  const policies = refs.get("policies") ?? refs.get("policies.id");
  if (policies && Array.isArray(values.policies) && values.policies.length === policies.length) policies.forEach((t, i) => out.set(`policies.${i}.id`, modulePrefix + t));
  return out;
}

function literalLeaves(v: unknown, path: string, found: (p: string) => void): void {
  if (typeof v === "string") found(path);
  else if (Array.isArray(v)) v.forEach((x, i) => literalLeaves(x, `${path}.${i}`, found));
  else if (isObj(v)) for (const [k, x] of Object.entries(v)) literalLeaves(x, `${path}.${k}`, found);
}

/** The values of root variables declared sensitive in the plan's configuration (to redact). */
export function sensitiveVariableValues(doc: Json, file: string): unknown[] {
  const vars = isObj(doc.variables) ? doc.variables : {};
  const decls = isObj(doc.configuration) && isObj(doc.configuration.root_module) && isObj(doc.configuration.root_module.variables) ? doc.configuration.root_module.variables : {};
  const out: unknown[] = [];
  for (const [name, decl] of Object.entries(decls)) {
    if (isObj(decl) && decl.sensitive === true) {
      const v = ownValue(vars, name);
      if (isObj(v) && "value" in v) {
        assertDepth(v.value, file);
        out.push(v.value);
      }
    }
  }
  return out;
}

/**
 * The planned resources of a plan (what `check` evaluates, and the after side of `posture review`),
 * without objects the plan destroys or forgets: Terraform still lists a forgotten object in
 * `planned_values`, though it will no longer be managed.
 */
export function plannedResources(doc: Json, file: string, entries: readonly unknown[] = Array.isArray(doc.resource_changes) ? doc.resource_changes : []): Resource[] {
  const { literals, references, providers } = configurationLiterals(doc.configuration, file);
  const changes = new Map<string, Json>();
  // `entries`: resource_changes, or what plan-models' relevantEntries kept of it (a review's one pass over it).
  for (const rc of entries) {
    if (isObj(rc) && typeof rc.address === "string" && rc.deposed === undefined && isObj(rc.change) && relevant(entryType(rc))) changes.set(rc.address, rc.change);
  }
  const out: Resource[] = [...providers];
  const planned = isObj(doc.planned_values) ? doc.planned_values.root_module : undefined;
  const seen = new Set<string>();
  for (const r of moduleResources(planned, file)) {
    if (!relevant(entryType(r))) continue;
    const address = r.address as string;
    seen.add(address);
    const change = changes.get(address);
    if (change && destroys(change.actions)) continue;
    const res = planResource(
      { address, mode: r.mode, type: r.type, name: r.name, values: r.values, unknownMirror: change?.after_unknown, sensitiveMirrors: [r.sensitive_values, change?.after_sensitive] },
      file,
      "plan",
      literals,
      references,
    );
    out.push(withFromCode(res, r.values, change));
  }
  // Plans without planned_values: the `after` of every change that leaves an object behind.
  for (const [address, change] of changes) {
    if (seen.has(address) || !isObj(change.after) || destroys(change.actions) || !relevant(addressKind(address).type)) continue;
    out.push(withFromCode(planResource({ address, values: change.after, unknownMirror: change.after_unknown, sensitiveMirrors: [change.after_sensitive] }, file, "plan", literals, references), change.after, change));
  }
  return out;
}

/** Sets {@link Resource.fromCode} from the change's actions: create takes every value from the code, update those it changes. */
function withFromCode(r: Resource, after: unknown, change: Json | undefined): Resource {
  const actions = change?.actions;
  if (!Array.isArray(actions)) return r;
  if (actions.includes("create")) r.fromCode = "all";
  else if (actions.includes("update") && isObj(after)) {
    const before = isObj(change?.before) ? change.before : {};
    const unknown = isObj(change?.after_unknown) ? change.after_unknown : {};
    r.fromCode = new Set(Object.keys({ ...before, ...after, ...unknown }).filter((k) => unknown[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k])));
  } else r.fromCode = new Set();
  return r;
}

/** The resources of a state (`terraform show -json` of a state file). */
export function stateResources(doc: Json, file: string): Resource[] {
  const values = isObj(doc.values) ? doc.values : {};
  const out: Resource[] = [];
  for (const r of moduleResources(values.root_module, file)) {
    if (!relevant(entryType(r))) continue;
    out.push(planResource({ address: r.address as string, mode: r.mode, type: r.type, name: r.name, values: r.values, sensitiveMirrors: [r.sensitive_values] }, file, "state", undefined));
  }
  return out;
}

export { isObj };
