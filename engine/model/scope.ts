/** The scope of one evaluation: every resource judged together, indexed for scope rules and cross-resource links. */
import { providerOf, type Resource } from "./model";

/**
 * All resources evaluated together: one CLI run's inputs, or one stack in the CDKTF aspect. Scope
 * rules ask it whether something exists; cross-resource links (an Access app's policy ids) resolve
 * through it, within the unit (file, directory, cdktf stack, plan or state) the linking resource was
 * declared in: two stacks or inputs often use the same addresses for different objects.
 */
export class Scope {
  private readonly byKindIndex = new Map<string, Resource[]>();
  private readonly byAddressIndex = new Map<string, Resource>();
  private readonly providers = new Set<string>();

  constructor(readonly resources: readonly Resource[]) {
    for (const r of resources) {
      if (r.mode === "managed") {
        const list = this.byKindIndex.get(r.kind) ?? [];
        list.push(r);
        this.byKindIndex.set(r.kind, list);
        const p = providerOf(r.type);
        if (p) this.providers.add(p);
      }
      const key = addressKey(r.unit, r.address);
      if (!this.byAddressIndex.has(key)) this.byAddressIndex.set(key, r);
    }
  }

  /**
   * Managed resources of a canonical type, in input order. The scope's own list is returned, not a
   * copy: rules call this per resource, and a copy per call made scope rules quadratic.
   */
  ofKind(...kinds: string[]): readonly Resource[] {
    if (kinds.length === 1) return this.byKindIndex.get(kinds[0]) ?? NONE;
    return kinds.flatMap((k) => this.byKindIndex.get(k) ?? []);
  }

  /**
   * The resource at `address` in `unit` (the linking resource's {@link Resource.unit}; resources
   * without a unit form one unit of their own). A resource of another unit is never returned.
   */
  byAddress(address: string, unit: string | undefined): Resource | undefined {
    return this.byAddressIndex.get(addressKey(unit, address)) ?? this.byAddressIndex.get(addressKey(unit, address.replace(/\[[^\]]*\]$/, "")));
  }

  /** True when the scope has managed resources of the provider (scope rules apply only then). */
  uses(provider: "okta" | "cloudflare"): boolean {
    return this.providers.has(provider);
  }
}

const NONE: readonly Resource[] = Object.freeze([]);

/** True when two resources were declared in the same unit (links between them can resolve). */
export function sameUnit(a: Resource, b: Resource): boolean {
  return a.unit === b.unit;
}

function addressKey(unit: string | undefined, address: string): string {
  return `${unit ?? ""}\u0000${address}`;
}
