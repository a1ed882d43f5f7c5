// Outputs of the ei experiment: the summary object (summary.json and the
// --json line), results.json, phase.csv, nullcline.csv, rates.csv, and the
// plots phase.svg (SAL updates in effective-weight coordinates with the
// nullcline and the diagonal) and rates.svg (rate of e2 against W21, E-I vs
// direct system); a config without grid writes point.json and stdd.csv.
import type { OutDir } from "../../io/out.js";
import { quiverPlot, zeroContour } from "../../report/quiver.js";
import { linePlot } from "../../report/svg.js";
import { lags } from "../../analysis/stdd/stdd.js";
import type { EiConfig } from "./config.js";
import type { EiRun } from "./run.js";

/**
 * The --json / summary.json object: command, preset, grid { w, dW12, dW21 }, effective, nullclineDeviation (and the point
 * without grid).
 */
export function eiSummary(cfg: EiConfig, run: EiRun): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    command: "ei",
    preset: cfg.preset,
    grid: run.w ? { w: run.w, dW12: run.dW12, dW21: run.dW21 } : null,
    // W12 = W[e1, e2] (e2 -> e1), W21 = W[e2, e1] (e1 -> e2): raw weight + offset, at r = sigma(b_e)
    effective: {
      offset: run.offsets,
      W12: run.w?.map((x) => x + run.offsets.W12) ?? [cfg.weights.e1_e2 + run.offsets.W12],
      W21: run.w?.map((x) => x + run.offsets.W21) ?? [cfg.weights.e2_e1 + run.offsets.W21],
      offsetAtMeasuredRate: run.offsetsMeasured,
      measuredRates: run.baselineRates,
    },
    nullclineDeviation: run.nullclineDeviation,
  };
  if (run.point) {
    const { stdd: _s, ...p } = run.point;
    summary.point = p;
  }
  return summary;
}

/** Everything but config.json and metrics.jsonl (written as the run goes). */
export function writeEiOutputs(out: OutDir, cfg: EiConfig, run: EiRun, summary: Record<string, unknown>): void {
  out.writeJson("summary.json", summary);
  out.writeJson("results.json", {
    summary,
    seconds: run.seconds,
    steps: run.steps,
    rateE1: run.rateE1,
    rateE2: run.rateE2,
    nullcline: run.nullcline,
    nullclineDeviationRaw: run.nullclineDeviationRaw,
    rateCurve: run.rateCurve,
    ...(run.point && { point: { ...run.point, stdd: run.point.stdd && { L: run.point.stdd.L, p: Array.from(run.point.stdd.p) } } }),
  });
  if (run.point?.stdd) {
    const s = run.point.stdd;
    out.writeCsv(
      "stdd.csv",
      ["dt", "p"],
      lags(s).map((d) => [d, s.p[s.L + d]]),
    );
  }
  if (!run.w) return;
  const w = run.w,
    n = w.length,
    off = run.offsets;
  const rows: number[][] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      rows.push([w[i], w[j], w[i] + off.W12, w[j] + off.W21, run.dW12![i][j], run.dW21![i][j], run.rateE1![i][j], run.rateE2![i][j]]);
  out.writeCsv("phase.csv", ["W12", "W21", "W12_eff", "W21_eff", "dW12", "dW21", "rate_e1", "rate_e2"], rows);
  out.writeCsv("nullcline.csv", ["W12_eff", "W21_eff"], run.nullcline ?? []);
  out.writeText(
    "phase.svg",
    eiPhasePlot(
      run,
      `${cfg.preset}: SAL field, nullcline deviation ${run.nullclineDeviation?.toExponential(2)}` +
        ` (raw ${run.nullclineDeviationRaw?.toExponential(2)})`,
    ),
  );
  if (run.rateCurve) {
    const c = run.rateCurve;
    out.writeCsv(
      "rates.csv",
      ["W21", "W21_eff", "rate_e2_ei", "rate_e2_direct"],
      c.w.map((x, k) => [x, c.wEff[k], c.ei[k], c.direct[k]]),
    );
    out.writeText(
      "rates.svg",
      linePlot({
        title: `${cfg.preset}: rate of e2 vs W21 (E-I system at W21, direct system at its effective weight)`,
        xLabel: "W21 = W[e2, e1], the direct E-E weight (direct system: W21 + offset)",
        yLabel: "rate of e2 (spikes / tRef)",
        series: [
          { label: "E-I system", x: c.w, y: c.ei, color: "#2a7fbf", points: true },
          { label: "direct system", x: c.w, y: c.direct, color: "#d1495b", points: true },
        ],
        width: 760,
        height: 420,
      }),
    );
  }
}

/** Arrows (dW12, dW21) at the grid points in effective coordinates, the zero contour of dW21 and the diagonal. */
export function eiPhasePlot(run: EiRun, title: string): string {
  const x = run.w!.map((v) => v + run.offsets.W12),
    y = run.w!.map((v) => v + run.offsets.W21);
  const lo = Math.max(x[0], y[0]),
    hi = Math.min(x[x.length - 1], y[y.length - 1]);
  return quiverPlot({
    title,
    xLabel: "effective W12 (e2 -> e1)",
    yLabel: "effective W21 (e1 -> e2)",
    x,
    y,
    u: Float64Array.from(run.dW12!.flat()),
    v: Float64Array.from(run.dW21!.flat()),
    contours: [{ segments: zeroContour(x, y, Float64Array.from(run.dW21!.flat())), label: "dW21 = 0", color: "#d1495b" }],
    lines: [{ x: [lo, hi], y: [lo, hi], label: "W12_eff = W21_eff", color: "#666", dashed: true }],
  });
}

/** Lines for the terminal. */
export function eiLines(run: EiRun): string[] {
  const lines: string[] = [];
  if (run.point) {
    const p = run.point;
    lines.push(
      `W12 ${p.W12}, W21 ${p.W21}: dW12 ${p.dW12.toFixed(5)}, dW21 ${p.dW21.toFixed(5)}` +
        `; rates e1 ${p.rates.e1.toFixed(3)}, e2 ${p.rates.e2.toFixed(3)}, i1 ${p.rates.i1.toFixed(3)}, i2 ${p.rates.i2.toFixed(3)}`,
    );
  }
  lines.push(`effective weights: W12 + ${run.offsets.W12.toFixed(4)}, W21 + ${run.offsets.W21.toFixed(4)} (r = sigma(b_e))`);
  if (run.nullclineDeviation !== null)
    lines.push(
      `nullcline deviation from the diagonal: ${run.nullclineDeviation.toExponential(3)} in effective weights` +
        `, ${run.nullclineDeviationRaw!.toExponential(3)} in raw weights`,
    );
  if (run.rateCurve) {
    const c = run.rateCurve;
    const gap = Math.max(...c.ei.map((r, k) => Math.abs(r - c.direct[k])));
    lines.push(`rate of e2, E-I vs direct system at the effective weight: largest difference ${gap.toFixed(4)} over ${c.w.length} weights`);
  }
  return lines;
}
