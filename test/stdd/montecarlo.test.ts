// Monte-Carlo STDD through the sampling kernels on both backends, checked
// against the exact chain with margins stated from the sampling noise.
import { describe, expect, it } from "vitest";
import { bothBackends, describeBackends } from "../helpers/backends.js";
import { exactRawStdd } from "../../src/analysis/stdd/markov.js";
import { monteCarloRawStdd } from "../../src/analysis/stdd/montecarlo.js";
import { expectedSalUpdate as expectedUpdate } from "../../src/learning/sal.js";
import { finalizeStdd, noiseTvd, tvd, updateStdErr, type PairParams } from "../../src/analysis/stdd/stdd.js";
import { STDD_PRESETS, stddConfigSchema } from "../../src/experiments/stdd/config.js";
import { runStdd } from "../../src/experiments/stdd/run.js";

const P: PairParams = { W01: 1.5, W10: -1, b0: 0.3, b1: -0.2, tRef: 10, tauSyn: 10 };
const WIN = { tau: 10, aCausal: -1, aAnti: 1 };
const joint = { maxLag: null, normalize: "joint" as const };
const pairsOf = (r: { right: Float64Array; left: Float64Array }) => r.right.reduce((a, b) => a + b, 0) + r.left.reduce((a, b) => a + b, 0);

describeBackends("Monte-Carlo STDD vs exact chain", (k) => {
  it("TVD within 1.5x the sampling-noise floor + 0.003 at 10^6 steps; update within 4 standard errors", () => {
    const ex = finalizeStdd(exactRawStdd(P), joint);
    const raw = monteCarloRawStdd(k(), P, { steps: 1_000_000, burnIn: 1000, seed: 2024, chunk: 100_000 });
    const mc = finalizeStdd(raw, { maxLag: ex.L, normalize: "joint" });
    const n = pairsOf(raw);
    expect(tvd(ex, mc)).toBeLessThan(1.5 * noiseTvd(ex, n) + 0.003);
    const ue = expectedUpdate(ex, WIN),
      um = expectedUpdate(mc, WIN),
      se = updateStdErr(mc, WIN, n);
    expect(Math.abs(um.W10 - ue.W10)).toBeLessThan(4 * se.W10);
    expect(raw.rate0).toBeCloseTo(exactRawStdd(P).rate0, 2);
  });

  it("the same seed gives the same histogram, another seed a different one", () => {
    const kk = k();
    const a = monteCarloRawStdd(kk, P, { steps: 50_000, burnIn: 0, seed: 5 });
    const b = monteCarloRawStdd(kk, P, { steps: 50_000, burnIn: 0, seed: 5, chunk: 7_777 });
    const c = monteCarloRawStdd(kk, P, { steps: 50_000, burnIn: 0, seed: 6 });
    expect(Array.from(b.right)).toEqual(Array.from(a.right));
    expect(Array.from(b.left)).toEqual(Array.from(a.left));
    expect(Array.from(c.right)).not.toEqual(Array.from(a.right));
  });
});

describe("Monte-Carlo STDD: js and wasm backends", () => {
  it("agree statistically (TVD within 2x the two-sample noise floor; updates within 4 combined standard errors)", async () => {
    const { js, wasm } = await bothBackends();
    const ex = finalizeStdd(exactRawStdd(P), joint);
    const rj = monteCarloRawStdd(js, P, { steps: 500_000, burnIn: 1000, seed: 77 });
    const rw = monteCarloRawStdd(wasm, P, { steps: 500_000, burnIn: 1000, seed: 78 });
    const sj = finalizeStdd(rj, { maxLag: ex.L, normalize: "joint" }),
      sw = finalizeStdd(rw, { maxLag: ex.L, normalize: "joint" });
    const nj = pairsOf(rj),
      nw = pairsOf(rw);
    // two independent histograms: noise floor of their difference ~ sqrt(1/nj + 1/nw) scaling
    const floor = noiseTvd(ex, 1 / (1 / nj + 1 / nw));
    expect(tvd(sj, sw)).toBeLessThan(2 * floor);
    const uj = expectedUpdate(sj, WIN).W10,
      uw = expectedUpdate(sw, WIN).W10;
    const se = Math.hypot(updateStdErr(sj, WIN, nj).W10, updateStdErr(sw, WIN, nw).W10);
    expect(Math.abs(uj - uw)).toBeLessThan(4 * se);
  });
});

describe("runStdd with method both", () => {
  it("reports TVD, its noise floor and both updates for every pair", async () => {
    const { wasm } = await bothBackends();
    const cfg = stddConfigSchema.parse({
      ...structuredClone(STDD_PRESETS.fig2c),
      preset: "fig2c",
      method: "both",
      tRef: 10,
      tauSyn: 10,
      pairs: [{ W01: 0.4, W10: 0.8 }],
      steps: 400_000,
    });
    const run = runStdd(wasm, cfg);
    const r = run.pairs[0];
    expect(r.tvd).toBeLessThan(1.5 * r.tvdNoise! + 0.003);
    expect(Math.abs(r.mc!.expectedUpdate.W10 - r.exact!.expectedUpdate.W10)).toBeLessThan(4 * r.mc!.expectedUpdateSe.W10);
  });
});
