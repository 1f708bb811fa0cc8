/**
 * Which Access policies guard an application, and what a policy's include/require rules say. Reads
 * both v5 shapes (inline `policies` objects, `policies[].id` references, rule objects such as
 * `{ auth_method = { auth_method = "hwk" } }`) and v4 shapes (`policies` as a list of ids, policies
 * that point at their app through `application_id`, rule blocks such as `require { auth_method = "hwk" }`).
 *
 * Links resolve within the unit the app was declared in (one configuration, cdktf stack, plan or
 * state): through the configuration's `${...}` references where there are any, else (plans and
 * states) by matching the ids Terraform recorded. Every reader here answers three ways (true, false,
 * or "unknown" when an unknown value could change the answer), so a rule never passes by accident.
 */
import type { Resource } from "../../engine/model/model";
import { isUnknown } from "../../engine/model/model";
import { sameUnit, type Scope } from "../../engine/model/scope";
import { asList, read, walk } from "../../engine/model/view";
import type { Tri } from "../rule";

export interface AccessPolicy {
  /** Where the policy is written: its address, or the app's address plus `policies[i]` for inline ones. */
  label: string;
  values: unknown;
  /** True when the policy may not exist (its count or for_each is not known before apply). */
  uncertain: boolean;
  /** The policy resource, for a reusable (or v4) policy; undefined for a policy written inline in the app. */
  resource?: Resource;
}

/** Shared by every rule that asks about the same app in the same scope: read-only. */
export interface Attached {
  /** The policies certainly attached to the app. */
  readonly policies: readonly AccessPolicy[];
  /** v4 policies that may be attached: their `application_id` is not known before apply. */
  readonly maybe: readonly AccessPolicy[];
  /** Why some attached policy is not known: `policies` unknown, or a link to a policy outside the evaluated configuration. */
  readonly unresolved?: string;
  /** Set when inline policies may be missing from `policies` (the list, or an entry of it, is unknown). */
  readonly openInline?: string;
}

export const ACCESS_POLICY = "cloudflare_zero_trust_access_policy";
const APPLICATION = "cloudflare_zero_trust_access_application";

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);

function fromResource(p: Resource): AccessPolicy {
  return { label: p.address, values: p.values, uncertain: !!p.conditional, resource: p };
}

type Link = { kind: "policy"; policy: Resource } | { kind: "inline" } | { kind: "unresolved"; why: string; inline: boolean };

/**
 * The scope's Access policies indexed once (per scope, on first use), so that linking every app to its
 * policies costs time linear in apps plus policies rather than their product: by recorded id, by the
 * app a v4 policy's `application_id` names (its configuration reference, or the app's recorded id),
 * and the v4 policies whose `application_id` is not known before apply. Keys include the unit: links
 * never cross units. Lists keep the scope's input order.
 */
interface PolicyIndex {
  order: Map<Resource, number>;
  byId: Map<string, Resource>;
  byAppRef: Map<string, Resource[]>;
  byAppId: Map<string, Resource[]>;
  appUnknown: Map<string, Resource[]>;
}

const indexes = new WeakMap<Scope, PolicyIndex>();

const unitKey = (unit: string | undefined, key: string): string => `${unit ?? ""}\u0000${key}`;

function push(map: Map<string, Resource[]>, key: string, r: Resource): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

function policyIndex(scope: Scope): PolicyIndex {
  let index = indexes.get(scope);
  if (index) return index;
  index = { order: new Map(), byId: new Map(), byAppRef: new Map(), byAppId: new Map(), appUnknown: new Map() };
  for (const p of scope.ofKind(ACCESS_POLICY)) {
    index.order.set(p, index.order.size);
    const id = walk(p.values, "id");
    if (typeof id === "string" && !index.byId.has(unitKey(p.unit, id))) index.byId.set(unitKey(p.unit, id), p);
    const target = p.refs.get("application_id");
    if (target) {
      push(index.byAppRef, unitKey(p.unit, target), p);
      continue;
    }
    const r = read(p, "application_id");
    if (r.state === "unknown") push(index.appUnknown, unitKey(p.unit, ""), p);
    else if (r.state === "known" && typeof r.value === "string" && r.value !== "") push(index.byAppId, unitKey(p.unit, r.value), p);
  }
  indexes.set(scope, index);
  return index;
}

/** The reusable policy of the app's unit whose recorded `id` is `id` (plans and states). */
function policyWithId(scope: Scope, app: Resource, id: string): Resource | undefined {
  return policyIndex(scope).byId.get(unitKey(app.unit, id));
}

/** The v4 policies of the app's unit that may name it through `application_id`, in input order (each still judged by {@link namesApp}). */
function policiesNaming(scope: Scope, app: Resource): Resource[] {
  const index = policyIndex(scope);
  const id = walk(app.values, "id");
  const candidates = [
    ...(index.byAppRef.get(unitKey(app.unit, app.address)) ?? []),
    ...(typeof id === "string" ? (index.byAppId.get(unitKey(app.unit, id)) ?? []) : []),
    ...(index.appUnknown.get(unitKey(app.unit, "")) ?? []),
  ];
  return candidates.sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

/** What the app's `policies[i]` is: a link to a policy resource, an inline policy, or not known. */
function linkOf(app: Resource, i: number, entry: unknown, scope: Scope): Link {
  // The configuration's reference first, whatever the value: a v4 list of id references resolves to
  // unknown ids, and a v5 reference may repeat the decision.
  const target = app.refs.get(`policies.${i}`) ?? app.refs.get(`policies.${i}.id`);
  if (target) {
    const policy = scope.byAddress(target, app.unit);
    if (policy && policy.mode === "managed" && policy.kind === ACCESS_POLICY) return { kind: "policy", policy };
    return { kind: "unresolved", why: `policies[${i}] refers to a policy that is not in the evaluated configuration`, inline: false };
  }
  if (isUnknown(entry)) return { kind: "unresolved", why: `policies[${i}] is not known before apply`, inline: true };
  // Plans and states carry no references: match the id Terraform recorded.
  const id = typeof entry === "string" ? entry : isObj(entry) ? walk(entry, "id") : undefined;
  if (typeof id === "string" && id !== "") {
    const policy = policyWithId(scope, app, id);
    if (policy) return { kind: "policy", policy };
  }
  // A plan prints a reference's inline attributes as null: only a decision makes an inline policy.
  const d = isObj(entry) ? entry.decision : undefined;
  if (d !== undefined && d !== null) return { kind: "inline" };
  if (isUnknown(id)) return { kind: "unresolved", why: `policies[${i}].id is not known before apply`, inline: false };
  if (typeof entry === "string" || (typeof id === "string" && id !== "")) {
    return { kind: "unresolved", why: `policies[${i}] refers to a policy that is not in the evaluated configuration`, inline: false };
  }
  return { kind: "inline" };
}

/** Whether a v4 policy names `app` through `application_id`. */
function namesApp(policy: Resource, app: Resource): Tri {
  const target = policy.refs.get("application_id");
  if (target) return target === app.address;
  const r = read(policy, "application_id");
  if (r.state === "unknown") return "unknown";
  if (r.state !== "known" || typeof r.value !== "string" || r.value === "") return false;
  const id = walk(app.values, "id");
  return typeof id === "string" && id === r.value;
}

/** Per scope, the policies attached to each app: several rules (CF-ACC-1 to 4) ask about the same app. */
const attachedByScope = new WeakMap<Scope, WeakMap<Resource, Attached>>();

/** The policies attached to an Access application, resolved through the scope within the app's unit. */
export function attachedPolicies(app: Resource, scope: Scope): Attached {
  let byApp = attachedByScope.get(scope);
  if (!byApp) attachedByScope.set(scope, (byApp = new WeakMap()));
  let attached = byApp.get(app);
  if (!attached) byApp.set(app, (attached = linkPolicies(app, scope)));
  return attached;
}

function linkPolicies(app: Resource, scope: Scope): Attached {
  const out: { policies: AccessPolicy[]; maybe: AccessPolicy[]; unresolved?: string; openInline?: string } = { policies: [], maybe: [] };
  const raw = read(app, "policies");
  if (raw.state === "unknown") {
    out.unresolved = out.openInline = "policies is not known before apply";
  } else {
    const entries = raw.state === "known" ? (asList(raw.value) ?? []) : [];
    for (const [i, entry] of entries.entries()) {
      const link = linkOf(app, i, entry, scope);
      if (link.kind === "policy") {
        if (!out.policies.some((p) => p.resource === link.policy)) out.policies.push(fromResource(link.policy));
      } else if (link.kind === "inline") {
        out.policies.push({ label: `${app.address} policies[${i}]`, values: entry, uncertain: false });
      } else {
        out.unresolved ??= link.why;
        if (link.inline) out.openInline ??= link.why;
      }
    }
  }
  // v4: a policy names its application through application_id.
  for (const p of policiesNaming(scope, app)) {
    if (!sameUnit(p, app) || out.policies.some((x) => x.resource === p)) continue;
    const names = namesApp(p, app);
    if (names === true) out.policies.push(fromResource(p));
    else if (names === "unknown") out.maybe.push(fromResource(p));
  }
  return out;
}

/**
 * A v4 policy (`cloudflare_access_policy`, or a policy bound to its app by `application_id`, which the
 * v5 reusable policy does not have) that does not set `session_duration`: v4's schema has no default
 * (internal/sdkv2provider/schema_cloudflare_access_policy.go:93-105 @ v4.52.8) and sends an empty
 * duration (resource_cloudflare_access_policy.go:211), so the application's session duration applies.
 * v5 defaults it to "24h" (internal/services/zero_trust_access_policy/schema.go:93-98 @ v5.14.0).
 */
export function inheritsAppSession(policy: Resource): boolean {
  const v4 = policy.type === "cloudflare_access_policy" || (walk(policy.values, "application_id") ?? null) !== null;
  const own = walk(policy.values, "session_duration");
  return v4 && (own === undefined || own === null || own === "");
}

/**
 * The application a v4 policy is bound to by a literal `application_id` that no application of its
 * unit has: an application outside the evaluated configuration. Undefined otherwise (bound by a
 * reference, to an app in the configuration, not known before apply, or a v5 policy).
 */
export function outsideApplication(policy: Resource, scope: Scope): string | undefined {
  if (policy.refs.get("application_id")) return undefined;
  const id = walk(policy.values, "application_id");
  if (typeof id !== "string" || id === "") return undefined;
  const inside = scope.ofKind(APPLICATION).some((app) => sameUnit(app, policy) && walk(app.values, "id") === id);
  return inside ? undefined : id;
}

/** The policy resource as an attached policy, to judge it on its own. */
export function asAccessPolicy(p: Resource): AccessPolicy {
  return fromResource(p);
}

/** The policy's decision; the v5 schema requires it, v4 too. */
export function decision(policy: AccessPolicy): string | "unknown" | undefined {
  const d = walk(policy.values, "decision");
  if (isUnknown(d)) return "unknown";
  return typeof d === "string" ? d : undefined;
}

/** The known entries of a rule list (`include`, `require`), and whether unknown ones may add to them. */
export interface RuleList {
  entries: Record<string, unknown>[];
  /** True when the list, or an entry of it, is not known before apply. */
  unknown: boolean;
}

/** The entries of a rule list, v4 blocks or v5 objects alike. */
export function ruleList(policy: AccessPolicy, list: "include" | "require"): RuleList {
  const v = walk(policy.values, list);
  if (isUnknown(v)) return { entries: [], unknown: true };
  const out: RuleList = { entries: [], unknown: false };
  for (const e of asList(v) ?? []) {
    if (isUnknown(e)) out.unknown = true;
    else if (isObj(e)) out.entries.push(e);
  }
  return out;
}

/**
 * Whether a rule kind is set in an entry: a v5 object (`everyone = {}`), a v4 non-empty list or
 * `true`. v4 writes every rule attribute of a block, empty when unset (`auth_method = ""`, `email = []`,
 * `everyone = false`), so those are not set.
 */
function isSet(v: unknown): Tri {
  if (isUnknown(v)) return "unknown";
  if (v === undefined || v === null || v === false || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** The rule kinds a list certainly uses, those it may use, and whether unknown entries may add any kind. */
export interface RuleKinds {
  certain: Set<string>;
  possible: Set<string>;
  open: boolean;
}

export function ruleKinds(list: RuleList): RuleKinds {
  const kinds: RuleKinds = { certain: new Set(), possible: new Set(), open: list.unknown };
  for (const e of list.entries) {
    for (const [k, v] of Object.entries(e)) {
      const s = isSet(v);
      if (s === true) kinds.certain.add(k);
      if (s !== false) kinds.possible.add(k);
    }
  }
  return kinds;
}

/** Whether the policy has a `require` entry with device posture. */
export function requiresDevicePosture(policy: AccessPolicy): Tri {
  const list = ruleList(policy, "require");
  let out: Tri = list.unknown ? "unknown" : false;
  for (const e of list.entries) {
    const s = isSet(e.device_posture);
    if (s === true) return true;
    if (s === "unknown") out = "unknown";
  }
  return out;
}

/**
 * The auth methods the policy requires (`hwk`, `mfa`, ...); `unknown` when unknown values may add one,
 * `unnamed` when an auth_method entry certainly exists but its method is not known before apply.
 */
export function requiredAuthMethods(policy: AccessPolicy): { methods: string[]; unknown: boolean; unnamed: boolean } {
  const list = ruleList(policy, "require");
  const out = { methods: [] as string[], unknown: list.unknown, unnamed: false };
  for (const e of list.entries) {
    const v = e.auth_method;
    // v4 writes the method as a string (empty when unset); v5 as `{ auth_method = "hwk" }`.
    if (isUnknown(v)) out.unknown = true;
    const method = typeof v === "string" || isUnknown(v) ? v : walk(v, "auth_method");
    if (isUnknown(method)) {
      if (isObj(v)) out.unnamed = true;
    } else if (typeof method === "string" && method !== "") out.methods.push(method);
  }
  return out;
}

/** Whether the policy requires one of the `accepted` auth methods (any auth method when not given). */
export function requiresAuthMethod(policy: AccessPolicy, accepted?: readonly string[]): Tri {
  const { methods, unknown, unnamed } = requiredAuthMethods(policy);
  if (methods.some((m) => accepted === undefined || accepted.includes(m))) return true;
  if (accepted === undefined && unnamed) return true;
  return unknown || unnamed ? "unknown" : false;
}
