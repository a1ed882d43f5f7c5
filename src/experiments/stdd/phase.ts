// Phase plane of the expected SAL update (arXiv:2503.02642 Fig. 2e): the
// nullcline of one component and its deviation from the diagonal.
// Grid layout: f[i * n + j] at W01 = w[i] (x axis), W10 = w[j] (y axis).

/** Roots of the W10-component along W10 for each W01 column (linear interpolation between grid points). */
export function nullcline(w: number[], f: ArrayLike<number>): { points: [number, number][]; multiple: number } {
  const n = w.length;
  const points: [number, number][] = [];
  let multiple = 0;
  for (let i = 0; i < n; i++) {
    const roots: number[] = [];
    for (let j = 0; j < n; j++) {
      const a = f[i * n + j];
      if (a === 0) { roots.push(w[j]); continue; }
      if (j + 1 < n) {
        const b = f[i * n + j + 1];
        if (b !== 0 && (a < 0) !== (b < 0)) roots.push(w[j] + ((w[j + 1] - w[j]) * a) / (a - b));
      }
    }
    if (!roots.length) continue;
    if (roots.length > 1) multiple++;
    // several roots: keep the one nearest the diagonal (and count the column)
    roots.sort((p, q) => Math.abs(p - w[i]) - Math.abs(q - w[i]));
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
    const [x0, y0] = points[k - 1], [x1, y1] = points[k];
    area += 0.5 * (Math.abs(y0 - x0) + Math.abs(y1 - x1)) * (x1 - x0);
  }
  return area / (range * range);
}
