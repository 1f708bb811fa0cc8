import { providerOf, type Resource } from "./model";

/**
 * All resources evaluated together: one CLI run's inputs, or one stack in the CDKTF aspect. Scope
 * rules ask it whether something exists; cross-resource links (an Access app's policy ids) resolve
 * through it.
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
      if (!this.byAddressIndex.has(r.address)) this.byAddressIndex.set(r.address, r);
    }
  }

  /** Managed resources of a canonical type, in input order. */
  ofKind(...kinds: string[]): Resource[] {
    return kinds.flatMap((k) => this.byKindIndex.get(k) ?? []);
  }

  byAddress(address: string): Resource | undefined {
    return this.byAddressIndex.get(address) ?? this.byAddressIndex.get(address.replace(/\[[^\]]*\]$/, ""));
  }

  /** True when the scope has managed resources of the provider (scope rules apply only then). */
  uses(provider: "okta" | "cloudflare"): boolean {
    return this.providers.has(provider);
  }
}
