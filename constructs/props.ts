/** What every posture construct shares: the profile it is validated against, and accepted risks. */
import { Token } from "cdktf";
import type { IConstruct } from "constructs";
import { ruleById } from "../policies";
import type { Profile } from "../policies/rule";
import { Posture, type WaiverProps } from "./waivers";

export interface PostureConstructProps {
  /**
   * The profile whose thresholds the props are checked against at construction time.
   * @default "recommended"
   */
  readonly profile?: Profile;
  /**
   * Accepted risks. Each waives one rule for this construct's resources (written into the synthesized
   * JSON, so `posture check cdktf.out` honours it) and lets a prop go past that rule's threshold.
   * @default none
   */
  readonly waivers?: WaiverProps[];
  /**
   * Set by a composite construct (OktaPosture) that builds this one from its own props, so that a
   * validation error names the prop the user set on the composite, not the inner construct's.
   * @default errors name this construct's props
   */
  readonly partOf?: PartOf;
}

/** The composite construct whose props a part was built from, and how its props map to the part's. */
export interface PartOf {
  /** The composite's class name, e.g. `OktaPosture`. */
  readonly className: string;
  /** The composite construct (its path is shown in errors). */
  readonly construct: IConstruct;
  /** The part's prop name (or its first dotted segment) → the composite's prop name. */
  readonly props: Readonly<Record<string, string>>;
}

/** A rule's threshold for a profile, read from the catalogue so constructs and rules never disagree. */
export function threshold(ruleId: string, key: string, profile: Profile): number | boolean {
  const spec = ruleById(ruleId)?.thresholds?.[key];
  if (!spec) throw new Error(`internal: ${ruleId} has no threshold ${key}`);
  return spec[profile];
}

/**
 * Construction-time validation: names the construct, the prop and the allowed range, and says how to
 * accept the risk. A prop given as a token (a variable, a reference) is checked at synth time instead.
 */
export class PropChecker {
  private readonly waived: Set<string>;
  private readonly partOf?: PartOf;

  constructor(
    private readonly construct: IConstruct,
    private readonly className: string,
    props: PostureConstructProps,
  ) {
    this.waived = new Set((props.waivers ?? []).map((w) => w.rule));
    this.partOf = props.partOf;
    for (const w of props.waivers ?? []) Posture.waive(construct, w);
  }

  /** Throws unless `ok`, the value is a token, or the rule is waived. */
  require(ok: boolean, value: unknown, prop: string, allowed: string, ruleId: string): void {
    if (ok || this.waived.has(ruleId) || isToken(value)) return;
    const [who, name] = this.named(prop);
    throw new Error(
      `${who}: ${name} is ${JSON.stringify(value)}; ${allowed} (${ruleId}). ` +
        `Change ${name}, or accept the risk with waivers: [{ rule: "${ruleId}", reason: "<why>", expires: "YYYY-MM-DD" }]`,
    );
  }

  /**
   * The construct and the prop name to show: the composite's, when the prop came from a composite's
   * prop (the user set that one), else this construct's.
   */
  private named(prop: string): [string, string] {
    const head = prop.split(/[.[]/, 1)[0];
    const outer = this.partOf?.props[head];
    if (this.partOf && outer !== undefined) return [`${this.partOf.className} ${this.partOf.construct.node.path}`, outer + prop.slice(head.length)];
    return [`${this.className} ${this.construct.node.path}`, prop];
  }

  /** Throws unless a policy the construct creates names the groups it applies to (`alternative`: what to pass instead). */
  requireGroups(groups: readonly string[] | undefined, creating: boolean, alternative: string): void {
    if (creating && !(groups && groups.length > 0)) this.invalid("groupsIncluded", `is required when creating a policy (or ${alternative})`);
  }

  /** Throws for a prop that can never be valid (a wrong shape, not a weaker posture). */
  invalid(prop: string, problem: string): never {
    const [who, name] = this.named(prop);
    throw new Error(`${who}: ${name} ${problem}`);
  }
}

export function isToken(v: unknown): boolean {
  if (typeof v === "string" || typeof v === "number") return Token.isUnresolved(v);
  if (Array.isArray(v)) return Token.isUnresolved(v) || v.some(isToken);
  return v !== null && typeof v === "object" && Token.isUnresolved(v);
}

/** A secret must come from a variable, a data source or another token, never a literal (SECRET-1). */
export function requireSecretToken(checker: PropChecker, prop: string, value: string): void {
  checker.require(Token.isUnresolved(value), "(a literal)", prop, "pass it as a sensitive TerraformVariable or another token, never a literal", "SECRET-1");
}
