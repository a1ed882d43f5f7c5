// The sampling kernels' shaped-PSP loop (spec `psp`): identical results on
// both backends, the rectangle as a table identical to the rectangular loops,
// and potentials equal to b + sum_j W[:, j] kappa(t - last_j) recomputed densely.
import { describe, expect, it } from "vitest";
import { bothBackends, describeBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import type { SamplingNetSpec } from "../../src/backend/sampling.js";
import { threshold } from "../../src/backend/shared/mathf.js";
import { stdpSums } from "../../src/learning/stdp.js";
import { pspTable, rectTable } from "../../src/models/psp.js";
import { randomRule, randomWeights, record } from "../helpers/sampling.js";

const f32 = (t: Float64Array) => Float32Array.from(t);
const ALPHA = f32(pspTable({ shape: "alpha", tRef: 10, tauSyn: 4 }));
const HELD = f32(pspTable({ shape: "alpha", tRef: 10, tauSyn: 5, length: 19, tail: "hold" }));

function spec(n: number, over: Partial<SamplingNetSpec>): SamplingNetSpec {
  return { n, tRef: 10, pspLength: 9, minIsi: 11, stdp: [], sampleEvery: 5, onLength: 10, recordCapacity: 200_000, psp: ALPHA, ...over };
}

/** Runs a network in a few chunks, restarts, runs again: everything a conformance check compares. */
function exercise(k: Kernels, sp: SamplingNetSpec, steps: number, seed = 2024) {
  const net = k.samplingCreate(sp, seed);
  randomWeights(net, 77, 1.5, -0.3);
  k.samplingRestart(net);
  k.samplingRun(net, Math.floor(steps / 3));
  k.samplingRun(net, 1);
  k.samplingRun(net, steps - Math.floor(steps / 3) - 1);
  const first = {
    ...(sp.recordCapacity > 0 ? record(net) : { t: [], id: [] }),
    S: net.stdpSum.map((S) => Array.from(S.view)),
    hist: net.hist ? Array.from(net.hist.view) : [],
    count: Array.from(net.spikeCount.view),
    thr: Array.from(net.thresholds.view),
    u: Array.from(net.debugPotentials()),
  };
  k.samplingRestart(net);
  k.samplingClear(net);
  k.samplingRun(net, 777);
  return { first, again: { count: Array.from(net.spikeCount.view), thr: Array.from(net.thresholds.view) } };
}

describe("shaped PSPs across backends", () => {
  const cases: [string, SamplingNetSpec, number][] = [
    ["n = 2, alpha, record", spec(2, { sampleEvery: 0 }), 100_000],
    [
      "n = 4, alpha, ws + SAL rules, state histogram",
      spec(4, { stdp: [randomRule(4, { shape: "triangular", tau: 10, length: 10 }, 3), randomRule(4, {}, 4)] }),
      60_000,
    ],
    [
      "n = 7, held alpha (never-spiked neurons contribute from t = 0), lastN pairing, no record",
      spec(7, { psp: HELD, recordCapacity: 0, stdp: [randomRule(7, { pairing: "lastN", lastN: 3 }, 5)] }),
      40_000,
    ],
    [
      "n = 13 (four lane groups), alpha, all pairing with dt = 0 counted",
      spec(13, { minIsi: 3, stdp: [randomRule(13, { pairing: "all", countZero: true }, 6)] }),
      10_000,
    ],
  ];
  for (const [name, sp, steps] of cases) {
    it(`identical spike trains, STDP sums, histograms, potentials and thresholds: ${name}`, async () => {
      const { js, wasm } = await bothBackends();
      const a = exercise(js, sp, steps),
        b = exercise(wasm, sp, steps);
      const total = a.first.count.reduce((x, y) => x + y, 0);
      expect(total).toBeGreaterThan(500);
      expect(b).toEqual(a);
    });
  }
});

describeBackends("shaped PSPs", (k) => {
  it("the rectangle as a table gives the rectangular loops' spike trains, STDP sums and histograms exactly", () => {
    for (const [n, pspLength, minIsi] of [
      [2, 9, 11],
      [7, 9, 11],
      [3, 9, 3],
      [11, 5, 3],
    ]) {
      const rect = spec(n, { pspLength, minIsi, psp: null, stdp: [randomRule(n, {}, 8)] });
      const a = exercise(k(), rect, 30_000),
        b = exercise(k(), { ...rect, psp: f32(rectTable(pspLength)) }, 30_000);
      expect(a.first.t.length).toBeGreaterThan(300);
      expect(b.first.t).toEqual(a.first.t);
      expect(b.first.id).toEqual(a.first.id);
      expect(b.first.S).toEqual(a.first.S);
      expect(b.first.hist).toEqual(a.first.hist);
      expect(b.again.count).toEqual(a.again.count);
    }
  });

  it("potentials equal b + sum_j W[:, j] kappa(t - last_j) recomputed densely; thresholds follow them and refractoriness", () => {
    for (const psp of [ALPHA, HELD]) {
      const n = 5;
      const sp = spec(n, { psp, minIsi: 6 });
      const net = k().samplingCreate(sp, 9);
      randomWeights(net, 12, 2, -0.2);
      k().samplingRestart(net);
      let checked = 0;
      for (const chunk of [0, 1, 2, 17, 100, 333, 1000, 7]) {
        if (chunk > 0) k().samplingRun(net, chunk);
        const T = net.time();
        const last = new Array(n).fill(-Infinity);
        const { t, id } = record(net);
        for (let i = 0; i < t.length; i++) last[id[i]] = t[i];
        const u = net.debugPotentials();
        for (let q = 0; q < n; q++) {
          let want = net.b.view[q];
          for (let j = 0; j < n; j++) want += net.W.view[q * n + j] * psp[Math.min(T - last[j], psp.length) - 1];
          expect(u[q]).toBeCloseTo(want, 5);
          expect(net.thresholds.view[q]).toBe(T - last[q] >= sp.minIsi ? threshold(u[q], sp.tRef) : 0);
          checked++;
        }
      }
      expect(checked).toBe(8 * n);
    }
  });

  it("STDP sums of the shaped loop equal learning/stdp.ts applied to its spike record", () => {
    const r = randomRule(4, { pairing: "lastN", lastN: 2, countZero: true }, 10);
    const net = k().samplingCreate(spec(4, { stdp: [r], minIsi: 2 }), 4);
    randomWeights(net, 3, 1, 0.5);
    k().samplingRestart(net);
    k().samplingRun(net, 5000);
    const { t, id } = record(net);
    expect(t.length).toBeGreaterThan(1000);
    const want = stdpSums(4, t, id, t.length, r);
    net.stdpSum[0].view.forEach((v, e) => expect(v).toBeCloseTo(want[e], 8));
  });

  it("rejects a PSP table that is empty or not finite", () => {
    expect(() => k().samplingCreate(spec(2, { psp: new Float32Array(0) }), 1)).toThrow(/psp/);
    expect(() => k().samplingCreate(spec(2, { psp: Float32Array.from([1, NaN]) }), 1)).toThrow(/psp\[1\]/);
  });
});
