/**
 * Property test for the model's path reader: `walk` takes a path's segments in place (no split) and
 * stops early on absent and unknown values; it must read exactly what a segment-by-segment walk of
 * the split path reads, whatever the value and the path (empty segments, indexes, v4 blocks).
 */
import fc from "fast-check";
import { isUnknown, UNKNOWN } from "../../engine/model/model";
import { walk } from "../../engine/model/view";

/** The reading rule spelled out over `path.split(".")`. */
function reference(root: unknown, path: string): unknown {
  if (path === "") return root;
  let cur: unknown = root;
  for (const seg of path.split(".")) {
    if (isUnknown(cur)) return UNKNOWN;
    if (Array.isArray(cur)) {
      if (/^\d+$/.test(seg)) {
        cur = cur[Number(seg)];
        continue;
      }
      if (cur.length === 0) return undefined;
      cur = cur[0];
      if (isUnknown(cur)) return UNKNOWN;
    }
    if (cur === null || typeof cur !== "object") return undefined;
    cur = Object.hasOwn(cur, seg) ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  return cur;
}

const key = fc.constantFrom("a", "b", "0", "1", "", "constructor", "__proto__");
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, 1, "x", UNKNOWN),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(key, tie("v"), { maxKeys: 3 }),
  ),
})).v;
const path = fc.array(key, { maxLength: 5 }).map((segs) => segs.join("."));

describe("walk", () => {
  it("reads what a walk over the split path reads", () => {
    fc.assert(
      fc.property(value, path, (root, p) => {
        expect(walk(root, p)).toBe(reference(root, p));
      }),
      { numRuns: 2000 },
    );
  });
});
