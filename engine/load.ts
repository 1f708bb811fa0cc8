/**
 * Every input kind to the one model, detected from content: Terraform JSON configuration, a directory
 * of `*.tf` / `*.tf.json`, a `cdktf.out` directory (stacks from `manifest.json`), plan JSON and state JSON.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, join, sep } from "node:path";
import { InputError } from "./errors";
import { HclCache } from "./hcl-cache";
import { ConfigModule, hclLineLocator, jsonLineLocator } from "./load-config";
import { checkFormatVersion, isObj, plannedResources, sensitiveVariableValues, stateResources } from "./load-plan";
import type { InputKind, LoadedInput, Resource, Waiver } from "./model";
import { readJsonInput } from "./plan-reader";
import { DEFAULT_MAX_BYTES, parseJson, readText } from "./read-input";

export interface LoadOptions {
  /** Inputs larger than this are refused before they are read. Default 1 GiB. */
  maxBytes?: number;
  /** A directory for parsed HCL, keyed by content (see {@link HclCache}); CI re-runs skip the HCL parser for unchanged files. Default: no cache. */
  cacheDir?: string;
}

/** Loads every path; each becomes one input of the report. */
export async function loadPaths(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadedInput[]> {
  const out: LoadedInput[] = [];
  for (const p of paths) out.push(await loadPath(p, opts));
  return out;
}

const CONFIG_KEYS = ["resource", "provider", "terraform", "data", "variable", "locals", "module", "output"];

/** A path read just far enough to choose its loader. */
type Opened = { form: "directory" } | { form: "hcl" } | { form: "json"; text: string; doc: unknown };

function open(path: string, maxBytes: number): Opened {
  let isDir: boolean;
  try {
    isDir = lstatSync(path).isDirectory();
  } catch {
    throw new InputError(path, "no such file or directory");
  }
  if (isDir) return { form: "directory" };
  if (path.endsWith(".tf")) return { form: "hcl" };
  const text = readText(path, maxBytes);
  if (!/^\s*[{[]/.test(text)) throw new InputError(path, "is neither JSON nor a .tf file (HCL files must end in .tf)");
  // Plans and states are read selectively (only what rules read is built); other JSON is parsed whole.
  return { form: "json", text, doc: readJsonInput(text, path) };
}

async function loadOpened(path: string, opened: Opened, maxBytes: number, cache: HclCache | undefined): Promise<LoadedInput> {
  if (opened.form === "directory") return loadDirectory(path, maxBytes, cache);
  if (opened.form === "json") return loadJsonDocument(opened.doc, opened.text, path, maxBytes);
  const mod = new ConfigModule();
  await addHcl(mod, path, maxBytes, false, cache);
  return configInput(path, mod);
}

export async function loadPath(path: string, opts: LoadOptions = {}): Promise<LoadedInput> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return loadOpened(path, open(path, maxBytes), maxBytes, opts.cacheDir ? new HclCache(opts.cacheDir) : undefined);
}

/** Classifies a parsed JSON document and loads it. */
export function loadJsonDocument(doc: unknown, text: string, path: string, maxBytes = DEFAULT_MAX_BYTES): LoadedInput {
  if (!isObj(doc)) throw new InputError(path, "is JSON but not an object: not Terraform configuration, plan or state");
  if (isObj(doc.stacks) && basename(path) === "manifest.json") return loadCdktfOut(join(path, ".."), maxBytes, path);
  if ("format_version" in doc) {
    checkFormatVersion(doc, path);
    if ("resource_changes" in doc || "planned_values" in doc) {
      return withSecrets(
        { path, kind: "plan", resources: plannedResources(doc, path), notes: [`${path}: a plan given to check: its planned values were evaluated (posture review judges what the change makes worse)`] },
        sensitiveVariableValues(doc, path),
      );
    }
    if (isObj(doc.values) || "terraform_version" in doc) return { path, kind: "state", resources: stateResources(doc, path), notes: [] };
    throw new InputError(path, "has format_version but neither planned_values/resource_changes (a plan) nor values (a state)");
  }
  if (typeof doc.version === "number" && Array.isArray(doc.resources)) {
    throw new InputError(path, "is a raw Terraform state file; give `terraform show -json` output instead");
  }
  if (!CONFIG_KEYS.some((k) => k in doc)) {
    throw new InputError(path, "is JSON but not Terraform configuration, plan or state (no resource, provider, terraform or format_version key)");
  }
  const mod = new ConfigModule();
  mod.add(doc, path, jsonLineLocator(text));
  return configInput(path, mod);
}

/** A plan for `posture review` / `posture drift`: the parsed document, read and parsed once. */
export interface PlanDocument {
  kind: "plan";
  path: string;
  doc: Record<string, unknown>;
  /** The file's text, to point findings at the line and column of their resource. */
  text: string;
  /** Values of root variables declared sensitive, to redact. */
  secrets: unknown[];
}

/**
 * Loads `path` for a mode that wants a plan: a plan JSON comes back as its parsed document (review and
 * drift build their own models from it); anything else is loaded as `check` would load it, so the
 * caller can say what it did with it.
 */
export async function loadPlanOrInput(path: string, opts: LoadOptions = {}): Promise<PlanDocument | LoadedInput> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const opened = open(path, maxBytes);
  if (opened.form === "json" && isObj(opened.doc) && "format_version" in opened.doc && ("resource_changes" in opened.doc || "planned_values" in opened.doc || "resource_drift" in opened.doc)) {
    checkFormatVersion(opened.doc, path);
    return { kind: "plan", path, doc: opened.doc, text: opened.text, secrets: sensitiveVariableValues(opened.doc, path) };
  }
  return loadOpened(path, opened, maxBytes, opts.cacheDir ? new HclCache(opts.cacheDir) : undefined);
}

function withSecrets(input: LoadedInput, secrets: unknown[]): LoadedInput {
  return secrets.length ? { ...input, secrets } : input;
}

function configInput(path: string, mod: ConfigModule, kind: InputKind = "config"): LoadedInput {
  return { path, kind, resources: mod.resources(), notes: mod.notes, ...(mod.scopeWaivers.length ? { waivers: mod.scopeWaivers } : {}) };
}

/**
 * Files of a directory, sorted for determinism. A symlink is followed only when it leads to a file
 * inside the directory's tree; one that leads outside is left out, and `skipped` says so.
 */
function filesIn(dir: string, skipped: string[]): string[] {
  let names: string[];
  let root: string;
  try {
    names = readdirSync(dir).sort();
    root = realpathSync(dir);
  } catch {
    throw new InputError(dir, "cannot be read");
  }
  const isTerraform = (n: string) => n.endsWith(".tf") || n.endsWith(".tf.json") || n === "manifest.json";
  return names.filter((n) => {
    const p = join(dir, n);
    try {
      if (!lstatSync(p).isSymbolicLink()) return lstatSync(p).isFile();
      if (!isTerraform(n)) return false;
      const target = realpathSync(p);
      if (!insideTree(target, root)) {
        skipped.push(`${p}: a symlink that leads outside ${dir}; not read`);
        return false;
      }
      return statSync(target).isFile();
    } catch {
      if (isTerraform(n)) skipped.push(`${p}: a symlink that cannot be followed; not read`);
      return false;
    }
  });
}

const insideTree = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);

/** Terraform's override files, merged after the others: `override.tf(.json)` and `*_override.tf(.json)`. */
const isOverride = (name: string): boolean => /(^|_)override\.tf(\.json)?$/.test(name);

async function loadDirectory(dir: string, maxBytes: number, cache: HclCache | undefined): Promise<LoadedInput> {
  const skipped: string[] = [];
  const files = filesIn(dir, skipped);
  if (files.includes("manifest.json")) return loadCdktfOut(dir, maxBytes, join(dir, "manifest.json"));
  const tf = files.filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"));
  if (tf.length === 0) throw new InputError(dir, "has no Terraform files (*.tf, *.tf.json) and no cdktf manifest.json");
  const mod = new ConfigModule();
  mod.notes.push(...skipped);
  // Terraform reads override files after the others, whatever their names.
  for (const f of [...tf.filter((n) => !isOverride(n)), ...tf.filter(isOverride)]) {
    const file = join(dir, f);
    if (f.endsWith(".tf")) await addHcl(mod, file, maxBytes, isOverride(f), cache);
    else {
      const text = readText(file, maxBytes);
      mod.add(parseJson(text, file), file, jsonLineLocator(text), isOverride(f));
    }
  }
  return configInput(dir, mod);
}

/** A `cdktf.out` directory: every stack in `manifest.json`, construct paths kept. */
function loadCdktfOut(dir: string, maxBytes: number, manifestFile: string): LoadedInput {
  const manifest = parseJson(readText(manifestFile, maxBytes), manifestFile);
  if (!isObj(manifest) || !isObj(manifest.stacks)) throw new InputError(manifestFile, "is not a cdktf manifest (no stacks)");
  const resources: Resource[] = [];
  const notes: string[] = [];
  const waivers: Waiver[] = [];
  for (const name of Object.keys(manifest.stacks).sort()) {
    const stack = manifest.stacks[name];
    const rel = isObj(stack) ? stack.synthesizedStackPath : undefined;
    if (typeof rel !== "string" || rel.includes("..")) throw new InputError(manifestFile, `stack ${name} has no valid synthesizedStackPath`);
    const file = join(dir, rel);
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      throw new InputError(file, "no such file or directory (listed in the cdktf manifest)");
    }
    if (!insideTree(real, realpathSync(dir))) throw new InputError(manifestFile, `stack ${name}'s file leads outside ${dir}; not read`);
    const text = readText(file, maxBytes);
    const mod = new ConfigModule();
    mod.add(parseJson(text, file), file, jsonLineLocator(text));
    resources.push(...mod.resources());
    notes.push(...mod.notes);
    // Stacks that carry the same scope waiver (a shared construct) declare it once.
    for (const w of mod.scopeWaivers) if (!waivers.some((x) => x.rule === w.rule && x.reason === w.reason && x.expires === w.expires && x.owner === w.owner)) waivers.push(w);
  }
  if (Object.keys(manifest.stacks).length === 0) throw new InputError(manifestFile, "lists no stacks");
  return { path: dir, kind: "config", resources, notes, ...(waivers.length ? { waivers } : {}) };
}

let hcl2json: typeof import("@cdktn/hcl2json") | undefined;

async function addHcl(mod: ConfigModule, file: string, maxBytes: number, override = false, cache?: HclCache): Promise<void> {
  const text = readText(file, maxBytes);
  // Loaded on first use: a plan, a JSON configuration or a fully cached directory never loads the WASM parser.
  let doc: unknown = cache?.get(text);
  if (doc === undefined) {
    doc = await parseHcl(file, text);
    cache?.set(text, doc);
  }
  mod.add(doc, file, hclLineLocator(text), override);
}

async function parseHcl(file: string, text: string): Promise<unknown> {
  hcl2json ??= await import("@cdktn/hcl2json");
  try {
    return await hcl2json.parse(file, text);
  } catch (e) {
    const m = /:(\d+),(\d+)(?:-[\d,]+)?: ([^;\]]+)/.exec(String((e as Error)?.message ?? e));
    throw m ? new InputError(`${file}:${m[1]}:${m[2]}`, `HCL does not parse: ${m[3].trim()}`) : new InputError(file, "HCL does not parse");
  }
}
