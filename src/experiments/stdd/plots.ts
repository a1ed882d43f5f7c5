// SVG figures of the stdd experiment: the STDD of a weight pair with its
// causal (dt > 0) and anti-causal (dt < 0) halves coloured, against the
// symmetric pair with the same mean weight (Fig. 2c), and the phase plane of
// the expected SAL update with its nullcline (Fig. 2e).
import { linePlot, PALETTE, type Band, type Series } from "../../report/svg.js";
import { quiverPlot, zeroContour } from "../../report/quiver.js";
import type { PairResult, PhasePlane } from "./run.js";
import type { Stdd } from "../../analysis/stdd/stdd.js";

const CAUSAL = "#88409c";
const ANTI = "#3787c0";

function halves(s: Stdd, plotLag: number): { x: number[]; y: number[] }[] {
  const L = Math.min(s.L, plotLag);
  const right = { x: [] as number[], y: [] as number[] },
    left = { x: [] as number[], y: [] as number[] };
  for (let d = 1; d <= L; d++) {
    right.x.push(d);
    right.y.push(s.p[s.L + d]);
    left.x.push(-d);
    left.y.push(s.p[s.L - d]);
  }
  left.x.reverse();
  left.y.reverse();
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
    series.push({
      label: `symmetric ${+sym.W01.toPrecision(4)}`,
      x: [...sl.x, NaN, ...sr.x],
      y: [...sl.y, NaN, ...sr.y],
      color: "#222",
      dashed: true,
    });
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
  const lo = ph.w[0],
    hi = ph.w[ph.w.length - 1];
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

/** Colour of v in [0, 1] on a ramp through evenly spaced RGB stops. */
function ramp(stops: [number, number, number][], v: number): string {
  const x = Math.min(1, Math.max(0, v)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x)),
    t = x - k;
  const c = stops[k].map((a, i) => Math.round(a + t * (stops[k + 1][i] - a)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** White - yellow - orange - red (sequential, as YlOrRd). */
const heatColor = (v: number) =>
  ramp(
    [
      [255, 255, 229],
      [254, 227, 145],
      [254, 153, 41],
      [217, 72, 1],
      [128, 0, 38],
    ],
    v,
  );
/** Dark blue - teal - yellow (as viridis). */
const viridis = (v: number) =>
  ramp(
    [
      [68, 1, 84],
      [59, 82, 139],
      [33, 145, 140],
      [94, 201, 98],
      [253, 231, 37],
    ],
    v,
  );

const escXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * Heat map of the sweep's deviation over the bias pairs: x = b0, y = b1, cell colour = value / vmax (shared
 * between shapes so the maps compare), values written in the cells when there are at most 12 per axis.
 */
export function deviationHeatMap(biases: number[], dev: number[][], vmax: number, title: string): string {
  const n = biases.length,
    left = 64,
    top = 40,
    side = Math.max(240, Math.min(520, 46 * n)),
    barW = 16;
  const w = left + side + 110,
    h = top + side + 56,
    cell = side / n;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${left + side / 2}" y="22" text-anchor="middle" font-size="14">${escXml(title)}</text>`,
  ];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = dev[i][j],
        x = left + i * cell,
        y = top + (n - 1 - j) * cell;
      const fill = Number.isFinite(v) ? heatColor(vmax > 0 ? v / vmax : 0) : "#ddd";
      parts.push(
        `<rect x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${cell.toFixed(2)}"` +
          ` height="${cell.toFixed(2)}" fill="${fill}" stroke="white" stroke-width="0.5"/>`,
      );
      if (n <= 12) {
        const dark = Number.isFinite(v) && vmax > 0 && v / vmax > 0.6;
        parts.push(
          `<text x="${(x + cell / 2).toFixed(2)}" y="${(y + cell / 2 + 4).toFixed(2)}"` +
            ` text-anchor="middle" font-size="${Math.min(11, cell / 4).toFixed(1)}"` +
            ` fill="${dark ? "white" : "#222"}">${Number.isFinite(v) ? v.toFixed(3) : "-"}</text>`,
        );
      }
    }
  const every = Math.max(1, Math.ceil(n / 9));
  biases.forEach((b, i) => {
    if (i % every) return;
    const c = left + (i + 0.5) * cell,
      r = top + (n - 1 - i + 0.5) * cell;
    parts.push(
      `<text x="${c.toFixed(2)}" y="${top + side + 16}" text-anchor="middle">${+b.toPrecision(4)}</text>`,
      `<text x="${left - 6}" y="${(r + 4).toFixed(2)}" text-anchor="end">${+b.toPrecision(4)}</text>`,
    );
  });
  parts.push(
    `<text x="${left + side / 2}" y="${top + side + 38}" text-anchor="middle">b0 (bias of neuron 0)</text>`,
    `<text transform="translate(16 ${top + side / 2}) rotate(-90)" text-anchor="middle">b1 (bias of neuron 1)</text>`,
  );
  // colour bar
  const bx = left + side + 24;
  for (let k = 0; k < 50; k++)
    parts.push(
      `<rect x="${bx}" y="${(top + side - ((k + 1) * side) / 50).toFixed(2)}"` +
        ` width="${barW}" height="${(side / 50 + 0.5).toFixed(2)}" fill="${heatColor(k / 49)}"/>`,
    );
  parts.push(
    `<rect x="${bx}" y="${top}" width="${barW}" height="${side}" fill="none" stroke="#999"/>`,
    `<text x="${bx + barW + 4}" y="${top + side}">0</text>`,
    `<text x="${bx + barW + 4}" y="${top + 10}">${+vmax.toPrecision(3)}</text>`,
    `<text transform="translate(${bx + barW + 34} ${top + side / 2}) rotate(90)"` +
      ` text-anchor="middle">relative deviation from W01 = W10</text>`,
    "</svg>",
  );
  return parts.join("\n");
}

/** The sweep's example STDDs of one shape (one curve per bias pair; dt = 0 left out). */
export function sweepExamplesPlot(shape: string, examples: { b0: number; b1: number; stdd: Stdd }[], title: string): string {
  const series: Series[] = examples.map((e, k) => {
    const s = e.stdd,
      x: number[] = [],
      y: number[] = [];
    for (let d = -s.L; d <= s.L; d++) {
      x.push(d);
      y.push(d === 0 ? NaN : s.p[s.L + d]);
    }
    return { label: `b0 ${e.b0}, b1 ${e.b1}`, x, y, color: PALETTE[(k * 2) % PALETTE.length] };
  });
  return linePlot({ title: `${title} (${shape})`, xLabel: "dt = t1 - t0 (steps)", yLabel: "p(dt)", series, width: 820, height: 400 });
}

/** Nullclines of dW10 of one shape for several bias pairs, with the diagonal. */
export function sweepNullclinePlot(
  shape: string,
  w: number[],
  lines: { b0: number; b1: number; points: [number, number][] }[],
  title: string,
): string {
  const span = Math.max(1e-12, ...lines.map((l) => Math.abs(l.b1 - l.b0)));
  const series: Series[] = lines.map((l) => ({
    label: `b1 - b0 = ${+(l.b1 - l.b0).toPrecision(4)}`,
    x: l.points.map((p) => p[0]),
    y: l.points.map((p) => p[1]),
    color: viridis(0.5 + (0.5 * (l.b1 - l.b0)) / span),
  }));
  series.push({ label: "W01 = W10", x: [w[0], w[w.length - 1]], y: [w[0], w[w.length - 1]], color: "#222", dashed: true });
  return linePlot({
    title: `${title} (${shape})`,
    xLabel: "W01 (1 -> 0)",
    yLabel: "W10 (0 -> 1) where dW10 = 0",
    series,
    xRange: [w[0], w[w.length - 1]],
    yRange: [w[0], w[w.length - 1]],
    width: 720,
    height: 560,
  });
}
