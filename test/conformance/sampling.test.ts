import { describe, expect, it } from "vitest";
import { bothBackends, describeBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import type { SamplingNet, SamplingNetSpec } from "../../src/backend/sampling.js";
import { threshold } from "../../src/backend/shared/mathf.js";
import { rngJump, rngNext, rngSeed } from "../../src/backend/shared/rng.js";
import { stdpSums, type StdpRuleSpec } from "../../src/learning/stdp.js";
import { randomRule, randomWeights, record } from "../helpers/sampling.js";

/** Deterministic pseudo-random numbers for test fixtures (not the simulation RNG). */
function spec(n: number, over: Partial<SamplingNetSpec> = {}): SamplingNetSpec {
  return { n, tRef: 10, pspLength: 9, minIsi: 11, stdp: [], sampleEvery: 5, onLength: 10, recordCapacity: 100000, ...over };
}

/** STDP sums recomputed from the spike record by the readable rule (src/learning/stdp.ts). */
function directStdp(net: SamplingNet, r: StdpRuleSpec): Float64Array {
  const { t, id } = record(net);
  return stdpSums(net.spec.n, t, id, t.length, r);
}

describeBackends("sampling", (k) => {
  it("a lone neuron is on for the fraction 1/(1 + 1/tRef + e^-b) of the time (neural sampling: ~sigmoid(b))", () => {
    for (const b of [-1, 0, 1.2]) {
      const net = k().samplingCreate(spec(1, { tRef: 50, pspLength: 49, minIsi: 51, onLength: 50, sampleEvery: 25, recordCapacity: 0 }), 7);
      net.b.view[0] = b;
      k().samplingRestart(net);
      k().samplingRun(net, 2_000_000);
      const h = net.hist!.view;
      const on = h[1] / (h[0] + h[1]);
      expect(on).toBeCloseTo(1 / (1 + 1 / 50 + Math.exp(-b)), 2); // |diff| < 0.005
      expect(Math.abs(on - 1 / (1 + Math.exp(-b)))).toBeLessThan(0.015);
      // rate * tRef estimates the same marginal (docs/models/sampling-network.md#states-and-rates)
      expect(Math.abs((net.spikeCount.view[0] / 2_000_000) * 50 - on)).toBeLessThan(0.01);
    }
  });

  it("STDP sums equal the rule of learning/stdp.ts applied to the spike record (all pairings, shapes, dt = 0 rules)", () => {
    const n = 4;
    const rules: StdpRuleSpec[][] = [
      [randomRule(n, { pairing: "nearest" }, 1), randomRule(n, { shape: "triangular", tau: 10, length: 10 }, 2)],
      [
        randomRule(n, { pairing: "lastN", lastN: 3, countZero: true }, 3),
        randomRule(n, { pairing: "all", length: 35, shape: "triangular", tau: 30 }, 4),
      ],
    ];
    for (const stdp of rules) {
      // minIsi 2: neurons fire often, so many coincident and repeated pairs occur
      const net = k().samplingCreate(spec(n, { stdp, minIsi: 2, pspLength: 3 }), 11);
      randomWeights(net, 5, 1, 0.5);
      k().samplingRestart(net);
      k().samplingRun(net, 3000);
      k().samplingRun(net, 1777);
      expect(net.recordOverflow()).toBe(false);
      expect(net.recorded()).toBeGreaterThan(1000);
      stdp.forEach((r, i) => {
        const want = directStdp(net, r);
        const got = net.stdpSum[i].view;
        let nz = 0;
        for (let e = 0; e < n * n; e++) {
          expect(got[e]).toBeCloseTo(want[e], 8);
          if (want[e] !== 0) nz++;
        }
        expect(nz).toBe(n * n - n);
      });
    }
  });

  // After a run, u and the thresholds are those for the draws at T = time():
  // presynaptic j counts iff 1 <= T - last_j <= pspLength; neuron q is ready iff T - last_q >= minIsi.
  for (const n of [6, 11]) {
    it(`cached potentials equal b + W psp recomputed densely, thresholds follow them (n = ${n})`, () => {
      const sp = spec(n, { pspLength: 7, minIsi: 5 });
      const net = k().samplingCreate(sp, 3);
      randomWeights(net, 9, 2, -0.2);
      k().samplingRestart(net);
      let checked = 0;
      for (const chunk of [1, 2, 17, 100, 333, 1000, 7, 5000]) {
        k().samplingRun(net, chunk);
        const T = net.time();
        const last = new Array(n).fill(-Infinity);
        const { t, id } = record(net);
        for (let i = 0; i < t.length; i++) last[id[i]] = t[i];
        const u = net.debugPotentials();
        for (let q = 0; q < n; q++) {
          let want = net.b.view[q];
          for (let j = 0; j < n; j++) {
            const d = T - last[j];
            if (d >= 1 && d <= sp.pspLength) want += net.W.view[q * n + j];
          }
          expect(u[q]).toBeCloseTo(want, 4);
          const ready = T - last[q] >= sp.minIsi;
          expect(net.thresholds.view[q]).toBe(ready ? threshold(u[q], sp.tRef) : 0);
          checked++;
        }
      }
      expect(checked).toBe(8 * n);
    });
  }

  it("PSP window and refractoriness follow the ssn time convention exactly", () => {
    // neuron 0 always fires when allowed; neuron 1 never fires (b = -40) and only sees neuron 0's PSP
    const sp = spec(2, { pspLength: 4, minIsi: 6, sampleEvery: 0 });
    const net = k().samplingCreate(sp, 1);
    net.b.view.set([40, -40]);
    net.W.view.set([0, 0, 3, 0]); // W[1,0] = 3
    k().samplingRestart(net);
    const seen: number[] = [];
    for (let s = 0; s < 14; s++) {
      k().samplingRun(net, 1);
      seen.push(Math.round(net.debugPotentials()[1]));
    }
    // spike at 0 -> PSP active in the draws of steps 1..4 (u after step t is for step t + 1),
    // next spike at 6 (PSP 7..10), then 12 (13..16)
    expect(record(net).t).toEqual([0, 6, 12]);
    expect(record(net).id).toEqual([0, 0, 0]);
    expect(seen).toEqual([-37, -37, -37, -37, -40, -40, -37, -37, -37, -37, -40, -40, -37, -37]);
    // behaviour: neuron 1 (W[1,0] = 80) fires exactly when the PSP is on and it is not refractory
    const net2 = k().samplingCreate(spec(2, { pspLength: 2, minIsi: 4, sampleEvery: 0 }), 1);
    net2.b.view.set([40, -40]);
    net2.W.view.set([0, 0, 80, 0]);
    k().samplingRestart(net2);
    k().samplingRun(net2, 14);
    // neuron 0: 0, 4, 8, 12 (PSP on at 1-2, 5-6, 9-10, 13-14); neuron 1: 1, 5, 9, 13
    expect(record(net2)).toEqual({ t: [0, 1, 4, 5, 8, 9, 12, 13], id: [0, 1, 0, 1, 0, 1, 0, 1] });
  });

  it("n <= 8: identical spike train to a naive per-step loop written from docs/models/sampling-network.md#the-sampling-neuron", () => {
    // the literal algorithm: every step, u_k = b_k + sum over active PSPs (ascending j, f32),
    // p_k from the shared deterministic threshold, one draw per neuron from stream k
    // (seed state jumped k times), spike iff not refractory and x < T_k
    for (const [n, pspLength, minIsi] of [
      [7, 49, 51],
      [3, 4, 2],
      [8, 9, 3],
    ]) {
      const sp = spec(n, { tRef: 20, pspLength, minIsi, sampleEvery: 0 });
      const net = k().samplingCreate(sp, 31);
      randomWeights(net, 8, 2, -0.3);
      k().samplingRestart(net);
      const steps = 20_000;
      k().samplingRun(net, steps);
      const W = net.W.view,
        b = net.b.view;
      const st: Uint32Array[] = [];
      const s0 = new Uint32Array(4);
      rngSeed(s0, 0, 31);
      for (let q = 0; q < n; q++) {
        st.push(s0.slice());
        rngJump(s0, 0);
      }
      const last = new Array(n).fill(-1e9);
      const want: { t: number[]; id: number[] } = { t: [], id: [] };
      const u = new Float32Array(1);
      for (let t = 0; t < steps; t++) {
        const spiking: number[] = [];
        for (let q = 0; q < n; q++) {
          u[0] = b[q];
          for (let j = 0; j < n; j++) {
            const d = t - last[j];
            if (d >= 1 && d <= pspLength) u[0] = u[0] + W[q * n + j];
          }
          const x = rngNext(st[q], 0);
          if (t - last[q] >= minIsi && x < threshold(u[0], sp.tRef)) spiking.push(q);
        }
        for (const q of spiking) {
          last[q] = t;
          want.t.push(t);
          want.id.push(q);
        }
      }
      expect(want.t.length).toBeGreaterThan(200);
      expect(record(net)).toEqual(want);
    }
  });

  it("a run split into chunks equals one long run; restart keeps the stream going", () => {
    const make = (): SamplingNet => {
      const net = k().samplingCreate(spec(5, { stdp: [randomRule(5, {})] }), 99);
      randomWeights(net, 2);
      k().samplingRestart(net);
      return net;
    };
    const a = make(),
      b = make();
    k().samplingRun(a, 5000);
    for (const c of [1, 999, 2000, 2000]) k().samplingRun(b, c);
    expect(record(b)).toEqual(record(a));
    expect(Array.from(b.stdpSum[0].view)).toEqual(Array.from(a.stdpSum[0].view));
    expect(Array.from(b.hist!.view)).toEqual(Array.from(a.hist!.view));
    k().samplingRestart(a);
    k().samplingClear(a);
    expect(a.time()).toBe(0);
    expect(a.recorded()).toBe(0);
    k().samplingRun(a, 5000);
    expect(record(a)).not.toEqual(record(b));
    expect(a.hist!.view.reduce((x, y) => x + y, 0)).toBe(1000);
  });

  it("population: on-time fraction matches p / (1 + (minIsi - 1) p) per neuron", () => {
    const n = 10,
      minIsi = 21,
      tRef = 20;
    const p = k().populationCreate(n, tRef, minIsi, 5);
    const us = Array.from({ length: n }, (_, i) => -2 + 0.5 * i);
    k().populationSetPotentials(p, us);
    const steps = 400_000;
    k().populationRun(p, steps / 2);
    k().populationRun(p, steps / 2);
    expect(p.time()).toBe(steps);
    us.forEach((u, i) => {
      const pf = 1 / (1 + tRef * Math.exp(-u));
      const rate = pf / (1 + (minIsi - 1) * pf);
      const sd = Math.sqrt((rate * (1 - rate)) / steps) * 3; // loose: renewal counts are less variable than binomial
      expect(Math.abs(p.spikeCount.view[i] / steps - rate)).toBeLessThan(4 * sd + 1e-4);
    });
  });
});

describe("sampling across backends", () => {
  const cases: [string, SamplingNetSpec, number][] = [
    [
      "n = 7, ssn convention, ws + SAL triangular",
      spec(7, {
        tRef: 50,
        pspLength: 49,
        minIsi: 51,
        onLength: 50,
        sampleEvery: 25,
        stdp: [
          randomRule(7, { shape: "triangular", tau: 50, length: 50 }, 3, 0.1),
          randomRule(7, { shape: "triangular", tau: 50, length: 50 }, 4, 0.1),
        ],
      }),
      100_000,
    ],
    ["n = 3 (padding lanes), lastN exponential", spec(3, { stdp: [randomRule(3, { pairing: "lastN", lastN: 10 })] }), 50_000],
    [
      "n = 13 (generic lane loop), all pairing",
      spec(13, { minIsi: 3, pspLength: 5, stdp: [randomRule(13, { pairing: "all", countZero: true })] }),
      20_000,
    ],
    ["n = 40, no sampling", spec(40, { sampleEvery: 0, stdp: [randomRule(40, {})] }), 5_000],
    // no spike record: wasm's table loop pairs the logged spikes in its own nearest-pairing pass,
    // flushing its 1024-entry log several times per run (thousands of spiking steps)
    [
      "n = 7, ssn convention, no record (nearest-pairing fast path)",
      spec(7, {
        tRef: 50,
        pspLength: 49,
        minIsi: 51,
        onLength: 50,
        sampleEvery: 25,
        recordCapacity: 0,
        stdp: [
          randomRule(7, { shape: "triangular", tau: 50, length: 50 }, 3, 0.1),
          randomRule(7, { shape: "triangular", tau: 50, length: 50 }, 4, 0.1),
        ],
      }),
      100_000,
    ],
    [
      "n = 4, one rule with dt = 0 counted, no record",
      spec(4, { minIsi: 2, pspLength: 3, recordCapacity: 0, stdp: [randomRule(4, { countZero: true })] }),
      50_000,
    ],
  ];
  for (const [name, sp, steps] of cases) {
    it(`identical spike trains, STDP sums and histograms: ${name}`, async () => {
      const { js, wasm } = await bothBackends();
      const run = (kk: Kernels): SamplingNet => {
        const net = kk.samplingCreate(sp, 2024);
        randomWeights(net, 77, 1.5, -0.3);
        kk.samplingRestart(net);
        kk.samplingRun(net, Math.floor(steps / 3));
        kk.samplingRun(net, steps - Math.floor(steps / 3));
        kk.samplingRestart(net);
        kk.samplingRun(net, 1234);
        return net;
      };
      const a = run(js),
        b = run(wasm);
      if (sp.recordCapacity > 0) {
        expect(a.recorded()).toBeGreaterThan(50);
        expect(record(b)).toEqual(record(a));
      } else expect(Array.from(a.spikeCount.view).reduce((x, y) => x + y)).toBeGreaterThan(2000);
      expect(Array.from(b.spikeCount.view)).toEqual(Array.from(a.spikeCount.view));
      a.stdpSum.forEach((S, i) => expect(Array.from(b.stdpSum[i].view)).toEqual(Array.from(S.view)));
      if (a.hist) expect(Array.from(b.hist!.view)).toEqual(Array.from(a.hist.view));
      expect(Array.from(b.thresholds.view)).toEqual(Array.from(a.thresholds.view));
    });
  }

  it("population counts are identical", async () => {
    const { js, wasm } = await bothBackends();
    const counts = (kk: Kernels): number[] => {
      const p = kk.populationCreate(9, 50, 51, 8);
      kk.populationSetPotentials(p, [-3, -2, -1, 0, 1, 2, 3, 4, 40]);
      kk.populationRun(p, 10_001);
      kk.populationRun(p, 999);
      return Array.from(p.spikeCount.view.subarray(0, 9));
    };
    const a = counts(js);
    expect(a[8]).toBe(Math.ceil(11_000 / 51));
    expect(counts(wasm)).toEqual(a);
  });
});
