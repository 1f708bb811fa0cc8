/**
 * Terraform configurations read from files, for `posture check`, `review` given a configuration, and
 * `review --synth`: a directory of `*.tf` / `*.tf.json` with its local modules and variable files, one
 * `.tf` file, Terraform JSON, and a `cdktf.out` directory. Everything that needs the HCL parser and evaluator is
 * here, so that ./load requires this module only for a configuration: a plan or state never loads it.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { constantValue } from "../hcl/config-eval";
import { InputError } from "../errors";
import { type Bound, Evaluator, parseExpressionOrNull } from "../hcl/hcl-eval";
import type { HclCache } from "./hcl-cache";
import { convertToType } from "../hcl/hcl-types";
import { checkHclSize, InstanceBudget } from "./limits";
import { ConfigModule } from "./load-config";
import { hclLineLocator, jsonLineLocator } from "./line-locators";
import { isObj } from "./load-plan";
import { type InputKind, type LoadedInput, type Resource, UNKNOWN, type Waiver } from "../model/model";
import { parseJson, readText } from "./read-input";
import type { VariableSource } from "./load";

/** A configuration directory or `.tf` file (`form` says which), with its local modules and root variables. */
export async function loadConfiguration(path: string, form: "directory" | "hcl", maxBytes: number, vars: readonly VariableSource[], cache: HclCache | undefined): Promise<LoadedInput> {
  if (form === "directory") return loadDirectory(path, maxBytes, vars, cache);
  const mod = new ConfigModule();
  await addHcl(mod, path, maxBytes, false, cache);
  mod.dir = dirname(path);
  await loadChildModules(mod, dirname(path), maxBytes, [realDir(dirname(path))], cache);
  return configInput(path, mod, await rootVariables(mod, [], vars, maxBytes));
}

/**
 * A parsed Terraform JSON configuration; `text`, its text, gives each resource's line (a function that
 * gives it is called only when a line is read).
 */
export function jsonConfiguration(doc: Record<string, unknown>, path: string, text: string | (() => string)): LoadedInput {
  const mod = new ConfigModule();
  mod.add(doc, path, jsonLineLocator(text));
  return configInput(path, mod);
}

function configInput(path: string, mod: ConfigModule, inputs?: ReadonlyMap<string, Bound>, kind: InputKind = "config"): LoadedInput {
  return { path, kind, resources: mod.resources(inputs), notes: mod.notes, ...(mod.scopeWaivers.length ? { waivers: mod.scopeWaivers } : {}) };
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
  // Variable files too: `terraform.tfvars -> env/prod.tfvars` is a common layout, and Terraform reads it.
  const isTerraform = (n: string) => /\.tf(\.json)?$|\.tfvars(\.json)?$/.test(n) || n === "manifest.json";
  return names.filter((n) => {
    const p = join(dir, n);
    try {
      const st = lstatSync(p);
      if (!st.isSymbolicLink()) {
        if (!st.isFile() && !st.isDirectory() && isTerraform(n)) skipped.push(`${p}: not a regular file (a pipe, device or socket); not read`);
        return st.isFile();
      }
      if (!isTerraform(n)) return false;
      const target = realpathSync(p);
      if (!insideTree(target, root)) {
        skipped.push(`${p}: a symlink that leads outside ${dir}; not read`);
        return false;
      }
      const isFile = statSync(target).isFile();
      if (!isFile && !statSync(target).isDirectory()) skipped.push(`${p}: a symlink to something that is not a regular file; not read`);
      return isFile;
    } catch {
      if (isTerraform(n)) skipped.push(`${p}: a symlink that cannot be followed; not read`);
      return false;
    }
  });
}

const insideTree = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);

/** Terraform's override files, merged after the others: `override.tf(.json)` and `*_override.tf(.json)`. */
const isOverride = (name: string): boolean => /(^|_)override\.tf(\.json)?$/.test(name);

async function loadDirectory(dir: string, maxBytes: number, vars: readonly VariableSource[], cache: HclCache | undefined): Promise<LoadedInput> {
  const skipped: string[] = [];
  const files = filesIn(dir, skipped);
  if (files.includes("manifest.json")) return loadCdktfOut(dir, maxBytes, join(dir, "manifest.json"));
  const mod = await readModuleDir(dir, files, maxBytes, cache);
  mod.notes.push(...skipped);
  await loadChildModules(mod, dir, maxBytes, [realDir(dir)], cache);
  return configInput(dir, mod, await rootVariables(mod, files.map((f) => join(dir, f)), vars, maxBytes));
}

/** One module's directory: its `*.tf` and `*.tf.json` files, override files merged last. */
async function readModuleDir(dir: string, files: readonly string[], maxBytes: number, cache: HclCache | undefined): Promise<ConfigModule> {
  const tf = files.filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"));
  if (tf.length === 0) {
    const json = files.some((f) => f.endsWith(".json"));
    throw new InputError(dir, `has no Terraform files (*.tf, *.tf.json) and no cdktf manifest.json${json ? "; to check a plan or state JSON, pass the file itself" : ""}`);
  }
  const mod = new ConfigModule();
  mod.dir = dir;
  // Terraform reads override files after the others, whatever their names.
  for (const f of [...tf.filter((n) => !isOverride(n)), ...tf.filter(isOverride)]) {
    const file = join(dir, f);
    if (f.endsWith(".tf")) await addHcl(mod, file, maxBytes, isOverride(f), cache);
    else {
      const text = readText(file, maxBytes);
      mod.add(parseJson(text, file), file, jsonLineLocator(text), isOverride(f));
    }
  }
  return mod;
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    throw new InputError(dir, "cannot be read");
  }
}

/** Local module sources (`./x`, `../x`), as Terraform reads them without `terraform init`. */
const isLocalSource = (s: unknown): s is string => typeof s === "string" && (s.startsWith("./") || s.startsWith("../"));

/** Modules called more deeply than this are refused (a module that calls itself through others). */
const MAX_MODULE_NESTING = 32;

/**
 * Loads the local modules `mod` calls, and theirs, once per directory. Registry and git sources are
 * left to the evaluation, which says once per call that they are not evaluated.
 */
async function loadChildModules(mod: ConfigModule, dir: string, maxBytes: number, chain: string[], hclCache: HclCache | undefined, modules = new Map<string, ConfigModule>()): Promise<void> {
  for (const call of mod.calls) {
    const src = call.body.source;
    if (!isLocalSource(src)) continue;
    const where = String(call.at);
    const childDir = join(dir, src.replace(/\/\/.*$/, ""));
    let real: string;
    try {
      real = realpathSync(childDir);
      if (!statSync(real).isDirectory()) throw new Error();
    } catch {
      throw new InputError(where, `module.${call.name}: source "${src}" is not a directory (${childDir})`);
    }
    if (chain.includes(real)) throw new InputError(where, `module.${call.name}: source "${src}" calls a module that is already calling it; Terraform refuses this configuration`);
    if (chain.length > MAX_MODULE_NESTING) throw new InputError(where, `module.${call.name} nests modules deeper than ${MAX_MODULE_NESTING} levels`);
    let child = modules.get(real);
    if (!child) {
      const skipped: string[] = [];
      child = await readModuleDir(childDir, filesIn(childDir, skipped), maxBytes, hclCache);
      mod.notes.push(...skipped);
      modules.set(real, child);
      await loadChildModules(child, childDir, maxBytes, [...chain, real], hclCache, modules);
      mod.notes.push(...child.notes.splice(0));
    }
    mod.children.set(call.name, child);
  }
}

/** Terraform's automatic variable files, in the order it reads them. */
function autoVariableFiles(files: readonly string[]): string[] {
  const named = (n: string) => files.filter((f) => basename(f) === n);
  const auto = files.filter((f) => /\.auto\.tfvars(\.json)?$/.test(basename(f))).sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0));
  return [...named("terraform.tfvars"), ...named("terraform.tfvars.json"), ...auto];
}

/**
 * Root variable values in Terraform's precedence (later wins): `terraform.tfvars`,
 * `terraform.tfvars.json`, `*.auto.tfvars(.json)` in name order, then `--var` and `--var-file` in
 * command-line order. Values in the directory's files are written in the code (SECRET-1 sees them);
 * values from the command line are not.
 */
async function rootVariables(mod: ConfigModule, files: readonly string[], sources: readonly VariableSource[], maxBytes: number): Promise<Map<string, Bound>> {
  const out = new Map<string, Bound>();
  for (const f of autoVariableFiles(files)) for (const [k, v] of await readVariableFile(f, maxBytes, true)) out.set(k, v);
  for (const s of sources) {
    if ("file" in s) for (const [k, v] of await readVariableFile(s.file, maxBytes, false)) out.set(k, v);
    else if (!mod.variableBodies.has(s.name)) mod.notes.push(`--var ${s.name}: the configuration declares no variable ${s.name}; the value is not used`);
    else out.set(s.name, commandLineValue(mod, s.name, s.value));
  }
  return out;
}

/** A `--var` value: a string, or an HCL expression for a variable of a collection type, as Terraform parses it. */
function commandLineValue(mod: ConfigModule, name: string, raw: string): Bound {
  const body = mod.variableBodies.get(name);
  const type = typeof body?.type === "string" ? body.type.replace(/^\$\{\s*|\s*\}$/g, "") : undefined;
  if (type === undefined || ["string", "number", "bool"].includes(type)) return { value: convertToType(raw, type), literal: false, sensitive: false };
  const e = parseExpressionOrNull(raw);
  if (!e) throw new InputError(`--var ${name}`, `is not a valid HCL value for a variable of type ${type}`);
  const v = new Evaluator({ root: () => ({ value: UNKNOWN, used: 0 }) }).evaluateExpr(e, new Map());
  return { value: v.value, literal: false, sensitive: false };
}

async function readVariableFile(file: string, maxBytes: number, inCode: boolean): Promise<Array<[string, Bound]>> {
  const text = readText(file, maxBytes);
  let doc: unknown;
  if (file.endsWith(".json")) doc = parseJson(text, file);
  else {
    hcl2json ??= await import("@cdktn/hcl2json");
    try {
      doc = await hcl2json.parse(file, text);
    } catch {
      throw new InputError(file, "is not a valid variables file (HCL does not parse)");
    }
  }
  if (!isObj(doc)) throw new InputError(file, "is not a variables file (an object of variable values)");
  return Object.keys(doc).map((k) => {
    // A .tfvars.json value is taken as it is; a .tfvars value is an HCL expression.
    const b = file.endsWith(".json") ? { value: doc[k], literal: true, sensitive: false } : constantValue(doc[k]);
    return [k, { ...b, literal: inCode && b.literal }];
  });
}

/** One stack of a `cdktf.out` directory, as its `cdk.tf.json` declares it. */
export interface CdktfStack {
  name: string;
  /** The stack's `cdk.tf.json`. */
  file: string;
  /** The parsed `cdk.tf.json`. */
  doc: Record<string, unknown>;
  /** The file's text, to find a resource's line. */
  text: string;
  resources: Resource[];
  notes: string[];
  /** Waivers of scope findings in the stack's top-level `"//"` metadata. */
  scopeWaivers: Waiver[];
}

/** The stacks a cdktf manifest lists, in name order; each stack file must stay inside `dir`. */
export function readCdktfStacks(dir: string, maxBytes: number, manifestFile = join(dir, "manifest.json")): CdktfStack[] {
  const manifest = parseJson(readText(manifestFile, maxBytes), manifestFile);
  if (!isObj(manifest) || !isObj(manifest.stacks)) throw new InputError(manifestFile, "is not a cdktf manifest (no stacks)");
  if (Object.keys(manifest.stacks).length === 0) throw new InputError(manifestFile, "lists no stacks");
  const out: CdktfStack[] = [];
  // The stacks of one cdktf.out are one input: they share one instance limit.
  const budget = new InstanceBudget();
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
    const doc = parseJson(text, file);
    const mod = new ConfigModule();
    mod.add(doc, file, jsonLineLocator(text));
    out.push({ name, file, doc: doc as Record<string, unknown>, text, resources: mod.resources(new Map(), budget), notes: mod.notes, scopeWaivers: mod.scopeWaivers });
  }
  return out;
}

/** Adds the waivers not yet in `into` (stacks that share a construct declare the same scope waiver). */
export function addDistinctWaivers(into: Waiver[], waivers: readonly Waiver[]): void {
  for (const w of waivers) if (!into.some((x) => x.rule === w.rule && x.reason === w.reason && x.expires === w.expires && x.owner === w.owner)) into.push(w);
}

/** A `cdktf.out` directory: every stack in `manifest.json`, construct paths kept. */
export function loadCdktfOut(dir: string, maxBytes: number, manifestFile: string): LoadedInput {
  const resources: Resource[] = [];
  const notes: string[] = [];
  const waivers: Waiver[] = [];
  for (const stack of readCdktfStacks(dir, maxBytes, manifestFile)) {
    resources.push(...stack.resources);
    notes.push(...stack.notes);
    addDistinctWaivers(waivers, stack.scopeWaivers);
  }
  return { path: dir, kind: "config", resources, notes, ...(waivers.length ? { waivers } : {}) };
}

let hcl2json: typeof import("@cdktn/hcl2json") | undefined;

async function addHcl(mod: ConfigModule, file: string, maxBytes: number, override = false, cache?: HclCache): Promise<void> {
  const text = readText(file, maxBytes);
  checkHclSize(text, file);
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
