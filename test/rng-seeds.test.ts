import { describe, expect, it } from "vitest";
import { subSeed, tsRandom } from "../src/rng/seeds.js";

describe("TS-side seeded streams", () => {
  it("same seed and name give the same values; names and seeds separate streams", () => {
    expect(subSeed(1, "sim")).toBe(subSeed(1, "sim"));
    expect(subSeed(1, "sim")).not.toBe(subSeed(1, "init"));
    expect(subSeed(1, "sim")).not.toBe(subSeed(2, "sim"));
    const a = tsRandom(9, "x"),
      b = tsRandom(9, "x");
    for (let i = 0; i < 10; i++) expect(a.normal()).toBe(b.normal());
  });

  it("normal, truncated normal and beta have the right moments", () => {
    const r = tsRandom(3, "moments");
    const n = 40000;
    let s = 0,
      s2 = 0,
      maxT = 0,
      sb = 0;
    for (let i = 0; i < n; i++) {
      const x = r.normal(1, 2);
      s += x;
      s2 += x * x;
      maxT = Math.max(maxT, Math.abs(r.truncNormal(0.1, 1.5)));
      sb += r.beta(2, 5);
    }
    expect(s / n).toBeCloseTo(1, 1);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).toBeCloseTo(2, 1);
    expect(maxT).toBeLessThanOrEqual(0.15);
    expect(maxT).toBeGreaterThan(0.14);
    expect(sb / n).toBeCloseTo(2 / 7, 2);
  });
});
