/**
 * Expands a Terraform configuration into resource instances as `terraform plan` would, for everything
 * knowable without providers: variables (defaults, tfvars, the command line, module arguments),
 * locals, count and for_each (resources, data sources and local module calls), dynamic blocks,
 * references between resources and module outputs. Instances get Terraform's addresses
 * (`module.x["k"].type.name[0]`) and their declaration's file and line. What is not known before
 * apply stays unknown: a count or for_each that is not known gives one uncertain instance.
 */
import { canonicalType } from "../model/aliases";
import { InputError } from "../errors";
import { type Bound, Evaluator, hasTemplate, instanceKey, type Names } from "./hcl-eval";
import type { Step } from "./hcl-expr";
import { convertToType } from "./hcl-types";
import { Choice, expandChoices, InstanceValue, isPlainObject, record, RefUnknown, unknownish } from "./hcl-values";
import type { ConfigModule, Decl, DeclaredAt, ModuleCall } from "../load/load-config";
import { META_ARGS, readMetadata } from "../load/load-config";
import PROVIDER_TYPES from "../../data/provider-types.json";
import { normPath, providerOf, type Resource, type SourceLocation, UNKNOWN } from "../model/model";
import { InstanceBudget, ValueBudget, ValueTooLarge } from "../load/limits";
import { MAX_DEPTH, nestsWithin } from "../load/read-input";
import { withSchemaSensitive } from "../evaluate/redact";

/** Module calls nested deeper than this are refused (a module that calls itself). */
const MAX_MODULE_DEPTH = 32;

/** Arguments of a module call that configure Terraform, not the module's variables. */
const MODULE_META = new Set(["source", "version", "count", "for_each", "providers", "depends_on", "//"]);

const UNKNOWN_BOUND: Bound = { value: UNKNOWN, literal: false, sensitive: false };

export interface ConfigurationResult {
  resources: Resource[];
  notes: string[];
}

/** Evaluates a root module and the local modules it calls. */
export function evaluateConfiguration(root: ConfigModule, inputs: ReadonlyMap<string, Bound>, budget = new InstanceBudget()): ConfigurationResult {
  const notes: string[] = [];
  const inst = new ModuleInstance(root, "", inputs, { unit: root.unit(), notes, budget, values: new ValueBudget() }, 0, false);
  return { resources: inst.resources(), notes };
}

interface Shared {
  unit: string;
  notes: string[];
  /** Instances of the whole input (every module instance's resources and module calls), against one limit. */
  budget: InstanceBudget;
  /** Evaluation steps and value sizes of the whole input. */
  values: ValueBudget;
}

/** One instance of a resource, data source or module call. */
interface Instance {
  suffix: string;
  bindings: ReadonlyMap<string, Bound>;
  /** True when the instance exists only if a count/for_each that is not known says so. */
  conditional: boolean;
}

interface Evaluated {
  values: Record<string, unknown>;
  literal: Set<string>;
  sensitive: Set<string>;
  /** True when every value in it is a string, number, bool, null or unknown (no reference, choice or collection a template built): its values are final as they are. */
  plain: boolean;
  /** True when a template built a choice (a conditional whose condition is not known) or a collection that may hold one: its variants are worked out. */
  choices: boolean;
}

/** A type constraint as hcl2json writes it (`${number}`), for converting inputs as Terraform does. */
function typeOf(body: Record<string, unknown> | undefined): string | undefined {
  const t = body?.type;
  return typeof t === "string" ? t.replace(/^\$\{\s*|\s*\}$/g, "") : undefined;
}

class ModuleInstance implements Names {
  private readonly ev: Evaluator;
  private readonly varCache = new Map<string, Bound>();
  private readonly localCache = new Map<string, Bound>();
  private readonly declByKey = new Map<string, Decl>();
  private readonly instanceCache = new Map<Decl | ModuleCall, Instance[]>();
  private readonly evalCache = new Map<string, Evaluated>();
  private readonly valueCache = new Map<string, unknown>();
  private readonly childCache = new Map<string, Array<{ inst: Instance; child: ModuleInstance }>>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly mod: ConfigModule,
    private readonly prefix: string,
    private readonly inputs: ReadonlyMap<string, Bound>,
    private readonly shared: Shared,
    private readonly depth: number,
    /** True when the whole module instance exists only under a count/for_each that is not known. */
    private readonly conditional: boolean,
  ) {
    this.ev = new Evaluator(this, shared.values);
    for (const d of mod.decls) if (d.mode !== "provider") this.declByKey.set(keyOf(d), d);
  }

  /** Guards against reference cycles: a value asked for while it is being computed is unknown. */
  private guarded<T>(key: string, onCycle: T, f: () => T): T {
    if (this.inProgress.has(key)) return onCycle;
    this.inProgress.add(key);
    try {
      return f();
    } finally {
      this.inProgress.delete(key);
    }
  }

  root(name: string, steps: readonly Step[], ev: Evaluator): { value: unknown; used: number } {
    const first = steps[0]?.kind === "attr" ? steps[0].name : undefined;
    switch (name) {
      case "var": {
        if (first === undefined) return { value: UNKNOWN, used: 0 };
        const b = this.variable(first);
        ev.mark(b);
        return { value: b.value, used: 1 };
      }
      case "local": {
        if (first === undefined) return { value: UNKNOWN, used: 0 };
        const b = this.local(first);
        ev.mark(b);
        return { value: b.value, used: 1 };
      }
      case "module":
        if (first === undefined) return { value: UNKNOWN, used: 0 };
        return { value: this.moduleValue(first), used: 1 };
      case "data": {
        const second = steps[1]?.kind === "attr" ? steps[1].name : undefined;
        if (first === undefined || second === undefined) return { value: UNKNOWN, used: 0 };
        return { value: this.resourceValue(`data.${first}.${second}`), used: 2 };
      }
      case "path":
        if (first === "module" && this.mod.dir !== undefined) return { value: this.mod.dir, used: 1 };
        ev.mark({ literal: false, sensitive: false });
        return { value: UNKNOWN, used: steps.length };
      case "count":
      case "each":
      case "self":
      case "terraform":
        ev.mark({ literal: false, sensitive: false });
        return { value: UNKNOWN, used: steps.length };
      default:
        if (first === undefined) return { value: UNKNOWN, used: 0 };
        return { value: this.resourceValue(`${name}.${first}`), used: 1 };
    }
  }

  /** A variable's value: the caller's (a module argument, tfvars, the command line), else its default, else unknown. */
  private variable(name: string): Bound {
    const cached = this.varCache.get(name);
    if (cached) return cached;
    const body = this.mod.variableBodies.get(name);
    const sensitive = body?.sensitive === true || body?.sensitive === "true";
    let b: Bound;
    const input = this.inputs.get(name);
    if (!body) b = UNKNOWN_BOUND;
    // A null argument is null, unless the variable says `nullable = false` (then its default applies).
    else if (input && (input.value !== null || body.nullable !== false)) b = { ...input, sensitive: input.sensitive || sensitive };
    else if ("default" in body) {
      // A default is a literal (`default = null` too: the variable is optional and null); hcl2json
      // writes expressions in it as `${...}`.
      const d = this.evaluateLiteralBody(body.default);
      b = { ...d, sensitive: d.sensitive || sensitive };
    } else b = { ...UNKNOWN_BOUND, sensitive };
    b = { ...b, value: convertToType(b.value, typeOf(body)) };
    this.varCache.set(name, b);
    return b;
  }

  private local(name: string): Bound {
    const cached = this.localCache.get(name);
    if (cached) return cached;
    if (!this.mod.locals.has(name)) return UNKNOWN_BOUND;
    const b = this.guarded(`local.${name}`, UNKNOWN_BOUND, () => this.evaluateLiteralBody(this.mod.locals.get(name)));
    this.localCache.set(name, b);
    return b;
  }

  /** Evaluates a value (strings as templates) with no instance bindings, and what it is built from. */
  private evaluateLiteralBody(body: unknown, bindings: ReadonlyMap<string, Bound> = NO_BINDINGS, depth = 0): Bound {
    const flags = { literal: true, sensitive: false };
    const value = this.evalBody(body, bindings, "", (_p, f) => {
      flags.literal &&= f.literal;
      flags.sensitive ||= f.sensitive;
    }, depth);
    return { value, ...flags };
  }

  /**
   * Evaluates a body as written (templates inside strings, dynamic blocks expanded), reporting each
   * value's flags with its path as `literal` and `sensitive` are keyed: list indexes left out ({@link normPath}).
   * A body nested deeper than MAX_DEPTH is refused here, where it is walked: a configuration's parts
   * that nothing evaluates (other providers' resources no one refers to) are never walked at all.
   */
  private evalBody(body: unknown, bindings: ReadonlyMap<string, Bound>, path: string, visit: (path: string, f: Bound) => void, depth = 0): unknown {
    if (typeof body === "string") {
      if (!hasTemplate(body)) {
        visit(path, LITERAL_LEAF);
        return body;
      }
      const r = this.ev.evaluateString(body, bindings);
      visit(path, r);
      return r.value;
    }
    if (body !== null && typeof body === "object" && depth >= MAX_DEPTH) throw tooDeepValue();
    if (Array.isArray(body)) return body.map((x) => this.evalBody(x, bindings, path, visit, depth + 1));
    if (body !== null && typeof body === "object") {
      const out = record();
      let keysKnown = true;
      const o = body as Record<string, unknown>;
      for (const written of Object.keys(o)) {
        const v = o[written];
        if (written === "dynamic" && isPlainObject(v)) continue;
        const k = this.ev.objectKey(written, bindings);
        if (k === undefined) {
          keysKnown = false;
          // Not evaluated, but in the model's `raw`, which other walkers (the redactor) recurse into.
          if (!nestsWithin(v, depth + 1)) throw tooDeepValue();
        } else out[k] = this.evalBody(v, bindings, childPath(path, k), visit, depth + 1);
      }
      // A key not known before apply: which keys the object has is not known either.
      if (!keysKnown) return UNKNOWN;
      const dyn = (body as Record<string, unknown>).dynamic;
      if (isPlainObject(dyn)) {
        // Checked whole: its content is evaluated only where its for_each is known, yet all of it is in `raw`.
        if (!nestsWithin(dyn, depth + 1)) throw tooDeepValue();
        this.expandDynamic(dyn, out, bindings, path, visit, depth + 1);
      }
      return out;
    }
    visit(path, LITERAL_LEAF);
    return body;
  }

  /** `dynamic "name" { for_each, iterator, content }`: one block per element, after the static blocks of that name. */
  private expandDynamic(dyn: Record<string, unknown>, out: Record<string, unknown>, bindings: ReadonlyMap<string, Bound>, path: string, visit: (path: string, f: Bound) => void, depth: number): void {
    for (const [name, specs] of Object.entries(dyn)) {
      for (const spec of Array.isArray(specs) ? specs : [specs]) {
        if (!isPlainObject(spec)) continue;
        const fe = this.evaluateLiteralBody(spec.for_each, bindings, depth + 2);
        const iterator = typeof spec.iterator === "string" ? spec.iterator.replace(/^\$\{\s*|\s*\}$/g, "") : name;
        const content = Array.isArray(spec.content) ? spec.content[0] : spec.content;
        const items = collectionItems(fe.value);
        const existing = out[name];
        if (items === undefined || unknownish(existing)) {
          out[name] = UNKNOWN;
          continue;
        }
        const list = Array.isArray(existing) ? existing : existing === undefined || existing === null ? [] : [existing];
        for (const [key, value] of items) {
          const it = record();
          it.key = key;
          it.value = value;
          const inner = new Map(bindings);
          inner.set(iterator, { value: it, literal: fe.literal, sensitive: fe.sensitive });
          list.push(this.evalBody(content ?? {}, inner, childPath(path, name), visit, depth + 2));
        }
        out[name] = list;
      }
    }
  }

  /** The instances count/for_each creates, when their values are known. */
  private instances(d: Decl | ModuleCall, label: string, cacheKey: Decl | ModuleCall, provider = false): Instance[] {
    const cached = this.instanceCache.get(cacheKey);
    if (cached) return cached;
    const out = this.computeInstances(d, label, provider);
    this.instanceCache.set(cacheKey, out);
    return out;
  }

  private computeInstances(d: Decl | ModuleCall, label: string, provider: boolean): Instance[] {
    const one = (): Instance[] => [{ suffix: "", bindings: NO_BINDINGS, conditional: this.conditional }];
    if (provider) return one();
    const uncertain = (): Instance[] => [{ suffix: "", bindings: NO_BINDINGS, conditional: true }];
    if (d.body.count !== undefined && d.body.count !== null) {
      const c = this.evaluateLiteralBody(d.body.count).value;
      const n = typeof c === "number" ? c : typeof c === "string" && /^\d+$/.test(c) ? Number(c) : undefined;
      if (n === undefined || !Number.isInteger(n) || n < 0) return uncertain();
      this.shared.budget.take(n, () => `${label}'s count of ${n}`, d.at);
      return Array.from({ length: n }, (_, i) => {
        const count = record();
        count.index = i;
        return { suffix: `[${i}]`, bindings: new Map([["count", { value: count, literal: true, sensitive: false }]]), conditional: this.conditional };
      });
    }
    if (d.body.for_each !== undefined && d.body.for_each !== null) {
      const fe = this.evaluateLiteralBody(d.body.for_each);
      const v = fe.value;
      let pairs: Array<[string, unknown]> | undefined;
      if (Array.isArray(v) && v.every((x) => typeof x === "string")) pairs = [...new Set(v as string[])].sort().map((k) => [k, k]);
      else if (isPlainObject(v))
        pairs = Object.keys(v)
          .sort()
          .map((k) => [k, v[k]]);
      if (!pairs) return uncertain();
      const n = pairs.length;
      this.shared.budget.take(n, () => `${label}'s for_each of ${n}`, d.at);
      return pairs.map(([k, x]) => {
        const each = record();
        each.key = k;
        each.value = x;
        return { suffix: `[${instanceKey(k)}]`, bindings: new Map([["each", { value: each, literal: fe.literal, sensitive: fe.sensitive }]]), conditional: this.conditional };
      });
    }
    this.shared.budget.take(1, () => `${label}'s single instance of 1`, d.at);
    return one();
  }

  /** The evaluated body of one instance of a declaration. */
  private evaluated(d: Decl, inst: Instance): Evaluated {
    const key = keyOf(d) + inst.suffix;
    const cached = this.evalCache.get(key);
    if (cached) return cached;
    const literal = new Set<string>();
    const sensitive = new Set<string>();
    // The arguments as the model's `raw` has them, unless dynamic blocks are to be expanded too.
    const body = Object.hasOwn(d.body, "dynamic") ? withoutMeta(d.body, "dynamic") : argumentsOf(d.body);
    let plain = true;
    let choices = false;
    const values = this.evalBody(body, inst.bindings, "", (p, f) => {
      if (f.literal) literal.add(p);
      if (f.sensitive) sensitive.add(p);
      const v = f.value;
      if (v !== null && typeof v === "object") {
        plain = false;
        if (!(v instanceof RefUnknown) && !(v instanceof InstanceValue)) choices = true;
      }
    }) as Record<string, unknown>;
    const e = { values, literal, sensitive, plain, choices };
    this.evalCache.set(key, e);
    return e;
  }

  /** What a reference to a resource or data source gives: one instance, a list, a map, or unknown with its address. */
  private resourceValue(key: string): unknown {
    const address = this.prefix + key;
    if (this.valueCache.has(key)) return this.valueCache.get(key);
    const d = this.declByKey.get(key);
    if (!d) return new RefUnknown(address, true);
    const value = this.guarded(key, new RefUnknown(address, true) as unknown, () => {
      const insts = this.instances(d, key, d);
      const instanceValue = (inst: Instance): InstanceValue => {
        const e = this.evaluated(d, inst);
        return new InstanceValue(address + inst.suffix, e.values, e.literal, e.sensitive, "ref");
      };
      if (!expanded(d.body, insts)) return new RefUnknown(address, true);
      if (d.body.count !== undefined && d.body.count !== null) return insts.map(instanceValue);
      if (d.body.for_each !== undefined && d.body.for_each !== null) {
        const m = record();
        for (const inst of insts) m[(inst.bindings.get("each")!.value as Record<string, unknown>).key as string] = instanceValue(inst);
        return m;
      }
      return instanceValue(insts[0]);
    });
    this.valueCache.set(key, value);
    return value;
  }

  /** The instances of a local module call, each with its own evaluation. */
  private children(call: ModuleCall): Array<{ inst: Instance; child: ModuleInstance }> {
    const cached = this.childCache.get(call.name);
    if (cached) return cached;
    const mod = this.mod.children.get(call.name);
    if (!mod) return [];
    if (this.depth >= MAX_MODULE_DEPTH) throw new InputError(String(call.at), `module.${call.name} nests modules deeper than ${MAX_MODULE_DEPTH} levels`);
    const out = this.guarded(`module.${call.name}`, [] as Array<{ inst: Instance; child: ModuleInstance }>, () =>
      this.instances(call, `module.${call.name}`, call).map((inst) => {
        const inputs = new Map<string, Bound>();
        for (const [k, v] of Object.entries(call.body)) if (!MODULE_META.has(k)) inputs.set(k, this.evaluateLiteralBody(v, inst.bindings));
        const prefix = `${this.prefix}module.${call.name}${inst.suffix}.`;
        return { inst, child: new ModuleInstance(mod, prefix, inputs, this.shared, this.depth + 1, inst.conditional) };
      }),
    );
    this.childCache.set(call.name, out);
    return out;
  }

  /** What `module.name` gives: its outputs (an instance, a list or a map of them), or unknown. */
  private moduleValue(name: string): unknown {
    const call = this.mod.calls.find((c) => c.name === name);
    const address = `${this.prefix}module.${name}`;
    if (!call || !this.mod.children.has(name)) return new RefUnknown(address, true);
    const kids = this.children(call);
    if (kids.length === 0) return new RefUnknown(address, true);
    if (!expanded(call.body, kids.map((k) => k.inst))) return new RefUnknown(address, true);
    const valueOf = (k: { inst: Instance; child: ModuleInstance }) => this.guarded(`module.${name}${k.inst.suffix}`, new RefUnknown(address + k.inst.suffix) as unknown, () => k.child.outputValues(address + k.inst.suffix));
    if (call.body.count !== undefined && call.body.count !== null) return kids.map(valueOf);
    if (call.body.for_each !== undefined && call.body.for_each !== null) {
      const m = record();
      for (const k of kids) m[(k.inst.bindings.get("each")!.value as Record<string, unknown>).key as string] = valueOf(k);
      return m;
    }
    return valueOf(kids[0]);
  }

  /** This module instance's outputs, as the value its caller reads. */
  outputValues(address: string): InstanceValue {
    const attrs = record();
    const literal = new Set<string>();
    const sensitive = new Set<string>();
    for (const [name, body] of this.mod.outputs) {
      const b = this.guarded(`output.${name}`, UNKNOWN_BOUND, () => this.evaluateLiteralBody(body.value));
      attrs[name] = b.value;
      if (b.literal) literal.add(name);
      if (b.sensitive || body.sensitive === true || body.sensitive === "true") sensitive.add(name);
    }
    return new InstanceValue(address, attrs, literal, sensitive, "error");
  }

  /** Every resource instance of this module instance and the modules it calls. */
  resources(): Resource[] {
    const out: Resource[] = [];
    for (const d of this.mod.decls) {
      const label = d.mode === "data" ? `data.${d.type}.${d.name}` : d.mode === "provider" ? `${d.type}${d.name === d.type.slice(9) ? "" : `.${d.name}`}` : `${d.type}.${d.name}`;
      const base = this.prefix + label;
      const unknownType = d.mode !== "provider" ? unknownProviderType(d.type, d.mode) : undefined;
      if (unknownType) {
        const note = `${d.at}: ${label}: ${unknownType}; it is not judged`;
        if (!this.shared.notes.includes(note)) this.shared.notes.push(note);
      }
      // Only Okta and Cloudflare resources (and provider blocks) are modelled, as for plans: the catalogue
      // reads nothing else, and other providers' values are still evaluated when referenced.
      if (d.mode !== "provider" && providerOf(d.type) === undefined) continue;
      naming(d, () => {
        for (const inst of this.instances(d, label, d, d.mode === "provider")) out.push(this.build(d, base, inst));
      });
    }
    for (const call of this.mod.calls) {
      const where = String(call.at);
      if (!this.mod.children.has(call.name)) {
        // Said once per call, not once per instance of the module that holds it.
        if (this.prefix === "" || !this.shared.notes.some((n) => n.startsWith(`${where}: `))) this.shared.notes.push(`${where}: ${unexpandedNote(call)}`);
        continue;
      }
      naming(call, () => {
        for (const { child } of this.children(call)) out.push(...child.resources());
      });
    }
    return out;
  }

  private build(d: Decl, base: string, inst: Instance): Resource {
    const e = d.mode === "provider" ? this.evaluatedProvider(d) : this.evaluated(d, inst);
    const refs = new Map<string, string>();
    // Plain values are final already (and no longer change: the module's evaluation is over when it is read).
    const values = e.plain ? e.values : (finalValues(e.values, refs) as Record<string, unknown>);
    const variants = e.choices ? expandChoices(e.values) : undefined;
    const raw = argumentsOf(d.body);
    const meta = readMetadata(d);
    const kind = canonicalType(d.type);
    const r: Resource = {
      address: base + inst.suffix,
      type: d.type,
      kind,
      name: d.name,
      mode: d.mode,
      origin: "config",
      values,
      // The schema's sensitive paths are the resource's own: the evaluation's set (which references read) is not changed.
      sensitive: withSchemaSensitive(kind, e.sensitive),
      refs,
      literal: e.literal,
      raw,
      conditional: inst.conditional || undefined,
      constructPath: meta.constructPath,
      source: sourceOf(d.at),
      unit: this.shared.unit,
      waivers: meta.waivers,
    };
    if (variants && variants.length > 1) r.variants = variants.map((v) => finalValues(v, new Map()) as Record<string, unknown>);
    return r;
  }

  private evaluatedProvider(d: Decl): Evaluated {
    return this.evaluated(d, { suffix: "", bindings: NO_BINDINGS, conditional: false });
  }
}

const ARGUMENTS = new WeakMap<Record<string, unknown>, Record<string, unknown>>();

/** A body's arguments (the model's `raw`), made once per body: every instance of a declaration shares them, read only. */
function argumentsOf(body: Record<string, unknown>): Record<string, unknown> {
  let args = ARGUMENTS.get(body);
  if (!args) ARGUMENTS.set(body, (args = withoutMeta(body)));
  return args;
}

/** A body's arguments, Terraform's meta-arguments (`count`, `"//"`, ...) left out, but for `keep`. */
function withoutMeta(body: Record<string, unknown>, keep?: string): Record<string, unknown> {
  const out = record();
  const keys = Object.keys(body);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (!META_ARGS.has(k) || k === keep) out[k] = body[k];
  }
  return out;
}

/** A value nested deeper than MAX_DEPTH, refused where evalBody meets it (naming() names the declaration). */
const tooDeepValue = (): ValueTooLarge => new ValueTooLarge(`nests JSON deeper than ${MAX_DEPTH} levels`);

/** An instance without `count`, `each` or an iterator: nothing is bound. */
const NO_BINDINGS: ReadonlyMap<string, Bound> = new Map();

/** How a literal leaf (a string without a template, a number, a bool, null) is reported to evalBody's visitor: written in the code, not sensitive. */
const LITERAL_LEAF: Bound = Object.freeze({ value: undefined, literal: true, sensitive: false });

/** The path of `key` under `path`, as `literal` and `sensitive` are keyed: a segment of digits (a list index, or a key like one) is left out. */
function childPath(path: string, key: string): string {
  const first = key.charCodeAt(0);
  if (first >= 48 && first <= 57 && /^\d+$/.test(key)) return path;
  const joined = path === "" ? key : `${path}.${key}`;
  return key.includes(".") ? normPath(joined) : joined;
}

/**
 * A resource's location: a plain object whose `line` is read from the declaration's place when asked
 * for (a class instance would not compare or spread as the plain SourceLocation it stands for).
 */
function sourceOf(at: DeclaredAt): SourceLocation {
  return {
    file: at.file,
    get line() {
      return at.line;
    },
  };
}

/**
 * Runs `f`, naming the declaration in a refusal of a value past the budget: the value (a local, a
 * module output) was evaluated for it. The innermost declaration names it first.
 */
function naming(d: { at: DeclaredAt }, f: () => void): void {
  try {
    f();
  } catch (err) {
    if (err instanceof ValueTooLarge) throw new InputError(String(d.at), err.problem);
    throw err;
  }
}

/** False when a count or for_each was not known: its one instance stands for any number of them. */
function expanded(body: Record<string, unknown>, insts: readonly Instance[]): boolean {
  const counted = (body.count !== undefined && body.count !== null) || (body.for_each !== undefined && body.for_each !== null);
  return !counted || insts.length !== 1 || insts[0].suffix !== "";
}

function keyOf(d: Decl): string {
  return d.mode === "data" ? `data.${d.type}.${d.name}` : d.mode === "provider" ? `${d.type}.${d.name}` : `${d.type}.${d.name}`;
}

/** Key and value pairs of a dynamic block's for_each; undefined when not known. */
function collectionItems(v: unknown): Array<[unknown, unknown]> | undefined {
  if (Array.isArray(v)) return v.map((x, i) => [typeof x === "string" ? x : i, x]);
  if (isPlainObject(v))
    return Object.keys(v)
      .sort()
      .map((k) => [k, v[k]]);
  return undefined;
}

let known: { resources: Set<string>; dataSources: Set<string> } | undefined;
/** Every type of data/provider-types.json, as sets (hundreds of Cloudflare types: asked once per declaration). */
function knownTypes(): { resources: Set<string>; dataSources: Set<string> } {
  known ??= {
    resources: new Set(Object.values(PROVIDER_TYPES).flatMap((p) => p.resources)),
    dataSources: new Set(Object.values(PROVIDER_TYPES).flatMap((p) => p.dataSources)),
  };
  return known;
}

/**
 * Why an `okta_*` or `cloudflare_*` type is one the provider does not have (a typo, a type from
 * another provider version), or undefined when it has it. data/provider-types.json lists the types
 * of Okta v4.20.0 to the latest tag and Cloudflare v4.52.8 and v5.0.0 to v5.14.0.
 */
function unknownProviderType(type: string, mode: "managed" | "data"): string | undefined {
  const provider = providerOf(type);
  if (!provider) return undefined;
  if ((mode === "data" ? knownTypes().dataSources : knownTypes().resources).has(type)) return undefined;
  const [from, to] = PROVIDER_TYPES[provider].tags;
  return `the ${provider} provider (${from} to ${to}) has no ${mode === "data" ? "data source" : "resource type"} ${type}`;
}

/** Why a module call's resources are not evaluated. */
function unexpandedNote(call: ModuleCall): string {
  const src = call.body.source;
  if (typeof src === "string" && (src.startsWith("./") || src.startsWith("../"))) return `module.${call.name} (source "${src}") is not expanded here; run posture check on the configuration's directory, or posture review on a plan`;
  return `module.${call.name}: source ${typeof src === "string" ? `"${src}" ` : ""}is not a local path and cannot be fetched; its resources are not evaluated (run posture review on a plan to judge them)`;
}

/**
 * The model's values: references to resources become unknown (their addresses go to `refs`, keyed by
 * the dotted path), and a choice between branches is unknown unless all branches agree.
 */
function finalValues(v: unknown, refs: Map<string, string>, path = ""): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof RefUnknown || v instanceof InstanceValue) {
    if (v instanceof RefUnknown || v.missing === "ref") refs.set(path, v.address);
    return UNKNOWN;
  }
  if (v instanceof Choice) return UNKNOWN;
  // Copied only where something changes: a part with no reference or choice in it is final as it is.
  const at = (k: string | number) => (path === "" ? String(k) : `${path}.${k}`);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const f = x === null || typeof x !== "object" ? x : finalValues(x, refs, at(i));
      if (f !== x && !out) out = v.slice(0, i);
      out?.push(f);
    }
    return out ?? v;
  }
  const keys = Object.keys(v);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const x = (v as Record<string, unknown>)[keys[i]];
    const f = x === null || typeof x !== "object" ? x : finalValues(x, refs, at(keys[i]));
    if (f !== x && !out) {
      out = record();
      for (let j = 0; j < i; j++) out[keys[j]] = (v as Record<string, unknown>)[keys[j]];
    }
    if (out) out[keys[i]] = f;
  }
  return out ?? v;
}

/** Names for values that may not refer to anything (a `.tfvars` file): every reference is unknown. */
const NO_NAMES: Names = {
  root: (_name, steps, ev) => {
    ev.mark({ literal: false, sensitive: false });
    return { value: UNKNOWN, used: steps.length };
  },
};

/** A value as written in a variables file: strings are HCL (`${...}` from hcl2json), nothing is referenced. */
export function constantValue(body: unknown): Bound {
  const ev = new Evaluator(NO_NAMES);
  const flags = { literal: true, sensitive: false };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const r = ev.evaluateString(v, new Map());
      flags.literal &&= r.literal;
      return r.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out = record();
      for (const [written, x] of Object.entries(v)) {
        const k = ev.objectKey(written, new Map());
        if (k === undefined) return UNKNOWN;
        out[k] = walk(x);
      }
      return out;
    }
    return v;
  };
  const value = walk(body);
  return { value, ...flags };
}
