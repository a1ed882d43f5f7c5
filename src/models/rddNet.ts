// The RDD network of docs/models/spiking-feedback.md#rdd as a model over the
// Kernels seam: forward weights in the deep net's terms (fc layer l maps
// population l to l+1, W_l is n_{l+1} x n_l), the feedback matrices B_l
// (n_l x n_{l+1}, used only for estimation), the driving schedule and the B
// update from the discontinuity estimates (src/learning/rdd.ts).
import type { Kernels } from "../backend/index.js";
import type { RddState } from "../backend/rdd.js";
import { rddInit, rddLayout, rddResetPhase, rddSetDriven, RDD_H } from "../backend/rdd.js";
import { RDD_DEFAULTS, poissonThresholds, rddForwardScale, rddSetFeedback, std, type RddConstants } from "../learning/rdd.js";

export class RddNet {
  readonly st: RddState;
  readonly c: RddConstants;
  /** Feedback of population l (l < P-1), n_l x n_{l+1} row-major (the deep net's fb_weight of fc layer l, transposed). */
  readonly B: Float32Array[];
  /** std of each feedback matrix when first set (the authors' fb_weight_std), the scale of B from beta. */
  readonly sigmaB0: (number | null)[];

  constructor(
    readonly k: Kernels,
    readonly layers: number[],
    constants: Partial<RddConstants> = {},
    seed = 0,
  ) {
    this.c = { ...RDD_DEFAULTS, ...constants };
    if (!(this.c.memory >= 1 && this.c.memory < 32 && this.c.window >= 1 && this.c.window < 32))
      throw new RangeError("rdd: memory and window must be in [1, 31] steps");
    const thr = poissonThresholds(this.c.inputRate);
    const L = rddLayout(layers, thr.length);
    this.st = { L, c: this.c, F: k.alloc("f32", L.f), I: k.alloc("i32", L.i), U: k.alloc("u32", L.u), D: k.alloc("f64", L.d) };
    rddInit(this.st, seed, thr);
    rddResetPhase(this.st);
    this.B = layers.slice(0, -1).map((n, l) => new Float32Array(n * layers[l + 1]));
    this.sigmaB0 = this.B.map(() => null);
  }

  get P(): number {
    return this.layers.length;
  }

  /** Steps since the phase started. */
  time(): number {
    return this.st.I.view[RDD_H.t];
  }

  /** Forward weights of fc layer l (n_{l+1} x n_l, out x in), rescaled to forwardGain * n_l * W / std(W); biases are not used. */
  setForward(l: number, W: ArrayLike<number>): void {
    const { L } = this.st,
      nIn = this.layers[l],
      nOut = this.layers[l + 1];
    if (W.length !== nIn * nOut) throw new RangeError(`rdd: W[${l}] has ${W.length} entries; expected ${nIn * nOut}`);
    const Wsc = rddForwardScale(W, nIn, this.c.forwardGain);
    const F = this.st.F.view,
      WT = L.pop[l + 1].WT,
      ld = L.n4[l + 1];
    for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) F[WT + j * ld + i] = Wsc[i * nIn + j];
  }

  /** Feedback of fc layer l in the deep net's layout (n_{l+1} x n_l); the first call fixes sigmaB0. */
  setFeedbackFc(l: number, Bfc: ArrayLike<number>): void {
    const nIn = this.layers[l],
      nOut = this.layers[l + 1],
      B = this.B[l];
    if (Bfc.length !== nIn * nOut) throw new RangeError(`rdd: B[${l}] has ${Bfc.length} entries; expected ${nIn * nOut}`);
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) B[i * nOut + j] = Bfc[j * nIn + i];
    if (this.sigmaB0[l] === null) this.sigmaB0[l] = std(B);
  }

  /** Feedback of fc layer l in the deep net's layout (n_{l+1} x n_l). */
  feedbackFc(l: number): Float32Array {
    const nIn = this.layers[l],
      nOut = this.layers[l + 1],
      B = this.B[l];
    const out = new Float32Array(nIn * nOut);
    for (let i = 0; i < nIn; i++) for (let j = 0; j < nOut; j++) out[j * nIn + i] = B[i * nOut + j];
    return out;
  }

  /** The discontinuity estimates of population l (n_l x n_{l+1}). */
  beta(l: number): Float64Array {
    const { L } = this.st,
      D = this.st.D.view,
      n = this.layers[l],
      nUp = this.layers[l + 1],
      ld = L.n4[l + 1];
    const out = new Float64Array(n * nUp);
    for (let i = 0; i < n; i++) out.set(D.subarray(L.pop[l].beta + i * ld, L.pop[l].beta + i * ld + nUp), i * nUp);
    return out;
  }

  /** Spikes of each population since creation. */
  spikeTotals(): number[] {
    const { L } = this.st;
    return Array.from(this.st.D.view.subarray(L.count, L.count + L.P));
  }

  /** Start of a phase: state reset (fit coefficients and beta persist). */
  resetPhase(): void {
    rddResetPhase(this.st);
  }

  /** Drives population p (-1: none) from the next step on. */
  drive(p: number): void {
    rddSetDriven(this.st, p);
  }

  run(steps: number): void {
    this.k.rddRun(this.st, steps);
  }

  /** B_l from beta for every population (the authors' update every 10 s). */
  updateFeedback(): void {
    const { L } = this.st,
      D = this.st.D.view;
    for (let l = 0; l < this.P - 1; l++) {
      const sigma = this.sigmaB0[l];
      if (sigma === null) continue;
      rddSetFeedback(this.B[l], this.layers[l + 1], D.subarray(L.pop[l].beta), L.n4[l + 1], this.layers[l], this.layers[l + 1], sigma);
    }
  }
}
