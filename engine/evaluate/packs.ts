/**
 * Rule packs: loading a team's rules (a JS or TS module, or a pack object), checking that every rule
 * is well formed, and running pack rules under a guard. A pack rule that throws, returns a malformed
 * verdict or runs past its time bound stops the run with an error naming the pack's file and the
 * rule id (exit 2), never a crash: the built-in rules are trusted code, pack rules are not.
 */
import { existsSync, readFileSync } from "node:fs";
import Module from "node:module";
import { dirname, join, resolve } from "node:path";
import { Script, createContext } from "node:vm";
import { InputError } from "../errors";
import type { Resource } from "../model/model";
import { BUILTIN_ID, PACK_ID, type ResourceRule, type Rule, type RuleContext, type RulePack, type ScopeRule, type Verdict } from "../model/rule";
import type { Scope } from "../model/scope";

/** A pack as callers give it: the path of a module, or a pack (or list of rules) already imported. */
export type PackSource = string | RulePack | readonly (ResourceRule | ScopeRule)[];

/** Where a pack rule came from, for errors. */
interface Origin {
  file: string;
}

const ORIGINS = new WeakMap<Rule, Origin>();

/** Default bound on one pack rule's evaluation of one model (all its resources, or its scope). */
export const DEFAULT_RULE_TIMEOUT_MS = 5000;

/** The file (or pack name) a pack rule was loaded from; undefined for built-in rules. */
export function packOf(rule: Rule): string | undefined {
  return ORIGINS.get(rule)?.file;
}

/**
 * The built-in rules followed by the packs' rules. A pack rule id that repeats a built-in id or another
 * pack's id is an error naming both places.
 */
export function withPacks(builtins: readonly Rule[], packs: readonly PackSource[], baseDir = process.cwd()): Rule[] {
  const out = [...builtins];
  const seen = new Map<string, string>(builtins.map((r) => [r.id, "the built-in catalogue"]));
  // The same module named twice (in the config and on the command line) is loaded once.
  const unique = packs.filter((p, i) => typeof p !== "string" || packs.findIndex((q) => typeof q === "string" && resolve(baseDir, q) === resolve(baseDir, p)) === i);
  for (const source of unique) {
    const { file, rules } = loadPack(source, baseDir);
    for (const rule of rules) {
      const other = seen.get(rule.id);
      if (other) throw new InputError(file, `rule ${rule.id} is also defined in ${other}; rule ids must be unique`);
      seen.set(rule.id, file);
      out.push(rule);
    }
  }
  return out;
}

/** Loads and checks one pack; its rules are registered as pack rules (run under the guard). */
export function loadPack(source: PackSource, baseDir = process.cwd()): { file: string; rules: Rule[] } {
  let file: string;
  let exported: unknown;
  if (typeof source === "string") {
    file = source;
    exported = requirePack(resolve(baseDir, source), source);
  } else {
    exported = source;
    file = Array.isArray(source) ? "(rule pack)" : `pack ${String((source as RulePack).name ?? "(unnamed)")}`;
  }
  const rules = rulesOf(exported, file);
  for (const r of rules) {
    checkRule(r, file);
    ORIGINS.set(r, { file });
  }
  return { file, rules };
}

function requirePack(path: string, shown: string): unknown {
  if (!existsSync(path)) throw new InputError(shown, "rule pack not found");
  // Without a TypeScript loader, Node fails on a .ts pack in ways that do not say why: a SyntaxError at
  // the first type, or (20.19+, a file with `import` and no types) an ES-module resolution error.
  if (TYPESCRIPT.test(path) && !canLoadTypeScript()) throw new InputError(shown, TYPESCRIPT_HINT);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return withSelfResolution(() => require(path));
  } catch (e) {
    // Plain Node (before type stripping) reads a .ts file as JavaScript and stops at the first type.
    if (TYPESCRIPT.test(path) && e instanceof SyntaxError) throw new InputError(shown, TYPESCRIPT_HINT);
    throw new InputError(shown, `rule pack failed to load: ${firstLine(e)}`);
  }
}

const TYPESCRIPT = /\.[cm]?ts$/;
const TYPESCRIPT_HINT = "is TypeScript, which this Node cannot load: compile the pack to JavaScript (tsc), or run posture under tsx (npx tsx node_modules/.bin/posture ...)";

/**
 * True when something in this process loads TypeScript: a loader registered for `.ts` (tsx, ts-node),
 * Node's own type stripping, or a transform that runs this very file from its TypeScript source (jest).
 */
function canLoadTypeScript(): boolean {
  const extensions: object = require.extensions ?? {};
  return ".ts" in extensions || !!(process.features as { typescript?: unknown }).typescript || TYPESCRIPT.test(__filename);
}

const PACKAGE = "identity-posture";

/** The running package's package.json (found above this file, in dist/ or in the sources), if any. */
function ownManifest(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    try {
      if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === PACKAGE) return file;
    } catch {
      // An unreadable package.json on the way up is not ours.
    }
    if (dirname(dir) === dir) return undefined;
  }
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/**
 * Runs `load` with `identity-posture` and `identity-posture/<subpath>` resolving to the running package:
 * a pack outside any node_modules (/etc/posture/org-rules.js beside the Docker image's /app, or beside
 * a global install) has no copy of its own to find. Resolution goes through the package's own `exports`
 * (a self-reference from its package.json), so only its public entries resolve; anything else, or a
 * subpath it does not export, falls back to Node's resolution. The hook is removed when `load` returns
 * or throws.
 */
function withSelfResolution<T>(load: () => T): T {
  const manifest = ownManifest();
  const mod = Module as unknown as { _resolveFilename: ResolveFilename; _nodeModulePaths?: (dir: string) => string[] };
  const original = mod._resolveFilename;
  if (!manifest || typeof original !== "function") return load();
  // A module at the package's root, as the parent of the request: Node then resolves it as a
  // self-reference, through the package's exports (createRequire(manifest).resolve would re-enter the hook).
  const root = new Module(manifest) as Module & { filename: string; paths: string[] };
  root.filename = manifest;
  root.paths = mod._nodeModulePaths?.(dirname(manifest)) ?? [];
  mod._resolveFilename = function (this: unknown, request, ...rest) {
    if (request === PACKAGE || request.startsWith(`${PACKAGE}/`)) {
      try {
        return original.call(this, request, root, false);
      } catch {
        // Not an entry of the running package: Node's own resolution says what is wrong.
      }
    }
    return original.call(this, request, ...rest);
  };
  try {
    return load();
  } finally {
    mod._resolveFilename = original;
  }
}

function rulesOf(exported: unknown, file: string): Rule[] {
  let x = exported;
  if (x !== null && typeof x === "object" && !Array.isArray(x) && "default" in x && !("rules" in x)) x = (x as { default: unknown }).default;
  const list = Array.isArray(x) ? x : x !== null && typeof x === "object" && Array.isArray((x as RulePack).rules) ? (x as RulePack).rules : undefined;
  if (!list) throw new InputError(file, "must export a rule pack: `export default definePack({ name, rules: [...] })` (or a list of rules)");
  if (list.length === 0) throw new InputError(file, "the rule pack has no rules");
  return list as Rule[];
}

const SEVERITIES = ["error", "warning"];
const PROVIDERS = ["okta", "cloudflare", "any"];
const WEAKER = ["higher", "lower", "false", "true"];
const SCALES = ["number", "go-duration", "iso-duration"];

/** Checks a pack rule's shape, so a mistake surfaces at load with its file and id, not mid-run. */
function checkRule(r: unknown, file: string): asserts r is ResourceRule | ScopeRule {
  if (r === null || typeof r !== "object") throw new InputError(file, "a rule must be an object made with defineRule({...})");
  const o = r as Record<string, unknown>;
  const id = typeof o.id === "string" ? o.id : "(no id)";
  const bad = (problem: string): never => {
    throw new InputError(file, `rule ${id}: ${problem}`);
  };
  if (typeof o.id !== "string") bad('needs an "id" such as "acme/ACCESS-1"');
  if (BUILTIN_ID.test(id)) bad("ids of the form AREA-N are reserved for the built-in catalogue; give pack rules a namespace, e.g. acme/" + id);
  if (!PACK_ID.test(id)) bad("the id must be namespace/ID: a lower-case namespace, a slash, upper-case words and digits joined by '-' (acme/ACCESS-1)");
  if (o.kind !== "resource" && o.kind !== "scope") bad('"kind" must be "resource" or "scope"');
  if (!SEVERITIES.includes(o.severity as string)) bad('"severity" must be "error" or "warning"');
  for (const k of ["title", "rationale", "passes"]) if (typeof o[k] !== "string" || (o[k] as string).trim() === "") bad(`needs "${k}" (a sentence)`);
  if (!PROVIDERS.includes(o.provider as string)) bad('"provider" must be "okta", "cloudflare" or "any"');
  const strings = (k: string, nonEmpty: boolean) => {
    const v = o[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x === "") || (nonEmpty && v.length === 0)) bad(`"${k}" must be a list of ${nonEmpty ? "one or more " : ""}strings`);
  };
  strings("references", false);
  strings("resourceTypes", o.kind === "resource");
  strings("reads", false);
  if (typeof o.evaluate !== "function") bad('needs an "evaluate" function');
  if (o.thresholds !== undefined) {
    if (o.thresholds === null || typeof o.thresholds !== "object" || Array.isArray(o.thresholds)) bad('"thresholds" must be an object of threshold specs');
    for (const [k, t] of Object.entries(o.thresholds as Record<string, unknown>)) {
      const spec = (t ?? {}) as Record<string, unknown>;
      const type = typeof spec.recommended;
      if ((type !== "number" && type !== "boolean") || typeof spec.strict !== type) bad(`threshold ${k}: "recommended" and "strict" must both be numbers or both booleans`);
      if (!WEAKER.includes(spec.weaker as string) || (type === "number") !== (spec.weaker === "higher" || spec.weaker === "lower")) {
        bad(`threshold ${k}: "weaker" must be "higher" or "lower" for a number, "true" or "false" for a flag`);
      }
      if (typeof spec.description !== "string") bad(`threshold ${k}: needs a "description"`);
    }
  }
  if (o.weakens !== undefined) {
    if (!Array.isArray(o.weakens)) bad('"weakens" must be a list');
    for (const w of o.weakens as Array<Record<string, unknown>>) {
      const scaleOk = SCALES.includes(w?.scale as string) || (Array.isArray(w?.scale) && w.scale.length > 1 && w.scale.every((v: unknown) => typeof v === "string"));
      if (typeof w?.attribute !== "string" || !scaleOk) bad('each "weakens" entry needs an "attribute" and a "scale" (number, go-duration, iso-duration, or a list of values, strongest first)');
      if (w.weaker !== undefined && w.weaker !== "higher" && w.weaker !== "lower") bad('a "weakens" entry\'s "weaker" must be "higher" or "lower"');
    }
  }
}

export interface GuardOptions {
  /** Bound on one pack rule's evaluation of one model, in milliseconds. */
  timeoutMs?: number;
}

// One context for every guarded call: `run` is set to the batch to run, and the vm's timeout stops the
// batch (whatever code it calls) when it runs too long, even in a loop that never yields. Made at the
// first pack rule: a run of built-in rules only never pays for a V8 context.
let guard: { context: object; run: Script } | undefined;

/**
 * Every verdict of `rule` on `targets` (resources of its types; for a scope rule, the scope). A
 * built-in rule runs directly; a pack rule runs bounded in time, and its verdicts are checked.
 */
export function verdictsOf(rule: ResourceRule | ScopeRule, resources: readonly Resource[], scope: Scope, ctx: RuleContext, opts: GuardOptions = {}): Array<{ verdict: Verdict; resource?: Resource }> {
  const origin = ORIGINS.get(rule);
  const batch = (current: { address?: string }) => {
    const out: Array<{ verdict: Verdict; resource?: Resource }> = [];
    if (rule.kind === "scope") {
      const vs = rule.evaluate(scope, ctx);
      for (const v of Array.isArray(vs) ? vs : [vs]) out.push({ verdict: v });
      return out;
    }
    for (const r of resources) {
      current.address = r.address;
      out.push({ verdict: rule.evaluate(r, ctx), resource: r });
    }
    return out;
  };
  if (!origin) return batch({});

  const current: { address?: string } = {};
  const ms = opts.timeoutMs ?? DEFAULT_RULE_TIMEOUT_MS;
  let out: Array<{ verdict: Verdict; resource?: Resource }>;
  guard ??= { context: createContext({ run: undefined as unknown }), run: new Script("run()") };
  (guard.context as { run: unknown }).run = () => batch(current);
  try {
    out = guard.run.runInContext(guard.context, { timeout: ms }) as typeof out;
  } catch (e) {
    const on = current.address ? ` on ${current.address}` : "";
    if ((e as { code?: string })?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new InputError(origin.file, `rule ${rule.id} did not finish within ${ms} ms${on} (a loop that never ends?)`);
    }
    throw new InputError(origin.file, `rule ${rule.id} threw${on}: ${firstLine(e)}`);
  } finally {
    (guard.context as { run: unknown }).run = undefined;
  }
  if (!Array.isArray(out)) throw new InputError(origin.file, `rule ${rule.id} returned a malformed verdict: expected a verdict or a list of verdicts`);
  const inScope = new Set(scope.resources);
  for (const { verdict, resource } of out) {
    const problem = verdictProblem(verdict, inScope);
    if (problem) throw new InputError(origin.file, `rule ${rule.id} returned a malformed verdict${resource ? ` for ${resource.address}` : ""}: ${problem}`);
  }
  return out;
}

/** What is wrong with a verdict a pack rule returned, if anything. */
function verdictProblem(v: unknown, inScope: ReadonlySet<Resource>): string | undefined {
  if (v === null || typeof v !== "object") return "expected an object made with pass(), fail(), unknown() or notApplicable()";
  const o = v as Record<string, unknown>;
  if (!["pass", "fail", "unknown", "not-applicable"].includes(o.outcome as string)) return 'outcome must be "pass", "fail", "unknown" or "not-applicable"';
  if ((o.outcome === "fail" || o.outcome === "unknown") && (typeof o.message !== "string" || o.message === "")) return `a ${o.outcome} verdict needs a message`;
  if (o.attribute !== undefined && typeof o.attribute !== "string") return "attribute must be a string";
  if (o.resource !== undefined && !inScope.has(o.resource as Resource)) return "resource must be one of the resources the rule was given";
  if (o.outcome === "fail" && o.actual !== undefined) {
    try {
      if (JSON.stringify(o.actual) === undefined) return "actual must be a JSON value";
    } catch {
      return "actual must be a JSON value";
    }
  }
  return undefined;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const line = m.split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
