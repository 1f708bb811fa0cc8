import type { Resource } from "../../engine/model/model";
import { ownValue } from "../../engine/model/own";
import { isUnknown, normPath, pathIn } from "../../engine/model/model";
import { asList, walk } from "../../engine/model/view";
import { looksLikeCredential } from "../../engine/evaluate/redact";
import { defineRule, fail, notApplicable, pass, unknown } from "../rule";

/** Attributes that hold a secret, per resource kind (provider blocks are `provider.<name>`). */
const SECRET_PATHS: Readonly<Record<string, readonly string[]>> = {
  okta_log_stream: ["settings.token"],
  okta_event_hook: ["auth.value"],
  cloudflare_zero_trust_access_identity_provider: ["config.client_secret"],
  "provider.okta": ["api_token", "private_key", "client_secret"],
  "provider.cloudflare": ["api_token", "api_key"],
};
const PROVIDER_SECRET_KEYS = ["api_token", "api_key", "private_key", "client_secret"];
export const DESTINATION_SECRET_PARAMS = /(?:^|[?&])(header_Authorization|header_DD-API-KEY|secret-access-key|sig)=([^&]*)/gi;

/** Paths of `r` whose value would be a secret written into the code. */
function literalSecrets(r: Resource): string[] {
  const literal = r.literal ?? new Set<string>();
  const found: string[] = [];
  const paths = r.mode === "provider" ? PROVIDER_SECRET_KEYS : ((ownValue(SECRET_PATHS, r.kind) as readonly string[] | undefined) ?? []);
  for (const p of paths) if (isLiteralString(r, p, literal)) found.push(p);
  if (r.kind === "okta_event_hook") {
    const headers = asList(walk(r.values, "headers")) ?? [];
    headers.forEach((h, i) => {
      const key = walk(h, "key");
      const value = walk(h, "value");
      // pathIn: the headers may be written as a whole (a local's list) or entry by entry (a dynamic block).
      if (typeof value === "string" && pathIn(literal, "headers.value") && looksLikeCredential(value, typeof key === "string" ? key : undefined)) found.push(`headers.${i}.value`);
    });
  }
  if (r.kind === "cloudflare_logpush_job") {
    const raw = walk(r.raw ?? r.values, "destination_conf");
    if (typeof raw === "string") {
      for (const m of raw.matchAll(DESTINATION_SECRET_PARAMS)) {
        // A plan (no `raw`) holds the value with `${...}` already resolved: only the configuration's
        // constant_value (`literal`) says it was written into the code, not passed in through a variable.
        const written = r.raw === undefined ? literal.has("destination_conf") : !m[2].includes("${") || literal.has("destination_conf");
        if (m[2] !== "" && written) {
          found.push(`destination_conf (${m[1]})`);
        }
      }
    }
  }
  return found;
}

/** Secret attributes that hold a value at all. */
function heldSecrets(r: Resource): string[] {
  const paths = r.mode === "provider" ? PROVIDER_SECRET_KEYS : ((ownValue(SECRET_PATHS, r.kind) as readonly string[] | undefined) ?? []);
  const held = paths.filter((p) => {
    const v = walk(r.values, p);
    return typeof v === "string" && v !== "";
  });
  const conf = walk(r.values, "destination_conf");
  if (typeof conf === "string" && [...conf.matchAll(DESTINATION_SECRET_PARAMS)].length > 0) held.push("destination_conf");
  return held;
}

function isLiteralString(r: Resource, path: string, literal: ReadonlySet<string>): boolean {
  const v = walk(r.values, path);
  return ((typeof v === "string" && v !== "") || isUnknown(v)) && pathIn(literal, normPath(path));
}

export const noSecretsInCode = defineRule({
  id: "SECRET-1",
  kind: "resource",
  severity: "error",
  title: "No secret is written into the code",
  rationale:
    "The 2023 Okta support breach started with credentials left where they should not be (session tokens in uploaded files). A token in the code lives in every clone, CI log and state file; it must come from a variable, a data source or a secret store.",
  references: ["CWE-798 (hard-coded credentials)", "Terraform: sensitive input variables"],
  passes:
    "these attributes are not literal strings (they must come from a variable, a data source or a secret store): `okta_log_stream.settings.token`; `okta_event_hook.auth.value` and `headers[].value` that look like credentials; `cloudflare_zero_trust_access_identity_provider.config.client_secret`; provider blocks' `api_token`, `api_key`, `private_key`, `client_secret`; a `cloudflare_logpush_job.destination_conf` that carries `header_Authorization=`, `header_DD-API-KEY=`, `secret-access-key=` or `sig=` with a literal value",
  provider: "any",
  resourceTypes: [...Object.keys(SECRET_PATHS), "cloudflare_logpush_job"],
  reads: ["settings.token", "auth.value", "headers", "config.client_secret", "destination_conf"],
  evaluate(r) {
    if (r.origin === "state") return notApplicable("a state holds no code");
    if (r.literal === undefined) {
      // A plan without its `configuration` section: the values are there, how they were written is not.
      const held = heldSecrets(r);
      return held.length === 0 ? pass() : unknown(held[0], `the plan has no configuration section, so whether ${held.join(", ")} is written into the code cannot be known`);
    }
    const found = literalSecrets(r);
    if (found.length === 0) return pass();
    return fail(found[0].split(" ")[0], "(sensitive)", `a secret is written into the code at ${found.join(", ")}; pass it in through a sensitive variable or a secret store`);
  },
});
