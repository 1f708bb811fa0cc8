/**
 * Terraform configuration (JSON syntax, or HCL already turned into it) to the resource model:
 * addresses with count/for_each keys, `${...}` resolved where the code says the value, construct
 * paths and in-code waivers from cdktf's `"//"` metadata, and the file and line of each resource.
 */
import { dirname } from "node:path";
import { canonicalType } from "./aliases";
import { InputError } from "./errors";
import { isUnknown, normPath, type Mode, providerOf, type Resource, UNKNOWN, type Waiver } from "./model";
import { assertDepth } from "./read-input";
import { markSchemaSensitive } from "./redact";
import { type InstanceContext, type Resolution, Resolver, type VariableDecl } from "./resolve";
import { parseWaiver } from "./waivers";

/** Finds the line of a declaration in the file's text. */
export type LineLocator = (mode: Mode, type: string, name: string) => number | undefined;

interface Decl {
  mode: Mode;
  type: string;
  name: string;
  body: Record<string, unknown>;
  file: string;
  line?: number;
}

/** Metadata keys that configure Terraform rather than the resource. */
const META_ARGS = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "//", "dynamic"]);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Blocks of Terraform JSON may be an object or a list of objects; both read as a list. */
function blocks(v: unknown, file: string, what: string): Record<string, unknown>[] {
  const list = Array.isArray(v) ? v : [v];
  for (const b of list) {
    if (b === null || typeof b !== "object" || Array.isArray(b)) throw new InputError(file, `${what} is not an object`);
  }
  return list as Record<string, unknown>[];
}

/** Collects the declarations of one Terraform module, from one or more files. */
export class ConfigModule {
  private readonly decls: Decl[] = [];
  private readonly seen = new Map<string, Decl>();
  private readonly variables = new Map<string, VariableDecl>();
  private readonly variableBodies = new Map<string, Record<string, unknown>>();
  private readonly locals = new Map<string, unknown>();
  /** The files added, in order: what the module's resources name as their unit. */
  private readonly files: string[] = [];
  readonly notes: string[] = [];
  /** Waivers in the document's top-level `"//"` metadata (a cdktf stack's scope waivers): they waive scope findings. */
  readonly scopeWaivers: Waiver[] = [];
  /** True while adding an override file (`override.tf`, `*_override.tf`): its blocks merge into the base ones. */
  private overriding = false;

  /**
   * Adds one parsed file (a Terraform JSON object). Override files (Terraform's `override.tf` and
   * `*_override.tf`, added after the others) merge into what the other files declared.
   */
  add(doc: unknown, file: string, locate: LineLocator, override = false): void {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new InputError(file, "a Terraform JSON configuration must be a JSON object");
    assertDepth(doc, file);
    if (!this.files.includes(file)) this.files.push(file);
    this.overriding = override;
    const d = doc as Record<string, unknown>;
    const top = d["//"] as Record<string, Record<string, unknown> | undefined> | undefined;
    const topWaivers = top?.["identity-posture"]?.waivers;
    if (Array.isArray(topWaivers)) {
      topWaivers.forEach((w, i) => this.scopeWaivers.push({ ...parseWaiver(w, "code", `${file}: scope waiver ${i + 1}`), resource: "(scope)" }));
    }
    for (const [mode, key] of [
      ["managed", "resource"],
      ["data", "data"],
    ] as const) {
      if (d[key] === undefined) continue;
      for (const byType of blocks(d[key], file, `"${key}"`)) {
        for (const [type, byName] of Object.entries(byType)) {
          if (type === "//") continue;
          for (const names of blocks(byName, file, `${key} "${type}"`)) {
            for (const [name, bodies] of Object.entries(names)) {
              if (name === "//") continue;
              for (const body of blocks(bodies, file, `${key} "${type}" "${name}"`)) this.declare({ mode, type, name, body, file, line: locate(mode, type, name) });
            }
          }
        }
      }
    }
    if (d.provider !== undefined) {
      for (const byName of blocks(d.provider, file, '"provider"')) {
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of blocks(bodies, file, `provider "${name}"`)) {
            const alias = typeof body.alias === "string" ? body.alias : undefined;
            this.declare({ mode: "provider", type: `provider.${name}`, name: alias ?? name, body, file, line: locate("provider", name, alias ?? name) });
          }
        }
      }
    }
    if (d.variable !== undefined) {
      for (const byName of blocks(d.variable, file, '"variable"')) {
        for (const [name, bodies] of Object.entries(byName)) {
          const prior = override ? this.variableBodies.get(name) : undefined;
          if (override && !prior) throw new InputError(file, `override of variable ${name} has no base declaration; Terraform refuses this configuration`);
          const body = { ...(prior ?? {}), ...(blocks(bodies, file, `variable "${name}"`)[0] ?? {}) };
          this.variableBodies.set(name, body);
          this.variables.set(name, { hasDefault: "default" in body && body.default !== null, default: body.default, sensitive: body.sensitive === true || body.sensitive === "true" });
        }
      }
    }
    if (d.locals !== undefined) {
      for (const l of blocks(d.locals, file, '"locals"')) for (const [k, v] of Object.entries(l)) if (k !== "//") this.locals.set(k, v);
    }
    if (d.module !== undefined) {
      for (const byName of blocks(d.module, file, '"module"')) {
        for (const name of Object.keys(byName)) if (name !== "//") this.notes.push(`${file}: module.${name} is not expanded; run posture on its source or on a plan to evaluate its resources`);
      }
    }
  }

  private declare(decl: Decl): void {
    const key = decl.mode === "data" ? `data.${decl.type}.${decl.name}` : `${decl.type}.${decl.name}`;
    const prior = this.seen.get(key);
    if (this.overriding) {
      // Terraform's override rule: each top-level argument, and each nested block type, replaces the base's.
      if (!prior) throw new InputError(decl.line ? `${decl.file}:${decl.line}` : decl.file, `override of ${key} has no base declaration; Terraform refuses this configuration`);
      const dynamic = isRecord(prior.body.dynamic) && isRecord(decl.body.dynamic) ? { dynamic: { ...prior.body.dynamic, ...decl.body.dynamic } } : {};
      prior.body = { ...prior.body, ...decl.body, ...dynamic };
      return;
    }
    if (prior) {
      const where = prior.file === decl.file ? (prior.line ? `line ${prior.line}` : "earlier in the file") : prior.line ? `${prior.file}:${prior.line}` : prior.file;
      throw new InputError(decl.line ? `${decl.file}:${decl.line}` : decl.file, `duplicate ${decl.mode === "provider" ? "provider" : "resource"} ${key} (first declared at ${where}); Terraform refuses this configuration`);
    }
    this.seen.set(key, decl);
    this.decls.push(decl);
  }

  /**
   * The unit of the module's resources (addresses are unique only within it): its one file (a
   * configuration file, a cdktf stack's cdk.tf.json), or the directory its files share.
   */
  private unit(): string {
    if (this.files.length === 1) return this.files[0];
    const dirs = [...new Set(this.files.map((f) => dirname(f)))];
    return dirs.length === 1 ? dirs[0] : this.files.join(", ");
  }

  /** Builds the resources, resolving references within the module. */
  resources(): Resource[] {
    const bodies = new Map<string, Record<string, unknown>>();
    for (const d of this.decls) if (d.mode === "managed") bodies.set(`${d.type}.${d.name}`, d.body);
    const resolver = new Resolver({ variables: this.variables, locals: this.locals, resources: bodies });
    const out: Resource[] = [];
    const unit = this.unit();
    for (const d of this.decls) {
      // Only Okta and Cloudflare resources (and provider blocks) are modelled, as for plans: the
      // catalogue reads nothing else, and other providers' bodies still resolve references above.
      if (d.mode !== "provider" && providerOf(d.type) === undefined) continue;
      const base = d.mode === "data" ? `data.${d.type}.${d.name}` : d.mode === "provider" ? `${d.type}${d.name === d.type.slice(9) ? "" : `.${d.name}`}` : `${d.type}.${d.name}`;
      for (const inst of instances(d, resolver)) out.push(this.build(d, base, inst, resolver, unit));
    }
    return out;
  }

  private build(d: Decl, base: string, inst: Instance, resolver: Resolver, unit: string): Resource {
    const sensitive = new Set<string>();
    const literal = new Set<string>();
    const refs = new Map<string, string>();
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d.body)) if (!META_ARGS.has(k)) body[k] = v;
    const values = resolver.resolveBody(body, inst.ctx, (path: string, r: Resolution) => {
      if (r.literal) literal.add(normPath(path));
      if (r.sensitive) sensitive.add(normPath(path));
      if (r.ref) refs.set(path, r.ref);
    }) as Record<string, unknown>;
    // Dynamic blocks are generated at plan time: their content is unknown here.
    const dynamic = d.body.dynamic;
    if (dynamic !== null && typeof dynamic === "object") for (const k of Object.keys(Array.isArray(dynamic) ? Object.assign({}, ...dynamic) : dynamic)) values[k] = UNKNOWN;
    const meta = readMetadata(d);
    const r: Resource = {
      address: base + inst.suffix,
      type: d.type,
      kind: canonicalType(d.type),
      name: d.name,
      mode: d.mode,
      origin: "config",
      values,
      sensitive,
      refs,
      literal,
      raw: body,
      conditional: inst.conditional || undefined,
      constructPath: meta.constructPath,
      source: { file: d.file, ...(d.line ? { line: d.line } : {}) },
      unit,
      waivers: meta.waivers,
    };
    markSchemaSensitive(r);
    return r;
  }
}

/** More instances than any real Okta or Cloudflare configuration has; a larger count is refused, not expanded. */
const MAX_INSTANCES = 10_000;

interface Instance {
  suffix: string;
  ctx: InstanceContext;
  conditional: boolean;
}

/** The instances count/for_each creates, when their values are written in the code. */
function instances(d: Decl, resolver: Resolver): Instance[] {
  const one: Instance[] = [{ suffix: "", ctx: {}, conditional: false }];
  if (d.mode === "provider") return one;
  const unknownCount: Instance[] = [{ suffix: "", ctx: {}, conditional: true }];
  if (d.body.count !== undefined && d.body.count !== null) {
    const c = resolveMeta(d.body.count, resolver);
    const n = typeof c === "number" ? c : typeof c === "string" && /^\d+$/.test(c) ? Number(c) : undefined;
    if (n === undefined || !Number.isInteger(n) || n < 0) return unknownCount;
    if (n > MAX_INSTANCES) throw new InputError(d.line ? `${d.file}:${d.line}` : d.file, `${d.type}.${d.name} has count ${n}, more instances than identity-posture expands (${MAX_INSTANCES})`);
    return Array.from({ length: n }, (_, i) => ({ suffix: `[${i}]`, ctx: { countIndex: i }, conditional: false }));
  }
  if (d.body.for_each !== undefined && d.body.for_each !== null) {
    const fe = resolveMeta(d.body.for_each, resolver);
    if (Array.isArray(fe) && fe.every((x) => typeof x === "string")) {
      return [...new Set(fe as string[])].sort().map((k) => ({ suffix: `[${JSON.stringify(k)}]`, ctx: { eachKey: k, eachValue: k }, conditional: false }));
    }
    if (fe !== null && typeof fe === "object" && !Array.isArray(fe) && !isUnknown(fe)) {
      return Object.keys(fe)
        .sort()
        .map((k) => ({ suffix: `[${JSON.stringify(k)}]`, ctx: { eachKey: k, eachValue: (fe as Record<string, unknown>)[k] }, conditional: false }));
    }
    return unknownCount;
  }
  return one;
}

function resolveMeta(v: unknown, resolver: Resolver): unknown {
  return typeof v === "string" ? resolver.resolveString(v, {}).value : resolver.resolveBody(v, {}, () => undefined);
}

/** cdktf writes the construct path, and identity-posture its in-code waivers, under `"//"`. */
function readMetadata(d: Decl): { constructPath?: string; waivers: Waiver[] } {
  const meta = d.body["//"];
  if (meta === null || typeof meta !== "object") return { waivers: [] };
  const m = meta as Record<string, unknown>;
  const path = (m.metadata as Record<string, unknown> | undefined)?.path;
  const posture = m["identity-posture"] as Record<string, unknown> | undefined;
  const where = `${d.file}: ${d.type}.${d.name}`;
  const waivers = Array.isArray(posture?.waivers) ? posture.waivers.map((w, i) => parseWaiver(w, "code", `${where} waiver ${i + 1}`)) : [];
  return { constructPath: typeof path === "string" ? path : undefined, waivers };
}

/**
 * Line locator for Terraform JSON text: the line of a declaration's name key, the first `"name":`
 * after its `"type":` after the `"resource":` (`"data":`, `"provider":`) key. Searches only move
 * forward: each type remembers where its last name was found, and declarations are asked for in the
 * order the file lists them, so a whole file costs one pass of `indexOf` over it (a search from the
 * type's start is the fallback when a name is not ahead). A key is written `"name":`, so a string
 * value equal to the name (followed by `,`, `}` or `]`) is never taken for it.
 */
export function jsonLineLocator(text: string): LineLocator {
  let newlines: number[] | undefined;
  const lineOf = (offset: number): number => {
    if (!newlines) {
      newlines = [];
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", nl + 1)) newlines.push(nl);
    }
    // The number of newlines before offset, plus one.
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  /** Where `"key":` (or, for text formatted with a space before the colon, `"key"`) first occurs at or after `from`. */
  const keyAt = (key: string, from: number): number => {
    const quoted = JSON.stringify(key);
    const i = text.indexOf(`${quoted}:`, from);
    return i >= 0 ? i : text.indexOf(quoted, from);
  };
  const sections = new Map<string, number>();
  const types = new Map<string, { start: number; cursor: number }>();
  return (mode, type, name) => {
    const section = mode === "managed" ? "resource" : mode;
    let s = sections.get(section);
    if (s === undefined) sections.set(section, (s = keyAt(section, 0)));
    if (s < 0) return undefined;
    const group = `${section}\u0000${type}`;
    let t = types.get(group);
    if (!t) {
      const start = keyAt(type, s);
      types.set(group, (t = { start, cursor: start }));
    }
    if (t.start < 0) return undefined;
    if (mode === "provider") return lineOf(t.start);
    let n = keyAt(name, t.cursor + 1);
    if (n < 0) n = keyAt(name, t.start + 1);
    if (n < 0) return undefined;
    t.cursor = n;
    return lineOf(n);
  };
}

/** Line locator for HCL text: `resource "type" "name"` / `data "type" "name"` / `provider "name"`. */
export function hclLineLocator(text: string): LineLocator {
  const lines = new Map<string, number[]>();
  text.split("\n").forEach((l, i) => {
    const m = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/.exec(l) ?? /^\s*(provider)\s+"([^"]+)"/.exec(l);
    if (!m) return;
    const key = m[1] === "provider" ? `provider ${m[2]}` : `${m[1]} ${m[2]} ${m[3]}`;
    lines.set(key, [...(lines.get(key) ?? []), i + 1]);
  });
  // hcl2json lists repeated declarations in file order; the nth request gets the nth line.
  const asked = new Map<string, number>();
  return (mode, type, name) => {
    const key = mode === "provider" ? `provider ${type}` : `${mode === "managed" ? "resource" : "data"} ${type} ${name}`;
    const n = asked.get(key) ?? 0;
    asked.set(key, n + 1);
    const found = lines.get(key);
    return found?.[Math.min(n, found.length - 1)];
  };
}
