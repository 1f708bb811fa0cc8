/**
 * Redaction by construction: every string that is sensitive in the model is collected once, and every
 * report passes through {@link Redactor.deep} before it is written, so no format can print one.
 * A value is sensitive when a plan or state marks it (`*_sensitive`), when the provider schema marks
 * the attribute sensitive, when a root variable is declared sensitive, or when it looks like a credential.
 */
import { isUnknown, normPath, type Resource } from "../model/model";
import { ownValue, setOwn } from "../model/own";

export const REDACTED = "(sensitive)";

/** Attributes the provider schemas mark sensitive, by canonical kind (list indexes left out). */
const SCHEMA_SENSITIVE: Readonly<Record<string, readonly string[]>> = {
  okta_log_stream: ["settings.token"],
  okta_authenticator: ["provider_secret_key", "provider_shared_secret"],
  okta_event_hook: ["auth.value"],
  okta_app_oauth: ["client_secret"],
  okta_idp_oidc: ["client_secret"],
  cloudflare_zero_trust_access_identity_provider: ["config.client_secret"],
  cloudflare_logpush_job: ["ownership_challenge"],
  cloudflare_zero_trust_access_service_token: ["client_secret"],
  cloudflare_zero_trust_access_application: ["scim_config.authentication.password", "scim_config.authentication.token", "scim_config.authentication.client_secret"],
  "provider.okta": ["api_token", "private_key", "client_secret", "access_token"],
  "provider.cloudflare": ["api_token", "api_key", "api_user_service_key"],
};

export function markSchemaSensitive(r: Resource): void {
  for (const p of schemaSensitive(r.kind)) r.sensitive.add(p);
}

/**
 * `sensitive` with the paths the provider's schema marks sensitive for `kind` added: a copy when the
 * schema has any (`sensitive` is left as it is), else `sensitive` itself.
 */
export function withSchemaSensitive(kind: string, sensitive: ReadonlySet<string>): Set<string> {
  const paths = schemaSensitive(kind);
  if (paths.length === 0) return sensitive as Set<string>;
  const out = new Set(sensitive);
  for (const p of paths) out.add(p);
  return out;
}

/** The paths the provider's schema marks sensitive for resources of `kind`. */
const schemaSensitive = (kind: string): readonly string[] => (ownValue(SCHEMA_SENSITIVE, kind) as readonly string[] | undefined) ?? [];

const CREDENTIAL_KEY = /auth|token|secret|key|password|passwd|signature|cookie|credential/i;
const CREDENTIAL_VALUE = /^(bearer|basic|splunk|token|ssws)\s+\S+/i;

/** Whether a string looks like a credential: by its header name, its scheme, or its shape. */
export function looksLikeCredential(value: string, key?: string): boolean {
  if (key !== undefined && CREDENTIAL_KEY.test(key) && value.length >= 8) return true;
  if (CREDENTIAL_VALUE.test(value)) return true;
  // Long, mixed letters-and-digits tokens (API keys, HEC tokens, SAS signatures).
  return value.length >= 24 && !/\s/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value) && !/[/.:]{1}.*[/.:]/.test(value);
}

/** Names of keys, headers and attributes whose values are credentials. */
const CREDENTIAL_NAME = /(^|[^a-z])(authorization|auth_?value|token|secret|password|passwd|credentials?|api[-_]?key|private[-_]?key|signature|cookie|x-api-key|dd-api-key)$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cloudflare object ids: 32 lowercase hex digits; ids, not secrets. */
const CLOUDFLARE_ID = /^[0-9a-f]{32}$/;

/**
 * Whether a string that no plan or schema marked sensitive still looks like a credential: an
 * authorization scheme (`Bearer …`, `SSWS …`), a value under a credential-named key, or a long
 * letters-and-digits token. Ids (UUIDs, Cloudflare's hex ids) are not taken for tokens, so drift in
 * a policy list stays readable.
 */
export function credentialShaped(value: string, name?: string): boolean {
  if (CREDENTIAL_VALUE.test(value)) return true;
  if (name !== undefined && (CREDENTIAL_NAME.test(name) || secretName(name)) && value.length >= 8) return true;
  if (UUID.test(value) || CLOUDFLARE_ID.test(value)) return false;
  return value.length >= 24 && !/\s/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value) && !/[/.:].*[/.:]/.test(value);
}

/**
 * A copy of a value read from a resource with every credential replaced by `(sensitive)`: by shape
 * (credential-shaped strings), by name (credential-named keys, header pairs that name one), and by
 * position, whatever the value looks like: every header value, every URL query value and the path
 * token after a known collector prefix, and every secret-named key inside a JSON-string attribute
 * (Okta `settings`). `name` is the attribute's last path segment.
 */
export function redactCredentials(value: unknown, name?: string, inHeaders = false): unknown {
  if (typeof value === "string") {
    if (credentialShaped(value, name)) return REDACTED;
    const inJson = redactJsonString(value);
    return inJson ?? redactUrl(value);
  }
  if (Array.isArray(value)) return value.map((v) => redactCredentials(v, name, inHeaders));
  if (value !== null && typeof value === "object" && !isUnknown(value)) {
    const o = value as Record<string, unknown>;
    // A header or parameter pair names its own secret: { key|name|header: "Authorization", value: "…" }.
    const pairName = [o.key, o.name, o.header].find((k): k is string => typeof k === "string");
    const headers = inHeaders || (name !== undefined && HEADERS.test(name));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (headers && k === "value" && pairName !== undefined && typeof v === "string" && v !== "") setOwn(out, k, REDACTED);
      else setOwn(out, k, redactCredentials(v, k === "value" && pairName !== undefined ? pairName : k, HEADERS.test(k)));
    }
    return out;
  }
  return value;
}

/**
 * Attribute names that hold HTTP headers: every value in them is a credential by position. Neither
 * provider marks these sensitive: okta_event_hook `headers` is a set of { key, value } with plain
 * strings (okta/resource_okta_event_hook.go:34-38 and okta/resource_okta_inline_hook.go:13-24 @v4.20.0),
 * and cloudflare_logpush_job `destination_conf`, which carries `header_*` and token query values, is a
 * plain required string (internal/services/logpush_job/schema.go:88-91 @v5.14.0).
 */
const HEADERS = /(^|_)headers?$/i;

const SECRET_WORDS = /secret|token|password|passwd|passphrase|credential|apikey|privatekey|accesskey|signature|cookie|authorization|functionskey|sharedkey|clientkey/;

/**
 * Whether a key names a secret, in any case style (`secretKey`, `shared_secret`, `X-Api-Key`); `key`
 * alone does not (an Okta authenticator's `key` is its type).
 */
export function secretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_WORDS.test(n) || ["sig", "sas", "code", "auth"].includes(n);
}

/** A JSON-string attribute with its secret-named values redacted; undefined when it is not JSON or has none. */
function redactJsonString(s: string): string | undefined {
  const t = s.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    return undefined;
  }
  let changed = false;
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string" && key !== undefined && secretName(key) && v !== "") {
      changed = true;
      return REDACTED;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) setOwn(out, k, walk(x, k));
      return out;
    }
    return v;
  };
  const redacted = walk(parsed);
  return changed ? JSON.stringify(redacted) : undefined;
}

/** A URL-like string with every query value and collector path token redacted (the string itself when it has none). */
function redactUrl(s: string): string {
  let out = s;
  for (const secret of urlSecrets(s)) out = out.split(secret).join(REDACTED);
  return out;
}

/**
 * Path prefixes after which a collector URL carries its credential (Sumo Logic HTTP sources:
 * `https://endpoint….sumologic.com/receiver/v1/http/<token>`; Slack incoming webhooks).
 */
const COLLECTOR_PATH_TOKEN = /(?:\/receiver\/v1\/(?:http|otlp)\/|hooks\.slack\.com\/services\/)([^?#\s]+)/gi;

/** The credentials a URL-like string carries by position: every query value, and collector path tokens. */
export function urlSecrets(s: string): string[] {
  // Only a string with a scheme (`…://`) carries them: the cheap test spares most strings the pattern.
  if (!s.includes("://") || !/^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim())) return [];
  const out: string[] = [];
  const q = s.indexOf("?");
  if (q >= 0) {
    for (const pair of s.slice(q + 1).split("#")[0].split("&")) {
      const eq = pair.indexOf("=");
      const v = eq >= 0 ? pair.slice(eq + 1) : "";
      if (v !== "") out.push(v);
    }
  }
  for (const m of s.matchAll(COLLECTOR_PATH_TOKEN)) out.push(m[1]);
  return out;
}

/** Credential-shaped parts of a Logpush destination_conf (query secrets). */
const DESTINATION_SECRETS = /(?:^|[?&])(?:header_[^=&]+|secret-access-key|access-key-id|sig|sas|password|token|api[-_]?key)=([^&]+)/gi;

/**
 * Strings shorter than this, or words every report is full of, are not replaced inside prose (the
 * structured fields that hold a sensitive value are replaced whatever it is): replacing "true" or "24h"
 * everywhere would garble every message and protect nothing.
 */
const MIN_SECRET_LENGTH = 6;
const COMMON_WORDS = /^(true|false|null|active|inactive|required|optional|enabled|disabled)$/i;

/** Strings up to this length are remembered once redacted: a report repeats them (rule ids, addresses, file names) thousands of times. */
const MEMO_MAX_LENGTH = 256;

export class Redactor {
  private readonly secrets = new Set<string>();
  /** The matcher over every secret, rebuilt on first use after a secret is added. */
  private matcher: SecretMatcher | undefined;
  /** Short strings already redacted by the current matcher, cleared with it. */
  private readonly memo = new Map<string, string>();

  /** Adds one secret string (ignored when too short to be told apart from ordinary words). */
  add(value: unknown): void {
    if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH && value !== REDACTED && !COMMON_WORDS.test(value)) {
      if (!this.secrets.has(value)) {
        this.matcher = undefined;
        this.memo.clear();
      }
      this.secrets.add(value);
    }
    else if (typeof value === "number" || typeof value === "boolean") return;
    else if (Array.isArray(value)) value.forEach((v) => this.add(v));
    else if (value !== null && typeof value === "object" && !isUnknown(value)) Object.values(value).forEach((v) => this.add(v));
  }

  /** Collects every sensitive value of the resources. */
  addResources(resources: readonly Resource[]): this {
    const add = (v: unknown): void => this.add(v);
    const addWithDecoded = (v: string): void => {
      this.add(v);
      this.add(decodeSafe(v));
    };
    for (const r of resources) {
      // A conditional's branches (variants) hold values that `values` leaves unknown.
      const all = r.variants ? [r.values, ...r.variants] : [r.values];
      for (const values of all) {
        if (r.sensitive.size > 0) collect(values, "", r.sensitive, add);
        const conf = values["destination_conf"];
        if (typeof conf === "string") for (const m of conf.matchAll(DESTINATION_SECRETS)) addWithDecoded(m[1]);
      }
      if (r.raw && r.sensitive.size > 0) collect(r.raw, "", r.sensitive, add);
      for (const values of all) positionalSecrets(values, undefined, false, 0, addWithDecoded);
    }
    return this;
  }

  /**
   * The string with every known secret replaced by `(sensitive)`: one pass over the string whatever
   * the number of secrets. Overlapping occurrences (one secret running into another) are replaced as
   * one, so no part of either shows.
   */
  text(s: string): string {
    if (this.secrets.size === 0) return s;
    this.matcher ??= new SecretMatcher(this.secrets);
    if (s.length > MEMO_MAX_LENGTH) return this.matcher.replace(s, REDACTED);
    let out = this.memo.get(s);
    if (out === undefined) {
      out = this.matcher.replace(s, REDACTED);
      this.memo.set(s, out);
    }
    return out;
  }

  /** A deep copy of `v` with every string redacted. */
  deep<T>(v: T): T {
    if (typeof v === "string") return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.deep(x)) as T;
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) setOwn(out, k, this.deep(o[k]));
      return out as T;
    }
    return v;
  }
}

/**
 * Calls `found` with every value that is a credential by position (see {@link redactCredentials}):
 * header values, URL query values and collector path tokens, secret-named values inside JSON strings.
 */
function positionalSecrets(v: unknown, name: string | undefined, inHeaders: boolean, depth: number, found: (s: string) => void): void {
  if (depth > 64) return;
  if (typeof v === "string") {
    for (const u of urlSecrets(v)) found(u);
    const t = v.trimStart();
    if ((t.startsWith("{") || t.startsWith("[")) && v.length < 1_000_000) {
      try {
        jsonSecrets(JSON.parse(v), undefined, 0, found);
      } catch {
        // not JSON: nothing inside to find
      }
    }
    return;
  }
  if (Array.isArray(v)) for (const x of v) positionalSecrets(x, name, inHeaders, depth + 1, found);
  else if (v !== null && typeof v === "object" && !isUnknown(v)) {
    const o = v as Record<string, unknown>;
    const headers = inHeaders || (name !== undefined && HEADERS.test(name));
    const pairName = typeof o.key === "string" || typeof o.name === "string" || typeof o.header === "string";
    for (const k of Object.keys(o)) {
      const x = o[k];
      if (headers && pairName && k === "value" && typeof x === "string") found(x);
      else positionalSecrets(x, k, HEADERS.test(k), depth + 1, found);
    }
  }
}

function jsonSecrets(v: unknown, key: string | undefined, depth: number, found: (s: string) => void): void {
  if (depth > 64) return;
  if (typeof v === "string") {
    if (key !== undefined && secretName(key)) found(v);
    for (const u of urlSecrets(v)) found(u);
  } else if (Array.isArray(v)) v.forEach((x) => jsonSecrets(x, key, depth + 1, found));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) jsonSecrets(x, k, depth + 1, found);
}

/**
 * Aho-Corasick over UTF-16 code units: finds every occurrence of every pattern in one pass over the
 * text, so redacting a report costs its length, not its length times the number of secrets.
 */
class SecretMatcher {
  /** Per state: transitions by code unit. */
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Per state: the length of the longest pattern that ends here (its own or through fail links); 0 when none. */
  private readonly longest: number[] = [0];

  constructor(patterns: Iterable<string>) {
    for (const p of patterns) {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let t = this.next[s].get(c);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.longest.push(0);
          this.next[s].set(c, t);
        }
        s = t;
      }
      this.longest[s] = Math.max(this.longest[s], p.length);
    }
    // Breadth-first: a state's fail link is settled before its children's.
    const queue: number[] = [...this.next[0].values()];
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      for (const [c, t] of this.next[s]) {
        let f = this.fail[s];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const g = this.next[f].get(c);
        this.fail[t] = g !== undefined && g !== t ? g : 0;
        this.longest[t] = Math.max(this.longest[t], this.longest[this.fail[t]]);
        queue.push(t);
      }
    }
  }

  /** `text` with each maximal run of overlapping occurrences replaced by `by`. */
  replace(text: string, by: string): string {
    let out = "";
    let copied = 0;
    let runStart = -1;
    let runEnd = -1;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = this.next[s].get(c);
      while (t === undefined && s !== 0) {
        s = this.fail[s];
        t = this.next[s].get(c);
      }
      s = t ?? 0;
      const len = this.longest[s];
      if (len === 0) continue;
      const start = i + 1 - len;
      if (runEnd >= 0 && start < runEnd) {
        runStart = Math.min(runStart, start);
        runEnd = i + 1;
        continue;
      }
      if (runEnd >= 0) {
        out += text.slice(copied, runStart) + by;
        copied = runEnd;
      }
      runStart = Math.max(start, copied);
      runEnd = i + 1;
    }
    if (runEnd < 0) return text;
    return out + text.slice(copied, runStart) + by + text.slice(runEnd);
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Calls `found` with every value whose path (indexes left out) is in `sensitive` or below one. */
function collect(v: unknown, path: string, sensitive: ReadonlySet<string>, found: (v: unknown) => void): void {
  if (sensitive.has(normPath(path))) {
    found(v);
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => collect(x, path === "" ? String(i) : `${path}.${i}`, sensitive, found));
  else if (v !== null && typeof v === "object" && !isUnknown(v)) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) collect(o[k], path === "" ? k : `${path}.${k}`, sensitive, found);
  }
}
