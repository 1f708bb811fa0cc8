/**
 * Literal text in Terraform JSON. Terraform reads `${` in any string of the configuration as the start
 * of an interpolation and `%{` as the start of a directive, so text that Cloudflare itself interprets
 * (WARP's `${serial_number}` in a certificate common name, a JSONata expression, a Logpush record
 * template) must reach Terraform escaped as `$${` and `%%{`, which Terraform turns back into `${` and
 * `%{` before the provider sees them. Tokens (variables, references, `Fn` calls) are left alone: their
 * `${...}` is Terraform's own.
 */
import { Token } from "cdktf";

/** A cdktf string token inside a string: `${TfToken[TOKEN.12]}`. */
const STRING_TOKEN = /(\$\{TfToken\[[^\]]*\]\})/;

const escape = (s: string): string => s.replace(/([$%])\{/g, (_m, c: string) => `${c}${c}{`);

/**
 * `text` with every literal `${` written as `$${` and every `%{` as `%%{`, so Terraform passes it to
 * the provider as written. A token is returned unchanged; in a string that mixes tokens and literal
 * text, only the literal parts are escaped.
 */
export function terraformLiteral(text: string): string;
export function terraformLiteral(text: string | undefined): string | undefined;
export function terraformLiteral(text: string | undefined): string | undefined {
  if (text === undefined || typeof text !== "string") return text;
  if (!Token.isUnresolved(text)) return escape(text);
  return text
    .split(STRING_TOKEN)
    .map((part, i) => (i % 2 === 1 ? part : escape(part)))
    .join("");
}

/** `terraformLiteral` of each item; a list token is returned unchanged. */
export function terraformLiterals(list: string[] | undefined): string[] | undefined {
  if (list === undefined || Token.isUnresolved(list)) return list;
  return list.map((s) => terraformLiteral(s));
}
