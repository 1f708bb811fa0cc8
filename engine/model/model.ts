/**
 * The one resource model that every loader produces and every rule reads.
 *
 * Values are plain JSON, except that a value that is not known statically (an unresolved `${...}`
 * reference, a value in a plan's `after_unknown`) is the {@link UNKNOWN} marker. Rules never see
 * raw JSON: they read through {@link ResourceView}, which applies provider defaults, unwraps v4
 * blocks (lists of one object) and reports unknown values as such.
 */

/** Marker for a value that cannot be known before apply. Compared by identity. */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export type Mode = "managed" | "data" | "provider";
export type InputKind = "config" | "plan" | "state";

export interface SourceLocation {
  /** The input file, as given on the command line (or inside a cdktf.out directory). */
  file: string;
  /** 1-based line of the resource's declaration, where the input has lines. */
  line?: number;
  /** 1-based column, where a line alone says little (a plan file is one long line). */
  column?: number;
  /** True when `file` is relative to the repository root given with `--repo-root` (SARIF anchors it there). */
  inRepo?: boolean;
}

export interface Waiver {
  rule: string;
  reason: string;
  /** ISO date (YYYY-MM-DD); the waiver stops applying after this day. */
  expires: string;
  owner?: string;
  /** Where the waiver was declared: in code (construct metadata) or in posture.config.json. */
  origin: "code" | "config";
  /** For config waivers: the address or construct-path glob. */
  resource?: string;
}

export interface Resource {
  /** Address as Terraform prints it: `module.m.okta_policy_mfa.x["k"]`. */
  address: string;
  /** The resource type as written (a v4 Cloudflare name stays a v4 name here). */
  type: string;
  /** The type rules match on: v4 Cloudflare names mapped to their v5 equivalents. */
  kind: string;
  name: string;
  mode: Mode;
  /** The kind of input the resource came from. */
  origin: InputKind;
  values: Record<string, unknown>;
  /**
   * Attribute paths, list indexes left out (`settings.token`, `headers.value`), whose values are
   * sensitive; `""` when the whole object is (a plan's `after_sensitive: true`).
   */
  sensitive: Set<string>;
  /** Dotted attribute paths whose expression referenced another resource: path -> target address. */
  refs: Map<string, string>;
  /**
   * Attribute paths (numeric list indexes left out: `settings.token`, `headers.value`) whose value is
   * written as a literal in the code, for SECRET-1. Undefined for inputs that carry no code (state).
   */
  literal?: Set<string>;
  /**
   * Planned resources only: the top-level attributes whose planned value is the configuration's, not
   * what the API last returned. On create (or replace) every attribute is; on update those that differ
   * from the prior state (an unchanged or diff-suppressed one keeps the state's value); on no-op none.
   * Undefined for other inputs. Read it through {@link valueFromCode}.
   */
  fromCode?: ReadonlySet<string> | "all";
  /** The values as written, before `${...}` resolution (configuration inputs only). */
  raw?: Record<string, unknown>;
  /** True when the resource exists only under a count/for_each whose value is not known. */
  conditional?: boolean;
  /**
   * Configuration inputs only: when conditionals whose condition is not known decide some values (left
   * unknown in `values`), the values of every combination of their branches. A rule's verdict is the
   * verdict all variants agree on; when they disagree it is judged on `values` (unknown).
   */
  variants?: Array<Record<string, unknown>>;
  constructPath?: string;
  source?: SourceLocation;
  /**
   * The unit the resource was declared in: a configuration file or directory (one Terraform module),
   * a cdktf stack's `cdk.tf.json`, or a plan or state file. Terraform addresses are unique only within
   * a unit, so cross-resource links (an Access app's policies) resolve within it. Set by the loaders.
   */
  unit?: string;
  waivers: Waiver[];
}

export interface LoadedInput {
  path: string;
  kind: InputKind;
  resources: Resource[];
  /** Notes for the user about what the loader did (e.g. "plan given to check: evaluated planned values"). */
  notes: string[];
  /** Values to redact that no resource holds (a plan's sensitive root variables). */
  secrets?: unknown[];
  /** Waivers the input declares for scope findings (a cdktf stack's top-level `"//"` metadata). */
  waivers?: Waiver[];
}

export function joinPath(path: readonly (string | number)[]): string {
  return path.join(".");
}

export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/** True when `path` or any of its ancestors is in `set` (`""`, the root, is every path's ancestor). */
export function pathIn(set: ReadonlySet<string>, path: string): boolean {
  if (set.size === 0) return false;
  if (set.has("")) return true;
  let p = path;
  for (;;) {
    if (set.has(p)) return true;
    const dot = p.lastIndexOf(".");
    if (dot < 0) return false;
    p = p.slice(0, dot);
  }
}

/** Providers whose resources the catalogue knows, by type prefix. */
export function providerOf(type: string): "okta" | "cloudflare" | undefined {
  if (type.startsWith("okta_") || type === "provider.okta") return "okta";
  if (type.startsWith("cloudflare_") || type === "provider.cloudflare") return "cloudflare";
  return undefined;
}

/**
 * The mode, type and name an instance address names (`module.a["x"].data.okta_x.y["k"]` → data,
 * `okta_x`, `y`); type "" when it names none. What a plan entry that does not write its `type` (or
 * `name`, `mode`) is read as, by every reader of plans.
 */
export function addressKind(address: string): { mode: "managed" | "data"; type: string; name: string } {
  const noModules = address.replace(/^(module\.[^.[]+(\[[^\]]*\])?\.)+/, "");
  const m = /^(data\.)?([^.]+)\.([^.[]*)/.exec(noModules);
  return { mode: m?.[1] ? "data" : "managed", type: m?.[2] ?? "", name: m?.[3] ?? "" };
}

/** The type of a plan or state entry: its `type` when written as a string, else the one its address names. */
export function entryType(entry: Readonly<Record<string, unknown>>): string {
  if (typeof entry.type === "string") return entry.type;
  return typeof entry.address === "string" ? addressKind(entry.address).type : "";
}

/** A dot-separated segment made only of digits: a list index. */
const INDEX_SEGMENT = /(?:^|\.)\d+(?:\.|$)/;

/** A path with list indexes left out (`headers.0.value` -> `headers.value`): how `sensitive` and `literal` are keyed. */
export function normPath(path: string): string {
  // Most paths have no index: one test spares splitting and joining them (a hot path when redacting).
  if (!INDEX_SEGMENT.test(path)) return path;
  return path
    .split(".")
    .filter((s) => !/^\d+$/.test(s))
    .join(".");
}

/**
 * True when the resource's value of a top-level attribute is the code's (a configuration, or a planned
 * create or update that sets it), false when it is what the API returned (a state, a no-op). Rules about
 * what the provider does with the code's value (sends it or drops it) judge only the code's.
 */
export function valueFromCode(r: Resource, attribute: string): boolean {
  if (r.origin === "config") return true;
  if (r.origin === "state" || r.fromCode === undefined) return false;
  return r.fromCode === "all" || r.fromCode.has(attribute);
}
