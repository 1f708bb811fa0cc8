/**
 * `--repo-root`: points every finding of a plan review at a file inside the repository, so that code
 * scanning can anchor it (a plan sits in the runner's temp directory). The plan location stays on the
 * finding (`plan`) and SARIF keeps it as a related location.
 *
 * - HCL: the `.tf` (or `.tf.json`) file and line that declare the resource. A plan's `configuration` names each module
 *   call and its `source`; the root module is the directory of the repository whose `.tf` files declare
 *   exactly the plan's root resources and module calls; a local module (`./modules/idp`) resolves from
 *   its caller's directory; a registry or git module, whose code is not in the repository, points at the
 *   `module` block that calls it.
 * - CDKTF (`--synth`): the resource's line in its stack's `cdk.tf.json`.
 * - What no declaration carries (a scope finding, a resource the change removes from the code) points
 *   at the module's first file (`main.tf` when there is one) or the stack's file, line 1.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { Finding, Notice } from "../evaluate/evaluate";
import { jsonLineLocator } from "../load/line-locators";
import { configAddress, isObj } from "../load/load-plan";
import type { SourceLocation } from "../model/model";
import type { PlanDoc } from "./review";
import type { SynthJoin } from "./synth-join";

type Json = Record<string, unknown>;

/** Directories never searched for Terraform code: tool caches, dependencies, synth output. */
const SKIPPED_DIRS = new Set(["node_modules", "cdktf.out", "dist"]);
/** Bounds on the repository walk: a repository larger than this is mapped as far as the walk got. */
const MAX_FILES = 20_000;
const MAX_DEPTH = 32;

/** The declarations of one directory's `.tf` files: `type.name`, `data.type.name`, `module.name` -> where. */
interface DirIndex {
  decls: Map<string, SourceLocation>;
  /** The file a finding without a declaration points at: `main.tf`, else the first file by name. */
  home: string;
}

/** A block label is a quoted string or, as HCL also allows, a bare identifier (`resource terraform_data a {`). */
const LABEL = String.raw`(?:"([^"]+)"|([A-Za-z_][\w-]*))`;
const DECLARATION = new RegExp(String.raw`^\s*(resource|data|module)\s+${LABEL}(?:\s+${LABEL})?\s*\{`);

/** The declarations of one `.tf` file: `type.name`, `data.type.name`, `module.name` with their lines. */
function hclDeclarations(text: string, found: (key: string, line: number) => void): void {
  text.split("\n").forEach((l, i) => {
    const m = DECLARATION.exec(l);
    if (!m) return;
    const first = m[2] ?? m[3];
    const second = m[4] ?? m[5];
    if (m[1] !== "module" && second === undefined) return;
    found(m[1] === "module" ? `module.${first}` : `${m[1] === "data" ? "data." : ""}${first}.${second}`, i + 1);
  });
}

/** The declarations of one `.tf.json` file (Terraform's JSON syntax), located by {@link jsonLineLocator}. */
function jsonDeclarations(text: string, found: (key: string, line: number) => void): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return;
  }
  if (!isObj(doc)) return;
  const lineOf = jsonLineLocator(text);
  for (const [section, mode, prefix] of [["resource", "managed", ""], ["data", "data", "data."]] as const) {
    const types = doc[section];
    if (!isObj(types)) continue;
    for (const [type, names] of Object.entries(types)) if (isObj(names)) for (const name of Object.keys(names)) found(`${prefix}${type}.${name}`, lineOf(mode, type, name) ?? 1);
  }
  if (isObj(doc.module)) for (const name of Object.keys(doc.module)) found(`module.${name}`, lineOf("module", name, "") ?? 1);
}

/** Every directory under `root` that holds `.tf` or `.tf.json` files, indexed by absolute path. */
function indexRepository(root: string, notices: Notice[]): Map<string, DirIndex> {
  const dirs = new Map<string, DirIndex>();
  let files = 0;
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH || files >= MAX_FILES) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    const tf: string[] = [];
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!n.startsWith(".") && !SKIPPED_DIRS.has(n)) walk(p, depth + 1);
      } else if (st.isFile() && (n.endsWith(".tf") || n.endsWith(".tf.json")) && files++ < MAX_FILES) tf.push(n);
    }
    if (tf.length === 0) return;
    const decls = new Map<string, SourceLocation>();
    for (const n of tf) {
      const file = join(dir, n);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        continue;
      }
      (n.endsWith(".tf.json") ? jsonDeclarations : hclDeclarations)(text, (key, line) => {
        if (!decls.has(key)) decls.set(key, { file, line });
      });
    }
    dirs.set(dir, { decls, home: join(dir, tf.includes("main.tf") ? "main.tf" : tf[0]) });
  };
  walk(root, 0);
  if (files >= MAX_FILES) notices.push({ level: "warning", message: `--repo-root ${root} holds more than ${MAX_FILES} .tf files; findings were mapped to the files read first` });
  return dirs;
}

/** One module of a plan's configuration, where its code sits in the repository. */
interface ModuleNode {
  config: Json;
  /** The directory of the module's code, when it is in the repository. */
  dir?: string;
  /** The `module` block that calls a module whose code is not in the repository. */
  callSite?: SourceLocation;
}

/** The declarations a module of the plan's configuration makes: its resources and module calls. */
function declaredBy(config: Json): string[] {
  const out: string[] = [];
  if (Array.isArray(config.resources)) for (const r of config.resources) if (isObj(r) && typeof r.address === "string") out.push(r.address);
  if (isObj(config.module_calls)) for (const name of Object.keys(config.module_calls)) out.push(`module.${name}`);
  return out;
}

/** The directory that declares every root declaration of the plan (exactly those first). */
function rootDirectory(planPath: string, root: Json, dirs: ReadonlyMap<string, DirIndex>, notices: Notice[]): string | undefined {
  const wanted = declaredBy(root);
  if (wanted.length === 0) return undefined;
  const covering = [...dirs].filter(([, d]) => wanted.every((w) => d.decls.has(w)));
  const exact = covering.filter(([, d]) => d.decls.size === new Set(wanted).size);
  const candidates = (exact.length > 0 ? exact : covering).map(([dir]) => dir).sort();
  if (candidates.length <= 1) return candidates[0];
  // dev and prod copies of one root module: the plan's name says which (dev.json, plans/prod/plan.json).
  const hints = [basename(planPath).replace(/\.json$/i, ""), basename(dirname(resolve(planPath)))];
  const named = candidates.filter((c) => hints.includes(basename(c)));
  const chosen = named.length === 1 ? named[0] : candidates[0];
  notices.push({ level: "info", message: `${planPath}: ${candidates.length} directories declare its root module (${candidates.join(", ")}); findings point at ${chosen}` });
  return chosen;
}

/** The module node of a (config) address, and the resource part of the address. */
function moduleOf(rootNode: ModuleNode, address: string, dirs: ReadonlyMap<string, DirIndex>): { node: ModuleNode; resource: string } {
  let node = rootNode;
  let rest = configAddress(address);
  for (let m = /^module\.([^.]+)\./.exec(rest); m; m = /^module\.([^.]+)\./.exec(rest)) {
    rest = rest.slice(m[0].length);
    const call = isObj(node.config.module_calls) ? node.config.module_calls[m[1]] : undefined;
    const callSite = (node.dir ? dirs.get(node.dir)?.decls.get(`module.${m[1]}`) : undefined) ?? node.callSite;
    const source = isObj(call) && typeof call.source === "string" ? call.source : "";
    const local = node.dir && /^\.\.?\//.test(source) ? resolve(node.dir, source) : undefined;
    node = { config: isObj(call) && isObj(call.module) ? call.module : {}, ...(local && dirs.has(local) ? { dir: local } : callSite ? { callSite } : {}) };
  }
  return { node, resource: rest };
}

function locate(node: ModuleNode, resource: string, dirs: ReadonlyMap<string, DirIndex>): SourceLocation | undefined {
  const index = node.dir ? dirs.get(node.dir) : undefined;
  return index?.decls.get(resource) ?? node.callSite ?? (index ? { file: index.home, line: 1 } : undefined);
}

const inside = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);
const repoPath = (file: string, root: string): string => relative(root, file).split(sep).join("/");

/**
 * Points each finding's `source` at the repository file that declares its resource (the `plan`
 * location is kept); returns notices about what could not be mapped.
 */
export function mapToRepository(findings: readonly Finding[], plans: readonly PlanDoc[], repoRoot: string, synth: SynthJoin | undefined, configFile?: string): Notice[] {
  const root = resolve(repoRoot);
  const notices: Notice[] = [];
  let dirs: Map<string, DirIndex> | undefined;
  const modules = new Map<string, ModuleNode | undefined>();
  const rootNodeOf = (plan: PlanDoc): ModuleNode | undefined => {
    if (modules.has(plan.path)) return modules.get(plan.path);
    const config = isObj(plan.doc.configuration) && isObj(plan.doc.configuration.root_module) ? plan.doc.configuration.root_module : undefined;
    dirs ??= indexRepository(root, notices);
    const dir = config ? rootDirectory(plan.path, config, dirs, notices) : undefined;
    const node = config && dir ? { config, dir } : undefined;
    if (!node) notices.push({ level: "warning", message: `${plan.path}: no directory under ${repoRoot} declares the plan's root module${config ? "" : " (the plan has no configuration)"}; its findings point at the plan` });
    modules.set(plan.path, node);
    return node;
  };
  /** Where a plan's findings without a declaration point: its stack's file or its root module's first file. */
  const homeOf = (plan: PlanDoc): SourceLocation | undefined => {
    const stack = synth?.stackOf.get(plan.path);
    if (stack) return { file: stack.file, line: 1 };
    const node = rootNodeOf(plan);
    return node?.dir ? { file: dirs!.get(node.dir)!.home, line: 1 } : undefined;
  };
  const byPath = new Map(plans.map((p) => [p.path, p]));
  const locationOf = (f: Finding): SourceLocation | undefined => {
    const plan = f.plan ? byPath.get(f.plan.file) : undefined;
    if (!plan) {
      if (f.source?.file && f.source.file === configFile) return { file: f.source.file };
      // A scope finding belongs to no plan: the first plan's home stands for the whole change.
      for (const p of [...plans].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
        const home = homeOf(p);
        if (home) return home;
      }
      return undefined;
    }
    if (synth?.stackOf.has(plan.path)) return synth.declaration(plan.path, f.address) ?? homeOf(plan);
    const node = rootNodeOf(plan);
    if (!node) return undefined;
    const { node: mod, resource } = moduleOf(node, f.address, dirs!);
    return locate(mod, resource, dirs!);
  };
  let outside = 0;
  for (const f of findings) {
    const at = locationOf(f);
    if (!at) continue;
    const abs = resolve(at.file);
    if (!inside(abs, root)) {
      outside++;
      continue;
    }
    f.source = { file: repoPath(abs, root), ...(at.line ? { line: at.line } : {}), inRepo: true };
  }
  if (outside > 0) notices.push({ level: "warning", message: `${outside} finding(s) are declared outside --repo-root ${repoRoot} (is the synth or the configuration elsewhere?); they point at the plan` });
  return notices;
}
