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
import { ruleById } from "../policies";
import type { Profile } from "../policies/rule";
import { stackResources } from "./stack-model";

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

  constructor(private readonly options: PostureCheckOptions = {}) {
    this.config = typeof options.config === "string" ? loadConfig(options.config) : (options.config ?? EMPTY_CONFIG);
    this.profile = options.profile ?? this.config.profile ?? "recommended";
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stacks = this.options.scope === "stack" ? [node] : allStacks(node);
    const byStack = new Map(stacks.map((s) => [s, stackResources(s)]));
    const resources = [...byStack.values()].flat();
    const result = evaluate(resources, {
      profile: this.profile,
      config: this.config,
      unknown: this.options.unknown ?? "warn",
      today: this.options.today ?? new Date().toISOString().slice(0, 10),
    });
    const redactor = new Redactor().addResources(resources);
    const owners = constructsByPath(node);
    for (const f of redactor.deep(result.findings)) {
      const target = f.address === "(scope)" || f.address === "(config)" ? (this.ownsScope(node, f, byStack) ? node : undefined) : f.constructPath ? owners.get(f.constructPath) : undefined;
      if (target) annotate(target, f, this.profile);
    }
  }

  /** A scope finding is reported once: on the first stack (by path) that uses the rule's provider. */
  private ownsScope(node: TerraformStack, f: Finding, byStack: Map<TerraformStack, Resource[]>): boolean {
    const provider = ruleById(f.ruleId)?.provider ?? "any";
    const users = [...byStack.entries()]
      .filter(([, rs]) => provider === "any" || rs.some((r) => r.mode === "managed" && providerOf(r.type) === provider))
      .map(([s]) => s)
      .sort((a, b) => (a.node.path < b.node.path ? -1 : 1));
    return users[0] === node;
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
  if (target.node.metadata.some((m) => m.type === LEVEL[level] && m.data === message)) return;
  const a = Annotations.of(target);
  if (level === "error") a.addError(message);
  else if (level === "warning") a.addWarning(message);
  else a.addInfo(message);
}
