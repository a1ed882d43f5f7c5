// The STDWI inference toy (docs/models/spiking-feedback.md#stdwi) as a model
// over the Kernels seam: the toy's constants (src/learning/stdwi.ts) turned
// into the kernel's per-step numbers, W and B in and out (both out x in).
import type { Kernels } from "../backend/index.js";
import type { StdwiParams, StdwiState } from "../backend/stdwi.js";
import { STDWI_H, stdwiInit, stdwiLayout } from "../backend/stdwi.js";
import { STDWI_DEFAULTS, stdwiSlowAmplitude, type StdwiConstants } from "../learning/stdwi.js";

/** The kernel's per-step numbers for the toy's constants. */
export function stdwiParams(nIn: number, nOut: number, c: StdwiConstants): StdwiParams {
  const dt = c.dt;
  const lag = Math.round((c.pspTrunc * c.tauPspSlow) / dt);
  const dS = Math.exp(-dt / c.tauPspSlow),
    dF = Math.exp(-dt / c.tauPspFast);
  return {
    nIn,
    nOut,
    lag,
    nActive: Math.floor(c.stimRatio * nIn),
    period: Math.round(c.stimPeriod / dt),
    stimThr: Math.min(0xffffffff, Math.floor(c.stimRate * dt * 2 ** 32)),
    lif: dt / c.tauMem,
    vThr: c.vThreshold,
    vReset: c.vReset,
    stimW: c.stimWeight,
    pdS: dS,
    pdF: dF,
    pdSEnd: dS ** lag,
    pdFEnd: dF ** lag,
    pInv: 1 / (c.tauPspSlow - c.tauPspFast),
    xdF: Math.exp(-dt / c.tauFast),
    xdS: Math.exp(-dt / c.tauSlow),
    aF: c.aFast,
    aS: stdwiSlowAmplitude(c),
    eta: c.eta,
    decay: c.decay,
  };
}

export class StdwiNet {
  readonly st: StdwiState;
  readonly c: StdwiConstants;

  constructor(
    readonly k: Kernels,
    readonly nIn: number,
    readonly nOut: number,
    constants: Partial<StdwiConstants> = {},
    seed = 0,
  ) {
    this.c = { ...STDWI_DEFAULTS, ...constants };
    const p = stdwiParams(nIn, nOut, this.c);
    const L = stdwiLayout(nIn, nOut);
    this.st = { p, o: L.o, F: k.alloc("f32", L.f), I: k.alloc("i32", L.i), U: k.alloc("u32", 4) };
    stdwiInit(this.st, seed);
  }

  /** Steps of dt simulated so far. */
  time(): number {
    return this.st.I.view[STDWI_H.t];
  }

  private n4(n: number): number {
    return (n + 3) & ~3;
  }

  /** Forward weights W (nOut x nIn, out x in); the toy drives the output with weightScale * W. */
  setForward(W: ArrayLike<number>): void {
    if (W.length !== this.nIn * this.nOut) throw new RangeError(`stdwi: W has ${W.length} entries; expected ${this.nIn * this.nOut}`);
    const F = this.st.F.view,
      ld = this.n4(this.nOut),
      o = this.st.o.WT;
    for (let i = 0; i < this.nOut; i++) for (let j = 0; j < this.nIn; j++) F[o + j * ld + i] = this.c.weightScale * W[i * this.nIn + j];
  }

  /** The estimate B (nOut x nIn, W's layout). */
  setFeedback(B: ArrayLike<number>): void {
    if (B.length !== this.nIn * this.nOut) throw new RangeError(`stdwi: B has ${B.length} entries; expected ${this.nIn * this.nOut}`);
    const F = this.st.F.view,
      ld = this.n4(this.nIn),
      o = this.st.o.B;
    for (let i = 0; i < this.nOut; i++) for (let j = 0; j < this.nIn; j++) F[o + i * ld + j] = B[i * this.nIn + j];
  }

  feedback(): Float32Array {
    const F = this.st.F.view,
      ld = this.n4(this.nIn),
      o = this.st.o.B;
    const out = new Float32Array(this.nIn * this.nOut);
    for (let i = 0; i < this.nOut; i++) out.set(F.subarray(o + i * ld, o + i * ld + this.nIn), i * this.nIn);
    return out;
  }

  /** Spikes per input and output neuron since the start. */
  spikeCounts(): { input: number[]; output: number[] } {
    const I = this.st.I.view,
      o = this.st.o;
    return {
      input: Array.from(I.subarray(o.spikesIn, o.spikesIn + this.nIn)),
      output: Array.from(I.subarray(o.spikesOut, o.spikesOut + this.nOut)),
    };
  }

  run(steps: number): void {
    this.k.stdwiRun(this.st, steps);
  }
}
