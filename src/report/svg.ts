// Small dependency-free SVG plots for the figures the papers show: lines
// (optionally dashed, log y), shaded bands (quartiles), horizontal reference
// lines, grouped bars and scatter. Output is a standalone SVG string.

export const PALETTE = ["#5b3f9e", "#2a7fbf", "#d1495b", "#2e933c", "#edae49", "#66a182", "#8d6a9f", "#444444"];

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: string;
  dashed?: boolean;
  /** Draw points instead of a line. */
  points?: boolean;
}

export interface Band {
  x: ArrayLike<number>;
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  color?: string;
}

export interface HLine {
  y: number;
  label?: string;
  color?: string;
  dashed?: boolean;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  series: Series[];
  bands?: Band[];
  hLines?: HLine[];
  width?: number;
  height?: number;
  /** Fixed axis ranges (default: from the data). */
  xRange?: [number, number];
  yRange?: [number, number];
}

let clipCounter = 0;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(+v.toPrecision(4)));

/** Evenly spaced "nice" ticks covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  // a range below f64 resolution (e.g. equal values that differ in the last bit) has no step
  if (!(hi - lo > 1e-12 * Math.max(Math.abs(lo), Math.abs(hi)))) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(+t.toPrecision(12));
  return ticks;
}

interface Frame {
  w: number;
  h: number;
  left: number;
  top: number;
  pw: number;
  ph: number;
  sx: (x: number) => number;
  sy: (y: number) => number;
  parts: string[];
}

function finiteRange(values: number[], fallback: [number, number]): [number, number] {
  const v = values.filter(Number.isFinite);
  if (!v.length) return fallback;
  let lo = Math.min(...v),
    hi = Math.max(...v);
  if (hi - lo <= 1e-12 * Math.max(Math.abs(lo), Math.abs(hi))) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  return [lo, hi];
}

function frame(
  o: { title: string; xLabel: string; yLabel: string; width?: number; height?: number; logY?: boolean },
  xr: [number, number],
  yr: [number, number],
  xTickLabels?: string[],
): Frame {
  const w = o.width ?? 640,
    h = o.height ?? 400;
  const left = 70,
    top = 36,
    right = 150,
    bottom = 52;
  const pw = w - left - right,
    ph = h - top - bottom;
  const ty = (y: number) => (o.logY ? Math.log10(y) : y);
  const [y0, y1] = [ty(yr[0]), ty(yr[1])];
  const sx = (x: number) => left + ((x - xr[0]) / (xr[1] - xr[0] || 1)) * pw;
  const sy = (y: number) => top + ph - ((ty(y) - y0) / (y1 - y0 || 1)) * ph;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${left + pw / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
    `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
  ];
  const xt = xTickLabels ? xTickLabels.map((_, i) => i) : niceTicks(xr[0], xr[1]);
  for (const t of xt) {
    const X = sx(t);
    parts.push(
      `<line x1="${X}" y1="${top + ph}" x2="${X}" y2="${top + ph + 4}" stroke="#666"/>`,
      `<text x="${X}" y="${top + ph + 17}" text-anchor="middle">${esc(xTickLabels ? xTickLabels[t] : fmt(t))}</text>`,
    );
  }
  const yt = o.logY
    ? Array.from({ length: Math.floor(y1) - Math.ceil(y0) + 1 }, (_, i) => 10 ** (Math.ceil(y0) + i))
    : niceTicks(yr[0], yr[1]);
  for (const t of yt) {
    const Y = sy(t);
    parts.push(
      `<line x1="${left - 4}" y1="${Y}" x2="${left + pw}" y2="${Y}" stroke="#eee"/>`,
      `<text x="${left - 7}" y="${Y + 4}" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${left + pw / 2}" y="${h - 12}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(16 ${top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  return { w, h, left, top, pw, ph, sx, sy, parts };
}

function legend(f: Frame, items: { label: string; color: string; dashed?: boolean }[]): void {
  items.forEach((it, i) => {
    const x = f.left + f.pw + 12,
      y = f.top + 10 + i * 18;
    f.parts.push(
      `<line x1="${x}" y1="${y}" x2="${x + 22}" y2="${y}"` +
        ` stroke="${it.color}" stroke-width="2"${it.dashed ? ' stroke-dasharray="5 3"' : ""}/>`,
      `<text x="${x + 28}" y="${y + 4}">${esc(it.label)}</text>`,
    );
  });
}

function pathOf(f: Frame, x: ArrayLike<number>, y: ArrayLike<number>, logY?: boolean): string {
  let d = "",
    pen = false;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const ok = Number.isFinite(x[i]) && Number.isFinite(y[i]) && (!logY || y[i] > 0);
    if (!ok) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${f.sx(x[i]).toFixed(2)},${f.sy(y[i]).toFixed(2)}`;
    pen = true;
  }
  return d;
}

/** Line plot with optional bands, reference lines and log y axis. */
export function linePlot(o: PlotOptions): string {
  const xs: number[] = [],
    ys: number[] = [];
  for (const s of o.series) {
    xs.push(...Array.from(s.x));
    ys.push(...Array.from(s.y));
  }
  for (const b of o.bands ?? []) {
    xs.push(...Array.from(b.x));
    ys.push(...Array.from(b.lo), ...Array.from(b.hi));
  }
  for (const l of o.hLines ?? []) ys.push(l.y);
  const yVals = o.logY ? ys.filter((v) => v > 0) : ys;
  const xr = o.xRange ?? finiteRange(xs, [0, 1]);
  let yr = o.yRange ?? finiteRange(yVals, o.logY ? [0.1, 1] : [0, 1]);
  if (o.logY && !o.yRange) yr = [10 ** Math.floor(Math.log10(yr[0])), 10 ** Math.ceil(Math.log10(yr[1]))];
  const f = frame(o, xr, yr);
  const clip = `plot${++clipCounter}`;
  f.parts.push(
    `<clipPath id="${clip}"><rect x="${f.left}" y="${f.top}" width="${f.pw}" height="${f.ph}"/></clipPath><g clip-path="url(#${clip})">`,
  );
  (o.bands ?? []).forEach((b, i) => {
    const up = pathOf(f, b.x, b.hi, o.logY);
    const xr2 = Array.from(b.x).reverse(),
      lr = Array.from(b.lo).reverse();
    const down = pathOf(f, xr2, lr, o.logY).replace(/^M/, "L");
    f.parts.push(`<path d="${up}${down}Z" fill="${b.color ?? PALETTE[i % PALETTE.length]}" fill-opacity="0.2" stroke="none"/>`);
  });
  for (const l of o.hLines ?? []) {
    const Y = f.sy(l.y);
    f.parts.push(
      `<line x1="${f.left}" y1="${Y}" x2="${f.left + f.pw}" y2="${Y}"` +
        ` stroke="${l.color ?? "#333"}" stroke-width="1.2"${l.dashed !== false ? ' stroke-dasharray="6 4"' : ""}/>`,
    );
  }
  o.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    if (s.points) {
      for (let j = 0; j < Math.min(s.x.length, s.y.length); j++) {
        if (Number.isFinite(s.x[j]) && Number.isFinite(s.y[j]) && (!o.logY || s.y[j] > 0))
          f.parts.push(`<circle cx="${f.sx(s.x[j]).toFixed(2)}" cy="${f.sy(s.y[j]).toFixed(2)}" r="2.5" fill="${color}"/>`);
      }
    } else {
      f.parts.push(
        `<path d="${pathOf(f, s.x, s.y, o.logY)}" fill="none"` +
          ` stroke="${color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`,
      );
    }
  });
  f.parts.push("</g>");
  legend(f, [
    ...o.series.map((s, i) => ({ label: s.label, color: s.color ?? PALETTE[i % PALETTE.length], dashed: s.dashed })),
    ...(o.hLines ?? []).filter((l) => l.label).map((l) => ({ label: l.label!, color: l.color ?? "#333", dashed: l.dashed !== false })),
  ]);
  f.parts.push("</svg>");
  return f.parts.join("\n");
}

export interface BarOptions {
  title: string;
  xLabel?: string;
  yLabel: string;
  labels: string[];
  groups: { label: string; values: ArrayLike<number>; color?: string }[];
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Grouped bars: one bar per group at each label. */
export function barPlot(o: BarOptions): string {
  const all = o.groups.flatMap((g) => Array.from(g.values)).filter((v) => Number.isFinite(v) && (!o.logY || v > 0));
  let yr: [number, number] = o.logY ? finiteRange(all, [0.1, 1]) : [Math.min(0, ...all), Math.max(0, ...all) || 1];
  if (o.logY) yr = [10 ** Math.floor(Math.log10(yr[0])), 10 ** Math.ceil(Math.log10(yr[1]))];
  const n = o.labels.length;
  const showEvery = Math.max(1, Math.ceil(n / 16));
  const f = frame(
    { ...o, xLabel: o.xLabel ?? "", width: o.width ?? Math.max(640, 220 + n * 8) },
    [-0.5, n - 0.5],
    yr,
    o.labels.map((l, i) => (i % showEvery === 0 ? l : "")),
  );
  const slot = f.pw / n,
    bw = (slot * 0.8) / Math.max(1, o.groups.length);
  const base = o.logY ? yr[0] : 0;
  o.groups.forEach((g, gi) => {
    const color = g.color ?? PALETTE[gi % PALETTE.length];
    for (let i = 0; i < n; i++) {
      const v = g.values[i];
      if (!Number.isFinite(v) || (o.logY && v <= 0)) continue;
      const x = f.sx(i) - slot * 0.4 + gi * bw;
      const y0 = f.sy(base),
        y1 = f.sy(v);
      f.parts.push(
        `<rect x="${x.toFixed(2)}" y="${Math.min(y0, y1).toFixed(2)}" width="${bw.toFixed(2)}"` +
          ` height="${Math.abs(y1 - y0).toFixed(2)}" fill="${color}"/>`,
      );
    }
  });
  legend(
    f,
    o.groups.map((g, i) => ({ label: g.label, color: g.color ?? PALETTE[i % PALETTE.length] })),
  );
  f.parts.push("</svg>");
  return f.parts.join("\n");
}

/** Scatter plot (points per series), e.g. B vs W^T entries or final values per condition. */
export function scatterPlot(o: Omit<PlotOptions, "series"> & { series: Omit<Series, "points">[]; diagonal?: boolean }): string {
  const series: Series[] = o.series.map((s) => ({ ...s, points: true }));
  if (o.diagonal) {
    const v = o.series.flatMap((s) => [...Array.from(s.x), ...Array.from(s.y)]).filter(Number.isFinite);
    const [lo, hi] = finiteRange(v, [0, 1]);
    series.push({ label: "y = x", x: [lo, hi], y: [lo, hi], color: "#999", dashed: true });
  }
  return linePlot({ ...o, series });
}
