// B-vs-W alignment metrics (names of docs/models/alignment-metrics.md) on hand-checked vectors.
import { describe, expect, it } from "vitest";
import { angleDeg, corrcoef, diffVar, layerAlignment, signAgreement, signConcordance } from "../../src/metrics/alignment.js";

describe("alignment metrics", () => {
  it("angle, correlation, sign metrics and diffVar on small vectors", () => {
    expect(angleDeg([1, 0], [0, 1])).toBeCloseTo(90, 10);
    expect(angleDeg([1, 1], [2, 2])).toBeCloseTo(0, 5);
    expect(angleDeg([1, 0], [-1, 0])).toBeCloseTo(180, 10);
    expect(angleDeg([1, 0], [1, 1])).toBeCloseTo(45, 10);
    expect(angleDeg([0, 0], [1, 1])).toBeNaN();
    expect(corrcoef([1, 2, 3], [2, 4, 6.5])).toBeCloseTo(4.5 / Math.sqrt(2 * (61 / 6)), 10);
    expect(corrcoef([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(corrcoef([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(signAgreement([1, -2, 0, 3], [2, 1, 5, 4])).toBe(0.25); // (1 - 1 + 0 + 1) / 4
    expect(signConcordance([1, -2, 0, 3], [2, 1, 5, 4])).toBe(0.5);
    expect(diffVar([1, 2, 3], [0, 0, 0])).toBe(1); // ddof 1
    expect(diffVar([5, 5], [1, 1])).toBe(0);
    expect(() => angleDeg([1], [1, 2])).toThrow(/B has 1 entries, W 2/);
    expect(layerAlignment([1, 2], [1, 2])).toMatchObject({
      angleDeg: expect.any(Number),
      corrcoef: 1,
      signAgreement: 1,
      signConcordance: 1,
      diffVar: 0,
    });
  });
});
