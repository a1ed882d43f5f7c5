// The STDWI inference toy (kernel family `stdwi`, src/backend/stdwi.ts): the
// readable reference, with every f32 operation rounded in the order
// assembly/stdwi.ts uses.
import type { StdwiKernels, StdwiState } from "../stdwi.js";
import { STDWI_H, STDWI_MAX_TIME, STDWI_RING } from "../stdwi.js";
import { rngNext } from "../shared/rng.js";
import { drawSubset } from "./rddKernels.js";

const f32 = Math.fround;
const fromBits = (b: number) => new Float32Array(new Int32Array([b]).buffer)[0];
const MASK = STDWI_RING - 1;

/** One Euler step of the LIF neuron with coupling 1 and rest 0: v + lif ((0 - v) + (I - v)). */
const lif = (v: number, I: number, k: number) => f32(v + f32(k * f32(f32(0 - v) + f32(I - v))));
/** S <- d S + s - dEnd sOld (truncated exponential PSP trace). */
const psp = (S: number, s: number, sOld: number, d: number, dEnd: number) => f32(f32(f32(d * S) + s) - f32(dEnd * sOld));

/**
 * LIF step of n neurons with input currents scale * ((A - B) * inv) (the PSP traces at t-1); spiking neurons
 * are reset, listed and counted. Returns the number of spikes.
 */
function lifPass(
  F: Float32Array,
  I: Int32Array,
  v0: number,
  n: number,
  list: number,
  count: number,
  A: number,
  B: number,
  scale: number,
  inv: number,
  kLif: number,
  vThr: number,
  vReset: number,
): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const cur = f32(scale * f32(f32(F[A + i] - F[B + i]) * inv));
    let v = lif(F[v0 + i], cur, kLif);
    if (v >= vThr) {
      v = vReset;
      I[list + m++] = i;
      I[count + i]++;
    }
    F[v0 + i] = v;
  }
  return m;
}

function run(st: StdwiState, steps: number): void {
  const F = st.F.view,
    I = st.I.view,
    U = st.U.view;
  const g = (slot: number) => I[slot],
    fb = (slot: number) => fromBits(I[slot]);
  const nIn = g(STDWI_H.nIn),
    nOut = g(STDWI_H.nOut),
    n4In = g(STDWI_H.n4In),
    n4Out = g(STDWI_H.n4Out);
  const lag = g(STDWI_H.lag),
    nAct = g(STDWI_H.nActive),
    period = g(STDWI_H.period),
    stimThr = g(STDWI_H.stimThr) >>> 0;
  const kLif = fb(STDWI_H.lifBits),
    vThr = fb(STDWI_H.vThrBits),
    vReset = fb(STDWI_H.vResetBits),
    stimW = fb(STDWI_H.stimWBits);
  const pdS = fb(STDWI_H.pdSBits),
    pdF = fb(STDWI_H.pdFBits),
    pdSE = fb(STDWI_H.pdSEndBits),
    pdFE = fb(STDWI_H.pdFEndBits),
    pInv = fb(STDWI_H.pInvBits);
  const xdF = fb(STDWI_H.xdFBits),
    xdS = fb(STDWI_H.xdSBits),
    aF = fb(STDWI_H.aFBits),
    aS = fb(STDWI_H.aSBits);
  const eta = fb(STDWI_H.etaBits),
    decay = fb(STDWI_H.decayBits);
  const o = {
    vIn: g(STDWI_H.vIn),
    vOut: g(STDWI_H.vOut),
    SL: g(STDWI_H.SL),
    SF: g(STDWI_H.SF),
    OL: g(STDWI_H.OL),
    OF: g(STDWI_H.OF),
    X: g(STDWI_H.X),
    WT: g(STDWI_H.WT),
    B: g(STDWI_H.B),
    xf: g(STDWI_H.xf),
    xs: g(STDWI_H.xs),
    stim: g(STDWI_H.stim),
    perm: g(STDWI_H.perm),
    listIn: g(STDWI_H.listIn),
    listOut: g(STDWI_H.listOut),
    spikesIn: g(STDWI_H.spikesIn),
    spikesOut: g(STDWI_H.spikesOut),
    rng: g(STDWI_H.rng),
  };
  for (let step = 0; step < steps; step++) {
    const t = I[STDWI_H.t];
    I[STDWI_H.t] = t + 1;
    if (t === 0) continue;
    const slot = t & MASK,
      old = (t - lag) & MASK;
    // 1. stimulus spikes of t
    const stim = o.stim + slot * n4In;
    I.fill(0, stim, stim + n4In);
    if ((t - 1) % period === 0) {
      drawSubset(U, o.rng, I, o.perm, nIn, nAct);
    }
    for (let k = 0; k < nAct; k++) {
      const x = rngNext(U, o.rng);
      if (x < stimThr) I[stim + I[o.perm + k]] = 1;
    }
    // 2. input neurons (PSP of their channel at t-1), 3. output neurons (summed input PSPs at t-1)
    const mIn = lifPass(F, I, o.vIn, nIn, o.listIn, o.spikesIn, o.SL, o.SF, stimW, pInv, kLif, vThr, vReset);
    const mOut = lifPass(F, I, o.vOut, nOut, o.listOut, o.spikesOut, o.OL, o.OF, 1, pInv, kLif, vThr, vReset);
    I[STDWI_H.countIn] = mIn;
    I[STDWI_H.countOut] = mOut;
    // 4. PSP traces with the spikes of t
    const stimOld = o.stim + old * n4In;
    for (let j = 0; j < nIn; j++) {
      F[o.SL + j] = psp(F[o.SL + j], I[stim + j], I[stimOld + j], pdS, pdSE);
      F[o.SF + j] = psp(F[o.SF + j], I[stim + j], I[stimOld + j], pdF, pdFE);
    }
    const X = o.X + slot * n4Out,
      Xo = o.X + old * n4Out;
    F.fill(0, X, X + n4Out);
    for (let s = 0; s < mIn; s++) {
      const row = o.WT + I[o.listIn + s] * n4Out;
      for (let i = 0; i < nOut; i++) F[X + i] += F[row + i];
    }
    for (let i = 0; i < nOut; i++) {
      F[o.OL + i] = psp(F[o.OL + i], F[X + i], F[Xo + i], pdS, pdSE);
      F[o.OF + i] = psp(F[o.OF + i], F[X + i], F[Xo + i], pdF, pdFE);
    }
    // 5. STDWI traces of the input spikes, then the rule for every output spike
    for (let j = 0; j < nIn; j++) {
      F[o.xf + j] = f32(xdF * F[o.xf + j]);
      F[o.xs + j] = f32(xdS * F[o.xs + j]);
    }
    for (let s = 0; s < mIn; s++) {
      const j = I[o.listIn + s];
      F[o.xf + j] = f32(aF + F[o.xf + j]);
      F[o.xs + j] = f32(aS + F[o.xs + j]);
    }
    for (let s = 0; s < mOut; s++) {
      const row = o.B + I[o.listOut + s] * n4In;
      for (let j = 0; j < nIn; j++) F[row + j] = f32(F[row + j] + f32(eta * f32(f32(F[o.xf + j] - F[o.xs + j]) - f32(decay * F[row + j]))));
    }
  }
}

export const stdwiKernels: StdwiKernels = {
  stdwiRun(st, steps) {
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`stdwiRun: steps ${steps}; must be an integer >= 0`);
    if (st.I.view[STDWI_H.t] + steps > STDWI_MAX_TIME) throw new RangeError(`stdwiRun: t would exceed ${STDWI_MAX_TIME}`);
    run(st, steps);
  },
};
