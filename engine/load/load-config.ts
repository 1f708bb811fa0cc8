/**
 * Terraform configuration (JSON syntax, or HCL already turned into it) to the resource model:
 * addresses with count/for_each keys, `${...}` resolved where the code says the value, construct
 * paths and in-code waivers from cdktf's `"//"` metadata, and the file and line of each resource.
 */
import { dirname } from "node:path";
import { evaluateConfiguration } from "../hcl/config-eval";
import { InputError } from "../errors";
import type { Bound } from "../hcl/hcl-eval";
import type { InstanceBudget } from "./limits";
import type { Mode, Resource, SourceLocation, Waiver } from "../model/model";
import { parseWaiver } from "../evaluate/waivers";
import type { LineLocator } from "./line-locators";

export interface Decl {
  mode: Mode;
  type: string;
  name: string;
  body: Record<string, unknown>;
  /** Where it is declared (its file and line): the resources it makes share this location. */
  at: DeclaredAt;
}

/** A `module "name" { source = ... }` call. */
export interface ModuleCall {
  name: string;
  body: Record<string, unknown>;
  at: DeclaredAt;
}

/**
 * The lines of one file's declarations. With a deferred locator (a synthesized stack, whose text is
 * made only for a line) each is found when first read: the synth-time check reads none unless it has
 * a finding. Otherwise all are found once the file is added, and the locator, which holds the file's
 * text, is let go. Either way lines are found in the order the file lists its declarations, so the
 * locator's search moves forward through the text once.
 */
class FileLines {
  private asked: Array<Parameters<LineLocator>> = [];
  private readonly found: Array<number | undefined> = [];

  constructor(private locate: LineLocator | undefined) {}

  /** Registers a declaration; its line is `line(index)`. */
  add(at: Parameters<LineLocator>): number {
    return this.asked.push(at) - 1;
  }

  line(index: number): number | undefined {
    const locate = this.locate;
    if (locate) while (this.found.length <= index) this.found.push(locate(...this.asked[this.found.length]));
    return this.found[index];
  }

  /** Finds every line now, unless the locator defers, and lets the locator and its text go. */
  settle(): void {
    if (!this.locate || this.locate.deferred) return;
    this.line(this.asked.length - 1);
    this.locate = undefined;
    this.asked = [];
  }
}

/** Where a declaration is: its file, and its line, found when first read (see FileLines). */
export class DeclaredAt implements SourceLocation {
  readonly #lines: FileLines;
  readonly #index: number;

  constructor(
    readonly file: string,
    lines: FileLines,
    at: Parameters<LineLocator>,
  ) {
    this.#lines = lines;
    this.#index = lines.add(at);
  }

  get line(): number | undefined {
    return this.#lines.line(this.#index) || undefined;
  }

  /** `file:line`, or the file alone when the line is not known: how messages name the place. */
  toString(): string {
    const line = this.line;
    return line ? `${this.file}:${line}` : this.file;
  }
}

/** Metadata keys that configure Terraform rather than the resource. */
export const META_ARGS = new Set(["count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "//", "dynamic"]);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Blocks of Terraform JSON may be an object or a list of objects; both read as a list. */
function blocks(v: unknown, file: string, what: string): Record<string, unknown>[] {
  const list = Array.isArray(v) ? v : [v];
  for (const b of list) {
    if (b === null || typeof b !== "object" || Array.isArray(b)) throw new InputError(file, `${what} is not an object`);
  }
  return list as Record<string, unknown>[];
}

/** Collects the declarations of one Terraform module, from one or more files. */
export class ConfigModule {
  readonly decls: Decl[] = [];
  private readonly seen = new Map<string, Decl>();
  readonly variableBodies = new Map<string, Record<string, unknown>>();
  readonly locals = new Map<string, unknown>();
  readonly calls: ModuleCall[] = [];
  readonly outputs = new Map<string, Record<string, unknown>>();
  /** Local modules this one calls, loaded by the loader (by call name). */
  readonly children = new Map<string, ConfigModule>();
  /** The module's directory (for `path.module`), when it was loaded from one. */
  dir?: string;
  /** The files added, in order: what the module's resources name as their unit. */
  private readonly files: string[] = [];
  readonly notes: string[] = [];
  /** Waivers in the document's top-level `"//"` metadata (a cdktf stack's scope waivers): they waive scope findings. */
  readonly scopeWaivers: Waiver[] = [];
  /** True while adding an override file (`override.tf`, `*_override.tf`): its blocks merge into the base ones. */
  private overriding = false;

  /**
   * Adds one parsed file (a Terraform JSON object). Override files (Terraform's `override.tf` and
   * `*_override.tf`, added after the others) merge into what the other files declared.
   */
  add(doc: unknown, file: string, locate: LineLocator, override = false): void {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new InputError(file, "a Terraform JSON configuration must be a JSON object");
    if (!this.files.includes(file)) this.files.push(file);
    this.overriding = override;
    const lines = new FileLines(locate);
    const d = doc as Record<string, unknown>;
    const top = d["//"] as Record<string, Record<string, unknown> | undefined> | undefined;
    const topWaivers = top?.["identity-posture"]?.waivers;
    if (Array.isArray(topWaivers)) {
      topWaivers.forEach((w, i) => this.scopeWaivers.push({ ...parseWaiver(w, "code", `${file}: scope waiver ${i + 1}`), resource: "(scope)" }));
    }
    for (const [mode, key] of [
      ["managed", "resource"],
      ["data", "data"],
    ] as const) {
      if (d[key] === undefined) continue;
      for (const byType of blocks(d[key], file, `"${key}"`)) {
        for (const [type, byName] of Object.entries(byType)) {
          if (type === "//") continue;
          for (const names of blocks(byName, file, `${key} "${type}"`)) {
            for (const [name, bodies] of Object.entries(names)) {
              if (name === "//") continue;
              for (const body of blocks(bodies, file, `${key} "${type}" "${name}"`)) this.declare({ mode, type, name, body, at: new DeclaredAt(file, lines, [mode, type, name]) });
            }
          }
        }
      }
    }
    if (d.provider !== undefined) {
      for (const byName of blocks(d.provider, file, '"provider"')) {
        for (const [name, bodies] of Object.entries(byName)) {
          for (const body of blocks(bodies, file, `provider "${name}"`)) {
            const alias = typeof body.alias === "string" ? body.alias : undefined;
            this.declare({ mode: "provider", type: `provider.${name}`, name: alias ?? name, body, at: new DeclaredAt(file, lines, ["provider", name, alias ?? name]) });
          }
        }
      }
    }
    if (d.variable !== undefined) {
      for (const byName of blocks(d.variable, file, '"variable"')) {
        for (const [name, bodies] of Object.entries(byName)) {
          const prior = override ? this.variableBodies.get(name) : undefined;
          if (override && !prior) throw new InputError(file, `override of variable ${name} has no base declaration; Terraform refuses this configuration`);
          const body = { ...(prior ?? {}), ...(blocks(bodies, file, `variable "${name}"`)[0] ?? {}) };
          this.variableBodies.set(name, body);
        }
      }
    }
    if (d.locals !== undefined) {
      for (const l of blocks(d.locals, file, '"locals"')) for (const [k, v] of Object.entries(l)) if (k !== "//") this.locals.set(k, v);
    }
    if (d.module !== undefined) {
      for (const byName of blocks(d.module, file, '"module"')) {
        for (const [name, bodies] of Object.entries(byName)) {
          if (name === "//") continue;
          const body = blocks(bodies, file, `module "${name}"`)[0] ?? {};
          const prior = this.calls.find((c) => c.name === name);
          if (override) {
            if (!prior) throw new InputError(file, `override of module.${name} has no base declaration; Terraform refuses this configuration`);
            prior.body = { ...prior.body, ...body };
          } else if (prior) {
            throw new InputError(file, `duplicate module call module.${name}; Terraform refuses this configuration`);
          } else this.calls.push({ name, body, at: new DeclaredAt(file, lines, ["module", name, name]) });
        }
      }
    }
    if (d.output !== undefined) {
      for (const byName of blocks(d.output, file, '"output"')) {
        for (const [name, bodies] of Object.entries(byName)) if (name !== "//") this.outputs.set(name, { ...(this.outputs.get(name) ?? {}), ...(blocks(bodies, file, `output "${name}"`)[0] ?? {}) });
      }
    }
    lines.settle();
  }

  private declare(decl: Decl): void {
    const key = decl.mode === "data" ? `data.${decl.type}.${decl.name}` : `${decl.type}.${decl.name}`;
    const prior = this.seen.get(key);
    if (this.overriding) {
      // Terraform's override rule: each top-level argument, and each nested block type, replaces the base's.
      if (!prior) throw new InputError(String(decl.at), `override of ${key} has no base declaration; Terraform refuses this configuration`);
      const dynamic = isRecord(prior.body.dynamic) && isRecord(decl.body.dynamic) ? { dynamic: { ...prior.body.dynamic, ...decl.body.dynamic } } : {};
      prior.body = { ...prior.body, ...decl.body, ...dynamic };
      return;
    }
    if (prior) {
      const where = prior.at.file === decl.at.file ? (prior.at.line ? `line ${prior.at.line}` : "earlier in the file") : String(prior.at);
      throw new InputError(String(decl.at), `duplicate ${decl.mode === "provider" ? "provider" : "resource"} ${key} (first declared at ${where}); Terraform refuses this configuration`);
    }
    this.seen.set(key, decl);
    this.decls.push(decl);
  }

  /**
   * The unit of the module's resources (addresses are unique only within it): its one file (a
   * configuration file, a cdktf stack's cdk.tf.json), or the directory its files share.
   */
  unit(): string {
    if (this.files.length === 1) return this.files[0];
    const dirs = [...new Set(this.files.map((f) => dirname(f)))];
    return dirs.length === 1 ? dirs[0] : this.files.join(", ");
  }

  /**
   * Builds the resources of this module and the local modules it calls, as `terraform plan` would
   * expand them; `inputs` are the root variables' values (tfvars, command line). `budget` counts
   * instances across every module of one input (a cdktf.out directory's stacks share one).
   */
  resources(inputs: ReadonlyMap<string, Bound> = new Map(), budget?: InstanceBudget): Resource[] {
    const out = evaluateConfiguration(this, inputs, budget);
    this.notes.push(...out.notes);
    return out.resources;
  }
}

/** cdktf writes the construct path, and identity-posture its in-code waivers, under `"//"`. */
export function readMetadata(d: Decl): { constructPath?: string; waivers: Waiver[] } {
  const meta = d.body["//"];
  if (meta === null || typeof meta !== "object") return { waivers: [] };
  const m = meta as Record<string, unknown>;
  const path = (m.metadata as Record<string, unknown> | undefined)?.path;
  const posture = m["identity-posture"] as Record<string, unknown> | undefined;
  const where = `${d.at.file}: ${d.type}.${d.name}`;
  const waivers = Array.isArray(posture?.waivers) ? posture.waivers.map((w, i) => parseWaiver(w, "code", `${where} waiver ${i + 1}`)) : [];
  return { constructPath: typeof path === "string" ? path : undefined, waivers };
}
