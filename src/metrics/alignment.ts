// Alignment of a feedback matrix B with its forward counterpart, on flat arrays
// of equal length (the caller lines B up with W or W^T as its layout needs).
// Names and definitions:
// docs/models/alignment-metrics.md#feedback-against-forward-weights. Sums run
// in f64.

type Vec = ArrayLike<number>;

function checkLengths(b: Vec, w: Vec): void {
  if (b.length !== w.length) throw new RangeError(`alignment: B has ${b.length} entries, W ${w.length}`);
}

/** arccos(<b, w> / (|b| |w|)) in degrees, the cosine clamped to [-1, 1]; NaN if either is zero. */
export function angleDeg(b: Vec, w: Vec): number {
  checkLengths(b, w);
  let dot = 0,
    nb = 0,
    nw = 0;
  for (let i = 0; i < b.length; i++) {
    dot += b[i] * w[i];
    nb += b[i] * b[i];
    nw += w[i] * w[i];
  }
  if (!(nb > 0 && nw > 0)) return NaN;
  return (Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(nb * nw)))) * 180) / Math.PI;
}

/** Pearson correlation of the entries; NaN when either has zero variance. */
export function corrcoef(b: Vec, w: Vec): number {
  checkLengths(b, w);
  const n = b.length;
  let mb = 0,
    mw = 0;
  for (let i = 0; i < n; i++) {
    mb += b[i];
    mw += w[i];
  }
  mb /= n;
  mw /= n;
  let sbw = 0,
    sbb = 0,
    sww = 0;
  for (let i = 0; i < n; i++) {
    const db = b[i] - mb,
      dw = w[i] - mw;
    sbw += db * dw;
    sbb += db * db;
    sww += dw * dw;
  }
  return sbb > 0 && sww > 0 ? sbw / Math.sqrt(sbb * sww) : NaN;
}

/** Mean of sign(b) sign(w) in [-1, 1], sign(0) = 0 (the authors' deep-net "sign"). */
export function signAgreement(b: Vec, w: Vec): number {
  checkLengths(b, w);
  let s = 0;
  for (let i = 0; i < b.length; i++) s += Math.sign(b[i]) * Math.sign(w[i]);
  return b.length ? s / b.length : NaN;
}

/** Fraction of entries with equal, nonzero sign, in [0, 1]. */
export function signConcordance(b: Vec, w: Vec): number {
  checkLengths(b, w);
  let s = 0;
  for (let i = 0; i < b.length; i++) if (b[i] !== 0 && Math.sign(b[i]) === Math.sign(w[i])) s++;
  return b.length ? s / b.length : NaN;
}

/** Unbiased variance (ddof 1) of the entries of b - w. */
export function diffVar(b: Vec, w: Vec): number {
  checkLengths(b, w);
  const n = b.length;
  if (n < 2) return NaN;
  let m = 0;
  for (let i = 0; i < n; i++) m += b[i] - w[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (b[i] - w[i] - m) ** 2;
  return s / (n - 1);
}

export interface LayerAlignment {
  angleDeg: number;
  corrcoef: number;
  signAgreement: number;
  signConcordance: number;
  diffVar: number;
}

/** All five metrics of B against W. */
export function layerAlignment(b: Vec, w: Vec): LayerAlignment {
  return {
    angleDeg: angleDeg(b, w),
    corrcoef: corrcoef(b, w),
    signAgreement: signAgreement(b, w),
    signConcordance: signConcordance(b, w),
    diffVar: diffVar(b, w),
  };
}
