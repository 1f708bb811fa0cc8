/**
 * A small reader for the HCL expressions that survive into Terraform JSON as `${...}` text: literal
 * objects and lists (the argument of `jsonencode(...)`), strings, numbers, booleans, null, and
 * references. It never evaluates functions, operators, conditionals or `for` expressions: those read
 * as unknown, which a rule reports as unknown, never as a pass.
 */
import { UNKNOWN } from "./model";
import { setOwn } from "./own";

/** Resolves a reference such as `var.x`, `local.y.z` or `okta_group.g.name`. */
export type ReferenceResolver = (traversal: string) => unknown;

class ParseFailure extends Error {}

export function parseHclExpression(src: string, resolveRef: ReferenceResolver, resolveTemplate: (s: string) => unknown): unknown {
  const p = new Parser(src, resolveRef, resolveTemplate);
  try {
    const v = p.expression();
    p.skipSpace(true);
    if (!p.done()) return UNKNOWN;
    return v;
  } catch (e) {
    if (e instanceof ParseFailure) return UNKNOWN;
    throw e;
  }
}

const TRAVERSAL = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_*][\w-]*|\[\s*(?:\d+|"(?:[^"\\]|\\.)*"|\*)\s*\])*/;

/** Deeper expressions read as unknown: the parser recurses once per level. */
const MAX_EXPRESSION_DEPTH = 256;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly s: string,
    private readonly resolveRef: ReferenceResolver,
    private readonly resolveTemplate: (s: string) => unknown,
  ) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  /** Skips blanks and comments; newlines too when `newlines`. */
  skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === " " || c === "\t" || c === "\r" || (newlines && c === "\n")) this.i++;
      else if (c === "#" || (c === "/" && this.s[this.i + 1] === "/")) {
        while (this.i < this.s.length && this.s[this.i] !== "\n") this.i++;
      } else if (c === "/" && this.s[this.i + 1] === "*") {
        const end = this.s.indexOf("*/", this.i + 2);
        if (end < 0) throw new ParseFailure();
        this.i = end + 2;
      } else return;
    }
  }

  expression(): unknown {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw new ParseFailure();
    try {
      return this.expressionAtDepth();
    } finally {
      this.depth--;
    }
  }

  private expressionAtDepth(): unknown {
    this.skipSpace(true);
    const c = this.s[this.i];
    let v: unknown;
    if (c === "{") v = this.object();
    else if (c === "[") v = this.list();
    else if (c === '"') v = this.resolveTemplate(this.string());
    else if (c === "(") {
      this.i++;
      v = this.expression();
      this.skipSpace(true);
      this.expect(")");
    } else if (c !== undefined && /[-\d]/.test(c)) v = this.number();
    else v = this.identifierExpression();
    this.skipSpace(false);
    // Operators, conditionals, attribute access on literals: not evaluated.
    const next = this.s[this.i];
    if (next !== undefined && !/[,}\])\n]/.test(next)) {
      this.skipRest();
      return UNKNOWN;
    }
    return v;
  }

  private skipRest(): void {
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"') {
        this.string();
        continue;
      }
      if (c === "{" || c === "[" || c === "(") depth++;
      else if (c === "}" || c === "]" || c === ")") {
        if (depth === 0) return;
        depth--;
      } else if ((c === "," || c === "\n") && depth === 0) return;
      this.i++;
    }
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) throw new ParseFailure();
    this.i++;
  }

  private object(): unknown {
    this.expect("{");
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipSpace(true);
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
      let key: unknown;
      if (this.s[this.i] === '"') key = this.resolveTemplate(this.string());
      else if (this.s[this.i] === "(") {
        this.i++;
        key = this.expression();
        this.skipSpace(true);
        this.expect(")");
      } else {
        const m = /^[A-Za-z_][\w-]*/.exec(this.s.slice(this.i));
        if (!m) throw new ParseFailure();
        key = m[0];
        this.i += m[0].length;
      }
      if (typeof key !== "string") return this.abandon("}");
      this.skipSpace(false);
      const sep = this.s[this.i];
      if (sep !== "=" && sep !== ":") throw new ParseFailure();
      this.i++;
      setOwn(out, key, this.expression());
      this.skipSpace(false);
      if (this.s[this.i] === ",") this.i++;
    }
  }

  private list(): unknown[] {
    this.expect("[");
    const out: unknown[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.s[this.i] === "]") {
        this.i++;
        return out;
      }
      if (/^for\s/.test(this.s.slice(this.i))) return this.abandon("]") as unknown[];
      out.push(this.expression());
      this.skipSpace(true);
      if (this.s[this.i] === ",") this.i++;
    }
  }

  /** Skips to the matching `close` and yields unknown (a key or a `for` that is not literal). */
  private abandon(close: "}" | "]"): unknown {
    this.skipRest();
    this.expect(close);
    return UNKNOWN;
  }

  /** A quoted string, returned as template text (escapes decoded; `${` kept for the resolver). */
  private string(): string {
    this.expect('"');
    let out = "";
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (depth === 0 && c === '"') {
        this.i++;
        return out;
      }
      if (c === "\\" && depth === 0) {
        const n = this.s[this.i + 1];
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (n === "u") {
          out += String.fromCharCode(parseInt(this.s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
          continue;
        }
        out += map[n] ?? n;
        this.i += 2;
        continue;
      }
      if (c === "$" && this.s[this.i + 1] === "{") {
        depth++;
        out += "${";
        this.i += 2;
        continue;
      }
      if (depth > 0 && c === "{") depth++;
      if (depth > 0 && c === "}") depth--;
      out += c;
      this.i++;
    }
    throw new ParseFailure();
  }

  private number(): unknown {
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i));
    if (!m) throw new ParseFailure();
    this.i += m[0].length;
    return Number(m[0]);
  }

  private identifierExpression(): unknown {
    const rest = this.s.slice(this.i);
    const m = TRAVERSAL.exec(rest);
    if (!m) throw new ParseFailure();
    this.i += m[0].length;
    if (m[0] === "true") return true;
    if (m[0] === "false") return false;
    if (m[0] === "null") return null;
    if (this.s[this.i] === "(") {
      // A function call: only jsonencode of something literal is read.
      const name = m[0];
      this.i++;
      const arg = this.expression();
      this.skipSpace(true);
      if (this.s[this.i] !== ")") {
        this.skipRest();
        this.expect(")");
        return UNKNOWN;
      }
      this.i++;
      if (name === "jsonencode") return jsonEncode(arg);
      if (name === "tostring" || name === "tonumber" || name === "tobool" || name === "tolist" || name === "toset" || name === "sensitive" || name === "nonsensitive") return arg;
      return UNKNOWN;
    }
    return this.resolveRef(m[0]);
  }
}

/** Terraform's jsonencode of a fully known value; unknown when any part is unknown. */
export function jsonEncode(v: unknown): unknown {
  let unknownInside = false;
  const text = JSON.stringify(v, (_k, x) => {
    if (x === UNKNOWN) unknownInside = true;
    return x;
  });
  return unknownInside || text === undefined ? UNKNOWN : text;
}
