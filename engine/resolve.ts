/**
 * `${...}` resolution for configuration inputs. A reference resolves when its value is written in the
 * code (a variable's default, a local, a constant, another resource's literal attribute); otherwise it
 * is UNKNOWN. Every resolution also says whether the value was written literally in the code (for
 * SECRET-1), whether it came from a sensitive variable, and which resource it points at (for links
 * such as an Access app's `policies[].id`).
 */
import { parseHclExpression } from "./hcl-expr";
import { isUnknown, UNKNOWN } from "./model";
import { ownValue, setOwn } from "./own";
import { walk } from "./view";

export interface VariableDecl {
  hasDefault: boolean;
  default?: unknown;
  sensitive: boolean;
}

export interface InstanceContext {
  countIndex?: number;
  eachKey?: string;
  eachValue?: unknown;
}

export interface Resolution {
  value: unknown;
  /**
   * True when the value is built only from what is written in the code (constants, variable defaults,
   * locals), even when it is not evaluated here (a function call): no variable without a default, no
   * resource, data or module value.
   */
  literal: boolean;
  sensitive: boolean;
  /** The resource address a single-reference expression points at (`okta_policy_signon.x`). */
  ref?: string;
}

export interface ModuleSymbols {
  variables: ReadonlyMap<string, VariableDecl>;
  locals: ReadonlyMap<string, unknown>;
  /** Raw bodies of managed resources by `type.name`, for literal attribute references. */
  resources: ReadonlyMap<string, Record<string, unknown>>;
}

/** References resolved through more links than this (local to local to ...) read as unknown. */
const MAX_CHAIN = 100;

const SIMPLE_REF = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\[\s*(?:\d+|"(?:[^"\\]|\\.)*"|\*)\s*\])*$/;

/** Splits `a.b[0]["k"].c` into segments: ["a","b","0","k","c"]. */
function segments(traversal: string): string[] {
  const out: string[] = [];
  const re = /([A-Za-z_*][\w-]*)|\[\s*(\d+|\*)\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(traversal)) !== null) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

export class Resolver {
  private readonly localCache = new Map<string, Resolution>();
  private readonly resolving = new Set<string>();

  constructor(private readonly symbols: ModuleSymbols) {}

  /** Resolves every string inside `body`, calling `visit` for each leaf path that carries flags. */
  resolveBody(
    body: unknown,
    inst: InstanceContext,
    visit: (path: string, r: Resolution) => void,
    path = "",
  ): unknown {
    if (typeof body === "string") {
      const r = this.resolveString(body, inst);
      visit(path, r);
      return r.value;
    }
    if (Array.isArray(body)) return body.map((x, i) => this.resolveBody(x, inst, visit, path === "" ? String(i) : `${path}.${i}`));
    if (body !== null && typeof body === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(body)) setOwn(out, k, this.resolveBody(v, inst, visit, path === "" ? k : `${path}.${k}`));
      return out;
    }
    visit(path, { value: body, literal: true, sensitive: false });
    return body;
  }

  /** Resolves one template string. */
  resolveString(s: string, inst: InstanceContext): Resolution {
    if (!s.includes("${") && !s.includes("%{")) return { value: s, literal: true, sensitive: false };
    const parts = splitTemplate(s);
    if (parts === undefined) return { value: UNKNOWN, literal: false, sensitive: false };
    if (parts.length === 1 && typeof parts[0] !== "string") return this.resolveExpression(parts[0].expr, inst);
    let text = "";
    let literal = true;
    let sensitive = false;
    let unknown = false;
    for (const p of parts) {
      if (typeof p === "string") {
        text += p;
        continue;
      }
      const r = this.resolveExpression(p.expr, inst);
      literal &&= r.literal;
      sensitive ||= r.sensitive;
      if (isUnknown(r.value) || (r.value !== null && typeof r.value === "object")) unknown = true;
      else text += r.value === null ? "" : String(r.value);
    }
    return { value: unknown ? UNKNOWN : text, literal, sensitive };
  }

  private resolveExpression(expr: string, inst: InstanceContext): Resolution {
    const e = expr.trim();
    if (SIMPLE_REF.test(e)) return this.resolveTraversal(e, inst);
    let literal = true;
    let sensitive = false;
    const value = parseHclExpression(
      e,
      (t) => {
        const r = this.resolveTraversal(t, inst);
        literal &&= r.literal;
        sensitive ||= r.sensitive;
        return r.value;
      },
      (tmpl) => {
        const r = this.resolveString(tmpl, inst);
        literal &&= r.literal;
        sensitive ||= r.sensitive;
        return r.value;
      },
    );
    // A function of constants (`urlencode("token")`) is unknown here but still written in the code.
    return { value, literal, sensitive };
  }

  private resolveTraversal(t: string, inst: InstanceContext): Resolution {
    const seg = segments(t);
    const unknownRes = (ref?: string): Resolution => ({ value: UNKNOWN, literal: false, sensitive: false, ref });
    switch (seg[0]) {
      case "true":
      case "false":
        return { value: seg[0] === "true", literal: true, sensitive: false };
      case "null":
        return { value: null, literal: true, sensitive: false };
      case "var": {
        const v = this.symbols.variables.get(seg[1]);
        if (!v || !v.hasDefault) return { ...unknownRes(), sensitive: !!v?.sensitive };
        return { value: pick(v.default, seg.slice(2)), literal: true, sensitive: v.sensitive };
      }
      case "local": {
        const r = this.local(seg[1]);
        return { ...r, value: pick(r.value, seg.slice(2)) };
      }
      case "count":
        return inst.countIndex !== undefined && seg[1] === "index" ? { value: inst.countIndex, literal: true, sensitive: false } : unknownRes();
      case "each":
        if (seg[1] === "key" && inst.eachKey !== undefined) return { value: inst.eachKey, literal: true, sensitive: false };
        if (seg[1] === "value" && inst.eachValue !== undefined) return { value: pick(inst.eachValue, seg.slice(2)), literal: true, sensitive: false };
        return unknownRes();
      case "data":
        return unknownRes(seg.length >= 3 ? `data.${seg[1]}.${seg[2]}` : undefined);
      case "module":
      case "self":
      case "path":
      case "terraform":
        return unknownRes();
      default: {
        if (seg.length < 2) return unknownRes();
        const key = `${seg[0]}.${seg[1]}`;
        const indexed = seg[2] !== undefined && /^\d+$/.test(seg[2]);
        const ref = indexed ? `${key}[${seg[2]}]` : key;
        const body = this.symbols.resources.get(key);
        const attrPath = seg.slice(indexed ? 3 : 2);
        if (!body || attrPath.length === 0 || attrPath[0] === "id" || this.resolving.has(t) || this.resolving.size >= MAX_CHAIN) return unknownRes(ref);
        // Another resource's attribute is known only when written literally there.
        this.resolving.add(t);
        try {
          const raw = walk(body, attrPath.join("."));
          if (raw === undefined) return unknownRes(ref);
          let literal = true;
          let sensitive = false;
          const value = this.resolveBody(raw, {}, (_p, r) => {
            literal &&= r.literal;
            sensitive ||= r.sensitive;
          });
          return { value, literal, sensitive, ref };
        } finally {
          this.resolving.delete(t);
        }
      }
    }
  }

  private local(name: string): Resolution {
    const cached = this.localCache.get(name);
    if (cached) return cached;
    if (!this.symbols.locals.has(name) || this.resolving.has(`local.${name}`) || this.resolving.size >= MAX_CHAIN) return { value: UNKNOWN, literal: false, sensitive: false };
    this.resolving.add(`local.${name}`);
    let literal = true;
    let sensitive = false;
    const value = this.resolveBody(this.symbols.locals.get(name), {}, (_p, r) => {
      literal &&= r.literal;
      sensitive ||= r.sensitive;
    });
    this.resolving.delete(`local.${name}`);
    const r = { value, literal, sensitive };
    this.localCache.set(name, r);
    return r;
  }
}

function pick(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const s of path) {
    if (isUnknown(cur)) return UNKNOWN;
    if (cur === null || typeof cur !== "object") return UNKNOWN;
    cur = Array.isArray(cur) ? cur[Number(s)] : ownValue(cur, s);
    if (cur === undefined) return UNKNOWN;
  }
  return cur;
}

type TemplatePart = string | { expr: string };

/**
 * Splits a Terraform template into literal text and `${...}` interpolations, honouring the `$${`
 * escape and nested braces and strings. `%{...}` directives make the whole template unknown
 * (returns undefined).
 */
export function splitTemplate(s: string): TemplatePart[] | undefined {
  const parts: TemplatePart[] = [];
  let text = "";
  let i = 0;
  while (i < s.length) {
    if (s.startsWith("$${", i) || s.startsWith("%%{", i)) {
      text += s.slice(i + 1, i + 3);
      i += 3;
      continue;
    }
    if (s.startsWith("%{", i)) return undefined;
    if (!s.startsWith("${", i)) {
      text += s[i++];
      continue;
    }
    let depth = 1;
    let j = i + 2;
    let inString = false;
    while (j < s.length && depth > 0) {
      const c = s[j];
      if (inString) {
        if (c === "\\") j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}") depth--;
      j++;
    }
    if (depth !== 0) return undefined;
    if (text) parts.push(text);
    text = "";
    parts.push({ expr: s.slice(i + 2, j - 1).replace(/^~|~$/g, "") });
    i = j;
  }
  if (text || parts.length === 0) parts.push(text);
  return parts;
}
