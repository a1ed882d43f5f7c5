// The E-I system: the authors' effective-weight formula, the system's wiring,
// and what the Dale's-law analysis shows, with fixed seeds and short runs:
// SAL pushes towards the diagonal of the effective weights (not of the raw
// ones), and the direct system at the effective weight fires like the E-I one.
import { describe, expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { EI_PRESETS, eiConfigSchema, type EiConfig } from "../../src/experiments/ei/config.js";
import { checkEiConfig, eiParams, eiUnits, finishEi, runEi, runEiUnit, simulateEi } from "../../src/experiments/ei/run.js";
import { effectiveOffsets, effectiveWeight, eiWeightMatrix, logistic } from "../../src/models/eiSystem.js";
import { UsageError } from "../../src/errors.js";

const preset = (name: string, over: Partial<EiConfig> = {}): EiConfig =>
  eiConfigSchema.parse({ ...structuredClone(EI_PRESETS[name]), preset: name, ...over });
const WIN = { tau: 25, aCausal: -1, aAnti: 1 };

describe("E-I system model", () => {
  it("effective weight = W_EE + W_EI sigma(W_IE r + b_I) / r with r = sigma(b_e)", () => {
    // symmetric preset: sigma(4 * 0.5 - 2) = 0.5, so each path adds -1 * 0.5 / 0.5 = -1
    expect(effectiveWeight(0.7, 4, -1, -2, logistic(0))).toBeCloseTo(-0.3, 14);
    expect(effectiveOffsets(preset("symmetric"))).toEqual({ W12: -1, W21: -1 });
    // the paper's noised paths (values of the authors' formula on the notebook's seed-97 draws)
    const off = effectiveOffsets(preset("paper"));
    expect(off.W21).toBeCloseTo(-0.8973268499442895, 12);
    expect(off.W12).toBeCloseTo(-1.0612534933275772, 12);
    // a measured presynaptic rate replaces sigma(b_e)
    expect(effectiveOffsets(preset("symmetric"), { e1: 0.25, e2: 0.5 }).W21).toBeCloseTo((-1 * logistic(4 * 0.25 - 2)) / 0.25, 14);
  });

  it("wiring: W[post * 4 + pre] with e1, e2, i1, i2 = 0..3; everything else 0", () => {
    const W = eiWeightMatrix({ e2_e1: 1, e1_e2: 2, i1_e1: 3, i2_e2: 4, e2_i1: 5, e1_i2: 6 });
    expect(Array.from(W)).toEqual([0, 2, 0, 6, 1, 0, 5, 0, 3, 0, 0, 0, 0, 4, 0, 0]);
  });

  it("rejects biases that leave no effective weight, and empty ranges", () => {
    expect(() => checkEiConfig(preset("paper", { grid: { min: 1, max: 0, step: 0.1 } }))).toThrow(UsageError);
    const b = preset("paper");
    b.biases.e1 = -800; // sigma(b_e1) = 0: the formula divides by zero (the schema allows |b| <= 20 only; this checks the guard)
    expect(() => checkEiConfig(b)).toThrow(/not finite/);
  });
});

describeBackends("E-I system simulated", (k) => {
  it("the SAL update has the sign of the effective asymmetry on both sides of the diagonal (fixed seed)", () => {
    const cfg = preset("paper");
    const at = (w12: number, w21: number, seed = 7) => simulateEi(k(), eiParams(cfg, { e1_e2: w12, e2_e1: w21 }), 1_000_000, seed, WIN);
    const above = at(0.5, 1.5),
      below = at(1.5, 0.5);
    // e1 -> e2 effectively stronger: W21 depressed, W12 potentiated; and the other way round
    expect(above.dW21).toBeLessThan(-0.03);
    expect(above.dW12).toBeGreaterThan(0.03);
    expect(below.dW21).toBeGreaterThan(0.03);
    expect(below.dW12).toBeLessThan(-0.03);
    // the antisymmetric window conserves W12 + W21
    expect(above.dW12 + above.dW21).toBeCloseTo(0, 12);
    // on the raw diagonal the effective weight of e1 -> e2 is larger by 0.16 (the noised paths differ):
    // SAL still depresses W21, which it would not if it aligned raw weights
    for (const w of [0.6, 1.2]) {
      const r = at(w, w);
      expect(r.dW21).toBeLessThan(-0.002);
      expect(r.dW12).toBeGreaterThan(0.002);
    }
    // with equal paths (symmetric preset) the raw diagonal is the effective one: no drift beyond the noise
    const sym = preset("symmetric");
    const s = simulateEi(k(), eiParams(sym, { e1_e2: 1, e2_e1: 1 }), 1_000_000, 7, WIN);
    expect(Math.abs(s.dW21)).toBeLessThan(0.003);
  });

  it("rates: the direct system at the effective weight fires like the E-I system; both rise with W21", () => {
    const cfg = preset("paper", {
      grid: { min: 0, max: 2, step: 1 },
      steps: 20_000,
      rateCurve: { min: 0, max: 2, step: 1, steps: 400_000 },
    });
    const r = runEi(k(), cfg);
    const c = r.rateCurve!;
    expect(c.w).toEqual([0, 1, 2]);
    for (let i = 0; i < 3; i++) expect(Math.abs(c.ei[i] - c.direct[i])).toBeLessThan(0.03);
    expect(c.ei[2] - c.ei[0]).toBeGreaterThan(0.15);
    expect(c.wEff[1]).toBeCloseTo(1 + effectiveOffsets(cfg).W21, 12);
  });

  it("the nullcline of dW21 lies closer to the diagonal in effective than in raw weights", () => {
    const r = runEi(k(), preset("paper", { grid: { min: 0, max: 2, step: 0.25 }, steps: 500_000, rateCurve: null }));
    expect(r.nullcline!.length).toBeGreaterThan(5);
    expect(r.nullclineDeviation!).toBeLessThan(0.7 * r.nullclineDeviationRaw!);
    // the measured baseline rates (no E-E weights) are near sigma(b_e) = 0.5, lowered by the inhibition
    expect(r.baselineRates!.e1).toBeGreaterThan(0.3);
    expect(r.baselineRates!.e1).toBeLessThan(0.5);
  });

  it("units in any order give the same run; the same seed the same numbers", () => {
    const cfg = preset("symmetric", { grid: { min: 0, max: 1, step: 1 }, steps: 20_000, rateCurve: null });
    const units = eiUnits(cfg);
    const a = finishEi(
      cfg,
      units.map((u) => runEiUnit(k(), cfg, u)),
      0,
    );
    const b = finishEi(
      cfg,
      [...units].reverse().map((u) => runEiUnit(k(), cfg, u)),
      0,
    );
    expect(b.dW21).toEqual(a.dW21);
    expect(b.rateE2).toEqual(a.rateE2);
    const c = finishEi(
      { ...cfg, seed: 2 },
      units.map((u) => runEiUnit(k(), { ...cfg, seed: 2 }, u)),
      0,
    );
    expect(c.dW21).not.toEqual(a.dW21);
  });
});
