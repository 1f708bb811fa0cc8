/**
 * Where each resource's entry sits in a plan file, so that a finding on a plan points at the line and
 * column of its `resource_changes` (or `resource_drift`) entry: `terraform show -json` writes one long
 * line, where a column is the only useful position. One linear scan of the text, stopping once every
 * wanted address is found.
 */
import type { SourceLocation } from "../model/model";

const ADDRESS = /"address"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

/** Line and column (1-based, UTF-16 code units) of the first `"address"` of each wanted address after `section`. */
export function locateAddresses(text: string, section: "resource_changes" | "resource_drift", wanted: ReadonlySet<string>): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  if (wanted.size === 0) return found;
  const start = text.search(new RegExp(`"${section}"\\s*:\\s*\\[`));
  if (start < 0) return found;
  let line = 1;
  let lineStart = 0;
  // Each newline is visited once: a minified plan has none, and must not be rescanned per match.
  let nextNewline = text.indexOf("\n");
  ADDRESS.lastIndex = start;
  for (let m = ADDRESS.exec(text); m !== null && found.size < wanted.size; m = ADDRESS.exec(text)) {
    let address = m[1];
    if (address.includes("\\")) {
      try {
        address = JSON.parse(`"${address}"`) as string;
      } catch {
        continue;
      }
    }
    if (!wanted.has(address) || found.has(address)) continue;
    while (nextNewline !== -1 && nextNewline < m.index) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf("\n", lineStart);
    }
    found.set(address, { line, column: m.index - lineStart + 1 });
  }
  return found;
}

/** Line and column of each wanted address whose `"address"` key offset is known (the plan reader recorded them): no scan for addresses. */
export function locateOffsets(text: string, offsets: ReadonlyMap<string, number>, wanted: ReadonlySet<string>): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  const sorted = [...wanted].flatMap((a) => (offsets.has(a) ? [[a, offsets.get(a)!] as const] : [])).sort((x, y) => x[1] - y[1]);
  let line = 1;
  let lineStart = 0;
  let nextNewline = text.indexOf("\n");
  for (const [address, offset] of sorted) {
    while (nextNewline !== -1 && nextNewline < offset) {
      line++;
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf("\n", lineStart);
    }
    found.set(address, { line, column: offset - lineStart + 1 });
  }
  return found;
}

/**
 * Marks every finding that comes from the plan `file` (its source is the plan) with that plan, and sets
 * the line and column of its resource's entry on both, when the plan lists it. `offsets` (from the plan
 * reader) spares the scan of the text for addresses.
 */
export function pointIntoPlan<T extends { address: string; source?: SourceLocation; plan?: SourceLocation }>(
  findings: T[],
  text: string,
  file: string,
  section: "resource_changes" | "resource_drift",
  offsets?: ReadonlyMap<string, number>,
): void {
  const wanted = new Set(findings.filter((f) => f.source?.file === file).map((f) => f.address));
  pointIntoPlanAt(findings, file, offsets ? locateOffsets(text, offsets, wanted) : locateAddresses(text, section, wanted));
}

/** {@link pointIntoPlan} with the line and column of each address already known (the plan reader's addressPositions). */
export function pointIntoPlanAt<T extends { address: string; source?: SourceLocation; plan?: SourceLocation }>(
  findings: T[],
  file: string,
  positions: ReadonlyMap<string, { line: number; column: number }>,
): void {
  for (const f of findings) {
    if (f.source?.file !== file) continue;
    const where = positions.get(f.address);
    f.source = where ? { file, line: where.line, column: where.column } : { file };
    f.plan = { ...f.source };
  }
}
