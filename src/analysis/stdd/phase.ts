// Phase plane of the expected SAL update (arXiv:2503.02642 Fig. 2e): the
// nullcline of one component and its deviation from the diagonal.
// Grid layout: f[i * n + j] at W01 = w[i] (x axis), W10 = w[j] (y axis).

/** Grid values min, min + step, ... <= max (rounded to the step's precision): the axes of a phase plane. */
export function gridValues(g: { min: number; max: number; step: number }): number[] {
  const n = Math.floor((g.max - g.min) / g.step + 1e-9) + 1;
  return Array.from({ length: n }, (_, i) => +(g.min + i * g.step).toPrecision(12));
}

/**
 * Roots of the W10-component along W10 for each W01 column (linear interpolation between grid points).
 * Where a column has several, the one nearest `diagonal(W01)` is kept (default: the diagonal W10 = W01).
 */
export function nullcline(
  w: number[],
  f: ArrayLike<number>,
  diagonal: (x: number) => number = (x) => x,
): { points: [number, number][]; multiple: number } {
  const n = w.length;
  const points: [number, number][] = [];
  let multiple = 0;
  for (let i = 0; i < n; i++) {
    const roots: number[] = [];
    for (let j = 0; j < n; j++) {
      const a = f[i * n + j];
      if (a === 0) {
        roots.push(w[j]);
        continue;
      }
      if (j + 1 < n) {
        const b = f[i * n + j + 1];
        if (b !== 0 && a < 0 !== b < 0) roots.push(w[j] + ((w[j + 1] - w[j]) * a) / (a - b));
      }
    }
    if (!roots.length) continue;
    if (roots.length > 1) multiple++;
    // several roots: keep the one nearest the diagonal (and count the column)
    const d = diagonal(w[i]);
    roots.sort((p, q) => Math.abs(p - d) - Math.abs(q - d));
    points.push([w[i], roots[0]]);
  }
  return { points, multiple };
}

/**
 * Normalised area between the nullcline W10 = y(W01) and the diagonal:
 * (trapezoid integral of |y(x) - x| dx over the nullcline's x range) / R^2,
 * R = the grid's width. 0 = on the diagonal; 0.5 would be a corner-to-corner miss.
 */
export function nullclineDeviation(points: [number, number][], range: number): number {
  if (points.length < 2) return NaN;
  let area = 0;
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1],
      [x1, y1] = points[k];
    area += 0.5 * (Math.abs(y0 - x0) + Math.abs(y1 - x1)) * (x1 - x0);
  }
  return area / (range * range);
}

/**
 * The nullcline's deviation from the diagonal as the authors measure it (their stddc phase-plane
 * tools, "average relative deviation of the attractors from the diagonal"): along the nullcline
 * points (x, y), d = |x - y| / |x + y| (half the distance over the mean weight), integrated by the
 * trapezoid rule over x and divided by the x range covered. 0 = on the diagonal.
 */
export function relativeNullclineDeviation(points: [number, number][]): number {
  if (points.length < 2) return NaN;
  const d = points.map(([x, y]) => (0.5 * Math.abs(x - y)) / Math.abs(0.5 * (x + y)));
  let area = 0;
  for (let k = 1; k < points.length; k++) area += 0.5 * (d[k - 1] + d[k]) * (points[k][0] - points[k - 1][0]);
  return area / Math.abs(points[points.length - 1][0] - points[0][0]);
}

/**
 * Cubic spline through (x[i], y[i]) with not-a-knot ends (the third derivative is continuous at
 * x[1] and x[n-2]), the default of the authors' scipy interpolation; n >= 4 distinct ascending x.
 * Returns the interpolant.
 */
export function notAKnotSpline(x: ArrayLike<number>, y: ArrayLike<number>): (xq: number) => number {
  const n = x.length;
  if (n < 4) throw new Error(`not-a-knot spline needs at least 4 points, got ${n}`);
  const h = Array.from({ length: n - 1 }, (_, i) => x[i + 1] - x[i]);
  // second derivatives m[0..n-1]: interior continuity rows 1..n-2, not-a-knot rows 0 and n-1
  const A = Array.from({ length: n }, () => new Float64Array(n));
  const r = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    A[i][i - 1] = h[i - 1];
    A[i][i] = 2 * (h[i - 1] + h[i]);
    A[i][i + 1] = h[i];
    r[i] = 6 * ((y[i + 1] - y[i]) / h[i] - (y[i] - y[i - 1]) / h[i - 1]);
  }
  // (m1 - m0) / h0 = (m2 - m1) / h1, and the same at the right end
  A[0][0] = h[1];
  A[0][1] = -(h[0] + h[1]);
  A[0][2] = h[0];
  A[n - 1][n - 3] = h[n - 2];
  A[n - 1][n - 2] = -(h[n - 3] + h[n - 2]);
  A[n - 1][n - 1] = h[n - 3];
  const m = solveDense(A, r);
  return (xq: number) => {
    let i = 0;
    while (i < n - 2 && xq > x[i + 1]) i++;
    const t = xq - x[i],
      u = x[i + 1] - xq,
      hi = h[i];
    return (
      (m[i] * u * u * u + m[i + 1] * t * t * t) / (6 * hi) + (y[i] / hi - (m[i] * hi) / 6) * u + (y[i + 1] / hi - (m[i + 1] * hi) / 6) * t
    );
  };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (small dense systems; A and b are overwritten). */
function solveDense(A: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(A[i][c]) > Math.abs(A[p][c])) p = i;
    [A[c], A[p]] = [A[p], A[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let i = c + 1; i < n; i++) {
      const f = A[i][c] / A[c][c];
      if (f === 0) continue;
      for (let j = c; j < n; j++) A[i][j] -= f * A[c][j];
      b[i] -= f * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= A[i][j] * x[j];
    x[i] = s / A[i][i];
  }
  return x;
}

/**
 * A field on the grid w x w (f[i * n + j] at (w[i], w[j])) resampled on `m` evenly spaced points per
 * axis by tensor-product not-a-knot cubic splines (as the authors upscale their phase planes before
 * looking for the nullcline). Returns the new axis and field in the same layout.
 */
export function upscaleField(w: number[], f: ArrayLike<number>, m: number): { w: number[]; f: Float64Array } {
  const n = w.length;
  const wf = Array.from({ length: m }, (_, k) => w[0] + ((w[n - 1] - w[0]) * k) / (m - 1));
  // along the first axis for each coarse j, then along the second for each fine i
  const half = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    const s = notAKnotSpline(
      w,
      Array.from({ length: n }, (_, i) => f[i * n + j]),
    );
    for (let i = 0; i < m; i++) half[i * n + j] = s(wf[i]);
  }
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const s = notAKnotSpline(w, half.subarray(i * n, (i + 1) * n));
    for (let j = 0; j < m; j++) out[i * m + j] = s(wf[j]);
  }
  return { w: wf, f: out };
}
