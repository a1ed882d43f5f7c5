// The readable RDD rules (src/learning/rdd.ts) on their own.
import { expect, it } from "vitest";
import {
  RDD_DEFAULTS,
  poissonThresholds,
  rddBeta,
  rddFitStep,
  rddForwardScale,
  rddKappa,
  rddSetFeedback,
  std,
} from "../../src/learning/rdd.js";

it("the synaptic kernel: kappa(1) = 0.0269, peak 0.0597 at k = 5, zero outside 1..30", () => {
  expect(rddKappa(1)).toBeCloseTo(0.0269, 4);
  const ks = Array.from({ length: 30 }, (_, k) => rddKappa(k + 1));
  expect(ks.indexOf(Math.max(...ks)) + 1).toBe(5);
  expect(Math.max(...ks)).toBeCloseTo(0.0597, 4);
  expect(rddKappa(0)).toBe(0);
  expect(rddKappa(31)).toBe(0);
});

it("the fits converge to the line through the data, and beta is their jump at threshold", () => {
  const slope = new Float64Array(1),
    icpt = new Float64Array(1);
  for (let n = 0; n < 200_000; n++) {
    const u = 0.9 + 0.2 * ((n * 0.6180339887) % 1);
    rddFitStep(slope, icpt, 0, [2 * u - 1], u, 0.05);
  }
  expect(slope[0]).toBeCloseTo(2, 1);
  expect(icpt[0]).toBeCloseTo(-1, 1);
  expect(rddBeta(0.5, 0.1, 2, 1, 1)).toBeCloseTo(2.5 - 1.1, 12);
});

it("B from beta: nonzero estimates scaled to the initial spread, others kept", () => {
  const B = new Float32Array([9, 9, 9, 9]);
  const beta = new Float64Array([1, 0, -1, 3]);
  expect(rddSetFeedback(B, 2, beta, 2, 2, 2, 0.5)).toBe(3);
  const sd = std([1, -1, 3]);
  expect(Array.from(B)).toEqual([1, 9, -1, 3].map((b, e) => (e === 1 ? 9 : Math.fround((b * 0.5) / sd))));
  expect(std(rddForwardScale([1, -1, 2, 0], 4))).toBeCloseTo(0.2 * 4, 6);
});

it("Poisson counts from one 32-bit draw have the right distribution", () => {
  const thr = poissonThresholds(RDD_DEFAULTS.inputRate);
  const counts = [0, 0, 0, 0];
  const N = 200_000;
  let x = 12345;
  for (let n = 0; n < N; n++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    let c = 0;
    while (c < thr.length && x >= thr[c]) c++;
    counts[Math.min(c, 3)]++;
  }
  const p = (k: number) => (Math.exp(-0.2) * 0.2 ** k) / [1, 1, 2][k];
  for (let k = 0; k < 3; k++) expect(counts[k] / N).toBeCloseTo(p(k), 2);
});
