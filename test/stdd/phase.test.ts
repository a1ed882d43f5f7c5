import { describe, expect, it } from "vitest";
import { STDD_PRESETS, stddConfigSchema, gridValues } from "../../src/experiments/stdd/config.js";
import { nullcline, nullclineDeviation } from "../../src/analysis/stdd/phase.js";
import { runStdd, checkConfig } from "../../src/experiments/stdd/run.js";
import { zeroContour, quiverPlot } from "../../src/report/quiver.js";
import { UsageError } from "../../src/errors.js";

const fig2e = () => stddConfigSchema.parse({ ...structuredClone(STDD_PRESETS.fig2e), preset: "fig2e" });

describe("fig2e phase plane (exact)", () => {
  it("the grid is -2..2 step 0.25 and every arrow points toward the diagonal with W01 + W10 conserved", () => {
    const cfg = fig2e();
    const w = gridValues(cfg.grid!);
    expect(w.length).toBe(17);
    expect(w[0]).toBe(-2);
    expect(w[16]).toBe(2);
    const run = runStdd(null, cfg);
    const ph = run.phase!;
    for (let i = 0; i < w.length; i++)
      for (let j = 0; j < w.length; j++) {
        const k = i * w.length + j;
        expect(ph.dW01[k] + ph.dW10[k]).toBeCloseTo(0, 12);
        const gap = w[j] - w[i]; // W10 - W01
        if (Math.abs(gap) > 1e-9) expect(Math.sign(ph.dW10[k])).toBe(-Math.sign(gap));
        else expect(Math.abs(ph.dW10[k])).toBeLessThan(1e-12);
      }
  });

  it("nullcline lies on the diagonal for equal biases and leaves it when the biases differ", () => {
    const run = runStdd(null, fig2e());
    expect(run.phase!.nullcline.length).toBe(17);
    expect(run.phase!.multipleRootColumns).toBe(0);
    expect(run.phase!.nullclineDeviation).toBeLessThan(1e-6);
    const biased = runStdd(null, { ...fig2e(), b0: 0.5, b1: -0.5 });
    expect(biased.phase!.nullclineDeviation).toBeGreaterThan(1e-3);
  });

  it("nullcline helpers: roots, area, contour", () => {
    const w = [-1, 0, 1];
    const f = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) f[i * 3 + j] = w[i] + 0.5 - w[j]; // zero at W10 = W01 + 0.5
    const nc = nullcline(w, f);
    expect(nc.points).toEqual([
      [-1, -0.5],
      [0, 0.5],
    ]);
    expect(nullclineDeviation(nc.points, 2)).toBeCloseTo(0.5 / 4, 12);
    const segs = zeroContour(w, w, f);
    for (const [x0, y0, x1, y1] of segs) {
      expect(y0 - x0).toBeCloseTo(0.5, 12);
      expect(y1 - x1).toBeCloseTo(0.5, 12);
    }
    const svg = quiverPlot({ title: "t", xLabel: "x", yLabel: "y", x: w, y: w, u: f, v: f, contours: [{ segments: segs, label: "zero" }] });
    expect(svg.startsWith("<svg")).toBe(true);
    expect((svg.match(/marker-end/g) ?? []).length).toBe(9); // one arrow per grid point (none is zero)
  });

  it("rejects configs the schema cannot catch", () => {
    expect(() => checkConfig({ ...fig2e(), grid: { min: 1, max: -1, step: 0.25 } })).toThrow(UsageError);
    expect(() => checkConfig({ ...fig2e(), grid: null, pairs: [] })).toThrow(UsageError);
    expect(() => checkConfig({ ...fig2e(), tRef: 5, tauSyn: 300 })).toThrow(UsageError);
  });
});
