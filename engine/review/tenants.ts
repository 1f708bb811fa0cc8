/**
 * Which Okta org and which Cloudflare account each plan targets, so that scope rules ("is WebAuthn
 * active?", "does a log stream reach a SIEM?") judge several plans together only when they configure
 * one tenant: a dev org's WebAuthn must not satisfy the prod org's control.
 *
 * A plan says its Okta org through its provider configuration (`org_name` and `base_url`, written as
 * constants or as root variables whose values the plan records), its Cloudflare account through the
 * `account_id` of its resources. A plan that says nothing (credentials from the environment) joins the
 * one scope when every plan that says agrees, and a notice says so; when the plans name different
 * tenants, each tenant is its own scope, and plans that do not say form one more.
 */
import { isObj } from "../load/load-plan";
import type { Notice } from "../evaluate/evaluate";

type Json = Record<string, unknown>;

/** The plans (by path) whose resources scope rules of one provider judge together, and what to call them. */
export interface TenantGroup {
  units: ReadonlySet<string>;
  /** `Okta org acme`, `Cloudflare account 5f4d…`, or `Okta org not stated`. */
  label: string;
}

/** Scope groups per provider; a provider without an entry has one scope of every plan. */
export type TenantGroups = ReadonlyMap<"okta" | "cloudflare", readonly TenantGroup[]>;

interface PlanInput {
  path: string;
  doc: Json;
}

/** A root variable's or a constant's string value, for an expression of the plan's configuration. */
function stringOf(expr: unknown, variables: Json): string | undefined {
  if (!isObj(expr)) return undefined;
  if (typeof expr.constant_value === "string") return expr.constant_value;
  const refs = Array.isArray(expr.references) ? expr.references : [];
  const m = refs.length === 1 && typeof refs[0] === "string" ? /^var\.([A-Za-z_][\w-]*)$/.exec(refs[0]) : null;
  const v = m ? variables[m[1]] : undefined;
  return isObj(v) && typeof v.value === "string" ? v.value : undefined;
}

/** The Okta org of a plan (`org_name`, `org_name.base_url` when it sets base_url), undefined when it does not say or configures several. */
export function oktaOrgOf(doc: Json): string | undefined {
  const config = isObj(doc.configuration) && isObj(doc.configuration.provider_config) ? doc.configuration.provider_config : {};
  const variables = isObj(doc.variables) ? doc.variables : {};
  const orgs = new Set<string | undefined>();
  for (const p of Object.values(config)) {
    if (!isObj(p) || p.name !== "okta") continue;
    const e = isObj(p.expressions) ? p.expressions : {};
    // Unset, org_name and base_url come from OKTA_ORG_NAME and OKTA_BASE_URL (okta/config.go:94-108@v4.20.0):
    // an org without base_url is named by org_name alone.
    const org = stringOf(e.org_name, variables);
    const base = e.base_url === undefined ? "" : stringOf(e.base_url, variables);
    orgs.add(org !== undefined && base !== undefined ? (base === "" ? org : `${org}.${base}`) : undefined);
  }
  return orgs.size === 1 ? [...orgs][0] : undefined;
}

/** The Cloudflare account of a plan: the one `account_id` its resources name, else undefined. */
export function cloudflareAccountOf(doc: Json): string | undefined {
  const accounts = new Set<string>();
  for (const rc of Array.isArray(doc.resource_changes) ? doc.resource_changes : []) {
    if (!isObj(rc) || typeof rc.type !== "string" || !rc.type.startsWith("cloudflare_") || !isObj(rc.change)) continue;
    for (const side of [rc.change.before, rc.change.after]) if (isObj(side) && typeof side.account_id === "string" && side.account_id !== "") accounts.add(side.account_id);
  }
  return accounts.size === 1 ? [...accounts][0] : undefined;
}

const NAMES = { okta: "Okta org", cloudflare: "Cloudflare account" } as const;

/** Groups plans into scopes per provider by tenant, with notices about plans whose tenant is not known. */
export function tenantGroups(plans: readonly PlanInput[]): { groups: TenantGroups; notices: Notice[] } {
  const groups = new Map<"okta" | "cloudflare", TenantGroup[]>();
  const notices: Notice[] = [];
  if (plans.length < 2) return { groups, notices };
  for (const provider of ["okta", "cloudflare"] as const) {
    const uses = plans.filter((p) => usesProvider(p.doc, provider));
    if (uses.length < 2) continue;
    const byTenant = new Map<string, Set<string>>();
    const unstated = new Set<string>();
    for (const p of uses) {
      const t = provider === "okta" ? oktaOrgOf(p.doc) : cloudflareAccountOf(p.doc);
      if (t === undefined) unstated.add(p.path);
      else byTenant.set(t, (byTenant.get(t) ?? new Set()).add(p.path));
    }
    const list = [...unstated].sort().join(", ");
    if (byTenant.size <= 1) {
      if (unstated.size > 0) notices.push({ level: "info", message: `${list}: the plan does not say which ${NAMES[provider]} it targets, so ${provider === "okta" ? "Okta" : "Cloudflare"} scope rules judge it together with the other plans; review plans of different tenants separately` });
      continue;
    }
    const out: TenantGroup[] = [...byTenant].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([t, units]) => ({ units, label: `${NAMES[provider]} ${t}` }));
    if (unstated.size > 0) {
      out.push({ units: unstated, label: `${NAMES[provider]} not stated` });
      notices.push({ level: "warning", message: `${list}: the plan does not say which ${NAMES[provider]} it targets; the other plans name ${byTenant.size}, so ${provider === "okta" ? "Okta" : "Cloudflare"} scope rules judge it on its own` });
    }
    groups.set(provider, out);
  }
  return { groups, notices };
}

function usesProvider(doc: Json, provider: "okta" | "cloudflare"): boolean {
  const all = [...(Array.isArray(doc.resource_changes) ? doc.resource_changes : [])];
  return all.some((rc) => isObj(rc) && typeof rc.type === "string" && rc.type.startsWith(`${provider}_`));
}
