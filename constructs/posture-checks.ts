/**
 * Synth-time checks: the catalogue evaluated on each stack's final Terraform JSON, reported as
 * annotations on the construct that owns each resource. Errors fail `app.synth()` and `cdktf synth`;
 * warnings and unknown verdicts print. This is a thin adapter: every rule lives in the engine.
 */
import { Annotations, type App, Aspects, type IAspect, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { EMPTY_CONFIG, loadConfig, type PostureConfig } from "../engine/config";
import { evaluate, type Finding } from "../engine/evaluate";
import { providerOf, type Resource } from "../engine/model";
import { Redactor } from "../engine/redact";
import type { PackSource } from "../engine/packs";
import { catalogueWith } from "../policies";
import type { Profile, Rule } from "../policies/rule";
import { stackFile, stackInput } from "./stack-model";

export interface PostureCheckOptions {
  /** The profile to check against. Default: the config's profile, else `recommended`. */
  readonly profile?: Profile;
  /** Thresholds, disabled rules and waivers: a parsed config, or the path of a posture.config.json. Default: none. */
  readonly config?: PostureConfig | string;
  /** How an unknown verdict counts: a warning, or an error that fails synth. Default `warn`. */
  readonly unknown?: "warn" | "fail";
  /**
   * What scope rules (a log stream exists, WebAuthn is active) look at: every stack of the app, so a
   * log stream in one stack satisfies OKTA-LOG-1 for the tenant, or each stack alone. Default `app`.
   */
  readonly scope?: "app" | "stack";
  /** Today's date for waiver expiry (`YYYY-MM-DD`). Default: today. */
  readonly today?: string;
  /**
   * Rule packs to run besides the built-in catalogue: pack objects (`import orgRules from "./org-rules"`)
   * or module paths (relative to the working directory), added to the config's `packs`. Default: none.
   */
  readonly packs?: readonly PackSource[];
}

const LEVEL = { error: "@cdktf/error", warning: "@cdktf/warn", info: "@cdktf/info" } as const;

export class PostureChecks implements IAspect {
  /**
   * Adds the checks to every stack of `app` (cdktf never runs aspects added to the App itself).
   * Stacks added after this call are not covered: call it after building the app.
   */
  static applyTo(app: App | IConstruct, options: PostureCheckOptions = {}): PostureChecks {
    const checks = new PostureChecks(options);
    const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
    for (const s of stacks) Aspects.of(s).add(checks);
    return checks;
  }

  private readonly config: PostureConfig;
  private readonly profile: Profile;
  private readonly rules: readonly Rule[];
  private readonly registered = new WeakSet<TerraformStack>();

  constructor(private readonly options: PostureCheckOptions = {}) {
    this.config = typeof options.config === "string" ? loadConfig(options.config) : (options.config ?? EMPTY_CONFIG);
    this.profile = options.profile ?? this.config.profile ?? "recommended";
    this.rules = catalogueWith([...(this.config.packs ?? []), ...(options.packs ?? [])]);
  }

  /**
   * Registers the check as a validation of each stack it visits. cdktf runs validations after every
   * aspect has run and before it collects annotations, so the check sees the stack's final JSON,
   * whatever other aspects changed. (An App created with `skipValidation` skips these checks too.)
   */
  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.registered.has(node)) return;
    this.registered.add(node);
    node.node.addValidation({
      validate: () => {
        this.check(node);
        return [];
      },
    });
  }

  /** Evaluates the stack (with the app's other stacks for scope rules) and annotates its constructs. */
  check(stack: TerraformStack): void {
    const stacks = this.options.scope === "stack" ? [stack] : allStacks(stack);
    const inputs = new Map(stacks.map((s) => [s, stackInput(s)]));
    const byStack = new Map([...inputs].map(([s, i]) => [s, i.resources]));
    const resources = [...byStack.values()].flat();
    const result = evaluate(resources, {
      rules: this.rules,
      profile: this.profile,
      config: { ...this.config, waivers: [...this.config.waivers, ...[...inputs.values()].flatMap((i) => i.waivers ?? [])] },
      unknown: this.options.unknown ?? "warn",
      today: this.options.today ?? new Date().toISOString().slice(0, 10),
    });
    const redactor = new Redactor().addResources(resources);
    const owners = constructsByPath(stack);
    const ownStack = (r: Resource) => r.source?.file === stackFile(stack);
    for (const f of redactor.deep(result.findings)) {
      if (f.address === "(scope)" || f.address === "(config)") {
        if (this.ownsScope(stack, f, byStack)) annotate(stack, f, this.profile);
        continue;
      }
      // A finding on a resource of another stack is that stack's to report.
      const resource = resources.find((r) => r.address === f.address && r.constructPath === f.constructPath && r.source?.file === f.source?.file);
      if (resource && !ownStack(resource)) continue;
      // Resources without a construct path (provider blocks, escape-hatch additions) are reported on the stack.
      annotate((f.constructPath && owners.get(f.constructPath)) || stack, f, this.profile);
    }
    if (this.ownsScope(stack, undefined, byStack)) {
      for (const n of redactor.deep(result.notices)) if (n.level === "warning") addOnce(stack, "warning", `[identity-posture] ${n.message}`);
    }
  }

  /**
   * A scope finding (or notice) is reported once: on the last stack, in synth order, that uses the
   * rule's provider. cdktf runs a stack's aspects when it synthesizes that stack, so only the last
   * stack's check sees every other stack after its aspects have run.
   */
  private ownsScope(node: TerraformStack, f: Finding | undefined, byStack: Map<TerraformStack, Resource[]>): boolean {
    const provider = (f && this.rules.find((r) => r.id === f.ruleId)?.provider) ?? "any";
    const users = [...byStack.entries()].filter(([, rs]) => provider === "any" || rs.some((r) => r.mode === "managed" && providerOf(r.type) === provider)).map(([s]) => s);
    return users[users.length - 1] === node;
  }

}

function allStacks(node: IConstruct): TerraformStack[] {
  return node.node.root.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
}

function constructsByPath(stack: TerraformStack): Map<string, IConstruct> {
  return new Map(stack.node.findAll().map((c) => [c.node.path, c]));
}

/** Adds the annotation unless an identical one is already there (aspects re-run on every synth). */
function annotate(target: IConstruct, f: Finding, profile: Profile): void {
  const where = f.address === "(scope)" ? "" : ` (${f.address}${f.attribute ? ` ${f.attribute}` : ""})`;
  let level: keyof typeof LEVEL;
  let message: string;
  if (f.outcome === "waived") {
    level = "info";
    message = `[${f.ruleId}] waived until ${f.waiver?.expires}: ${f.waiver?.reason}${where}`;
  } else {
    level = f.outcome === "fail" && f.severity === "error" ? "error" : "warning";
    const verdict = f.outcome === "unknown" ? "unknown: " : "";
    message =
      `[${f.ruleId}] ${verdict}${f.message}${where} (${profile} profile). ` +
      `To accept the risk: Posture.waive(construct, { rule: "${f.ruleId}", reason: "<why>", expires: "YYYY-MM-DD" })`;
  }
  addOnce(target, level, message);
}

function addOnce(target: IConstruct, level: keyof typeof LEVEL, message: string): void {
  if (target.node.metadata.some((m) => m.type === LEVEL[level] && m.data === message)) return;
  const a = Annotations.of(target);
  if (level === "error") a.addError(message);
  else if (level === "warning") a.addWarning(message);
  else a.addInfo(message);
}
