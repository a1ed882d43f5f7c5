// Test-only reference: a direct, step-by-step simulation of a pair of the neurons of
// docs/models/sampling-network.md#the-sampling-neuron in plain TS (no kernels), to check the exact
// chain independently of the simulation kernel.
import { rngNext, rngSeed } from "../../src/backend/shared/rng.js";
import { PairHistogram } from "../../src/analysis/stdd/montecarlo.js";
import { timeConvention, type PairParams, type RawStdd } from "../../src/analysis/stdd/stdd.js";

export function refSimRawStdd(p: PairParams, steps: number, seed: number): RawStdd {
  const { pspLength, minIsi } = timeConvention(p);
  const st = new Uint32Array(4);
  rngSeed(st, 0, seed);
  const prob = (u: number) => 1 / (1 + p.tRef * Math.exp(-u));
  const h = new PairHistogram(p.ties);
  let last0 = -1e9,
    last1 = -1e9;
  for (let t = 0; t < steps; t++) {
    const psp0 = t - last0 >= 1 && t - last0 <= pspLength ? 1 : 0;
    const psp1 = t - last1 >= 1 && t - last1 <= pspLength ? 1 : 0;
    const r0 = (rngNext(st, 0) >>> 8) * 2 ** -24,
      r1 = (rngNext(st, 0) >>> 8) * 2 ** -24;
    const s0 = t - last0 >= minIsi && r0 < prob(p.b0 + p.W01 * psp1);
    const s1 = t - last1 >= minIsi && r1 < prob(p.b1 + p.W10 * psp0);
    if (s0) last0 = t;
    if (s1) last1 = t;
    if (s0 || s1) h.step(t, s0, s1);
  }
  return h.raw(steps);
}
