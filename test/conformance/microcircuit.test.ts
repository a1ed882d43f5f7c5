import { describe, expect, it } from "vitest";
import { bothBackends, describeBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import { Microcircuit, type McParams, type McWeights } from "../../src/models/microcircuit.js";
import { MC_H } from "../../src/backend/microcircuit.js";
import { threshold } from "../../src/backend/shared/mathf.js";
import { rngNext, seedStreams } from "../../src/backend/shared/rng.js";

const PARAMS: McParams = {
  dims: [2, 3, 2],
  tRef: 10,
  tauSyn: 10,
  sizeMovingAverage: 7,
  lambdaApi: 0.5,
  lambdaNudge: 0.6,
  eta1: 0.2,
  eta2: 0.05,
  etaB: 0.01,
  aCausal: -1,
  aAnti: 1,
  tauCausal: 10,
  tauAnti: 10,
};
const WEIGHTS: McWeights = {
  W10: [
    [1.5, -0.7],
    [0.3, 2.1],
    [-1.2, 0.4],
  ],
  W21: [
    [0.8, -1.5, 1.1],
    [-0.6, 0.9, 1.7],
  ],
  B12: [
    [-0.5, 1.2],
    [0.7, -0.3],
    [1.4, 0.2],
  ],
  b1: [-1, -0.5, 0],
  b2: [-1, 0.5],
};

function net(k: Kernels, p: Partial<McParams> = {}, seed = 11): Microcircuit {
  const m = new Microcircuit(k, { ...PARAMS, ...p }, seed);
  m.setWeights(WEIGHTS);
  return m;
}

/** Potentials recomputed densely in f64 from the PSP states and weights. */
function densePotentials(m: Microcircuit) {
  const { n0, n1, n2, f, i: li } = m.L;
  const F = m.st.F.view,
    I = m.st.I.view;
  const s = (q: number) => I[li.s + q];
  const lamApi = F[0];
  const u1: number[] = [],
    uI: number[] = [],
    vb2: number[] = [];
  for (let i = 0; i < n1; i++) {
    let vb = 0,
      va = 0;
    for (let j = 0; j < n0; j++) vb += F[f.W10 + i * n0 + j] * s(j);
    for (let k = 0; k < n2; k++) va += F[f.B12 + i * n2 + k] * s(n0 + n1 + n2 + k) + F[f.WPI + i * n2 + k] * s(n0 + n1 + k);
    u1.push(F[f.b1 + i] + vb + lamApi * va);
  }
  for (let k = 0; k < n2; k++) {
    let a = 0,
      b = 0;
    for (let j = 0; j < n1; j++) {
      a += F[f.WIP + k * n1 + j] * s(n0 + j);
      b += F[f.W21 + k * n1 + j] * s(n0 + j);
    }
    uI.push(F[f.b2 + k] + a);
    vb2.push(b);
  }
  return { u1, uI, vb2 };
}

describeBackends("microcircuit", (k) => {
  it("potentials equal a dense recomputation and PSPs follow 0 <= t - t_spike < tauSyn, step by step", () => {
    const m = net(k());
    const { n1, n2, f, i: li, N } = m.L;
    let spikes = 0;
    for (let step = 0; step < 400; step++) {
      m.runPattern([0.5, -0.3], { target: null, steps: 1, lag: 0 });
      const F = m.st.F.view,
        I = m.st.I.view;
      const t = I[MC_H.t] - 1; // the step just simulated
      for (let q = 0; q < N; q++) {
        expect(I[li.s + q]).toBe(t - I[li.tl + q] < 10 ? 1 : 0);
        if (I[li.tl + q] === t) spikes++;
      }
      const d = densePotentials(m);
      for (let i = 0; i < n1; i++) expect(F[f.u1 + i]).toBeCloseTo(d.u1[i], 5);
      for (let q = 0; q < n2; q++) {
        expect(F[f.uI + q]).toBeCloseTo(d.uI[q], 5);
        expect(F[f.vbas2 + q]).toBeCloseTo(d.vb2[q], 5);
        expect(F[f.u2 + q]).toBeCloseTo(F[f.b2 + q] + d.vb2[q], 5);
      }
      expect(F[f.u0]).toBe(Math.fround(0.5));
    }
    expect(spikes).toBeGreaterThan(100);
  });

  it("event-driven recomputation inside a call equals recomputing everything every step (one-step calls)", () => {
    const plan = [
      { target: [0.4, -0.1], forward: true },
      { target: [0.4, -0.1], forward: true, bpCopy: true },
      { target: [-0.2, 0.3], sal: true },
      { target: null },
    ];
    const a = net(k(), {}, 5),
      b = net(k(), {}, 5);
    for (const p of plan) {
      a.runPattern([0.7, -1.1], { ...p, steps: 300, lag: 100 });
      for (let s = 0; s < 300; s++) b.runPattern([0.7, -1.1], { ...p, steps: 1, lag: s >= 100 ? 0 : 1 });
    }
    expect(Array.from(a.st.F.view)).toEqual(Array.from(b.st.F.view));
    expect(Array.from(a.st.I.view)).toEqual(Array.from(b.st.I.view));
    expect(a.weights().W21).not.toEqual(WEIGHTS.W21);
    expect(a.weights().B12).not.toEqual(WEIGHTS.B12);
  });

  it("moving averages equal a direct boxcar over the last window (initial value 0 counts while filling)", () => {
    const m = net(k());
    const { n1, f, d } = m.L;
    const win = PARAMS.sizeMovingAverage;
    const hist: number[][] = Array.from({ length: n1 }, () => [0]); // the authors' average starts holding the initial 0
    for (let step = 0; step < 60; step++) {
      m.runPattern([1.0, 2.0], { target: [0.3, -0.2], steps: 1, lag: 0 });
      const F = m.st.F.view,
        D = m.st.D.view;
      for (let i = 0; i < n1; i++) {
        hist[i].push(F[f.u1 + i]);
        const last = hist[i].slice(-win);
        const direct = last.reduce((a, b) => a + b, 0) / last.length;
        const cnt = m.st.I.view[MC_H.ringCount];
        expect(cnt).toBe(last.length);
        expect(D[d.sum + i] / cnt).toBeCloseTo(direct, 6);
      }
    }
  });

  it("every neuron draws one output per step from its own stream (the seed's splitmix32 state jumped q times), refractory or not", () => {
    for (const dims of [
      [2, 3, 2],
      [1, 1, 1],
    ] as [number, number, number][]) {
      const m = new Microcircuit(k(), { ...PARAMS, dims }, 17);
      const w: McWeights = dims[0] === 1 ? { W10: [[2]], W21: [[1]], B12: [[-1]], b1: [0], b2: [0] } : WEIGHTS;
      m.setWeights(w);
      m.runPattern(dims[0] === 1 ? [3] : [3, 3], { target: null, steps: 137, lag: 0 });
      const N = m.L.N,
        streams = new Uint32Array(4 * N),
        one = new Uint32Array(4);
      seedStreams(streams, N, 17);
      for (let q = 0; q < N; q++) {
        for (let w = 0; w < 4; w++) one[w] = streams[w * N + q];
        for (let step = 0; step < 137; step++) rngNext(one, 0);
        for (let w = 0; w < 4; w++) expect(m.st.U.view[m.L.u.rng + w * N + q]).toBe(one[w]);
      }
    }
  });

  it("refractoriness: with firing probability ~1 an input neuron spikes exactly every tRef steps", () => {
    const m = new Microcircuit(k(), { ...PARAMS, dims: [1, 1, 1] }, 3);
    m.setWeights({ W10: [[0]], W21: [[0]], B12: [[0]], b1: [-80], b2: [-80] });
    const times: number[] = [];
    for (let step = 0; step < 200; step++) {
      m.runPattern([80], { target: null, steps: 1, lag: 0 });
      const I = m.st.I.view;
      if (I[m.L.i.tl] === I[MC_H.t] - 1) times.push(I[MC_H.t] - 1);
    }
    // first draw uses the initial potential 0; from the first spike on, ISI = tRef
    const isi = times.slice(1).map((t, i) => t - times[i]);
    expect(isi.length).toBeGreaterThan(15);
    expect(new Set(isi)).toEqual(new Set([10]));
  });

  it("PSP on-fraction of a clamped input neuron equals sigmoid(x) (+-0.025 over 5e4 steps)", () => {
    for (const x of [-1.5, 0.8]) {
      const m = new Microcircuit(k(), { ...PARAMS, dims: [1, 1, 1] }, 5);
      m.setWeights({ W10: [[1]], W21: [[0]], B12: [[0]], b1: [0], b2: [0] });
      let on = 0;
      for (let s = 0; s < 50000; s++) {
        m.runPattern([x], { target: null, steps: 1, lag: 0 });
        on += m.st.I.view[m.L.i.s];
      }
      expect(Math.abs(on / 50000 - 1 / (1 + Math.exp(-x)))).toBeLessThan(0.025);
    }
  });
});

describe("microcircuit: bracketed draws rest on a monotone threshold", () => {
  it(
    "threshold(u) never decreases over consecutive f32 potentials (stride 1 near exp range-reduction edges, stride 997 on [-30, 30])",
    { tags: ["slow"] },
    () => {
      const buf = new Float32Array(1),
        bits = new Int32Array(buf.buffer);
      const up = () => {
        if (buf[0] < 0) bits[0] -= 1;
        else if (buf[0] === 0) buf[0] = 1e-45;
        else bits[0] += 1;
      };
      let drops = 0,
        points = 0;
      for (let k = -30; k <= 30; k++) {
        buf[0] = -(k - 0.5) * Math.LN2 - 2e-5;
        let prev = threshold(buf[0], 10);
        for (let i = 0; i < 3000; i++) {
          up();
          const T = threshold(buf[0], 10);
          if (T < prev) drops++;
          prev = T;
          points++;
        }
      }
      buf[0] = -30;
      let prev = threshold(buf[0], 10);
      while (buf[0] < 30) {
        for (let i = 0; i < 997; i++) up();
        const T = threshold(buf[0], 10);
        if (T < prev) drops++;
        prev = T;
        points++;
      }
      expect(points).toBeGreaterThan(100000);
      expect(drops).toBe(0);
    },
  );
});

describe("microcircuit: js and wasm give identical states", () => {
  it("bit-identical buffers after patterns with every flag combination (dims 2,3,2)", async () => {
    const { js, wasm } = await bothBackends();
    const a = net(js, {}, 99),
      b = net(wasm, {}, 99);
    const plan = [
      { target: [0.4, -0.1], forward: true },
      { target: [0.4, -0.1], forward: true, bpCopy: true },
      { target: [-0.2, 0.3], sal: true },
      { target: null },
      { target: [0.1, 0.1], forward: true, sal: true },
      { target: [-0.3, 0.2], sal: true, salAllPairs: true },
    ];
    for (const [i, p] of plan.entries()) {
      const x = [i * 0.5 - 1, 1 - i * 0.3];
      const ra = a.runPattern(x, { ...p, steps: 3000, lag: 500 });
      const rb = b.runPattern(x, { ...p, steps: 3000, lag: 500 });
      expect(ra).toEqual(rb);
    }
    expect(Array.from(a.st.F.view)).toEqual(Array.from(b.st.F.view));
    expect(Array.from(a.st.I.view)).toEqual(Array.from(b.st.I.view));
    expect(Array.from(a.st.U.view)).toEqual(Array.from(b.st.U.view));
    expect(Array.from(a.st.D.view)).toEqual(Array.from(b.st.D.view));
    // and the run did something: weights moved
    expect(a.weights().W10).not.toEqual(WEIGHTS.W10);
  });

  it(
    "bit-identical buffers for dims 3,5,4 (wasm's general loop takes four neurons per f32x4 pass" +
      " in the forward rule, then a scalar tail)",
    async () => {
      const { js, wasm } = await bothBackends();
      let r = 7;
      const next = () => {
        r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
        return (r / 2 ** 32) * 4 - 2;
      };
      const mat = (m: number, n: number) => Array.from({ length: m }, () => Array.from({ length: n }, next));
      const w: McWeights = { W10: mat(5, 3), W21: mat(4, 5), B12: mat(5, 4), b1: [-1, -0.5, 0, 0.5, -1], b2: [-1, 0.5, 0, -0.5] };
      const mk = (k: Kernels) => {
        const m = new Microcircuit(k, { ...PARAMS, dims: [3, 5, 4] }, 21);
        m.setWeights(w);
        return m;
      };
      const a = mk(js),
        b = mk(wasm);
      for (const [i, p] of [
        { target: [0.4, -0.1, 0.2, 0.3], forward: true },
        { target: [0.1, 0.2, -0.3, 0], sal: true },
      ].entries()) {
        const x = [i - 0.5, 0.3, -1];
        expect(a.runPattern(x, { ...p, steps: 3000, lag: 500 })).toEqual(b.runPattern(x, { ...p, steps: 3000, lag: 500 }));
      }
      expect(Array.from(a.st.F.view)).toEqual(Array.from(b.st.F.view));
      expect(Array.from(a.st.I.view)).toEqual(Array.from(b.st.I.view));
      expect(Array.from(a.st.U.view)).toEqual(Array.from(b.st.U.view));
      expect(Array.from(a.st.D.view)).toEqual(Array.from(b.st.D.view));
      expect(a.weights().W10).not.toEqual(w.W10);
      expect(a.weights().W21).not.toEqual(w.W21);
    },
  );

  it(
    "bit-identical buffers for dims 1,1,1 (wasm runs its specialized 1-1-1 loop, js the general one)" + ", every flag combination",
    async () => {
      const { js, wasm } = await bothBackends();
      const w: McWeights = { W10: [[1.7]], W21: [[-1.3]], B12: [[0.9]], b1: [-1], b2: [-1] };
      const mk = (k: Kernels) => {
        const m = new Microcircuit(k, { ...PARAMS, dims: [1, 1, 1], sizeMovingAverage: 50 }, 7);
        m.setWeights(w);
        return m;
      };
      const a = mk(js),
        b = mk(wasm);
      const plan = [
        { target: [0.4], forward: true },
        { target: [0.4], forward: true, bpCopy: true },
        { target: [-0.2], sal: true, lambdaApi: 1, cut: true },
        { target: null },
        { target: [0.25] }, // validation: nudged, no plasticity
        { target: [0.1], forward: true, sal: true },
        { target: [0.2], sal: true, salAllPairs: true }, // wasm: the general loop
        { target: [0.3], forward: true, steps: 1 }, // one-step calls
        { target: [0.3], forward: true, steps: 1, lag: 0 },
        { target: null, steps: 0 },
      ];
      for (const [i, p] of plan.entries()) {
        const x = [i * 0.6 - 1.5];
        for (const m of [a, b]) {
          if (p.lambdaApi) {
            m.setLambdaApi(p.lambdaApi);
            m.cutInterneurons();
          }
        }
        const o = { ...p, steps: p.steps ?? 3000, lag: p.lag ?? 500 };
        const ra = a.runPattern(x, o),
          rb = b.runPattern(x, o);
        expect(ra).toEqual(rb);
        if (p.lambdaApi)
          for (const m of [a, b]) {
            m.setLambdaApi(PARAMS.lambdaApi);
            m.copySelfPredicting();
          }
      }
      expect(Array.from(a.st.F.view)).toEqual(Array.from(b.st.F.view));
      expect(Array.from(a.st.I.view)).toEqual(Array.from(b.st.I.view));
      expect(Array.from(a.st.U.view)).toEqual(Array.from(b.st.U.view));
      expect(Array.from(a.st.D.view)).toEqual(Array.from(b.st.D.view));
      const wa = a.weights();
      expect(wa.W10).not.toEqual(w.W10);
      expect(wa.W21).not.toEqual(w.W21);
      expect(wa.B12).not.toEqual(w.B12);
    },
  );
});
