/**
 * Which Access policies guard an application, and what a policy's include/require rules say. Reads
 * both v5 shapes (inline `policies` objects, `policies[].id` references, rule objects such as
 * `{ auth_method = { auth_method = "hwk" } }`) and v4 shapes (`policies` as a list of ids, policies
 * that point at their app through `application_id`, rule blocks such as `require { auth_method = "hwk" }`).
 */
import type { Resource } from "../../engine/model";
import { isUnknown } from "../../engine/model";
import type { Scope } from "../../engine/scope";
import { asList, containsUnknown, read, walk } from "../../engine/view";

export interface AccessPolicy {
  /** Where the policy is written: its address, or the app's address plus `policies[i]` for inline ones. */
  label: string;
  values: unknown;
  /** True when some part of the policy is not known before apply. */
  uncertain: boolean;
}

export type Attached = { known: true; policies: AccessPolicy[] } | { known: false; why: string };

const ACCESS_POLICY = "cloudflare_zero_trust_access_policy";

/** The policies attached to an Access application, resolved through the scope. */
export function attachedPolicies(app: Resource, scope: Scope): Attached {
  const policies: AccessPolicy[] = [];
  const raw = read(app, "policies");
  if (raw.state === "unknown") return { known: false, why: "policies is not known before apply" };
  const entries = raw.state === "known" ? (asList(raw.value) ?? []) : [];
  for (const [i, entry] of entries.entries()) {
    if (isUnknown(entry)) return { known: false, why: `policies[${i}] is not known before apply` };
    const isRef = typeof entry === "string" || (entry !== null && typeof entry === "object" && !("decision" in entry) && "id" in entry);
    if (!isRef) {
      policies.push({ label: `${app.address} policies[${i}]`, values: entry, uncertain: containsUnknown(entry) });
      continue;
    }
    const target = app.refs.get(`policies.${i}`) ?? app.refs.get(`policies.${i}.id`);
    const policy = target ? scope.byAddress(target) : undefined;
    if (!policy) {
      return { known: false, why: `policies[${i}] refers to a policy that is not in the evaluated configuration` };
    }
    policies.push({ label: policy.address, values: policy.values, uncertain: containsUnknown(policy.values) || !!policy.conditional });
  }
  // v4: a policy names its application through application_id.
  for (const p of scope.ofKind(ACCESS_POLICY)) {
    if (p.refs.get("application_id") === app.address && !policies.some((x) => x.label === p.address)) {
      policies.push({ label: p.address, values: p.values, uncertain: containsUnknown(p.values) || !!p.conditional });
    }
  }
  return { known: true, policies };
}

/** The policy's decision; the v5 schema requires it, v4 too. */
export function decision(policy: AccessPolicy): string | "unknown" | undefined {
  const d = walk(policy.values, "decision");
  if (isUnknown(d)) return "unknown";
  return typeof d === "string" ? d : undefined;
}

/** The entries of a rule list (`include`, `require`, `exclude`), v4 blocks or v5 objects alike. */
export function ruleEntries(policy: AccessPolicy, list: "include" | "require"): Record<string, unknown>[] {
  const v = walk(policy.values, list);
  return (asList(v) ?? []).filter((e): e is Record<string, unknown> => e !== null && typeof e === "object" && !Array.isArray(e));
}

function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** The kinds of rule an entry list uses: `everyone`, `email_domain`, `device_posture`, ... */
export function ruleKinds(entries: Record<string, unknown>[]): Set<string> {
  const kinds = new Set<string>();
  for (const e of entries) for (const [k, v] of Object.entries(e)) if (isSet(v)) kinds.add(k);
  return kinds;
}

export function requiresDevicePosture(policy: AccessPolicy): boolean {
  return ruleEntries(policy, "require").some((e) => isSet(e.device_posture));
}

/** The auth methods the policy requires (`hwk`, `mfa`, ...). */
export function requiredAuthMethods(policy: AccessPolicy): string[] {
  const out: string[] = [];
  for (const e of ruleEntries(policy, "require")) {
    const v = e.auth_method;
    const method = typeof v === "string" ? v : walk(v, "auth_method");
    if (typeof method === "string") out.push(method);
  }
  return out;
}
