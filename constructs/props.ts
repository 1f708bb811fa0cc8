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

  constructor(
    private readonly construct: IConstruct,
    private readonly className: string,
    props: PostureConstructProps,
  ) {
    this.waived = new Set((props.waivers ?? []).map((w) => w.rule));
    for (const w of props.waivers ?? []) Posture.waive(construct, w);
  }

  /** Throws unless `ok`, the value is a token, or the rule is waived. */
  require(ok: boolean, value: unknown, prop: string, allowed: string, ruleId: string): void {
    if (ok || this.waived.has(ruleId) || isToken(value)) return;
    throw new Error(
      `${this.className} ${this.construct.node.path}: ${prop} is ${JSON.stringify(value)}; ${allowed} (${ruleId}). ` +
        `Change ${prop}, or accept the risk with waivers: [{ rule: "${ruleId}", reason: "<why>", expires: "YYYY-MM-DD" }]`,
    );
  }

  /** Throws unless a policy the construct creates names the groups it applies to (`alternative`: what to pass instead). */
  requireGroups(groups: readonly string[] | undefined, creating: boolean, alternative: string): void {
    if (creating && !(groups && groups.length > 0)) this.invalid("groupsIncluded", `is required when creating a policy (or ${alternative})`);
  }

  /** Throws for a prop that can never be valid (a wrong shape, not a weaker posture). */
  invalid(prop: string, problem: string): never {
    throw new Error(`${this.className} ${this.construct.node.path}: ${prop} ${problem}`);
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
