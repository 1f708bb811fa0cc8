import type { Resource } from "../../engine/model/model";
import type { Scope } from "../../engine/model/scope";
import { fail, notApplicable, pass, unknown, type Tri, type Verdict } from "../rule";

/**
 * The shape of every "something must exist" scope rule: pass on the first resource that certainly
 * satisfies `test`; unknown when one might (its values, or its count/for_each, are not known);
 * otherwise fail with `missing`. Applies only when the scope uses the provider.
 */
export function requireSome(
  scope: Scope,
  provider: "okta" | "cloudflare",
  candidates: readonly Resource[],
  test: (r: Resource) => Tri,
  missing: string,
): Verdict {
  if (!scope.uses(provider)) return notApplicable(`no ${provider} resources in scope`);
  let maybe: Resource | undefined;
  for (const r of candidates) {
    const t = test(r);
    if (t === true && !r.conditional) return pass(r);
    if (t !== false) maybe ??= r;
  }
  if (maybe) {
    return unknown(undefined, `${missing}, unless ${maybe.address} does: its values or count are not known before apply`);
  }
  return fail(undefined, undefined, missing);
}
