// The spiking dendritic cortical microcircuit as a model over the Kernels seam
// (docs/models/microcircuit.md). The backend owns the state buffers; this file
// sets weights and inputs and runs patterns through `mcRunPattern`.
import type { Kernels } from "../backend/index.js";
import type { McLayout, McState } from "../backend/microcircuit.js";
import { MC_FLAG, MC_H, MC_NEVER, MC_P, mcLayout, mcSeed } from "../backend/microcircuit.js";

export interface McParams {
  dims: [number, number, number];
  /** refractory period and rate offset ln tRef (steps) */
  tRef: number;
  /** rectangular PSP length (steps) */
  tauSyn: number;
  /** boxcar window of the moving averages (steps) */
  sizeMovingAverage: number;
  lambdaApi: number;
  lambdaNudge: number;
  /** learning rates of W10 (hidden), W21 (output), B12 (feedback, SAL) */
  eta1: number;
  eta2: number;
  etaB: number;
  aCausal: number;
  aAnti: number;
  tauCausal: number;
  tauAnti: number;
}

export interface McWeights {
  W10: number[][]; // n1 x n0
  W21: number[][]; // n2 x n1
  B12: number[][]; // n1 x n2
  b1: number[];
  b2: number[];
}

export interface PatternOptions {
  /** target potentials (nudging); null = free output */
  target: number[] | null;
  /** steps of this pattern */
  steps: number;
  /** steps without plasticity or output accumulation */
  lag: number;
  forward?: boolean;
  sal?: boolean;
  /** SAL pairs spikes with all earlier partner spikes (traces) instead of the most recent one */
  salAllPairs?: boolean;
  bpCopy?: boolean;
}

export interface PatternResult {
  /** mean somatic output potential over steps lag..steps-1 */
  u2: number[];
  /** mean un-nudged output prediction b2 + v_bas over the same steps */
  free: number[];
}

/** Copies of the four state buffers F, I, U, D (a checkpoint of the network; the cache C is scratch). */
export interface McSnapshot {
  F: Float32Array;
  I: Int32Array;
  U: Uint32Array;
  D: Float64Array;
}

export class Microcircuit {
  readonly L: McLayout;
  readonly st: McState;
  constructor(
    readonly k: Kernels,
    readonly p: McParams,
    seed: number,
  ) {
    const [n0, n1, n2] = p.dims;
    this.L = mcLayout(n0, n1, n2, p.sizeMovingAverage);
    this.st = {
      F: k.alloc("f32", this.L.f.size),
      I: k.alloc("i32", this.L.i.size),
      U: k.alloc("u32", this.L.u.size),
      D: k.alloc("f64", this.L.d.size),
      C: k.alloc("u32", this.L.c.size),
    };
    const F = this.st.F.view,
      I = this.st.I.view;
    F[MC_P.lambdaApi] = p.lambdaApi;
    F[MC_P.lambdaNudge] = p.lambdaNudge;
    F[MC_P.eta1] = p.eta1;
    F[MC_P.eta2] = p.eta2;
    F[MC_P.etaB] = p.etaB;
    F[MC_P.aCausal] = p.aCausal;
    F[MC_P.aAnti] = p.aAnti;
    F[MC_P.tauCausal] = p.tauCausal;
    F[MC_P.tauAnti] = p.tauAnti;
    F[MC_P.tRef] = p.tRef;
    I[MC_H.n0] = n0;
    I[MC_H.n1] = n1;
    I[MC_H.n2] = n2;
    I[MC_H.win] = p.sizeMovingAverage;
    I[MC_H.t] = 0;
    // the authors' moving average starts holding the initial value (0) as its first element
    I[MC_H.ringPos] = p.sizeMovingAverage > 1 ? 1 : 0;
    I[MC_H.ringCount] = 1;
    I[MC_H.tRef] = p.tRef;
    I[MC_H.tauSyn] = p.tauSyn;
    I.fill(MC_NEVER, this.L.i.tl, this.L.i.tl + this.L.N);
    mcSeed(this.L, this.st.U.view, seed >>> 0);
  }

  get t(): number {
    return this.st.I.view[MC_H.t];
  }

  /** A copy of the state (parameters, weights, potentials, moving averages, spike times, random streams). */
  snapshot(): McSnapshot {
    return { F: this.st.F.view.slice(), I: this.st.I.view.slice(), U: this.st.U.view.slice(), D: this.st.D.view.slice() };
  }

  /** Puts a snapshot of a network of the same dims and window back; the next step continues as the original would. */
  restore(s: McSnapshot): void {
    const { F, I, U, D } = this.st;
    for (const [name, src, dst] of [
      ["F", s.F, F],
      ["I", s.I, I],
      ["U", s.U, U],
      ["D", s.D, D],
    ] as const) {
      if (src.length !== dst.length)
        throw new RangeError(`microcircuit restore: ${name} has ${src.length} values, this network ${dst.length}`);
    }
    F.view.set(s.F);
    I.view.set(s.I);
    U.view.set(s.U);
    D.view.set(s.D);
  }

  setLambdaApi(v: number): void {
    this.st.F.view[MC_P.lambdaApi] = v;
  }

  private mat(off: number, rows: number, cols: number): number[][] {
    const F = this.st.F.view;
    return Array.from({ length: rows }, (_, r) => Array.from(F.subarray(off + r * cols, off + (r + 1) * cols)));
  }
  private setMat(off: number, m: number[][]): void {
    const F = this.st.F.view;
    let o = off;
    for (const row of m) for (const v of row) F[o++] = v;
  }

  /** Sets forward, feedback weights and biases, then the self-predicting copies W_IP = W21, W_PI = -B12. */
  setWeights(w: McWeights): void {
    const { f } = this.L;
    this.setMat(f.W10, w.W10);
    this.setMat(f.W21, w.W21);
    this.setMat(f.B12, w.B12);
    this.st.F.view.set(w.b1, f.b1);
    this.st.F.view.set(w.b2, f.b2);
    this.copySelfPredicting();
  }

  /** W_IP <- W21, W_PI <- -B12 (the authors' non-local shortcut). */
  copySelfPredicting(): void {
    const { n1, n2, f } = this.L;
    const F = this.st.F.view;
    for (let i = 0; i < n1; i++)
      for (let k = 0; k < n2; k++) {
        F[f.WIP + k * n1 + i] = F[f.W21 + k * n1 + i];
        F[f.WPI + i * n2 + k] = -F[f.B12 + i * n2 + k];
      }
  }

  /** W_IP = 0, W_PI = 0 (interneurons cut during symmetrization). */
  cutInterneurons(): void {
    const { n1, n2, f } = this.L;
    this.st.F.view.fill(0, f.WIP, f.WIP + n1 * n2);
    this.st.F.view.fill(0, f.WPI, f.WPI + n1 * n2);
  }

  /** B12 <- W21^T (backprop). */
  copyBackprop(): void {
    const { n1, n2, f } = this.L;
    const F = this.st.F.view;
    for (let i = 0; i < n1; i++) for (let k = 0; k < n2; k++) F[f.B12 + i * n2 + k] = F[f.W21 + k * n1 + i];
  }

  weights(): McWeights {
    const { n0, n1, n2, f } = this.L;
    const F = this.st.F.view;
    return {
      W10: this.mat(f.W10, n1, n0),
      W21: this.mat(f.W21, n2, n1),
      B12: this.mat(f.B12, n1, n2),
      b1: Array.from(F.subarray(f.b1, f.b1 + n1)),
      b2: Array.from(F.subarray(f.b2, f.b2 + n2)),
    };
  }

  /** Presents input `x` for one pattern; returns the pattern's mean output potentials. */
  runPattern(x: number[], o: PatternOptions): PatternResult {
    const { n2, f, d, Q } = this.L;
    const F = this.st.F.view;
    F.set(x, f.x);
    if (o.target) F.set(o.target, f.tgt);
    this.st.D.view.fill(0, Q, d.size);
    const flags =
      (o.target ? MC_FLAG.nudge : 0) |
      (o.forward ? MC_FLAG.forward : 0) |
      (o.sal ? MC_FLAG.sal : 0) |
      (o.bpCopy ? MC_FLAG.bpCopy : 0) |
      (o.sal && o.salAllPairs ? MC_FLAG.salAll : 0);
    this.k.mcRunPattern(this.st, o.steps, o.lag, flags);
    const D = this.st.D.view;
    const c = D[d.accCount] || 1;
    return {
      u2: Array.from({ length: n2 }, (_, k) => D[d.accU2 + k] / c),
      free: Array.from({ length: n2 }, (_, k) => D[d.accFree + k] / c),
    };
  }
}
