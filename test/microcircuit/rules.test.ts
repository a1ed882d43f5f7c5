// The microcircuit's rules as the kernels compute them, held to their
// readable originals in src/learning/ (urbanczikSenn.ts, sal.ts; issue 9):
// 1. the js kernel's f32 helpers (src/backend/js/microcircuitKernels.ts, which
//    may not import learning/) equal the learning/ functions bit for bit over
//    thousands of seeded random inputs and edge values; each check also shows
//    that its inputs tell a plausible reordering of the operations apart;
// 2. on both backends, every weight change and potential of a simulated step
//    equals the learning/ functions applied to the kernel's state.
import { describe, expect, it } from "vitest";
import * as K from "../../src/backend/js/microcircuitKernels.js";
import * as US from "../../src/learning/urbanczikSenn.js";
import * as SAL from "../../src/learning/sal.js";
import { expf, fireProb } from "../../src/backend/shared/mathf.js";
import { tsRandom } from "../../src/rng/seeds.js";
import { MC_H, MC_NEVER, MC_P } from "../../src/backend/microcircuit.js";
import { Microcircuit, type McParams, type McWeights } from "../../src/models/microcircuit.js";
import { describeBackends } from "../helpers/backends.js";

const f = Math.fround;
const rnd = tsRandom(9, "microcircuit-rules-test");
const N = 4000;

/** Potentials, weights and means as the kernels see them: f32, from everyday sizes up to the f32 range and exp's clamps. */
const EDGES = [
  0, -0, 1, -1, 0.5, -0.5, 2.302585, -2.302585, 87, -87, 88, -88, 89, -89, 100, -100, 1e4, -1e4, 1e30, -1e30, 3.4e38, -3.4e38, 1e-30,
  -1e-30, 1e-45, -1e-45,
].map(f);
function f32(): number {
  const r = rnd.uniform();
  if (r < 0.4) return f(rnd.range(-5, 5));
  if (r < 0.6) return f(rnd.range(-100, 100));
  if (r < 0.75) return f((rnd.uniform() < 0.5 ? -1 : 1) * 10 ** rnd.range(-12, 38));
  if (r < 0.85) return EDGES[rnd.int(EDGES.length)];
  return f(rnd.range(-0.05, 0.05));
}
/** Learning rates: the presets' (eta1 0.2 / 0.4, eta2 0.003, eta_B A = +-0.001) and random ones. */
function eta(): number {
  const presets = [0.2, 0.4, 0.003, 0.001, -0.001, 0.01, -0.01];
  return rnd.uniform() < 0.3 ? f(presets[rnd.int(presets.length)]) : f((rnd.uniform() < 0.5 ? -1 : 1) * 10 ** rnd.range(-5, 1));
}
/** Time constants: the presets' 10, small and large ones. */
function tau(): number {
  const presets = [10, 1, 2, 0.5, 1e-3, 50, 1e4];
  return rnd.uniform() < 0.3 ? f(presets[rnd.int(presets.length)]) : f(10 ** rnd.range(-2, 3));
}
const tRef = () => f([10, 10, 10, 1, 2, 50][rnd.int(6)]);
/** Moving-average state: an f64 sum of up to 2000 f32 values and its count. */
function meanState(): [number, number] {
  const count = rnd.uniform() < 0.1 ? [1, 2000][rnd.int(2)] : 1 + rnd.int(2000);
  return [rnd.uniform() < 0.1 ? f32() : rnd.range(-5, 5) * count, count];
}

/** Inputs where a and b differ bit for bit (Object.is: -0 and 0 differ), with the first few for the message. */
function differences(cases: number[][], a: (...x: number[]) => number, b: (...x: number[]) => number): { n: number; first: string[] } {
  const first: string[] = [];
  let n = 0;
  for (const x of cases) {
    const ra = a(...x),
      rb = b(...x);
    if (!Object.is(ra, rb)) {
      n++;
      if (first.length < 5) first.push(`(${x.join(", ")}): ${ra} vs ${rb}`);
    }
  }
  return { n, first };
}

/** Checks kernel === learning on every case, and that `reordered` (same maths, other f32 op order) differs on some. */
function holdsBitForBit(
  cases: number[][],
  kernel: (...x: number[]) => number,
  learning: (...x: number[]) => number,
  reordered: (...x: number[]) => number,
): void {
  expect(differences(cases, kernel, learning).first).toEqual([]);
  expect(differences(cases, reordered, learning).n).toBeGreaterThan(0);
}

const cases = (make: () => number[], edges: number[][] = []) => [...edges, ...Array.from({ length: N }, make)];

describe("microcircuit rules: js kernel helpers = learning/ (bit for bit)", () => {
  it("forwardDelta = urbanczikSenn.forwardDelta", () => {
    const edges = [
      [0.2, 0, 0, -1, 10],
      [0.2, 100, -100, -1, 10],
      [0.003, -100, 100, 1, 10],
      [0.2, 88, 89, -1, 10],
      [0.4, 2.302585, 2.302585, 0, 10],
    ].map((r) => r.map(f));
    holdsBitForBit(
      cases(() => [eta(), f32(), f32(), f32(), tRef()], edges),
      K.forwardDelta,
      US.forwardDelta,
      (e, mu, mb, b, tr) => f(f(e * fireProb(mu, tr)) - f(e * fireProb(f(mb + b), tr))),
    );
  });

  it("movingMean = urbanczikSenn.movingMean", () => {
    holdsBitForBit(
      cases(meanState, [
        [0, 1],
        [-0, 1],
        [1, 3],
        [1e10, 2000],
      ]),
      K.movingMean,
      US.movingMean,
      (s, n) => f(f(s) / n),
    );
  });

  it("hiddenPotential = urbanczikSenn.hiddenPotential", () => {
    holdsBitForBit(
      cases(() => [f32(), f32(), f32(), rnd.uniform() < 0.5 ? f([0.02, 1, 0.5][rnd.int(3)]) : f32()]),
      K.hiddenPotential,
      US.hiddenPotential,
      (b, vb, va, l) => f(b + f(vb + f(l * va))),
    );
  });

  it("outputFree = urbanczikSenn.outputPotential without a target", () => {
    holdsBitForBit(
      cases(() => [f32(), f32(), f32(), f32()]),
      (b, vb) => K.outputFree(b, vb),
      (b, vb, m, l) => US.outputPotential(b, vb, null, m, l),
      (b, vb) => b + vb,
    );
  });

  it("outputNudged = urbanczikSenn.outputPotential with a target", () => {
    holdsBitForBit(
      cases(() => [f32(), f32(), f32(), f32(), rnd.uniform() < 0.5 ? f(0.6) : f(rnd.uniform())]),
      K.outputNudged,
      (b, vb, tg, m, l) => US.outputPotential(b, vb, tg, m, l),
      (b, vb, tg, m, l) => f(f(b + vb) + f(l * f(tg - f(m + b)))),
    );
  });

  it("salNearestDelta = sal.salNearestDelta (d >= 1)", () => {
    const dist = () => (rnd.uniform() < 0.2 ? 1 : rnd.uniform() < 0.8 ? 1 + rnd.int(200) : 1 + rnd.int(1e8));
    const edges = [
      [1, -0.001, 10],
      [1, 0.001, 10],
      [10, -0.001, 10],
      [2000, 0.001, 10],
      [1, 0.001, 1e-3],
    ].map((r) => r.map(f));
    holdsBitForBit(
      cases(() => [dist(), eta(), tau()], edges),
      K.salNearestDelta,
      SAL.salNearestDelta,
      (d, e, t) => f(e * expf(f(-d * f(1 / t)))),
    );
  });

  it("salTraceDecay = sal.salTraceDecay", () => {
    holdsBitForBit(
      cases(() => [tau()], [[f(10)], [1], [f(1e-3)], [f(1e4)]]),
      K.salTraceDecay,
      SAL.salTraceDecay,
      (t) => f(Math.exp(-1 / t)),
    );
  });

  it("salTraceDelta = sal.salTraceDelta (empty traces included)", () => {
    const trace = () => (rnd.uniform() < 0.2 ? 0 : f(rnd.uniform() < 0.5 ? rnd.range(0, 1.2) : 10 ** rnd.range(-40, 1)));
    holdsBitForBit(
      cases(
        () => [trace(), eta()],
        [
          [0, f(-0.001)],
          [0, f(0.001)],
          [1, f(-0.001)],
        ],
      ),
      K.salTraceDelta,
      SAL.salTraceDelta,
      (x, e) => (x >= 0 ? f(e * x) : 0),
    );
  });

  it("selfPredictingCopies = urbanczikSenn.selfPredictingCopies (in place, nothing else touched)", () => {
    for (let trial = 0; trial < 50; trial++) {
      const n1 = 1 + rnd.int(6),
        n2 = 1 + rnd.int(6),
        pad = rnd.int(3);
      const W21 = pad,
        B12 = W21 + n1 * n2 + pad,
        WIP = B12 + n1 * n2 + pad,
        WPI = WIP + n1 * n2 + pad;
      const F = Float32Array.from({ length: WPI + n1 * n2 + pad }, f32);
      const before = F.slice();
      K.selfPredictingCopies(F, W21, B12, WIP, WPI, n1, n2);
      const want = US.selfPredictingCopies(before.subarray(W21, W21 + n1 * n2), before.subarray(B12, B12 + n1 * n2), n1, n2);
      const expected = before.slice();
      expected.set(want.WIP, WIP);
      expected.set(want.WPI, WPI);
      expect(Array.from(F)).toEqual(Array.from(expected));
    }
  });
});

// ---------------------------------------------------------------------------
// The kernels' steps against learning/, one step per call, both backends

const PARAMS: McParams = {
  dims: [2, 3, 2],
  tRef: 10,
  tauSyn: 10,
  sizeMovingAverage: 50,
  lambdaApi: 0.5,
  lambdaNudge: 0.6,
  eta1: 0.2,
  eta2: 0.05,
  etaB: 0.01,
  aCausal: -1,
  aAnti: 1,
  tauCausal: 7,
  tauAnti: 13,
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

describeBackends("microcircuit steps = learning/", (k) => {
  const X = [0.9, -0.4],
    TGT = [0.4, -0.3];

  /** Runs `steps` one-step calls with `opts`, calling check(before, after, t) with copies of F, I, D around each. */
  function stepwise(
    m: Microcircuit,
    steps: number,
    opts: { forward?: boolean; sal?: boolean; salAllPairs?: boolean },
    check: (b: Snap, a: Snap, t: number) => void,
  ): void {
    for (let s = 0; s < steps; s++) {
      const before = snap(m);
      m.runPattern(X, { target: TGT, steps: 1, lag: 0, ...opts });
      check(before, snap(m), before.I[MC_H.t]);
    }
  }
  type Snap = { F: Float32Array; I: Int32Array; D: Float64Array };
  const snap = (m: Microcircuit): Snap => ({ F: m.st.F.view.slice(), I: m.st.I.view.slice(), D: m.st.D.view.slice() });

  it("potentials: hiddenPotential and the nudged outputPotential (basal mean of the steps before t)", () => {
    const m = new Microcircuit(k(), PARAMS, 3);
    m.setWeights(WEIGHTS);
    const { n1, n2, f: o, d } = m.L;
    stepwise(m, 300, {}, (b, a) => {
      for (let i = 0; i < n1; i++)
        expect(a.F[o.u1 + i]).toBe(US.hiddenPotential(a.F[o.b1 + i], a.F[o.vbas1 + i], a.F[o.vapi1 + i], a.F[MC_P.lambdaApi]));
      const count = b.I[MC_H.ringCount];
      for (let q = 0; q < n2; q++) {
        const mean = US.movingMean(b.D[d.sum + 2 * n1 + q], count);
        expect(a.F[o.u2 + q]).toBe(US.outputPotential(a.F[o.b2 + q], a.F[o.vbas2 + q], a.F[o.tgt + q], mean, a.F[MC_P.lambdaNudge]));
      }
    });
  });

  it("forward rule: W10, W21 change by forwardDelta of the moving averages, at the presynaptic spikes of t-1", () => {
    const m = new Microcircuit(k(), PARAMS, 5);
    m.setWeights(WEIGHTS);
    const { n0, n1, n2, f: o, i: li, d } = m.L;
    let updates = 0;
    stepwise(m, 400, { forward: true }, (b, a, t) => {
      const count = a.I[MC_H.ringCount];
      const layer = (
        W: number,
        nPost: number,
        nPre: number,
        tlPre: number,
        sumSoma: number,
        sumBasal: number,
        bias: number,
        etaSlot: number,
      ) => {
        for (let i = 0; i < nPost; i++) {
          const delta = US.forwardDelta(
            b.F[etaSlot],
            US.movingMean(a.D[sumSoma + i], count),
            US.movingMean(a.D[sumBasal + i], count),
            b.F[bias + i],
            b.F[MC_P.tRef],
          );
          for (let j = 0; j < nPre; j++) {
            const w = b.F[W + i * nPre + j],
              spiked = b.I[tlPre + j] === t - 1;
            if (spiked) updates++;
            expect(a.F[W + i * nPre + j]).toBe(spiked ? f(w + delta) : w);
          }
        }
      };
      layer(o.W10, n1, n0, li.tl, d.sum, d.sum + n1, o.b1, MC_P.eta1);
      layer(o.W21, n2, n1, li.tl + n0, d.sum + 2 * n1 + n2, d.sum + 2 * n1, o.b2, MC_P.eta2);
      const copies = US.selfPredictingCopies(a.F.subarray(o.W21, o.W21 + n1 * n2), a.F.subarray(o.B12, o.B12 + n1 * n2), n1, n2);
      expect(Array.from(a.F.subarray(o.WIP, o.WIP + n1 * n2))).toEqual(Array.from(copies.WIP));
      expect(Array.from(a.F.subarray(o.WPI, o.WPI + n1 * n2))).toEqual(Array.from(copies.WPI));
    });
    expect(updates).toBeGreaterThan(100);
  });

  it("SAL, nearest partner: B12 changes by salNearestDelta of the pairs the spikes of t close", () => {
    const m = new Microcircuit(k(), PARAMS, 7);
    m.setWeights(WEIGHTS);
    m.setLambdaApi(1);
    const { n0, n1, n2, f: o, i: li } = m.L;
    const tlH = li.tl + n0,
      tlO = li.tl + n0 + n1 + n2;
    let pairs = 0;
    stepwise(m, 600, { sal: true }, (b, a, t) => {
      const etaC = f(b.F[MC_P.etaB] * b.F[MC_P.aCausal]),
        etaA = f(b.F[MC_P.etaB] * b.F[MC_P.aAnti]);
      for (let i = 0; i < n1; i++) {
        for (let q = 0; q < n2; q++) {
          let w = b.F[o.B12 + i * n2 + q];
          const th = a.I[tlH + i],
            to = a.I[tlO + q];
          if (th === t && to !== MC_NEVER && t - to > 0) {
            w = f(w + SAL.salNearestDelta(t - to, etaC, b.F[MC_P.tauCausal]));
            pairs++;
          }
          if (to === t && th !== MC_NEVER && t - th > 0) {
            w = f(w + SAL.salNearestDelta(t - th, etaA, b.F[MC_P.tauAnti]));
            pairs++;
          }
          expect(a.F[o.B12 + i * n2 + q]).toBe(w);
        }
      }
    });
    expect(pairs).toBeGreaterThan(50);
  });

  it("SAL, all pairs: traces decay by salTraceDecay and B12 changes by salTraceDelta", () => {
    const m = new Microcircuit(k(), PARAMS, 11);
    m.setWeights(WEIGHTS);
    m.setLambdaApi(1);
    const { n0, n1, n2, f: o, i: li } = m.L;
    const tlH = li.tl + n0,
      tlO = li.tl + n0 + n1 + n2,
      trH = o.tr,
      trO = o.tr + n1;
    let pairs = 0;
    stepwise(m, 600, { sal: true, salAllPairs: true }, (b, a, t) => {
      const etaC = f(b.F[MC_P.etaB] * b.F[MC_P.aCausal]),
        etaA = f(b.F[MC_P.etaB] * b.F[MC_P.aAnti]);
      const xH = Array.from({ length: n1 }, (_, i) => f(b.F[trH + i] * SAL.salTraceDecay(b.F[MC_P.tauAnti])));
      const xO = Array.from({ length: n2 }, (_, q) => f(b.F[trO + q] * SAL.salTraceDecay(b.F[MC_P.tauCausal])));
      for (let i = 0; i < n1; i++) {
        for (let q = 0; q < n2; q++) {
          let w = b.F[o.B12 + i * n2 + q];
          if (a.I[tlH + i] === t && xO[q] > 0) {
            w = f(w + SAL.salTraceDelta(xO[q], etaC));
            pairs++;
          }
          if (a.I[tlO + q] === t && xH[i] > 0) {
            w = f(w + SAL.salTraceDelta(xH[i], etaA));
            pairs++;
          }
          expect(a.F[o.B12 + i * n2 + q]).toBe(w);
        }
      }
      for (let i = 0; i < n1; i++) expect(a.F[trH + i]).toBe(a.I[tlH + i] === t ? f(xH[i] + 1) : xH[i]);
      for (let q = 0; q < n2; q++) expect(a.F[trO + q]).toBe(a.I[tlO + q] === t ? f(xO[q] + 1) : xO[q]);
    });
    expect(pairs).toBeGreaterThan(50);
  });
});
