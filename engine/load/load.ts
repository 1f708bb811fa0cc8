/**
 * Every input kind to the one model, detected from content: Terraform JSON configuration, a directory
 * of `*.tf` / `*.tf.json`, a `cdktf.out` directory (stacks from `manifest.json`), plan JSON and state JSON.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { constantValue } from "../hcl/config-eval";
import { InputError } from "../errors";
import { type Bound, Evaluator, parseExpressionOrNull } from "../hcl/hcl-eval";
import { HclCache } from "./hcl-cache";
import { convertToType } from "../hcl/hcl-types";
import { checkHclSize, InstanceBudget } from "./limits";
import { ConfigModule, hclLineLocator, jsonLineLocator } from "./load-config";
import { checkFormatVersion, isObj, plannedResources, sensitiveVariableValues, stateResources } from "./load-plan";
import { type InputKind, type LoadedInput, providerOf, type Resource, UNKNOWN, type Waiver } from "../model/model";
import { checkPlanShape, checkStateShape } from "./plan-shape";
import { readJsonInput } from "./plan-reader";
import { skipSpace } from "./json-scan";
import { decode, DEFAULT_MAX_BYTES, parseJson, readBytes, readStdin, readText, STDIN_NAME, STDIN_PATH, utf8Bytes } from "./read-input";

export interface LoadOptions {
  /** Inputs larger than this are refused before they are read. Default 1 GiB. */
  maxBytes?: number;
  /**
   * Root variable values from the command line (`--var NAME=VALUE`, `--var-file FILE`), in order. They
   * override the configuration directory's `terraform.tfvars` and `*.auto.tfvars(.json)`, as in Terraform.
   */
  variables?: readonly VariableSource[];
  /** A directory for parsed HCL, keyed by content (see {@link HclCache}); CI re-runs skip the HCL parser for unchanged files. Default: no cache. */
  cacheDir?: string;
}

/** One `--var NAME=VALUE` or `--var-file FILE`. */
export type VariableSource = { name: string; value: string } | { file: string };

/** Loads every path; each becomes one input of the report. */
export async function loadPaths(paths: readonly string[], opts: LoadOptions = {}): Promise<LoadedInput[]> {
  if (opts.variables?.length && !paths.some((p) => isConfigurationPath(p))) throw new InputError(paths[0] ?? ".", "--var and --var-file set root variables of a Terraform configuration; none of the paths is one (*.tf or a directory of them)");
  const out: LoadedInput[] = [];
  for (const p of paths) out.push(await loadPath(p, opts));
  return out;
}

const CONFIG_KEYS = ["resource", "provider", "terraform", "data", "variable", "locals", "module", "output"];

/** A path read just far enough to choose its loader. */
type Opened = { form: "directory" } | { form: "hcl" } | { form: "json"; text: string; doc: unknown };

function open(path: string, maxBytes: number): Opened {
  if (path === STDIN_PATH) {
    const text = readStdin(maxBytes);
    if (!/^\s*[{[]/.test(text)) throw new InputError(STDIN_NAME, "is not JSON (standard input takes Terraform JSON, a plan or a state; give HCL as a .tf file)");
    return { form: "json", text, doc: parseJson(text, STDIN_NAME) };
  }
  let isDir: boolean;
  try {
    // stat, not lstat: a symlink to a configuration directory is that directory.
    isDir = statSync(path).isDirectory();
  } catch {
    throw new InputError(path, "no such file or directory");
  }
  if (isDir) return { form: "directory" };
  if (path.endsWith(".tf")) return { form: "hcl" };
  const raw = readBytes(path, maxBytes);
  const bytes = utf8Bytes(raw, path);
  const first = bytes[skipSpace(bytes, 0)];
  // Plans and states are read selectively from the bytes (only what rules read is built, and the text
  // is decoded only if asked for); other JSON is decoded and parsed whole.
  if ((first === 0x7b || first === 0x5b) && bytes.includes('"format_version"')) {
    let text: string | undefined;
    return lazyText({ form: "json", doc: readJsonInput(bytes, path) }, () => (text ??= bytes.toString("utf8")));
  }
  const text = decode(raw, path);
  if (!/^\s*[{[]/.test(text)) throw new InputError(path, "is neither JSON nor a .tf file (HCL files must end in .tf)");
  return { form: "json", text, doc: parseJson(text, path) };
}

async function loadOpened(path: string, opened: Opened, maxBytes: number, vars: readonly VariableSource[], cache: HclCache | undefined): Promise<LoadedInput> {
  if (opened.form === "directory") return loadDirectory(path, maxBytes, vars, cache);
  if (opened.form === "json") return loadJsonDocument(opened.doc, () => opened.text, path, maxBytes);
  const mod = new ConfigModule();
  await addHcl(mod, path, maxBytes, false, cache);
  mod.dir = dirname(path);
  await loadChildModules(mod, dirname(path), maxBytes, [realDir(dirname(path))], cache);
  return configInput(path, mod, await rootVariables(mod, [], vars, maxBytes));
}

export async function loadPath(path: string, opts: LoadOptions = {}): Promise<LoadedInput> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return withNothingToJudge(await loadOpened(nameOf(path), open(path, maxBytes), maxBytes, opts.variables ?? [], cacheOf(opts)));
}

const cacheOf = (opts: LoadOptions): HclCache | undefined => (opts.cacheDir ? new HclCache(opts.cacheDir) : undefined);

/** Says so when an input has no Okta or Cloudflare resource: a clean report would otherwise read as a pass. */
function withNothingToJudge(input: LoadedInput): LoadedInput {
  if (input.resources.some((r) => r.mode === "managed" && providerOf(r.type) !== undefined)) return input;
  return { ...input, notes: [...input.notes, `${input.path}: has no Okta or Cloudflare resource; nothing was judged`] };
}

/** Classifies a parsed JSON document and loads it. */
/** `text` may be a function that gives it: a plan or state never needs its text here, so it is never decoded. */
export function loadJsonDocument(doc: unknown, text: string | (() => string), path: string, maxBytes = DEFAULT_MAX_BYTES): LoadedInput {
  if (!isObj(doc)) throw new InputError(path, "is JSON but not an object: not Terraform configuration, plan or state");
  if (isObj(doc.stacks) && basename(path) === "manifest.json") return loadCdktfOut(join(path, ".."), maxBytes, path);
  if ("format_version" in doc) {
    checkFormatVersion(doc, path);
    if ("resource_changes" in doc || "planned_values" in doc) {
      checkPlanShape(doc, path);
      return withSecrets(
        { path, kind: "plan", resources: plannedResources(doc, path), notes: [`${path}: a plan given to check: its planned values were evaluated (posture review judges what the change makes worse)`] },
        sensitiveVariableValues(doc, path),
      );
    }
    if (isObj(doc.values) || "terraform_version" in doc) {
      checkStateShape(doc, path);
      return { path, kind: "state", resources: stateResources(doc, path), notes: [] };
    }
    throw new InputError(path, "has format_version but neither planned_values/resource_changes (a plan) nor values (a state)");
  }
  if (typeof doc.version === "number" && Array.isArray(doc.resources)) {
    throw new InputError(path, "is a raw Terraform state file; give `terraform show -json` output instead");
  }
  if (!CONFIG_KEYS.some((k) => k in doc)) {
    throw new InputError(path, "is JSON but not Terraform configuration, plan or state (no resource, provider, terraform or format_version key)");
  }
  const mod = new ConfigModule();
  mod.add(doc, path, jsonLineLocator(typeof text === "string" ? text : text()));
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
  path = nameOf(path);
  if (opened.form === "json" && isObj(opened.doc) && "format_version" in opened.doc && ("resource_changes" in opened.doc || "planned_values" in opened.doc || "resource_drift" in opened.doc)) {
    checkFormatVersion(opened.doc, path);
    checkPlanShape(opened.doc, path);
    // The text is decoded only if a finding's position needs it (see plan-reader's addressPositions).
    return lazyText({ kind: "plan", path, doc: opened.doc, secrets: sensitiveVariableValues(opened.doc, path) }, () => opened.text);
  }
  return loadOpened(path, opened, maxBytes, opts.variables ?? [], cacheOf(opts));
}

/**
 * `o` with a `text` member that `give` computes when it is first read. Not enumerable: a copy of `o`
 * (`{ ...o }`) must not decode a plan's whole text that nothing reads.
 */
function lazyText<T extends object>(o: T, give: () => string): T & { text: string } {
  return Object.defineProperty(o, "text", { get: give, enumerable: false, configurable: true }) as T & { text: string };
}

/** The name an input goes by in messages and reports: standard input has no path. */
const nameOf = (path: string): string => (path === STDIN_PATH ? STDIN_NAME : path);

function withSecrets(input: LoadedInput, secrets: unknown[]): LoadedInput {
  return secrets.length ? { ...input, secrets } : input;
}

function configInput(path: string, mod: ConfigModule, inputs?: ReadonlyMap<string, Bound>, kind: InputKind = "config"): LoadedInput {
  return { path, kind, resources: mod.resources(inputs), notes: mod.notes, ...(mod.scopeWaivers.length ? { waivers: mod.scopeWaivers } : {}) };
}

/** True when `p` is a directory or an HCL file: what `--var` can apply to. */
function isConfigurationPath(p: string): boolean {
  try {
    return lstatSync(p).isDirectory() || p.endsWith(".tf") || p.endsWith(".tf.json");
  } catch {
    return false;
  }
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
    const where = call.line ? `${call.file}:${call.line}` : call.file;
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
function loadCdktfOut(dir: string, maxBytes: number, manifestFile: string): LoadedInput {
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
