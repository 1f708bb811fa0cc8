/**
 * Splitting Terraform templates into literal text and `${...}` interpolations, for rules that read a
 * template as written (CF-LOG-2's destination) and for the constructs' escaping tests. Evaluation of
 * configuration values lives in ./config-eval and ./hcl-eval.
 */
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
    // A run of characters that cannot start a sequence ("$" or "%") is text as it is.
    let end = i;
    while (end < s.length && s.charCodeAt(end) !== 0x24 && s.charCodeAt(end) !== 0x25) end++;
    if (end > i) {
      text += s.slice(i, end);
      i = end;
      continue;
    }
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
    const j = interpolationEnd(s, i);
    if (j === undefined) return undefined;
    if (text) parts.push(text);
    text = "";
    parts.push({ expr: s.slice(i + 2, j - 1).replace(/^~|~$/g, "") });
    i = j;
  }
  if (text || parts.length === 0) parts.push(text);
  return parts;
}

/**
 * Where the interpolation that opens at `i` (its `${`) ends: the index after its closing `}`, braces
 * nested and strings (with their escapes) skipped; undefined when it never closes.
 */
export function interpolationEnd(s: string, i: number): number | undefined {
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
  return depth === 0 ? j : undefined;
}
