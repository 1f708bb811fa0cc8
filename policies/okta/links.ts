/**
 * Whether one Okta resource names another through an id attribute (a password rule's `policy_id`, an
 * app's `authentication_policy`), within the unit both were declared in. Answers three ways, so a
 * rule that asks "is anything attached to this policy?" never passes or fails on a guess.
 */
import type { Resource } from "../../engine/model/model";
import { sameUnit, type Scope } from "../../engine/model/scope";
import { read, walk } from "../../engine/model/view";
import type { Tri } from "../rule";

/** Whether `from.attr` names `target`: through the configuration's reference, else by the recorded id (plans, states). */
export function names(from: Resource, attr: string, target: Resource, scope: Scope): Tri {
  if (!sameUnit(from, target)) return false;
  const ref = from.refs.get(attr);
  if (ref !== undefined) return scope.byAddress(ref, from.unit) === target;
  const r = read(from, attr);
  if (r.state === "unknown") return "unknown";
  if (r.state !== "known" || typeof r.value !== "string" || r.value === "") return false;
  const id = walk(target.values, "id");
  return typeof id === "string" && id === r.value;
}

/**
 * Whether some resource of `kinds` in scope names `target` through `attr` and satisfies `also` (e.g.
 * is active): true when one certainly does (and certainly exists), "unknown" when one may.
 */
export function someNames(scope: Scope, kinds: readonly string[], attr: string, target: Resource, also: (r: Resource) => Tri = () => true): Tri {
  let maybe = false;
  for (const r of scope.ofKind(...kinds)) {
    const n = names(r, attr, target, scope);
    if (n === false) continue;
    const ok = n === true ? also(r) : n;
    if (ok === true && !r.conditional) return true;
    if (ok !== false) maybe = true;
  }
  return maybe ? "unknown" : false;
}
