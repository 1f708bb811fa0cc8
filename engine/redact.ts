/**
 * Redaction by construction: every string that is sensitive in the model is collected once, and every
 * report passes through {@link Redactor.deep} before it is written, so no format can print one.
 * A value is sensitive when a plan or state marks it (`*_sensitive`), when the provider schema marks
 * the attribute sensitive, when a root variable is declared sensitive, or when it looks like a credential.
 */
import { isUnknown, normPath, type Resource } from "./model";

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
  for (const p of SCHEMA_SENSITIVE[r.kind] ?? []) r.sensitive.add(p);
}

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
  if (name !== undefined && CREDENTIAL_NAME.test(name) && value.length >= 8) return true;
  if (UUID.test(value) || CLOUDFLARE_ID.test(value)) return false;
  return value.length >= 24 && !/\s/.test(value) && /[A-Za-z]/.test(value) && /\d/.test(value) && !/[/.:].*[/.:]/.test(value);
}

/**
 * A copy of a value read from a resource with every credential-shaped string replaced by
 * `(sensitive)`: header lists (`{ key: "Authorization", value: … }`) and credential-named keys
 * included. `name` is the attribute's last path segment.
 */
export function redactCredentials(value: unknown, name?: string): unknown {
  if (typeof value === "string") return credentialShaped(value, name) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redactCredentials(v, name));
  if (value !== null && typeof value === "object" && !isUnknown(value)) {
    const o = value as Record<string, unknown>;
    // A header or parameter pair names its own secret: { key|name|header: "Authorization", value: "…" }.
    const pairName = [o.key, o.name, o.header].find((k): k is string => typeof k === "string");
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = redactCredentials(v, k === "value" && pairName !== undefined ? pairName : k);
    return out;
  }
  return value;
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

export class Redactor {
  private readonly secrets = new Set<string>();
  /** The matcher over every secret, rebuilt on first use after a secret is added. */
  private matcher: SecretMatcher | undefined;

  /** Adds one secret string (ignored when too short to be told apart from ordinary words). */
  add(value: unknown): void {
    if (typeof value === "string" && value.length >= MIN_SECRET_LENGTH && value !== REDACTED && !COMMON_WORDS.test(value)) {
      if (!this.secrets.has(value)) this.matcher = undefined;
      this.secrets.add(value);
    }
    else if (typeof value === "number" || typeof value === "boolean") return;
    else if (Array.isArray(value)) value.forEach((v) => this.add(v));
    else if (value !== null && typeof value === "object" && !isUnknown(value)) Object.values(value).forEach((v) => this.add(v));
  }

  /** Collects every sensitive value of the resources. */
  addResources(resources: readonly Resource[]): this {
    for (const r of resources) {
      if (r.sensitive.size > 0) collect(r.values, "", r.sensitive, (v) => this.add(v));
      if (r.raw && r.sensitive.size > 0) collect(r.raw, "", r.sensitive, (v) => this.add(v));
      const conf = r.values["destination_conf"];
      if (typeof conf === "string") {
        for (const m of conf.matchAll(DESTINATION_SECRETS)) {
          this.add(m[1]);
          this.add(decodeSafe(m[1]));
        }
      }
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
    return this.matcher.replace(s, REDACTED);
  }

  /** A deep copy of `v` with every string redacted. */
  deep<T>(v: T): T {
    if (typeof v === "string") return this.text(v) as T;
    if (Array.isArray(v)) return v.map((x) => this.deep(x)) as T;
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.deep(x);
      return out as T;
    }
    return v;
  }
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
  if (path !== "" && sensitive.has(normPath(path))) {
    found(v);
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => collect(x, path === "" ? String(i) : `${path}.${i}`, sensitive, found));
  else if (v !== null && typeof v === "object" && !isUnknown(v)) {
    for (const [k, x] of Object.entries(v)) collect(x, path === "" ? k : `${path}.${k}`, sensitive, found);
  }
}
