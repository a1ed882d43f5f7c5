// Order statistics for summaries over seeds (docs/models/alignment-metrics.md#over-seeds: medians
// in `final`, quartiles as the 25/75 % values).

/** Linear-interpolated quantile of the finite values (numpy's default method); NaN if none. */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const v = Array.from(xs)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (!v.length) return NaN;
  const pos = (v.length - 1) * q,
    lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/** Median and 25 / 75 % quantiles. */
export function quartiles(xs: ArrayLike<number>): { median: number; q25: number; q75: number } {
  return { median: quantile(xs, 0.5), q25: quantile(xs, 0.25), q75: quantile(xs, 0.75) };
}
