/**
 * A parser for the HCL expression language as it survives into Terraform JSON (`${...}` text, which
 * hcl2json writes for every non-literal attribute): literals, templates, tuples and objects, references
 * with attribute, index and splat steps, function calls, operators, conditionals and `for`
 * expressions. It builds a syntax tree only; {@link ../hcl-eval} evaluates it. Template directives
 * (`%{if}`, `%{for}`) and heredocs inside an expression are not read: they parse as
 * {@link Unsupported}, which evaluates to unknown, never to a guess.
 */

export type Step = { kind: "attr"; name: string } | { kind: "index"; key: Expr } | { kind: "splat" } | { kind: "attrSplat" };

export type Expr =
  | { t: "lit"; value: unknown }
  | { t: "template"; parts: Array<string | Expr> }
  | { t: "tuple"; items: Expr[] }
  | { t: "object"; items: Array<{ key: Expr; value: Expr }> }
  | { t: "ref"; root: string; steps: Step[] }
  | { t: "traverse"; target: Expr; steps: Step[] }
  | { t: "call"; name: string; args: Expr[]; expand: boolean }
  | { t: "unary"; op: "!" | "-"; x: Expr }
  | { t: "binary"; op: string; a: Expr; b: Expr }
  | { t: "cond"; c: Expr; a: Expr; b: Expr }
  | { t: "for"; keyVar?: string; valVar: string; coll: Expr; key?: Expr; value: Expr; cond?: Expr; group: boolean }
  | Unsupported;

/** A construct this reader does not evaluate (a template directive): always unknown. */
export interface Unsupported {
  t: "unsupported";
}

export class HclSyntaxError extends Error {}

/** Deeper expressions are refused: the parser recurses once per level. */
const MAX_EXPRESSION_DEPTH = 256;

/** Parses one expression (the inside of `${...}`). Throws {@link HclSyntaxError}. */
export function parseExpression(src: string): Expr {
  const p = new Parser(src);
  const e = p.expression();
  p.skipSpace(true);
  if (!p.done()) throw new HclSyntaxError(`unexpected text at ${p.pos()}`);
  return e;
}

/**
 * Parses a Terraform JSON string as a template: literal text with `${...}` interpolations (`$${` is
 * a literal `${`). Escapes are already decoded by JSON.
 */
export function parseTemplateString(src: string): Expr {
  const p = new Parser(src);
  return p.template(undefined);
}

const BINARY_PRECEDENCE: Array<readonly string[]> = [["||"], ["&&"], ["==", "!="], [">=", "<=", ">", "<"], ["+", "-"], ["*", "/", "%"]];

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  pos(): number {
    return this.i;
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
        if (end < 0) throw new HclSyntaxError("unclosed comment");
        this.i = end + 2;
      } else return;
    }
  }

  private peek(text: string): boolean {
    return this.s.startsWith(text, this.i);
  }

  private expect(c: string): void {
    this.skipSpace(true);
    if (!this.peek(c)) throw new HclSyntaxError(`expected ${c} at ${this.i}`);
    this.i += c.length;
  }

  expression(): Expr {
    if (++this.depth > MAX_EXPRESSION_DEPTH) throw new HclSyntaxError("expression nested too deeply");
    try {
      this.skipSpace(true);
      const c = this.binary(0);
      this.skipSpace(true);
      if (this.s[this.i] === "?") {
        this.i++;
        const a = this.expression();
        this.expect(":");
        const b = this.expression();
        return { t: "cond", c, a, b };
      }
      return c;
    } finally {
      this.depth--;
    }
  }

  private binary(level: number): Expr {
    if (level >= BINARY_PRECEDENCE.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace(true);
      const op = BINARY_PRECEDENCE[level].find((o) => this.peek(o) && !(o === ">" && this.peek(">=")) && !(o === "<" && this.peek("<=")) && !(o === "=" && this.peek("=>")));
      // `=` alone and `=>` are not operators; `!=` vs `!` is handled by the table order.
      if (!op) return left;
      this.i += op.length;
      const right = this.binary(level + 1);
      left = { t: "binary", op, a: left, b: right };
    }
  }

  private unary(): Expr {
    this.skipSpace(true);
    const c = this.s[this.i];
    if (c === "!" && this.s[this.i + 1] !== "=") {
      this.i++;
      return { t: "unary", op: "!", x: this.unary() };
    }
    if (c === "-" && !/\d/.test(this.s[this.i + 1] ?? "")) {
      this.i++;
      return { t: "unary", op: "-", x: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private primary(): Expr {
    this.skipSpace(true);
    const c = this.s[this.i];
    if (c === "{") return this.braces();
    if (c === "[") return this.brackets();
    if (c === '"') {
      this.i++;
      return this.template('"');
    }
    if (c === "<" && this.peek("<<")) throw new HclSyntaxError("heredoc inside an expression");
    if (c === "(") {
      this.i++;
      const e = this.expression();
      this.expect(")");
      return e;
    }
    if (c !== undefined && /[-\d]/.test(c)) return this.number();
    const name = this.identifier();
    if (name === "true") return { t: "lit", value: true };
    if (name === "false") return { t: "lit", value: false };
    if (name === "null") return { t: "lit", value: null };
    this.skipSpace(false);
    if (this.s[this.i] === "(") return this.call(name);
    return { t: "ref", root: name, steps: [] };
  }

  private identifier(): string {
    const m = /^[A-Za-z_][\w-]*/.exec(this.s.slice(this.i, this.i + 256));
    if (!m) throw new HclSyntaxError(`unexpected character at ${this.i}`);
    this.i += m[0].length;
    // Provider-namespaced functions (`provider::x::f`) read as one name.
    while (this.peek("::")) {
      this.i += 2;
      const n = /^[A-Za-z_][\w-]*/.exec(this.s.slice(this.i, this.i + 256));
      if (!n) throw new HclSyntaxError(`bad function name at ${this.i}`);
      this.i += n[0].length;
    }
    return m[0];
  }

  private call(name: string): Expr {
    this.i++;
    const args: Expr[] = [];
    let expand = false;
    for (;;) {
      this.skipSpace(true);
      if (this.s[this.i] === ")") {
        this.i++;
        return { t: "call", name, args, expand };
      }
      args.push(this.expression());
      this.skipSpace(true);
      if (this.peek("...")) {
        this.i += 3;
        expand = true;
        this.skipSpace(true);
      }
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== ")") throw new HclSyntaxError(`expected , or ) at ${this.i}`);
    }
  }

  /** Attribute, index and splat steps after a primary expression. */
  private postfix(target: Expr): Expr {
    const steps: Step[] = [];
    for (;;) {
      // Steps may not start a new line, but `[` after a newline would be a new tuple only at top level.
      this.skipSpace(false);
      if (this.peek(".*")) {
        this.i += 2;
        steps.push({ kind: "attrSplat" });
      } else if (this.s[this.i] === "." && /[A-Za-z_]/.test(this.s[this.i + 1] ?? "")) {
        this.i++;
        steps.push({ kind: "attr", name: this.identifier() });
      } else if (this.s[this.i] === "." && /\d/.test(this.s[this.i + 1] ?? "")) {
        // Legacy index syntax: `list.0`.
        this.i++;
        const m = /^\d+/.exec(this.s.slice(this.i))!;
        this.i += m[0].length;
        steps.push({ kind: "index", key: { t: "lit", value: Number(m[0]) } });
      } else if (this.s[this.i] === "[") {
        this.i++;
        this.skipSpace(true);
        if (this.s[this.i] === "*") {
          this.i++;
          this.expect("]");
          steps.push({ kind: "splat" });
        } else {
          const key = this.expression();
          this.expect("]");
          steps.push({ kind: "index", key });
        }
      } else break;
    }
    if (steps.length === 0) return target;
    if (target.t === "ref" && target.steps.length === 0) return { t: "ref", root: target.root, steps };
    return { t: "traverse", target, steps };
  }

  private number(): Expr {
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) throw new HclSyntaxError(`bad number at ${this.i}`);
    this.i += m[0].length;
    return { t: "lit", value: Number(m[0]) };
  }

  private isForKeyword(): boolean {
    // `for` starts a for expression only when a variable name follows (`{ for = 1 }` is an object).
    return /^for\s+[A-Za-z_]/.test(this.s.slice(this.i, this.i + 64));
  }

  private brackets(): Expr {
    this.i++;
    this.skipSpace(true);
    if (this.isForKeyword()) return this.forExpr("]");
    const items: Expr[] = [];
    for (;;) {
      this.skipSpace(true);
      if (this.s[this.i] === "]") {
        this.i++;
        return { t: "tuple", items };
      }
      items.push(this.expression());
      this.skipSpace(true);
      if (this.s[this.i] === ",") this.i++;
      else if (this.s[this.i] !== "]") throw new HclSyntaxError(`expected , or ] at ${this.i}`);
    }
  }

  private braces(): Expr {
    this.i++;
    this.skipSpace(true);
    if (this.isForKeyword()) return this.forExpr("}");
    const items: Array<{ key: Expr; value: Expr }> = [];
    for (;;) {
      this.skipSpace(true);
      if (this.s[this.i] === "}") {
        this.i++;
        return { t: "object", items };
      }
      let key: Expr;
      const bare = /^[A-Za-z_][\w-]*\s*(=(?![=>])|:)/.exec(this.s.slice(this.i, this.i + 300));
      if (bare) {
        // A bare name before `=` or `:` is the key itself, not a reference.
        const name = /^[A-Za-z_][\w-]*/.exec(bare[0])![0];
        this.i += name.length;
        key = { t: "lit", value: name };
      } else key = this.expression();
      this.skipSpace(false);
      const sep = this.s[this.i];
      if (sep !== "=" && sep !== ":") throw new HclSyntaxError(`expected = or : at ${this.i}`);
      this.i++;
      const value = this.expression();
      items.push({ key, value });
      this.skipSpace(false);
      if (this.s[this.i] === ",") this.i++;
      this.skipSpace(true);
    }
  }

  private forExpr(close: "]" | "}"): Expr {
    this.i += 3;
    this.skipSpace(true);
    const first = this.identifier();
    this.skipSpace(true);
    let keyVar: string | undefined;
    let valVar = first;
    if (this.s[this.i] === ",") {
      this.i++;
      this.skipSpace(true);
      keyVar = first;
      valVar = this.identifier();
      this.skipSpace(true);
    }
    if (!this.peek("in")) throw new HclSyntaxError(`expected in at ${this.i}`);
    this.i += 2;
    const coll = this.expression();
    this.expect(":");
    let key: Expr | undefined;
    let value = this.expression();
    let group = false;
    if (close === "}") {
      this.expect("=>");
      key = value;
      value = this.expression();
      this.skipSpace(true);
      if (this.peek("...")) {
        this.i += 3;
        group = true;
      }
    }
    this.skipSpace(true);
    let cond: Expr | undefined;
    if (/^if\s/.test(this.s.slice(this.i, this.i + 3))) {
      this.i += 2;
      cond = this.expression();
    }
    this.expect(close);
    return { t: "for", keyVar, valVar, coll, key, value, cond, group };
  }

  /**
   * A template up to `close` (`"` for a quoted string, undefined for a whole Terraform JSON string).
   * Inside quotes, escapes are decoded here.
   */
  template(close: '"' | undefined): Expr {
    const parts: Array<string | Expr> = [];
    let text = "";
    for (;;) {
      if (this.i >= this.s.length) {
        if (close) throw new HclSyntaxError("unclosed string");
        break;
      }
      const c = this.s[this.i];
      if (close && c === close) {
        this.i++;
        break;
      }
      if ((c === "$" || c === "%") && this.s[this.i + 1] === c && this.s[this.i + 2] === "{") {
        text += `${c}{`;
        this.i += 3;
        continue;
      }
      if (c === "%" && this.s[this.i + 1] === "{") {
        // A template directive: skip to the end of the template and read it as unsupported.
        if (!close) return { t: "unsupported" };
        this.skipQuoted();
        return { t: "unsupported" };
      }
      if (c === "$" && this.s[this.i + 1] === "{") {
        this.i += 2;
        if (this.s[this.i] === "~") this.i++;
        if (text) parts.push(text);
        text = "";
        parts.push(this.expression());
        this.skipSpace(true);
        if (this.s[this.i] === "~") this.i++;
        this.expect("}");
        continue;
      }
      if (close && c === "\\") {
        const n = this.s[this.i + 1];
        if (n === "u" || n === "U") {
          const len = n === "u" ? 4 : 8;
          const hex = this.s.slice(this.i + 2, this.i + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new HclSyntaxError("bad unicode escape");
          text += String.fromCodePoint(parseInt(hex, 16));
          this.i += 2 + len;
          continue;
        }
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (map[n] === undefined) throw new HclSyntaxError("bad escape");
        text += map[n];
        this.i += 2;
        continue;
      }
      text += c;
      this.i++;
    }
    if (text || parts.length === 0) parts.push(text);
    if (parts.length === 1 && typeof parts[0] === "string") return { t: "lit", value: parts[0] };
    return { t: "template", parts };
  }

  /** Skips the rest of a quoted string whose content is not read. */
  private skipQuoted(): void {
    let depth = 0;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === "\\") this.i += 2;
      else if (c === "{") depth++, this.i++;
      else if (c === "}") depth--, this.i++;
      else if (c === '"' && depth === 0) {
        this.i++;
        return;
      } else this.i++;
    }
    throw new HclSyntaxError("unclosed string");
  }
}
