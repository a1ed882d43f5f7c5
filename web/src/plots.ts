// uPlot charts of the page: line plots (optionally log y), bar plots and x-y
// plots (scatter points, segments, arrows as polylines), all sized to their
// container and re-sized with it. Every chart is registered in
// `window.salLab.plots` (the end-to-end test reads what is plotted there).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export const COLORS = {
  salOn: "#2a7fbf",
  salOff: "#d1495b",
  causal: "#5b3f9e",
  anti: "#2a7fbf",
  target: "#9aa0a6",
  sampled: "#2a7fbf",
  w01: "#5b3f9e",
  w10: "#2e933c",
  bp: "#5b3f9e",
  fa: "#d1495b",
  sal: "#2a7fbf",
  guide: "#888888",
};

export interface SeriesSpec {
  label: string;
  stroke: string;
  dash?: number[];
  width?: number;
  fill?: string;
  points?: boolean;
  bars?: boolean;
  line?: boolean;
}

export const registry: Record<string, uPlot> = {};

/** `draw` once per animation frame however many times it is asked for (rows from several workers). */
export function perFrame(draw: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      draw();
    });
  };
}

const HEIGHT = 220;

function sizeOf(el: HTMLElement): { width: number; height: number } {
  const width = Math.max(200, Math.floor(el.clientWidth || el.getBoundingClientRect().width || 300));
  return { width, height: width < 420 ? 210 : HEIGHT };
}

function attach(name: string, el: HTMLElement, opts: uPlot.Options, data: uPlot.AlignedData): uPlot {
  el.setAttribute("role", "img");
  const u = new uPlot(opts, data, el);
  registry[name] = u;
  const ro = new ResizeObserver(() => {
    const s = sizeOf(el);
    if (s.width !== u.width || s.height !== u.height) u.setSize(s);
  });
  ro.observe(el);
  return u;
}

function seriesOpts(s: SeriesSpec): uPlot.Series {
  const o: uPlot.Series = { label: s.label, stroke: s.stroke, width: s.width ?? 2, dash: s.dash, fill: s.fill, spanGaps: true };
  if (s.bars) {
    o.paths = uPlot.paths.bars!({ size: [0.9, 40], align: 0 });
    o.points = { show: false };
  } else if (s.points) {
    o.paths = s.line ? uPlot.paths.linear!() : () => null;
    o.points = { show: true, size: 6, stroke: s.stroke, fill: s.stroke };
  } else {
    o.points = { show: false };
  }
  return o;
}

const axisFont = "12px system-ui, sans-serif";

/** Whole-number tick steps for x axes that count (epochs, lags in steps). */
const COUNT_TICKS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000];

function axes(xLabel: string, yLabel: string, logY = false, countX = false): uPlot.Axis[] {
  const y: uPlot.Axis = { label: yLabel, font: axisFont, labelFont: axisFont, size: 52, stroke: "#333" };
  if (logY)
    y.values = (_u, vals) => vals.map((v) => (v == null ? "" : v >= 0.01 && v < 1000 ? String(+v.toPrecision(2)) : v.toExponential(0)));
  return [{ label: xLabel, font: axisFont, labelFont: axisFont, stroke: "#333", ...(countX && { incrs: COUNT_TICKS }) }, y];
}

/** A line plot against a shared x (epochs); `set` replaces the data. */
export function linePlot(
  name: string,
  el: HTMLElement,
  o: { x: string; y: string; series: SeriesSpec[]; logY?: boolean; yRange?: [number, number] },
) {
  el.setAttribute("aria-label", `${o.y} against ${o.x}: ${o.series.map((s) => s.label).join(", ")}`);
  const opts: uPlot.Options = {
    ...sizeOf(el),
    scales: { x: { time: false }, y: o.logY ? { distr: 3 } : o.yRange ? { range: o.yRange } : {} },
    axes: axes(o.x, o.y, o.logY, true),
    series: [{ label: o.x }, ...o.series.map(seriesOpts)],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  };
  // one empty point, so that the axes show before the first data
  const u = attach(name, el, opts, [[0], ...o.series.map(() => [null])] as uPlot.AlignedData);
  return {
    u,
    set(x: number[], ys: (number | null)[][]): void {
      u.setData(x.length ? [x, ...ys] : [[0], ...ys.map(() => [null])]);
    },
  };
}

/** Bars (and lines) against a categorical or numeric x. */
export function barPlot(name: string, el: HTMLElement, o: { x: string; y: string; series: SeriesSpec[] }) {
  return linePlot(name, el, { ...o, series: o.series.map((s) => ({ bars: true, ...s })) });
}

/** x-y plot: each series its own [xs, ys] (points, or a polyline with `line`), e.g. W vs Wᵀ or an arrow. */
export function xyPlot(name: string, el: HTMLElement, o: { x: string; y: string; series: SeriesSpec[]; range?: [number, number] }) {
  el.setAttribute("aria-label", `${o.y} against ${o.x}: ${o.series.map((s) => s.label).join(", ")}`);
  const range = o.range;
  const opts: uPlot.Options = {
    ...sizeOf(el),
    mode: 2,
    scales: { x: { time: false, ...(range && { range }) }, y: range ? { range } : {} },
    axes: axes(o.x, o.y),
    series: [
      {},
      ...o.series.map((s): uPlot.Series => {
        const so: uPlot.Series = {
          label: s.label,
          stroke: s.stroke,
          width: s.width ?? 2,
          dash: s.dash,
          facets: [
            { scale: "x", auto: !range },
            { scale: "y", auto: !range },
          ],
        };
        if (s.line) {
          so.paths = uPlot.paths.linear!();
          so.points = { show: false };
        } else {
          // markers through uPlot's own point renderer, as the series' path: in mode 2 the per-point
          // marker pass would index every series by the points of all series together
          so.fill = s.stroke;
          so.points = { show: false, size: 7, width: 1 };
          so.paths = (u, si, i0, i1) => u.series[si].points!.paths!(u, si, i0, i1, null);
        }
        return so;
      }),
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
  };
  const u = attach(name, el, opts, [null, ...o.series.map(() => [[], []])] as unknown as uPlot.AlignedData);
  return {
    u,
    set(data: [number[], (number | null)[]][]): void {
      u.setData([null, ...data] as unknown as uPlot.AlignedData);
    },
  };
}
