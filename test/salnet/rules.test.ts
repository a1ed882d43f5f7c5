// The readable deep-net SAL rule (src/learning/sal.ts) on its own.
import { expect, it } from "vitest";
import { salDeepStdpReference, salDeepUpdate, salDeepWindow } from "../../src/learning/sal.js";

it("the window is e^{-k/tau} for k < L (f32 products within 2e-6), the k = 0 term included", () => {
  const K = salDeepWindow(10, 20);
  expect(K).toHaveLength(20);
  expect(K[0]).toBe(1);
  for (let k = 0; k < 20; k++) expect(Math.abs(K[k] - Math.exp(-k / 10)) / Math.exp(-k / 10)).toBeLessThan(2e-6);
  expect(() => salDeepWindow(0, 20)).toThrow(/tau/);
});

it("pre (upper) before post (lower) depresses, post before pre potentiates, coincidence cancels", () => {
  const K = salDeepWindow(10, 20);
  // lower 0 at t = 5; upper 0 at t = 2 (before: depression K(3)), upper 1 at t = 9 (after: potentiation K(4)), upper 2 at t = 5 (both)
  const lower = Array.from({ length: 12 }, (_, t) => (t === 5 ? [0] : []));
  const upper = Array.from({ length: 12 }, (_, t) => (t === 2 ? [0] : t === 9 ? [1] : t === 5 ? [2] : []));
  const dB = salDeepStdpReference(lower, upper, 1, 3, K);
  expect(dB[0]).toBeCloseTo(-K[3], 12);
  expect(dB[1]).toBeCloseTo(K[4], 12);
  expect(dB[2]).toBe(0);
  // outside the window: no pair
  const far = salDeepStdpReference([[0], ...Array(25).fill([])], [...Array(25).fill([]), [0]], 1, 1, K);
  expect(far[0]).toBe(0);
});

it("the update adds salLr * (pot - depr) / (batch * L) to B^T, rounded to f32 once", () => {
  const BT = new Float32Array([0.5, -0.25]); // one upper neuron, two lower
  const depr = new Float64Array([3, 0]); // [lower i][upper j], ld 1
  const pot = new Float64Array([1, 8]); // [upper j][lower i], ld 2
  salDeepUpdate(BT, 2, depr, 1, pot, 2, 2, 1, 4, 20, 0.04);
  expect(BT[0]).toBe(Math.fround(0.5 + (0.04 * (1 - 3)) / 80));
  expect(BT[1]).toBe(Math.fround(-0.25 + (0.04 * 8) / 80));
});
