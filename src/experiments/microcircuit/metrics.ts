// Alignment of the feedback matrix B (n1 x n2) with W^T (W: n2 x n1), names as in
// docs/models/alignment-metrics.md.

export interface Alignment {
  angleDeg: number;
  corrcoef: number;
  signConcordance: number;
}

/** angleDeg, corrcoef and signConcordance of vec B against vec W^T. */
export function alignment(B: number[][], W: number[][]): Alignment {
  const b: number[] = [],
    w: number[] = [];
  for (let i = 0; i < B.length; i++)
    for (let k = 0; k < B[i].length; k++) {
      b.push(B[i][k]);
      w.push(W[k][i]);
    }
  const n = b.length;
  let dot = 0,
    nb = 0,
    nw = 0,
    same = 0;
  for (let i = 0; i < n; i++) {
    dot += b[i] * w[i];
    nb += b[i] * b[i];
    nw += w[i] * w[i];
    if (b[i] !== 0 && Math.sign(b[i]) === Math.sign(w[i])) same++;
  }
  const c = nb > 0 && nw > 0 ? Math.min(1, Math.max(-1, dot / Math.sqrt(nb * nw))) : NaN;
  const mb = b.reduce((s, v) => s + v, 0) / n,
    mw = w.reduce((s, v) => s + v, 0) / n;
  let sbw = 0,
    sbb = 0,
    sww = 0;
  for (let i = 0; i < n; i++) {
    sbw += (b[i] - mb) * (w[i] - mw);
    sbb += (b[i] - mb) ** 2;
    sww += (w[i] - mw) ** 2;
  }
  return {
    angleDeg: (Math.acos(c) * 180) / Math.PI,
    corrcoef: sbb > 0 && sww > 0 ? sbw / Math.sqrt(sbb * sww) : NaN,
    signConcordance: same / n,
  };
}

export { quantile } from "../../metrics/stats.js";
