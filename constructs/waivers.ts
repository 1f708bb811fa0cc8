/**
 * Waivers in code: `Posture.waive(construct, { rule, reason, expires })` accepts the risk of one rule
 * for every Terraform resource at or below the construct. The waiver is written into each resource's
 * `"//"` metadata (`"identity-posture": { "waivers": [...] }`), so the synth-time checks and
 * `posture check cdktf.out` honour the same waiver. Each copy names the construct it was declared on
 * (`declaredOn`), so the copies count as one waiver: stale only when none of them matches a finding.
 */
import { Aspects, type IAspect, TerraformResource, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { InputError } from "../engine/errors";
import type { Waiver } from "../engine/model/model";
import { parseWaiver } from "../engine/evaluate/waivers";
import { PACK_ID } from "../engine/model/rule";
import { ruleById } from "../policies";

export interface WaiverProps {
  /** The rule whose risk is accepted, e.g. `"OKTA-SES-2"`. */
  readonly rule: string;
  /** Why, for the reviewer: at least 10 characters (a ticket reference helps). */
  readonly reason: string;
  /** The last day the waiver applies (ISO date, `YYYY-MM-DD`); after it the finding returns. */
  readonly expires: string;
  /** Who owns the exception. Default: none recorded. */
  readonly owner?: string;
}

const REGISTRY = new WeakMap<IConstruct, Waiver[]>();
/** The stacks a waiver was declared in (each has its waiver writer registered). */
const WRITER_VALIDATED = new WeakSet<IConstruct>();

/** Writes the registered waivers of every resource of a stack into its `"//"` metadata. */
export function writeWaivers(stack: TerraformStack): void {
  // Every waiver registers its stack's writer: a stack with none in it or around it (a stack nested in
  // another covers its resources) has nothing to write, and is not walked.
  if (!stack.node.scopes.some((s) => WRITER_VALIDATED.has(s))) return;
  for (const c of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(c)) continue;
    const seen = new Set<string>();
    // Outermost first: a waiver declared on the stack and again on a construct is the stack's.
    const waivers = c.node.scopes
      .flatMap((s) => (REGISTRY.get(s) ?? []).map((w) => ({ ...w, declaredOn: s.node.path })))
      .filter((w) => ruleById(w.rule)?.kind !== "scope")
      .map(({ origin: _origin, ...w }) => w)
      .filter((w) => {
        const key = JSON.stringify([w.rule, w.reason, w.expires, w.owner]);
        return !seen.has(key) && !!seen.add(key);
      });
    if (waivers.length > 0) c.addOverride("//.identity-posture.waivers", waivers);
  }
  const scope = scopeWaivers(stack).map(({ origin: _o, resource: _r, ...w }) => w);
  if (scope.length > 0) stack.addOverride("//.identity-posture.waivers", scope);
}

/**
 * Waivers of scope rules (a log stream exists, WebAuthn is active) registered anywhere in the stack:
 * they waive the scope finding, address `(scope)`. In the synthesized JSON they sit in the stack's
 * top-level `"//"` metadata.
 */
function scopeWaivers(stack: TerraformStack): Waiver[] {
  const seen = new Set<string>();
  const out: Waiver[] = [];
  for (const c of stack.node.findAll()) {
    for (const w of REGISTRY.get(c) ?? []) {
      const key = JSON.stringify([w.rule, w.reason, w.expires, w.owner]);
      if (ruleById(w.rule)?.kind !== "scope" || seen.has(key)) continue;
      seen.add(key);
      out.push({ ...w, resource: "(scope)" });
    }
  }
  return out;
}

/** Writes waivers at synth even when PostureChecks is not applied. */
const WAIVER_WRITER: IAspect = {
  visit(node: IConstruct) {
    if (TerraformStack.isStack(node)) writeWaivers(node);
  },
};

/**
 * Makes sure `stack`'s waivers reach its JSON at synth, whatever copy of cdktf (or cdktn) built it: a
 * validation on the stack's node (every copy runs those, after the aspects), plus the aspect, which
 * `Testing.synth` without validations runs when the copies are the same.
 */
function writeWaiversAtSynth(stack: TerraformStack): void {
  if (WRITER_VALIDATED.has(stack)) return;
  WRITER_VALIDATED.add(stack);
  stack.node.addValidation({
    validate: () => {
      writeWaivers(stack);
      return [];
    },
  });
  if (!Aspects.of(stack).all.includes(WAIVER_WRITER)) Aspects.of(stack).add(WAIVER_WRITER);
}

export class Posture {
  /**
   * Accepts the risk of `waiver.rule` for every resource at or below `scope` (a resource, an L3
   * construct or a whole stack) until `waiver.expires`.
   * @throws when the rule is not in the catalogue, the reason is shorter than 10 characters or the
   *   expiry is not an ISO date.
   */
  static waive(scope: IConstruct, waiver: WaiverProps): void {
    let parsed: Waiver;
    try {
      parsed = parseWaiver(waiver, "code", scope.node.path);
    } catch (e) {
      throw new Error(`Posture.waive: ${e instanceof InputError ? e.message : String(e)}`);
    }
    // A rule pack's id (namespace/ID) is accepted too: packs are loaded by the checks, not here.
    if (!ruleById(parsed.rule) && !PACK_ID.test(parsed.rule)) throw new Error(`Posture.waive: ${scope.node.path}: no rule ${parsed.rule} in the catalogue (see posture rules)`);
    REGISTRY.set(scope, [...(REGISTRY.get(scope) ?? []), parsed]);
    writeWaiversAtSynth(TerraformStack.of(scope));
  }
}
