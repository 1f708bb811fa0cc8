/**
 * Where each declaration of a configuration file is, by line: in Terraform JSON text and in HCL text.
 * Apart from the configuration loader so that --repo-root, which locates declarations in a repository's
 * `.tf.json` files, does not load the HCL evaluator.
 */
import type { Mode } from "../model/model";

/**
 * Finds the line of a declaration in the file's text (`module` calls: type and name are the call's
 * name). `deferred`: the text is made only when a line is first asked for (see jsonLineLocator).
 */
export type LineLocator = ((mode: Mode | "module", type: string, name: string) => number | undefined) & { deferred?: true };

/**
 * Line locator for Terraform JSON text: the line of a declaration's name key, the first `"name":`
 * after its `"type":` after the `"resource":` (`"data":`, `"provider":`) key. Searches only move
 * forward: each type remembers where its last name was found, and declarations are asked for in the
 * order the file lists them, so a whole file costs one pass of `indexOf` over it (a search from the
 * type's start is the fallback when a name is not ahead). A key is written `"name":`, so a string
 * value equal to the name (followed by `,`, `}` or `]`) is never taken for it. `source` may be a
 * function that gives the text, called at the first question: a synthesized stack is written out
 * only if a line is asked for.
 */
export function jsonLineLocator(source: string | (() => string)): LineLocator {
  if (typeof source === "string") return locatorIn(source);
  let locate: LineLocator | undefined;
  return Object.assign((mode: Mode | "module", type: string, name: string) => (locate ??= locatorIn(source()))(mode, type, name), { deferred: true as const });
}

function locatorIn(text: string): LineLocator {
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
    if (mode === "provider" || mode === "module") return lineOf(t.start);
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
    const m = /^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"/.exec(l) ?? /^\s*(provider|module)\s+"([^"]+)"/.exec(l);
    if (!m) return;
    const key = m[1] === "provider" || m[1] === "module" ? `${m[1]} ${m[2]}` : `${m[1]} ${m[2]} ${m[3]}`;
    lines.set(key, [...(lines.get(key) ?? []), i + 1]);
  });
  // hcl2json lists repeated declarations in file order; the nth request gets the nth line.
  const asked = new Map<string, number>();
  return (mode, type, name) => {
    const key = mode === "provider" || mode === "module" ? `${mode} ${type}` : `${mode === "managed" ? "resource" : "data"} ${type} ${name}`;
    const n = asked.get(key) ?? 0;
    asked.set(key, n + 1);
    const found = lines.get(key);
    return found?.[Math.min(n, found.length - 1)];
  };
}
