// SVG figures of the stdd experiment: the STDD of a weight pair with its
// causal (dt > 0) and anti-causal (dt < 0) halves coloured, against the
// symmetric pair with the same mean weight (Fig. 2c), and the phase plane of
// the expected SAL update with its nullcline (Fig. 2e).
import { linePlot, type Band, type Series } from "../../report/svg.js";
import { quiverPlot, zeroContour } from "../../report/quiver.js";
import type { PairResult, PhasePlane } from "./run.js";
import type { Stdd } from "./stdd.js";

const CAUSAL = "#88409c";
const ANTI = "#3787c0";

function halves(s: Stdd, plotLag: number): { x: number[]; y: number[] }[] {
  const L = Math.min(s.L, plotLag);
  const right = { x: [] as number[], y: [] as number[] }, left = { x: [] as number[], y: [] as number[] };
  for (let d = 1; d <= L; d++) {
    right.x.push(d); right.y.push(s.p[s.L + d]);
    left.x.push(-d); left.y.push(s.p[s.L - d]);
  }
  left.x.reverse(); left.y.reverse();
  return [right, left];
}

/** STDD of one pair (exact as filled halves, Monte-Carlo as points), the symmetric-mean pair dashed. */
export function stddPlot(r: PairResult, sym: PairResult | undefined, plotLag: number): string {
  const main = r.exact ?? r.mc!;
  const [right, left] = halves(main.stdd, plotLag);
  const tag = r.exact ? "exact" : "Monte-Carlo";
  const series: Series[] = [
    { label: `dt > 0 (${tag})`, ...right, color: CAUSAL },
    { label: `dt < 0 (${tag})`, ...left, color: ANTI },
  ];
  const bands: Band[] = [
    { x: right.x, lo: right.x.map(() => 0), hi: right.y, color: CAUSAL },
    { x: left.x, lo: left.x.map(() => 0), hi: left.y, color: ANTI },
  ];
  if (r.exact && r.mc) {
    const [mr, ml] = halves(r.mc.stdd, plotLag);
    series.push({ label: "Monte-Carlo", x: [...ml.x, ...mr.x], y: [...ml.y, ...mr.y], color: "#d1495b", points: true });
  }
  if (sym && sym !== r) {
    const [sr, sl] = halves((sym.exact ?? sym.mc!).stdd, plotLag);
    series.push({ label: `symmetric ${+sym.W01.toPrecision(4)}`, x: [...sl.x, NaN, ...sr.x], y: [...sl.y, NaN, ...sr.y], color: "#222", dashed: true });
  }
  const u = main.expectedUpdate;
  return linePlot({
    title: `STDD, W01 = ${r.W01}, W10 = ${r.W10}: dW01 = ${u.W01.toFixed(4)}, dW10 = ${u.W10.toFixed(4)}`,
    xLabel: "dt = t1 - t0 (steps): dt > 0 (0 then 1) is causal for W10 (0 -> 1), anti-causal for W01 (1 -> 0)",
    yLabel: "p(dt)",
    series,
    bands,
    width: 820,
    height: 420,
  });
}

/** Phase plane: arrows (dW01, dW10), the zero contour of dW10 and the diagonal. */
export function phasePlot(ph: PhasePlane, title: string): string {
  const lo = ph.w[0], hi = ph.w[ph.w.length - 1];
  return quiverPlot({
    title,
    xLabel: "W01 (1 -> 0)",
    yLabel: "W10 (0 -> 1)",
    x: ph.w,
    y: ph.w,
    u: ph.dW01,
    v: ph.dW10,
    contours: [{ segments: zeroContour(ph.w, ph.w, ph.dW10), label: "dW10 = 0", color: "#d1495b" }],
    lines: [{ x: [lo, hi], y: [lo, hi], label: "W01 = W10", color: "#666", dashed: true }],
  });
}
