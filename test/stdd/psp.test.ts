// PSP shapes in the stdd experiment: the shapes' definitions, the exact chain
// for any shape (against the rectangle, against the authors' calculator and
// against its own second solver), and the Monte-Carlo STDD through the
// kernels against the exact chain for every shape, both ties rules.
import { describe, expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { buildChain, exactRawStdd, stationary, stationaryPostSpike } from "../../src/analysis/stdd/markov.js";
import { monteCarloRawStdd, PairHistogram } from "../../src/analysis/stdd/montecarlo.js";
import { finalizeStdd, noiseTvd, tvd, type PairParams } from "../../src/analysis/stdd/stdd.js";
import { expectedSalUpdate } from "../../src/learning/sal.js";
import { defaultPspLength, pspTable, pspValue, rectTable, PSP_SHAPES } from "../../src/models/psp.js";
import { refSimRawStdd } from "./refsim.js";

const joint = { maxLag: null, normalize: "joint" as const };
const win = (tRef: number) => ({ tau: tRef, aCausal: -1, aAnti: 1 });
const pairs = (r: { right: Float64Array; left: Float64Array }) => r.right.reduce((a, b) => a + b, 0) + r.left.reduce((a, b) => a + b, 0);

describe("PSP shapes", () => {
  it("carry the rectangle's charge tRef (alpha over all lags, exp and cutoff over 0..tRef) and have the authors' forms", () => {
    const tRef = 10;
    for (const tau of [10 / 3, 5, 12]) {
      // the continuous integrals, by a fine Riemann sum
      const area = (f: (x: number) => number, hi: number) => {
        let s = 0;
        for (let x = 0.0005; x < hi; x += 0.001) s += f(x) * 0.001;
        return s;
      };
      expect(area((x) => pspValue("alpha", x, tRef, tau), 60 * tau)).toBeCloseTo(tRef, 2);
      expect(area((x) => pspValue("exp", x, tRef, tau), tRef)).toBeCloseTo(tRef, 2);
      expect(area((x) => pspValue("cutoff", x, tRef, tau), 3 * tRef)).toBeCloseTo(tRef, 2);
    }
    // alpha peaks at tau with tRef / (tau e); tail is 1 up to tRef, then the exponential
    expect(pspValue("alpha", 5, 10, 5)).toBeCloseTo(10 / (5 * Math.E), 12);
    expect(pspValue("tail", 10, 10, 5)).toBe(1);
    expect(pspValue("tail", 11, 10, 5)).toBeCloseTo(pspValue("exp", 11, 10, 5), 14);
    expect(pspValue("cutoff", 11, 10, 5)).toBe(0);
    // rect: the simulator's 0 < d < tauSyn
    expect([0, 1, 9, 10].map((d) => pspValue("rect", d, 10, 10))).toEqual([0, 1, 1, 0]);
  });

  it("tables: zero tail ends in 0, hold ends in the last value; the default length leaves < 1e-3 of the peak", () => {
    const z = pspTable({ shape: "alpha", tRef: 10, tauSyn: 5 });
    expect(z[z.length - 1]).toBe(0);
    const L = defaultPspLength("alpha", 10, 5);
    expect(z.length).toBe(L + 1);
    const peak = Math.max(...Array.from(z));
    expect(pspValue("alpha", L, 10, 5)).toBeGreaterThanOrEqual(1e-3 * peak);
    for (let d = L + 1; d < L + 200; d++) expect(pspValue("alpha", d, 10, 5)).toBeLessThan(1e-3 * peak);
    const h = pspTable({ shape: "alpha", tRef: 10, tauSyn: 5, length: 19, tail: "hold" });
    expect(h.length).toBe(19);
    expect(h[18]).toBeCloseTo(pspValue("alpha", 19, 10, 5), 15);
    expect(Array.from(rectTable(3))).toEqual([1, 1, 1, 0]);
    for (const s of PSP_SHAPES) expect(pspTable({ shape: s, tRef: 10, tauSyn: 4 }).every(Number.isFinite)).toBe(true);
  });
});

describe("exact chain with a PSP table", () => {
  it(
    "the rectangle as a table gives the rectangle's STDD (to 1e-15)" + ", and the post-spike solver agrees with GTH on the random states",
    () => {
      for (const p of [
        { W01: 0.4, W10: 0.8, b0: -0.5, b1: -0.5, tRef: 50, tauSyn: 50 },
        { W01: 1.5, W10: -1, b0: 0.3, b1: -0.2, tRef: 10, tauSyn: 10 },
        { W01: 2, W10: -2, b0: 1, b1: -1, tRef: 10, tauSyn: 10, minIsi: 3 },
      ] as PairParams[]) {
        const rect = exactRawStdd(p),
          tab = exactRawStdd({ ...p, pspTable: rectTable(p.tauSyn - 1) });
        expect(tab.right.length).toBe(rect.right.length);
        expect(tab.left.length).toBe(rect.left.length);
        for (let d = 1; d < rect.right.length; d++) expect(Math.abs(tab.right[d] - rect.right[d])).toBeLessThan(1e-15);
        for (let d = 1; d < rect.left.length; d++) expect(Math.abs(tab.left[d] - rect.left[d])).toBeLessThan(1e-15);
        const ch = buildChain(p);
        const a = stationary(ch, p.minIsi ?? p.tRef + 1),
          b = stationaryPostSpike(ch);
        let diff = 0;
        for (let i = 0; i < ch.size; i++) diff = Math.max(diff, Math.abs(a.pi[i] - b.pi[i]));
        expect(diff).toBeLessThan(1e-14);
        expect(b.residual).toBeLessThan(1e-14);
      }
    },
  );

  it("symmetric weights give a mirror-symmetric STDD for every shape at equal biases", () => {
    for (const shape of ["alpha", "exp", "tail"] as const) {
      const s = finalizeStdd(
        exactRawStdd({ W01: 0.7, W10: 0.7, b0: -0.3, b1: -0.3, tRef: 10, tauSyn: 4, pspTable: pspTable({ shape, tRef: 10, tauSyn: 4 }) }),
        joint,
      );
      for (let d = 1; d <= s.L; d++) expect(Math.abs(s.p[s.L + d] - s.p[s.L - d])).toBeLessThan(1e-15);
      expect(Math.abs(expectedSalUpdate(s, win(10)).W10)).toBeLessThan(1e-15);
    }
  });

  // The authors' STDD calculator (stddc, t_max 20, t_ref 10, W12 = 0.5 / W21 = w (our W01 / W10), b 1: -1,
  // b 2: 1, exp window -1 / +1, tau 10) gives these sums of STDD(dt) K(dt), our dW10 (values from running it).
  // Their calculator also counts a pair after a step in which both fired twice (once from that step, once
  // continued through it); ties 'pair' counts it once, which moves the sums by < 0.3 %.
  const STDDC = [
    { shape: "rect", W10: 0.5, dW10: 0 },
    { shape: "rect", W10: 1.0, dW10: -0.020114980230379116 },
    { shape: "alpha", W10: 0.5, dW10: -0.006720523157617628 },
    { shape: "alpha", W10: 1.0, dW10: -0.015667907119536594 },
  ];
  it(
    "reproduces the authors' calculator within 0.5 % with their conventions" + " (minIsi tRef, ties pair, PSP held at t_max - 1, halves)",
    () => {
      for (const r of STDDC) {
        const psp =
          r.shape === "rect" ? { pspLength: 9 } : { pspTable: pspTable({ shape: "alpha", tRef: 10, tauSyn: 5, length: 19, tail: "hold" }) };
        const p: PairParams = { W01: 0.5, W10: r.W10, b0: -1, b1: 1, tRef: 10, tauSyn: 10, minIsi: 10, ties: "pair", ...psp };
        const u = expectedSalUpdate(finalizeStdd(exactRawStdd(p), { maxLag: 19, normalize: "halves" }), win(10)).W10;
        if (r.dW10 === 0) expect(Math.abs(u)).toBeLessThan(1e-15);
        else expect(Math.abs(u / r.dW10 - 1)).toBeLessThan(0.005);
        // and the rule matters: with ties 'skip' the rectangle's symmetric point is no longer a zero
        if (r.shape === "rect" && r.dW10 === 0) {
          const skip = expectedSalUpdate(
            finalizeStdd(exactRawStdd({ ...p, ties: "skip" }), { maxLag: 19, normalize: "halves" }),
            win(10),
          ).W10;
          expect(Math.abs(skip)).toBeGreaterThan(1e-3);
        }
      }
    },
  );

  it("ties 'pair' is the exact law of the histogram that pairs across ties (step-by-step reference simulation)", () => {
    // small tRef, high rates: ties are frequent, so the two rules differ clearly
    const p: PairParams = { W01: 1, W10: 0.5, b0: 1, b1: 0.5, tRef: 4, tauSyn: 4, minIsi: 4, pspLength: 3, ties: "pair" };
    const raw = refSimRawStdd(p, 1_000_000, 99);
    const mc = finalizeStdd(raw, joint);
    const ex = finalizeStdd(exactRawStdd(p), { maxLag: mc.L, normalize: "joint" });
    const floor = noiseTvd(ex, pairs(raw));
    expect(tvd(ex, mc)).toBeLessThan(1.5 * floor + 0.003);
    const other = finalizeStdd(exactRawStdd({ ...p, ties: "skip" }), { maxLag: mc.L, normalize: "joint" });
    expect(tvd(other, mc)).toBeGreaterThan(3 * floor + 0.003);
  });

  it("the histogram pairs across a tie only with ties 'pair'", () => {
    const spikes = [
      [0, 1, 1],
      [4, 0, 1],
      [9, 1, 0],
    ] as const;
    const skip = new PairHistogram("skip"),
      pair = new PairHistogram("pair");
    for (const [t, a, b] of spikes) {
      skip.step(t, !!a, !!b);
      pair.step(t, !!a, !!b);
    }
    // tie at 0; 1@4 pairs with 0@0 (+4) only across the tie; 0@9 pairs with 1@4 (-5) in both
    expect(skip.right).toEqual([0]);
    expect(pair.right).toEqual([0, 0, 0, 0, 1]);
    expect(skip.left).toEqual([0, 0, 0, 0, 0, 1]);
    expect(pair.left).toEqual([0, 0, 0, 0, 0, 1]);
  });
});

describeBackends("Monte-Carlo STDD with PSP shapes vs the exact chain", (k) => {
  const base = { W01: 1.2, W10: -0.8, b0: 0.3, b1: -0.2, tRef: 10 };
  const cases: [string, PairParams][] = [
    ["alpha tRef/2", { ...base, tauSyn: 5, pspTable: pspTable({ shape: "alpha", tRef: 10, tauSyn: 5 }) }],
    [
      "alpha tRef/3, held at lag 19, stddc conventions",
      {
        ...base,
        tauSyn: 10 / 3,
        minIsi: 10,
        ties: "pair",
        pspTable: pspTable({ shape: "alpha", tRef: 10, tauSyn: 10 / 3, length: 19, tail: "hold" }),
      },
    ],
    ["exp", { ...base, tauSyn: 4, pspTable: pspTable({ shape: "exp", tRef: 10, tauSyn: 4 }) }],
    ["cutoff", { ...base, tauSyn: 4, pspTable: pspTable({ shape: "cutoff", tRef: 10, tauSyn: 4 }) }],
    ["tail", { ...base, tauSyn: 4, pspTable: pspTable({ shape: "tail", tRef: 10, tauSyn: 4 }) }],
    ["rect as a table", { ...base, tauSyn: 10, pspTable: rectTable(9) }],
  ];
  for (const [name, p] of cases) {
    it(`${name}: TVD within 1.5x the sampling-noise floor + 0.003 at 10^6 steps`, () => {
      const ex = finalizeStdd(exactRawStdd(p), joint);
      const raw = monteCarloRawStdd(k(), p, { steps: 1_000_000, burnIn: 1000, seed: 31, chunk: 250_000 });
      const mc = finalizeStdd(raw, { maxLag: ex.L, normalize: "joint" });
      expect(tvd(ex, mc)).toBeLessThan(1.5 * noiseTvd(ex, pairs(raw)) + 0.003);
      expect(raw.rate0).toBeCloseTo(exactRawStdd(p).rate0, 2);
    });
  }

  it("detects a wrong shape: alpha tRef/2 simulated, alpha tRef/3 exact differ well beyond the noise floor", () => {
    const p = cases[0][1];
    const raw = monteCarloRawStdd(k(), p, { steps: 1_000_000, burnIn: 1000, seed: 32 });
    const wrong = finalizeStdd(exactRawStdd({ ...p, pspTable: pspTable({ shape: "alpha", tRef: 10, tauSyn: 10 / 3 }) }), joint);
    const mc = finalizeStdd(raw, { maxLag: wrong.L, normalize: "joint" });
    expect(tvd(wrong, mc)).toBeGreaterThan(3 * noiseTvd(wrong, pairs(raw)) + 0.003);
  });
});
