/**
 * Evaluates parsed HCL expressions the way Terraform does for everything knowable without providers:
 * operators, conditionals, `for` expressions, splats, templates and the common built-in functions.
 * What is not known before apply stays unknown (never a guess); a conditional whose condition is not
 * known gives a {@link Choice} of its branches. Each evaluation also records whether the value was
 * built only from what is written in the code (for SECRET-1) and whether it is sensitive.
 */
import { type Expr, HclSyntaxError, parseExpression, parseTemplateString, type Step } from "./hcl-expr";
import { callFunction, EvalError, hasUnknown, isLazyFunction, toStringValue, unifyPrimitives } from "./hcl-functions";
import { Choice, choiceOf, containsChoice, expandChoices, InstanceValue, isPlainObject, MAX_VARIANTS, record, RefUnknown, unknownish } from "./hcl-values";
import { isUnknown, pathIn, UNKNOWN } from "../model/model";
import { ValueBudget, ValueTooLarge } from "../load/limits";

export { EvalError };

/** What an expression's value is built from. */
export interface Flags {
  /** Built only from constants, literal variable values and locals: no resource, data or module value. */
  literal: boolean;
  sensitive: boolean;
}

/** A named value with its flags (a variable, `each`, `count`, a dynamic block's iterator). */
export interface Bound extends Flags {
  value: unknown;
}

/**
 * The names of one module (instance): `var`, `local`, `module`, `data`, resources, `path`, ...
 * `root` consumes the steps that name a value (`var.x` uses one) and says how many it used.
 */
export interface Names {
  root(name: string, steps: readonly Step[], ev: Evaluator, bindings: ReadonlyMap<string, Bound>): { value: unknown; used: number };
}

/** Deeper evaluation (a for inside a call inside a for ...) reads as unknown. */
const MAX_EVAL_DEPTH = 200;

const templates = new Map<string, Expr | null>();
const expressions = new Map<string, Expr | null>();

/** Parses a Terraform JSON string as a template (null when it does not parse). Cached: configurations repeat. */
export function parseCached(s: string): Expr | null {
  return memoParse(templates, s, parseTemplateString);
}

/** Parses one expression source (the inside of `${}`, a type constraint); null when it does not parse. Cached as templates are. */
export function parseExpressionCached(src: string): Expr | null {
  return memoParse(expressions, src, parseExpression);
}

/** Parses one expression source (the inside of `${}`); null when it does not parse. */
export function parseExpressionOrNull(src: string): Expr | null {
  return orNull(src, parseExpression);
}

/** `parse(src)`, remembered in `cache` (emptied past 50,000 entries, so no input grows it without bound). */
function memoParse(cache: Map<string, Expr | null>, src: string, parse: (src: string) => Expr): Expr | null {
  let e = cache.get(src);
  if (e === undefined) {
    e = orNull(src, parse);
    if (cache.size > 50_000) cache.clear();
    cache.set(src, e);
  }
  return e;
}

function orNull(src: string, parse: (src: string) => Expr): Expr | null {
  try {
    return parse(src);
  } catch (err) {
    if (err instanceof HclSyntaxError) return null;
    throw err;
  }
}

/** True when a Terraform JSON string is a template to evaluate (an interpolation or a directive), not a literal. */
export function hasTemplate(s: string): boolean {
  // One scan for "{" (most strings have none), then a look at the character before each.
  for (let i = s.indexOf("{", 1); i > 0; i = s.indexOf("{", i + 1)) {
    const before = s.charCodeAt(i - 1);
    if (before === 0x24 || before === 0x25) return true; // "$" or "%"
  }
  return false;
}

export class Evaluator {
  flags: Flags = { literal: true, sensitive: false };
  private depth = 0;

  /** `budget`: shared by every evaluator of one input, so its limits hold for the input as a whole. */
  constructor(
    readonly names: Names,
    readonly budget = new ValueBudget(),
  ) {}

  /** Marks the value being built with a source's flags. */
  mark(f: Flags): void {
    this.flags.literal &&= f.literal;
    this.flags.sensitive ||= f.sensitive;
  }

  /**
   * Evaluates a Terraform JSON string (a template) and the flags of what it read. Evaluation errors
   * (Terraform would refuse the configuration) and syntax this reader does not know give unknown.
   */
  evaluateString(s: string, bindings: ReadonlyMap<string, Bound>): Bound {
    if (!hasTemplate(s)) return { value: s, literal: true, sensitive: false };
    const e = parseCached(s);
    return this.evaluateExpr(e, bindings);
  }

  /**
   * An object key as Terraform JSON writes it: a template (hcl2json writes `(local.k) = v` as
   * `"${(local.k)}"` and `"$${x}"` stays escaped). Undefined when the key is not known before apply.
   */
  objectKey(k: string, bindings: ReadonlyMap<string, Bound>): string | undefined {
    if (!hasTemplate(k)) return k;
    const { value } = this.evaluateString(k, bindings);
    if (unknownish(value) || value === null || typeof value === "object") return undefined;
    return toStringValue(value);
  }

  evaluateExpr(e: Expr | null, bindings: ReadonlyMap<string, Bound>): Bound {
    const saved = this.flags;
    this.flags = { literal: true, sensitive: false };
    try {
      let value: unknown;
      if (e === null) value = UNKNOWN;
      else {
        try {
          value = this.eval(e, bindings);
        } catch (err) {
          if (!(err instanceof EvalError)) throw err;
          value = UNKNOWN;
        }
      }
      // A reference's placeholder is as small as its address (a cdktf stack is mostly references).
      if (!(value instanceof RefUnknown)) this.budget.check(value);
      if (refersToResource(value)) this.flags.literal = false;
      return { value, ...this.flags };
    } finally {
      this.flags = saved;
    }
  }

  eval(e: Expr, b: ReadonlyMap<string, Bound>): unknown {
    this.budget.step();
    if (++this.depth > MAX_EVAL_DEPTH) {
      this.depth--;
      throw new EvalError("expression too deep");
    }
    try {
      return this.evalAtDepth(e, b);
    } finally {
      this.depth--;
    }
  }

  private evalAtDepth(e: Expr, b: ReadonlyMap<string, Bound>): unknown {
    switch (e.t) {
      case "lit":
        return e.value;
      case "unsupported":
        return UNKNOWN;
      case "template": {
        if (e.parts.length === 1 && typeof e.parts[0] !== "string") return this.eval(e.parts[0], b);
        const parts = e.parts.map((p) => (typeof p === "string" ? p : this.eval(p, b)));
        return lift(parts, (ps) => {
          if (ps.some(unknownish)) return UNKNOWN;
          const strings = ps.map(toStringValue);
          this.budget.checkLength(strings.reduce((n, x) => n + x.length, 0));
          return strings.join("");
        });
      }
      case "tuple":
        return e.items.map((x) => this.eval(x, b));
      case "object": {
        const out = record();
        for (const { key, value } of e.items) {
          const k = this.eval(key, b);
          if (unknownish(k) || k instanceof Choice) return UNKNOWN;
          out[toStringValue(k)] = this.eval(value, b);
        }
        return out;
      }
      case "ref":
        return this.reference(e.root, e.steps, b);
      case "traverse":
        return this.steps(this.eval(e.target, b), e.steps, b);
      case "call":
        return this.call(e, b);
      case "unary":
        return lift([this.eval(e.x, b)], ([x]) => {
          if (unknownish(x)) return UNKNOWN;
          if (e.op === "!") return !toBool(x);
          return -toNumber(x);
        });
      case "binary":
        return this.binary(e.op, this.eval(e.a, b), this.eval(e.b, b));
      case "cond": {
        // The condition decides which branch is the value; it is not part of the value, so its
        // flags (a variable compared to "") must not make a literal branch look passed in.
        const literal = this.flags.literal;
        const c = this.eval(e.c, b);
        this.flags.literal = literal;
        if (c instanceof Choice || unknownish(c)) {
          // Not known before apply: both branches are possible.
          const branches = [e.a, e.b].map((x) => this.branch(() => this.eval(x, b))).filter((x) => x !== undefined);
          if (branches.length === 0) throw new EvalError("no branch evaluates");
          this.markBranches(branches);
          return choiceOf(unifyPrimitives(branches.map((x) => x.value)));
        }
        const [chosen, other] = toBool(c) ? [e.a, e.b] : [e.b, e.a];
        const value = this.eval(chosen, b);
        if (typeof value !== "number" && typeof value !== "boolean") return value;
        // The result has the type both branches unify to: `true ? 1 : "1"` is "1".
        const alternative = this.branch(() => this.eval(other, b));
        return alternative === undefined ? value : unifyPrimitives([value, alternative.value])[0];
      }
      case "for":
        return lift([this.eval(e.coll, b)], ([coll]) => this.forExpr(e, coll, b));
    }
  }

  private reference(root: string, steps: readonly Step[], b: ReadonlyMap<string, Bound>): unknown {
    const bound = b.get(root);
    if (bound) {
      this.mark(bound);
      return this.steps(bound.value, steps, b);
    }
    const { value, used } = this.names.root(root, steps, this, b);
    return moduleObjects(this.steps(value, steps.slice(used), b), (f) => this.mark(f));
  }

  /** Applies attribute, index and splat steps to a value. */
  steps(v: unknown, steps: readonly Step[], b: ReadonlyMap<string, Bound>): unknown {
    let cur = v;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s.kind === "splat" || s.kind === "attrSplat") {
        const rest = steps.slice(i + 1);
        return lift([cur], ([c]) => {
          if (isUnknown(c)) return UNKNOWN;
          if (c instanceof RefUnknown) return new RefUnknown(c.address, c.collection);
          const list = c === null ? [] : Array.isArray(c) ? c : [c];
          return list.map((x) => this.steps(x, rest, b));
        });
      }
      const key = s.kind === "attr" ? s.name : this.eval(s.key, b);
      cur = lift([cur, key], ([c, k]) => this.step(c, k, s.kind === "attr"));
    }
    return cur;
  }

  private step(c: unknown, k: unknown, attr: boolean): unknown {
    if (c instanceof RefUnknown) {
      if (c.collection && !attr && !unknownish(k)) return new RefUnknown(`${c.address}[${instanceKey(k)}]`);
      return new RefUnknown(c.address);
    }
    if (isUnknown(c)) return UNKNOWN;
    if (unknownish(k)) return UNKNOWN;
    if (c instanceof InstanceValue) {
      const name = toStringValue(k);
      const has = Object.prototype.hasOwnProperty.call(c.attrs, name) && c.attrs[name] !== undefined && c.attrs[name] !== null;
      if (has && !(c.missing === "ref" && name === "id")) {
        this.mark({ literal: pathIn(c.literal, name), sensitive: pathIn(c.sensitive, name) });
        return c.attrs[name];
      }
      if (c.missing === "error") {
        if (Object.prototype.hasOwnProperty.call(c.attrs, name)) return c.attrs[name];
        throw new EvalError(`no output ${name}`);
      }
      return new RefUnknown(c.address);
    }
    if (Array.isArray(c)) {
      const n = toNumber(k);
      if (!Number.isInteger(n) || n < 0 || n >= c.length) throw new EvalError("index out of range");
      return c[n];
    }
    if (isPlainObject(c)) {
      const name = toStringValue(k);
      if (!Object.prototype.hasOwnProperty.call(c, name)) throw new EvalError(`no key ${name}`);
      return c[name];
    }
    throw new EvalError("cannot index a primitive value");
  }

  private call(e: Extract<Expr, { t: "call" }>, b: ReadonlyMap<string, Bound>): unknown {
    const name = e.name.replace(/^core::/, "");
    if (isLazyFunction(name)) return this.lazyCall(name, e.args, b);
    if (name === "coalesce" && !e.expand) return this.coalesce(e.args, b);
    if (name === "lookup" && !e.expand && e.args.length === 3) return this.lookup(e.args, b);
    let args = e.args.map((a) => this.eval(a, b));
    if (e.expand) {
      const last = args[args.length - 1];
      if (unknownish(last)) return UNKNOWN;
      if (!Array.isArray(last)) throw new EvalError("expanding a non-list");
      args = [...args.slice(0, -1), ...last];
    }
    if (name === "sensitive") this.flags.sensitive = true;
    this.budget.check(args);
    if (containsChoice(args)) {
      const variants = expandChoices(args);
      if (!variants) return UNKNOWN;
      const results: unknown[] = [];
      for (const v of variants) {
        try {
          results.push(this.callBounded(name, v as unknown[]));
        } catch (err) {
          if (!(err instanceof EvalError)) throw err;
        }
      }
      if (results.length === 0) throw new EvalError(`${name} fails on every branch`);
      return choiceOf(results);
    }
    return this.callBounded(name, args);
  }

  /** A built-in function whose result is measured (`format("%09999999d", 1)` builds from little). */
  private callBounded(name: string, args: unknown[]): unknown {
    let result: unknown;
    try {
      result = callFunction(name, args);
    } catch (err) {
      // "Invalid string length" and a stack too deep: the value is past what a process can build.
      if (err instanceof RangeError) throw new ValueTooLarge(`${name}(...) builds a value larger than identity-posture evaluates (${err.message})`);
      throw err;
    }
    this.budget.check(result);
    return result;
  }

  /** `try` and `can`: their arguments' errors are the result, not a failure. */
  private lazyCall(name: string, args: readonly Expr[], b: ReadonlyMap<string, Bound>): unknown {
    if (name === "can") {
      if (args.length !== 1) throw new EvalError("can takes one argument");
      try {
        const v = this.eval(args[0], b);
        return unknownish(v) || v instanceof Choice ? UNKNOWN : true;
      } catch (err) {
        if (!(err instanceof EvalError)) throw err;
        return false;
      }
    }
    const reached: Bound[] = [];
    const options: unknown[] = [];
    for (const a of args) {
      const r = this.branch(() => this.eval(a, b));
      if (r === undefined) continue;
      reached.push(r);
      options.push(r.value);
      // An unknown argument might fail once known: then a later argument is the value.
      if (!isUnknown(r.value)) break;
    }
    if (options.length === 0) throw new EvalError("no argument of try evaluates");
    this.markBranches(reached);
    return isUnknown(options[options.length - 1]) ? UNKNOWN : choiceOf(options);
  }

  /**
   * `coalesce`: the first argument that is neither null nor "". An argument not known before apply
   * may be either, so every argument up to the first known one may be the value (a {@link Choice}).
   */
  private coalesce(args: readonly Expr[], b: ReadonlyMap<string, Bound>): unknown {
    const evaluated: Bound[] = [];
    for (const a of args) {
      const saved = this.flags;
      this.flags = { literal: true, sensitive: false };
      try {
        const value = this.eval(a, b);
        evaluated.push({ value, ...this.flags, literal: this.flags.literal && !refersToResource(value) });
      } finally {
        this.flags = saved;
      }
    }
    const reached: Bound[] = [];
    const options: unknown[] = [];
    let decided = false;
    for (const r of evaluated) {
      reached.push(r);
      const opts = r.value instanceof Choice ? r.value.options : [r.value];
      options.push(...opts.filter((o) => o !== null && o !== ""));
      if (opts.every((o) => !unknownish(o) && o !== null && o !== "")) {
        decided = true;
        break;
      }
    }
    this.markBranches(reached);
    if (options.length === 0) throw new EvalError("coalesce: no non-null argument");
    // Every argument may be null or "": the call may fail, and Terraform would then refuse the plan.
    if (!decided && options.every(unknownish)) return UNKNOWN;
    return choiceOf(options);
  }

  /**
   * `lookup(map, key, default)`: the key chooses a value, it is not part of it (like a condition).
   * A key not known before apply may choose any of the map's values or the default (a {@link Choice}).
   */
  private lookup(args: readonly Expr[], b: ReadonlyMap<string, Bound>): unknown {
    const literal = this.flags.literal;
    const key = this.eval(args[1], b);
    this.flags.literal = literal;
    const branches = [args[0], args[2]].map((a) => this.branch(() => this.eval(a, b)));
    const [map, fallback] = branches;
    if (map === undefined || fallback === undefined) throw new EvalError("lookup: an argument fails");
    if (!unknownish(key) && !(key instanceof Choice)) {
      const found = isPlainObject(map.value) && Object.prototype.hasOwnProperty.call(map.value, toStringValue(key));
      this.mark(found ? map : { literal: map.literal && fallback.literal, sensitive: map.sensitive || fallback.sensitive });
      return this.callBounded("lookup", [map.value, key, fallback.value]);
    }
    this.markBranches([map, fallback]);
    if (!isPlainObject(map.value) || containsChoice(map.value)) return UNKNOWN;
    return choiceOf([...Object.values(map.value), fallback.value]);
  }

  /** Evaluates one of several expressions that may be the value, with its own flags; undefined when it fails. */
  private branch(f: () => unknown): Bound | undefined {
    const saved = this.flags;
    this.flags = { literal: true, sensitive: false };
    try {
      const value = f();
      return { value, ...this.flags, literal: this.flags.literal && !refersToResource(value) };
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      return undefined;
    } finally {
      this.flags = saved;
    }
  }

  /**
   * Marks a value that is one of `branches`. It is written in the code (for SECRET-1) when a branch
   * that may be chosen is a literal with a value: a literal null or "" sets nothing, so a variable
   * with an empty default beside it stays passed in.
   */
  private markBranches(branches: readonly Bound[]): void {
    const literal = branches.some((x) => x.literal && x.value !== null && x.value !== "") || branches.every((x) => x.literal);
    this.mark({ literal, sensitive: branches.some((x) => x.sensitive) });
  }

  private binary(op: string, a: unknown, b: unknown): unknown {
    return lift([a, b], ([x, y]) => {
      if (op === "&&") {
        if (x === false || y === false) return false;
        if (unknownish(x) || unknownish(y)) return UNKNOWN;
        return toBool(x) && toBool(y);
      }
      if (op === "||") {
        if (x === true || y === true) return true;
        if (unknownish(x) || unknownish(y)) return UNKNOWN;
        return toBool(x) || toBool(y);
      }
      if (hasUnknown(x) || hasUnknown(y)) return UNKNOWN;
      switch (op) {
        case "==":
          return equalValues(x, y);
        case "!=":
          return !equalValues(x, y);
        case "<":
          return toNumber(x) < toNumber(y);
        case ">":
          return toNumber(x) > toNumber(y);
        case "<=":
          return toNumber(x) <= toNumber(y);
        case ">=":
          return toNumber(x) >= toNumber(y);
        case "+":
          return toNumber(x) + toNumber(y);
        case "-":
          return toNumber(x) - toNumber(y);
        case "*":
          return toNumber(x) * toNumber(y);
        case "/": {
          const d = toNumber(y);
          if (d === 0) throw new EvalError("division by zero");
          return toNumber(x) / d;
        }
        case "%": {
          const d = toNumber(y);
          if (d === 0) throw new EvalError("division by zero");
          return toNumber(x) % d;
        }
      }
      throw new EvalError(`unknown operator ${op}`);
    });
  }

  private forExpr(e: Extract<Expr, { t: "for" }>, coll: unknown, b: ReadonlyMap<string, Bound>): unknown {
    if (unknownish(coll) || coll instanceof InstanceValue) return UNKNOWN;
    let pairs: Array<[unknown, unknown]>;
    if (Array.isArray(coll)) pairs = coll.map((v, i) => [i, v]);
    else if (isPlainObject(coll)) pairs = Object.keys(coll).sort().map((k) => [k, coll[k]]);
    else throw new EvalError("for over a value that is not a collection");
    const isObject = e.key !== undefined;
    const list: unknown[] = [];
    const obj = record();
    const grouped = new Map<string, unknown[]>();
    for (const [k, v] of pairs) {
      const inner = new Map(b);
      if (e.keyVar) inner.set(e.keyVar, { value: k, literal: true, sensitive: false });
      inner.set(e.valVar, { value: v, literal: true, sensitive: false });
      if (e.cond) {
        const c = this.eval(e.cond, inner);
        if (unknownish(c) || c instanceof Choice) return UNKNOWN;
        if (!toBool(c)) continue;
      }
      if (!isObject) {
        list.push(this.eval(e.value, inner));
        continue;
      }
      const key = this.eval(e.key!, inner);
      if (unknownish(key) || key instanceof Choice) return UNKNOWN;
      const ks = toStringValue(key);
      const value = this.eval(e.value, inner);
      if (e.group) grouped.set(ks, [...(grouped.get(ks) ?? []), value]);
      else {
        if (Object.prototype.hasOwnProperty.call(obj, ks)) throw new EvalError(`duplicate key ${ks} in a for expression`);
        obj[ks] = value;
      }
    }
    if (!isObject) {
      this.budget.check(list);
      return list;
    }
    if (e.group) for (const [k, v] of grouped) obj[k] = v;
    this.budget.check(obj);
    return obj;
  }
}

/** Applies `f` to every combination of the arguments' choices (errors in one branch drop that branch). */
export function lift(args: unknown[], f: (args: unknown[]) => unknown): unknown {
  if (!args.some((a) => a instanceof Choice)) return f(args);
  let combos: unknown[][] = [[]];
  for (const a of args) {
    const opts = a instanceof Choice ? a.options : [a];
    combos = combos.flatMap((c) => opts.map((o) => [...c, o]));
    if (combos.length > MAX_VARIANTS) return UNKNOWN;
  }
  const results: unknown[] = [];
  for (const c of combos) {
    try {
      results.push(f(c));
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
    }
  }
  if (results.length === 0) throw new EvalError("no branch evaluates");
  return choiceOf(results);
}

/**
 * A module instance used as a whole value (`o = module.m`, `module.m` of a for_each) is the object of
 * its outputs, as in Terraform; an attribute read from it (`module.m.x`) never gets here.
 */
function moduleObjects(v: unknown, mark: (f: Flags) => void): unknown {
  if (v instanceof InstanceValue && v.missing === "error") {
    const out = record();
    const names = Object.keys(v.attrs);
    // The object carries its outputs' flags: one sensitive output makes it sensitive.
    mark({ literal: names.every((k) => v.literal.has(k)), sensitive: v.sensitive.size > 0 });
    for (const k of names) out[k] = v.attrs[k] === undefined ? UNKNOWN : moduleObjects(v.attrs[k], mark);
    return out;
  }
  if (Array.isArray(v) && v.some((x) => x instanceof InstanceValue)) return v.map((x) => moduleObjects(x, mark));
  if (isPlainObject(v) && Object.values(v).some((x) => x instanceof InstanceValue)) {
    const out = record();
    for (const [k, x] of Object.entries(v)) out[k] = moduleObjects(x, mark);
    return out;
  }
  return v;
}

/** True when the value holds a resource or module value (it is not written in the code). */
function refersToResource(v: unknown): boolean {
  if (v instanceof RefUnknown || v instanceof InstanceValue) return true;
  if (v instanceof Choice) return v.options.some(refersToResource);
  if (Array.isArray(v)) return v.some(refersToResource);
  if (isPlainObject(v)) return Object.values(v).some(refersToResource);
  return false;
}

/**
 * An instance key as Terraform prints it in an address: `[0]`, `["web"]`. A string is quoted the
 * way HCL reads it back: `${` and `%{` doubled, `\n \r \t \" \\` escaped, other characters Go's
 * unicode.IsPrint refuses as `\uXXXX` (terraform internal/addrs/instance_key.go, toHCLQuotedString).
 */
export function instanceKey(k: unknown): string {
  if (typeof k === "number") return String(k);
  const s = toStringValue(k);
  let out = '"';
  const chars = [...s];
  chars.forEach((c, i) => {
    if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (c === '"') out += '\\"';
    else if (c === "\\") out += "\\\\";
    else if ((c === "$" || c === "%") && chars[i + 1] === "{") out += c + c;
    else if (c === " " || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(c)) out += c;
    else {
      const cp = c.codePointAt(0)!;
      out += cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\U${cp.toString(16).padStart(8, "0")}`;
    }
  });
  return out + '"';
}

export function toBool(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new EvalError("not a bool");
}

export function toNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(v)) return Number(v);
  throw new EvalError("not a number");
}

/** Terraform's `==`: same type and value (no conversion between strings and numbers). */
function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equalValues(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && equalValues(a[k], b[k]));
  }
  return false;
}
