// Vector-field (quiver) plots on a regular grid with a magnitude heat map,
// zero contours (marching squares) and reference lines, e.g. the phase
// plane of an expected weight update. Standalone SVG strings, like svg.ts.
import { niceTicks, PALETTE } from "./svg.js";

/** A line segment [x0, y0, x1, y1] in data coordinates. */
export type Segment = [number, number, number, number];

/**
 * Zero contour of f on the grid (marching squares, linear interpolation on
 * cell edges). f[i * y.length + j] is the value at (x[i], y[j]); 0 counts as positive.
 */
export function zeroContour(x: number[], y: number[], f: ArrayLike<number>): Segment[] {
  const ny = y.length,
    segs: Segment[] = [];
  const val = (i: number, j: number) => f[i * ny + j];
  for (let i = 0; i + 1 < x.length; i++) {
    for (let j = 0; j + 1 < ny; j++) {
      // corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1)
      const cx = [x[i], x[i + 1], x[i + 1], x[i]],
        cy = [y[j], y[j], y[j + 1], y[j + 1]];
      const cv = [val(i, j), val(i + 1, j), val(i + 1, j + 1), val(i, j + 1)];
      if (cv.some((v) => !Number.isFinite(v))) continue;
      const pts: [number, number][] = [];
      for (let e = 0; e < 4; e++) {
        const a = cv[e],
          b = cv[(e + 1) % 4];
        if (a >= 0 === b >= 0) continue;
        const t = a / (a - b);
        const n = (e + 1) % 4;
        pts.push([cx[e] + t * (cx[n] - cx[e]), cy[e] + t * (cy[n] - cy[e])]);
      }
      if (pts.length >= 2) segs.push([pts[0][0], pts[0][1], pts[1][0], pts[1][1]]);
      if (pts.length === 4) segs.push([pts[2][0], pts[2][1], pts[3][0], pts[3][1]]);
    }
  }
  return segs;
}

export interface QuiverOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Grid axes; u, v (and the heat map) at u[i * y.length + j] = value at (x[i], y[j]). */
  x: number[];
  y: number[];
  u: ArrayLike<number>;
  v: ArrayLike<number>;
  /** Shade cells by |(u, v)| / max (default true). */
  heat?: boolean;
  contours?: { segments: Segment[]; label: string; color?: string }[];
  lines?: { x: number[]; y: number[]; label: string; color?: string; dashed?: boolean }[];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (v: number) => String(+v.toPrecision(4));

/** Arrows (length proportional to sqrt of the magnitude, pivot at the grid point) over an optional heat map. */
export function quiverPlot(o: QuiverOptions): string {
  const left = 70,
    top = 36,
    right = 190,
    bottom = 52;
  const w = o.width ?? 680,
    h = o.height ?? w - left - right + top + bottom;
  const side = Math.min(w - left - right, h - top - bottom);
  const [x0, x1] = [o.x[0], o.x[o.x.length - 1]],
    [y0, y1] = [o.y[0], o.y[o.y.length - 1]];
  const dx = o.x.length > 1 ? (x1 - x0) / (o.x.length - 1) : 1,
    dy = o.y.length > 1 ? (y1 - y0) / (o.y.length - 1) : 1;
  const xr = [x0 - dx / 2, x1 + dx / 2],
    yr = [y0 - dy / 2, y1 + dy / 2];
  const sx = (v: number) => left + ((v - xr[0]) / (xr[1] - xr[0])) * side;
  const sy = (v: number) => top + side - ((v - yr[0]) / (yr[1] - yr[0])) * side;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${left + side / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`,
    `<defs><marker id="qhead" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">` +
      `<path d="M0,0L10,5L0,10z" fill="#222"/></marker></defs>`,
  ];
  const ny = o.y.length;
  let max = 0;
  for (let k = 0; k < o.x.length * ny; k++) {
    const m = Math.hypot(o.u[k], o.v[k]);
    if (Number.isFinite(m) && m > max) max = m;
  }
  if (o.heat !== false && max > 0) {
    const cw = (dx / (xr[1] - xr[0])) * side,
      ch = (dy / (yr[1] - yr[0])) * side;
    for (let i = 0; i < o.x.length; i++)
      for (let j = 0; j < ny; j++) {
        const m = Math.hypot(o.u[i * ny + j], o.v[i * ny + j]) / max;
        if (!Number.isFinite(m)) continue;
        parts.push(
          `<rect x="${(sx(o.x[i]) - cw / 2).toFixed(2)}" y="${(sy(o.y[j]) - ch / 2).toFixed(2)}"` +
            ` width="${cw.toFixed(2)}" height="${ch.toFixed(2)}"` +
            ` fill="#2a7fbf" fill-opacity="${(0.08 + 0.6 * m).toFixed(3)}"/>`,
        );
      }
  }
  parts.push(`<rect x="${left}" y="${top}" width="${side}" height="${side}" fill="none" stroke="#999"/>`);
  for (const t of niceTicks(xr[0], xr[1])) {
    parts.push(
      `<line x1="${sx(t)}" y1="${top + side}" x2="${sx(t)}" y2="${top + side + 4}" stroke="#666"/>`,
      `<text x="${sx(t)}" y="${top + side + 17}" text-anchor="middle">${fmt(t)}</text>`,
    );
  }
  for (const t of niceTicks(yr[0], yr[1])) {
    parts.push(
      `<line x1="${left - 4}" y1="${sy(t)}" x2="${left}" y2="${sy(t)}" stroke="#666"/>`,
      `<text x="${left - 7}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${left + side / 2}" y="${top + side + 40}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(16 ${top + side / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  const legendItems: { label: string; color: string; dashed?: boolean }[] = [];
  (o.lines ?? []).forEach((l, k) => {
    const color = l.color ?? PALETTE[(k + 2) % PALETTE.length];
    const d = l.x.map((v, i) => `${i ? "L" : "M"}${sx(v).toFixed(2)},${sy(l.y[i]).toFixed(2)}`).join("");
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.2"${l.dashed ? ' stroke-dasharray="5 4"' : ""}/>`);
    legendItems.push({ label: l.label, color, dashed: l.dashed });
  });
  const cell = Math.min((dx / (xr[1] - xr[0])) * side, (dy / (yr[1] - yr[0])) * side);
  if (max > 0) {
    for (let i = 0; i < o.x.length; i++)
      for (let j = 0; j < ny; j++) {
        const u = o.u[i * ny + j],
          v = o.v[i * ny + j];
        const m = Math.hypot(u, v);
        if (!(m > 0) || !Number.isFinite(m)) continue;
        const len = 0.85 * cell * Math.sqrt(m / max);
        const ex = ((u / m) * len) / 2,
          ey = ((-v / m) * len) / 2;
        const cx = sx(o.x[i]),
          cy = sy(o.y[j]);
        parts.push(
          `<line x1="${(cx - ex).toFixed(2)}" y1="${(cy - ey).toFixed(2)}"` +
            ` x2="${(cx + ex).toFixed(2)}" y2="${(cy + ey).toFixed(2)}" stroke="#222" stroke-width="1.1" marker-end="url(#qhead)"/>`,
        );
      }
  }
  (o.contours ?? []).forEach((c, k) => {
    const color = c.color ?? PALETTE[k % PALETTE.length];
    const d = c.segments
      .map((s) => `M${sx(s[0]).toFixed(2)},${sy(s[1]).toFixed(2)}L${sx(s[2]).toFixed(2)},${sy(s[3]).toFixed(2)}`)
      .join("");
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2.2"/>`);
    legendItems.push({ label: c.label, color });
  });
  legendItems.forEach((it, k) => {
    const lx = left + side + 14,
      ly = top + 10 + k * 18;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}"` +
        ` stroke="${it.color}" stroke-width="2"${it.dashed ? ' stroke-dasharray="5 3"' : ""}/>`,
      `<text x="${lx + 28}" y="${ly + 4}">${esc(it.label)}</text>`,
    );
  });
  if (o.heat !== false && max > 0) {
    const ly = top + 20 + legendItems.length * 18;
    parts.push(
      `<text x="${left + side + 14}" y="${ly}">shade: |(u,v)| / max</text>`,
      `<text x="${left + side + 14}" y="${ly + 16}">arrow length ~ sqrt |(u,v)|</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}
