/**
 * Every input kind to the one model, detected from content: Terraform JSON configuration, a directory
 * of `*.tf` / `*.tf.json`, a `cdktf.out` directory (stacks from `manifest.json`), plan JSON and state JSON.
 * Plans and states are loaded here; configurations by ./config-files, required only when one is met,
 * so that a plan review never loads the HCL parser and evaluator.
 */
import { lstatSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { InputError } from "../errors";
import type { HclCache } from "./hcl-cache";
import { checkFormatVersion, isObj, plannedResources, sensitiveVariableValues, stateResources } from "./load-plan";
import { type LoadedInput, providerOf } from "../model/model";
import { checkPlanShape, checkStateShape } from "./plan-shape";
import { readJsonBytes } from "./plan-reader";
import { skipSpace } from "./json-scan";
import { decode, DEFAULT_MAX_BYTES, parseJson, readAheadOf, readBytes, readStdin, STDIN_NAME, STDIN_PATH, utf8Bytes } from "./read-input";

/** The configuration loaders, required on first use (see the top of this file). */
const configFiles = (): typeof import("./config-files") => require("./config-files");

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

/** Opens `path`; `ahead` is its bytes when they were read ahead (see readAhead): a regular file's. */
function open(path: string, maxBytes: number, ahead?: Buffer): Opened {
  if (path === STDIN_PATH) {
    const text = readStdin(maxBytes);
    if (!/^\s*[{[]/.test(text)) throw new InputError(STDIN_NAME, "is not JSON (standard input takes Terraform JSON, a plan or a state; give HCL as a .tf file)");
    return { form: "json", text, doc: parseJson(text, STDIN_NAME) };
  }
  if (ahead && ahead.length > maxBytes) ahead = undefined;
  if (!ahead) {
    let isDir: boolean;
    try {
      // stat, not lstat: a symlink to a configuration directory is that directory.
      isDir = statSync(path).isDirectory();
    } catch {
      throw new InputError(path, "no such file or directory");
    }
    if (isDir) return { form: "directory" };
  }
  if (path.endsWith(".tf")) return { form: "hcl" };
  const raw = ahead ?? readBytes(path, maxBytes);
  const bytes = utf8Bytes(raw, path);
  const first = bytes[skipSpace(bytes, 0)];
  // Plans and states are read selectively from the bytes (only what rules read is built, and the text
  // is decoded only if asked for); other JSON is decoded and parsed whole.
  if ((first === 0x7b || first === 0x5b) && bytes.includes('"format_version"')) {
    let text: string | undefined;
    return lazyText({ form: "json", doc: readJsonBytes(raw, bytes, path) }, () => (text ??= bytes.toString("utf8")));
  }
  const text = decode(raw, path);
  if (!/^\s*[{[]/.test(text)) throw new InputError(path, "is neither JSON nor a .tf file (HCL files must end in .tf)");
  return { form: "json", text, doc: parseJson(text, path) };
}

async function loadOpened(path: string, opened: Opened, maxBytes: number, vars: readonly VariableSource[], cache: HclCache | undefined): Promise<LoadedInput> {
  if (opened.form === "json") return loadJsonDocument(opened.doc, () => opened.text, path, maxBytes);
  return configFiles().loadConfiguration(path, opened.form, maxBytes, vars, cache);
}

export async function loadPath(path: string, opts: LoadOptions = {}): Promise<LoadedInput> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return withNothingToJudge(await loadOpened(nameOf(path), open(path, maxBytes, await readAheadOf(path)), maxBytes, opts.variables ?? [], cacheOf(opts)));
}

/** The HCL cache, made (its folder created, or refused) whatever the input turns out to be. */
function cacheOf(opts: LoadOptions): HclCache | undefined {
  if (!opts.cacheDir) return undefined;
  return new (require("./hcl-cache") as typeof import("./hcl-cache")).HclCache(opts.cacheDir);
}

/** Says so when an input has no Okta or Cloudflare resource: a clean report would otherwise read as a pass. */
function withNothingToJudge(input: LoadedInput): LoadedInput {
  if (input.resources.some((r) => r.mode === "managed" && providerOf(r.type) !== undefined)) return input;
  return { ...input, notes: [...input.notes, `${input.path}: has no Okta or Cloudflare resource; nothing was judged`] };
}

/**
 * Classifies a parsed JSON document and loads it. `text` may be a function that gives it: a plan or
 * state never needs its text here.
 */
export function loadJsonDocument(doc: unknown, text: string | (() => string), path: string, maxBytes = DEFAULT_MAX_BYTES): LoadedInput {
  if (!isObj(doc)) throw new InputError(path, "is JSON but not an object: not Terraform configuration, plan or state");
  if (isObj(doc.stacks) && basename(path) === "manifest.json") return configFiles().loadCdktfOut(join(path, ".."), maxBytes, path);
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
  // The text exists already (a file's): lines are found as the configuration is read, and the text let go.
  return configFiles().jsonConfiguration(doc, path, typeof text === "string" ? text : text());
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
  const opened = open(path, maxBytes, await readAheadOf(path));
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

/** True when `p` is a directory or an HCL file: what `--var` can apply to. */
function isConfigurationPath(p: string): boolean {
  try {
    return lstatSync(p).isDirectory() || p.endsWith(".tf") || p.endsWith(".tf.json");
  } catch {
    return false;
  }
}
