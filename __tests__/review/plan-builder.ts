/**
 * Builds plan JSON documents (the shape of `terraform show -json tfplan`) for review and drift tests:
 * each entry becomes a `resource_changes` (or `resource_drift`) entry, its `before` goes into
 * `prior_state` and its `after` into `planned_values`, as Terraform writes them.
 */
import { CATALOGUE } from "../../policies";
import { EMPTY_CONFIG, parseConfig } from "../../engine/evaluate/config";
import type { EvaluateOptions } from "../../engine/evaluate/evaluate";
import { MONITORED_EVENTS } from "../../policies/okta/logging";
import type { Profile } from "../../policies/rule";

export interface Entry {
  address: string;
  actions: string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  mode?: "managed" | "data";
  afterUnknown?: Record<string, unknown>;
  beforeSensitive?: Record<string, unknown>;
  afterSensitive?: Record<string, unknown>;
  previous?: string;
  deposed?: string;
  reason?: string;
  /** Write the prior-state entry at `previous` (a hand-made plan that did not apply the move). */
  priorAtPrevious?: boolean;
}

export function typeOf(address: string): string {
  const parts = address.replace(/^(module\.[^.[]+(\[[^\]]*\])?\.)+/, "").replace(/^data\./, "").split(".");
  return parts[0];
}

function stateEntry(address: string, e: Entry, values: Record<string, unknown>, sensitive: unknown): Record<string, unknown> {
  const name = /\.([^.[]+)(\[[^\]]*\])?$/.exec(address)?.[1] ?? "x";
  return {
    address,
    mode: e.mode ?? "managed",
    type: typeOf(address),
    name,
    provider_name: `registry.terraform.io/${typeOf(address).split("_")[0]}/${typeOf(address).split("_")[0]}`,
    schema_version: 0,
    values,
    sensitive_values: sensitive ?? {},
    ...(e.deposed ? { deposed_key: e.deposed } : {}),
  };
}

export function change(e: Entry): Record<string, unknown> {
  return {
    address: e.address,
    ...(e.previous ? { previous_address: e.previous } : {}),
    mode: e.mode ?? "managed",
    type: typeOf(e.address),
    name: /\.([^.[]+)(\[[^\]]*\])?$/.exec(e.address)?.[1] ?? "x",
    ...(e.deposed ? { deposed: e.deposed } : {}),
    change: {
      actions: e.actions,
      before: e.before ?? null,
      after: e.after ?? null,
      after_unknown: e.afterUnknown ?? {},
      before_sensitive: e.before ? (e.beforeSensitive ?? {}) : false,
      after_sensitive: e.after ? (e.afterSensitive ?? {}) : false,
    },
    ...(e.reason ? { action_reason: e.reason } : {}),
  };
}

export interface PlanOptions {
  drift?: Entry[];
  complete?: boolean;
  errored?: boolean;
  /** Leave prior_state out (the prior side then comes from each change's `before`). */
  noPriorState?: boolean;
  variables?: Record<string, unknown>;
  sensitiveVariables?: string[];
}

const destroys = (a: string[]) => (a.includes("delete") || a.includes("forget")) && !a.includes("create");

export function plan(entries: Entry[], opts: PlanOptions = {}): Record<string, unknown> {
  const prior = entries.filter((e) => e.before).map((e) => stateEntry(e.priorAtPrevious && e.previous ? e.previous : e.address, e, e.before!, e.beforeSensitive));
  // Terraform keeps a forgotten object in planned_values; the loader must drop it.
  const planned = entries.filter((e) => e.after && !e.deposed).map((e) => stateEntry(e.address, e, e.after!, e.afterSensitive));
  for (const e of entries) if (destroys(e.actions) && e.actions.includes("forget") && e.before) planned.push(stateEntry(e.address, e, e.before, e.beforeSensitive));
  const doc: Record<string, unknown> = {
    format_version: "1.2",
    terraform_version: "1.11.4",
    variables: opts.variables ?? {},
    planned_values: { root_module: { resources: planned } },
    ...(opts.drift ? { resource_drift: opts.drift.map(change) } : {}),
    resource_changes: entries.map(change),
    ...(opts.noPriorState ? {} : { prior_state: { format_version: "1.0", terraform_version: "1.11.4", values: { root_module: { resources: prior } } } }),
    configuration: {
      provider_config: {},
      root_module: { resources: [], variables: Object.fromEntries((opts.sensitiveVariables ?? []).map((v) => [v, { sensitive: true }])) },
    },
    applyable: true,
    complete: opts.complete ?? true,
    errored: opts.errored ?? false,
  };
  return doc;
}

export function options(o: { profile?: Profile; config?: object; unknown?: "warn" | "fail" } = {}): EvaluateOptions {
  return {
    rules: CATALOGUE,
    profile: o.profile ?? "recommended",
    config: o.config ? parseConfig(o.config, "posture.config.json", CATALOGUE) : EMPTY_CONFIG,
    unknown: o.unknown ?? "warn",
    today: "2026-11-29",
  };
}

/** A compliant global session rule; override what a test changes. */
export const signon = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "Global session",
  status: "ACTIVE",
  access: "ALLOW",
  session_idle: 15,
  session_lifetime: 600,
  session_persistent: false,
  mfa_required: true,
  mfa_prompt: "ALWAYS",
  mfa_remember_device: false,
  ...over,
});

export const logStream = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ name: "SIEM", type: "aws_eventbridge", status: "ACTIVE", ...over });
export const webauthn = { key: "webauthn", name: "Security Key", status: "ACTIVE" };

/** The rest of a compliant Okta tenant (event hook, ThreatInsight, blocklist zone), unchanged by the plan. */
export const oktaTenant: Entry[] = [
  { address: "okta_authenticator.webauthn", actions: ["no-op"], before: webauthn, after: webauthn },
  ...[
    ["okta_event_hook.responder", { name: "responder", status: "ACTIVE", events: [...MONITORED_EVENTS], channel: { type: "HTTP", version: "1.0.0", uri: "https://hooks.example.com" } }],
    ["okta_threat_insight_settings.ti", { action: "block" }],
    ["okta_network_zone.tor", { name: "Tor", type: "DYNAMIC", usage: "BLOCKLIST", status: "ACTIVE", dynamic_proxy_type: "TorAnonymizer" }],
  ].map(([address, v]) => ({ address: address as string, actions: ["no-op"], before: v as Record<string, unknown>, after: v as Record<string, unknown> })),
];

/** Short form of a finding for assertions: "RULE address change outcome". */
export function brief(f: { ruleId: string; address: string; change?: string; outcome: string }): string {
  return `${f.ruleId} ${f.address} ${f.change ?? "-"} ${f.outcome}`;
}
