// The layered SAL network of the deep-net SAL phase
// (docs/models/spiking-feedback.md#the-sal-phase) as a model over the Kernels
// seam: weights in the deep net's terms (fc layer l maps population l to l+1;
// W_l and its feedback B_l are both out x in = n_{l+1} x n_l, row-major), state
// in backend memory, runs through `salnetRun`, and the B update of
// src/learning/sal.ts.
import type { Kernels } from "../backend/index.js";
import type { SalNetSpec, SalNetState } from "../backend/salnet.js";
import { SALNET_H, salnetInit, salnetLayout } from "../backend/salnet.js";
import { salDeepUpdate, salDeepWindow, salDeepWindowDecay } from "../learning/sal.js";

export interface SalNetParams {
  /** Population sizes [n_0, ..., n_{P-1}] (the deep net's fc layer sizes [F, 384, 192, 10]). */
  layers: number[];
  /** Independent copies (authors: sal batch_size, 32 in the deep-net phase, 1 in the standalone run). */
  batch: number;
  /** Refractory period, PSP length and window time constant in steps (authors: 10). */
  tRef: number;
  /** STDP window length in steps (authors: buffer_length 2 times tRef). */
  windowLength: number;
  flushEvery?: number;
  /** Steps per gathered STDP pass of the wasm kernel (SalNetSpec.stdpEvery; the results do not depend on it). */
  stdpEvery?: number;
}

export interface FcWeights {
  /** n_{l+1} x n_l, row-major (out x in) */
  W?: ArrayLike<number>;
  /** bias of population l+1 (n_{l+1}) */
  b?: ArrayLike<number>;
  /** feedback, n_{l+1} x n_l like W (the deep net's fb_weight; the SAL net's B_l is its transpose) */
  B?: ArrayLike<number>;
}

export class SalNet {
  readonly spec: SalNetSpec;
  readonly st: SalNetState;
  readonly window: Float32Array;

  constructor(
    readonly k: Kernels,
    readonly params: SalNetParams,
    seed: number,
  ) {
    this.spec = {
      layers: params.layers,
      batch: params.batch,
      tRef: params.tRef,
      tau: params.tRef,
      windowLength: params.windowLength,
      flushEvery: params.flushEvery,
      stdpEvery: params.stdpEvery,
    };
    const L = salnetLayout(this.spec);
    this.window = salDeepWindow(this.spec.tau, this.spec.windowLength);
    this.st = {
      spec: this.spec,
      L,
      F: k.alloc("f32", L.f.size),
      I: k.alloc("i32", L.i.size),
      U: k.alloc("u32", L.u.size),
      D: k.alloc("f64", L.d.size),
    };
    salnetInit(this.st, seed, salDeepWindowDecay(this.spec.tau), this.window[this.window.length - 1]);
  }

  get P(): number {
    return this.st.L.P;
  }

  /** Steps simulated since construction (the network is never reset). */
  time(): number {
    return this.st.I.view[SALNET_H.t];
  }

  private check(name: string, a: ArrayLike<number>, len: number): void {
    if (a.length !== len) throw new RangeError(`salnet: ${name} has ${a.length} entries; expected ${len}`);
    for (let k = 0; k < len; k++) if (!Number.isFinite(a[k])) throw new RangeError(`salnet: ${name}[${k}] is ${a[k]}; must be finite`);
  }

  /** Sets W, b and/or B of fc layer l (0 <= l < P-1). Call `resync()` afterwards (setLayers does). */
  setLayer(l: number, w: FcWeights): void {
    const L = this.st.L,
      F = this.st.F.view;
    if (!Number.isInteger(l) || l < 0 || l >= L.P - 1) throw new RangeError(`salnet: layer ${l}; must be in [0, ${L.P - 2}]`);
    const nIn = L.n[l],
      nOut = L.n[l + 1];
    if (w.W) {
      this.check(`W[${l}]`, w.W, nOut * nIn);
      const WT = L.f.WT[l + 1],
        ld = L.n4[l + 1];
      for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) F[WT + j * ld + i] = w.W[i * nIn + j];
    }
    if (w.b) {
      this.check(`b[${l}]`, w.b, nOut);
      F.set(Array.from(w.b), L.f.b[l + 1]);
    }
    if (w.B) {
      this.check(`B[${l}]`, w.B, nOut * nIn);
      const BT = L.f.BT[l],
        ld = L.n4[l];
      for (let j = 0; j < nOut; j++) for (let i = 0; i < nIn; i++) F[BT + j * ld + i] = w.B[j * nIn + i];
    }
  }

  /** Bias of population 0 (the input population, which no fc layer has). */
  setInputBias(b0: ArrayLike<number>): void {
    this.check("b0", b0, this.st.L.n[0]);
    this.st.F.view.set(Array.from(b0), this.st.L.f.b[0]);
  }

  /** Sets all layers and recomputes the potentials. */
  setLayers(layers: FcWeights[]): void {
    layers.forEach((w, l) => this.setLayer(l, w));
    this.resync();
  }

  resync(): void {
    this.k.salnetResync(this.st);
  }

  run(steps: number): void {
    this.k.salnetRun(this.st, steps);
  }

  /**
   * End of a SAL iteration: B_l <- B_l + salLr * mean_copies(dB_l) / L for every layer (src/learning/sal.ts),
   * the sums restart, the potentials are recomputed with the new B.
   */
  update(salLr: number): void {
    const L = this.st.L;
    this.k.salnetFlush(this.st);
    const F = this.st.F.view,
      D = this.st.D.view;
    for (let l = 0; l < L.P - 1; l++) {
      const nLo = L.n[l],
        nUp = L.n[l + 1];
      salDeepUpdate(
        F.subarray(L.f.BT[l]),
        L.n4[l],
        D.subarray(L.d.Dc[l]),
        L.n4[l + 1],
        D.subarray(L.d.Da[l]),
        L.n4[l],
        nLo,
        nUp,
        L.S,
        this.spec.windowLength,
        salLr,
      );
      D.fill(0, L.d.Dc[l], L.d.Dc[l] + nLo * L.n4[l + 1]);
      D.fill(0, L.d.Da[l], L.d.Da[l] + nUp * L.n4[l]);
    }
    this.resync();
  }

  /** Spikes of each population (all copies) since construction. */
  spikeCounts(): number[] {
    const L = this.st.L;
    return Array.from(this.st.D.view.subarray(L.d.count, L.d.count + L.P));
  }

  /** Feedback of fc layer l in the deep net's layout (n_{l+1} x n_l). */
  feedback(l: number): Float32Array {
    const L = this.st.L,
      F = this.st.F.view,
      nIn = L.n[l],
      nOut = L.n[l + 1];
    const out = new Float32Array(nOut * nIn);
    for (let j = 0; j < nOut; j++) out.set(F.subarray(L.f.BT[l] + j * L.n4[l], L.f.BT[l] + j * L.n4[l] + nIn), j * nIn);
    return out;
  }

  /** Forward weights of fc layer l (n_{l+1} x n_l). */
  forward(l: number): Float32Array {
    const L = this.st.L,
      F = this.st.F.view,
      nIn = L.n[l],
      nOut = L.n[l + 1],
      ld = L.n4[l + 1];
    const out = new Float32Array(nOut * nIn);
    for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) out[i * nIn + j] = F[L.f.WT[l + 1] + j * ld + i];
    return out;
  }
}
