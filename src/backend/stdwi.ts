// Kernel family `stdwi`: the 50 -> 50 inference toy in which STDWI learns a
// feedback estimate B of the forward weights W
// (docs/models/spiking-feedback.md#stdwi; Ahmad et al., arXiv:2003.03988; the
// rule: src/learning/stdwi.ts). One call advances many steps of dt = 0.25 ms.
//
// Step t (nothing happens at t = 0: the authors' LIF loop starts at 1 and
// drops a stimulus spike at index 0):
//   1. stimulus: at (t-1) % period == 0 a fresh random subset of nActive
//      channels (partial Fisher-Yates on perm); each active channel spikes
//      with probability stimRate dt (one xoshiro128** output against stimThr);
//   2. input LIF neurons: v <- v + (dt/tau) ((0 - v) + (I - v)), I = stimW xpsp
//      of the own channel at t-1; spike at v >= vThr, then v = vReset;
//   3. output LIF neurons likewise with I = sum_j weightScale W_ij xpsp_j(t-1);
//   4. PSP traces: xpsp = (S_slow - S_fast) / (tau_slow - tau_fast),
//      S <- d S + s(t) - d^lag s(t - lag) (the truncated double exponential,
//      exactly; lag = 7 tau_slow / dt); on the output side s is the summed
//      column of weightScale W of the input spikes;
//   5. STDWI traces x_f, x_s of the input spikes of t, then every output
//      spike of t updates its row of B (src/learning/stdwi.ts `stdwiUpdateRow`).
//
// Layout: buffers F (f32), I (i32, header first), U (u32 random stream);
// offsets in the header (STDWI_H in src/backend/layout.ts).
import type { F32Buf, I32Buf, U32Buf } from "./types.js";
import { STDWI_H, STDWI_RING } from "./layout.js";
import { rngSeed } from "./shared/rng.js";

export { STDWI_H, STDWI_RING } from "./layout.js";
export const STDWI_MAX_TIME = 2 ** 30;

/** The toy's numbers as the kernel uses them (src/models/stdwiNet.ts derives them from src/learning/stdwi.ts). */
export interface StdwiParams {
  nIn: number;
  nOut: number;
  /** PSP truncation in steps (< STDWI_RING) */
  lag: number;
  nActive: number;
  /** steps per stimulus period */
  period: number;
  /** Bernoulli threshold of a stimulus spike per step (u32) */
  stimThr: number;
  lif: number;
  vThr: number;
  vReset: number;
  stimW: number;
  pdS: number;
  pdF: number;
  pdSEnd: number;
  pdFEnd: number;
  pInv: number;
  xdF: number;
  xdS: number;
  aF: number;
  aS: number;
  eta: number;
  decay: number;
}

const r4 = (n: number) => (n + 3) & ~3;
const f32bits = (x: number) => new Int32Array(new Float32Array([x]).buffer)[0];

export interface StdwiState {
  readonly p: StdwiParams;
  readonly F: F32Buf;
  readonly I: I32Buf;
  readonly U: U32Buf;
  /** element offsets (as in the header) */
  readonly o: Record<
    | "vIn"
    | "vOut"
    | "SL"
    | "SF"
    | "OL"
    | "OF"
    | "X"
    | "WT"
    | "B"
    | "xf"
    | "xs"
    | "stim"
    | "perm"
    | "listIn"
    | "listOut"
    | "spikesIn"
    | "spikesOut",
    number
  >;
}

export function stdwiLayout(nIn: number, nOut: number) {
  for (const n of [nIn, nOut])
    if (!Number.isInteger(n) || n < 1 || n > 1 << 16) throw new RangeError(`stdwi: population size ${n}; must be an integer in [1, 65536]`);
  const a = r4(nIn),
    b = r4(nOut);
  let f = 0,
    i: number = STDWI_H.size;
  const F = (k: number) => {
    const r = f;
    f += r4(k);
    return r;
  };
  const I = (k: number) => {
    const r = i;
    i += r4(k);
    return r;
  };
  const o = {
    vIn: F(a),
    vOut: F(b),
    SL: F(a),
    SF: F(a),
    OL: F(b),
    OF: F(b),
    X: F(STDWI_RING * b),
    WT: F(nIn * b),
    B: F(nOut * a),
    xf: F(a),
    xs: F(a),
    stim: I(STDWI_RING * a),
    perm: I(nIn),
    listIn: I(a),
    listOut: I(b),
    spikesIn: I(a),
    spikesOut: I(b),
  };
  return { o, f, i };
}

/** Writes the header and seeds the stimulus stream; state starts at rest (v = 0, no spikes, t = 0). */
export function stdwiInit(st: StdwiState, seed: number): void {
  const { p, o } = st,
    H = st.I.view;
  if (!(p.lag >= 1 && p.lag < STDWI_RING)) throw new RangeError(`stdwi: PSP truncation ${p.lag} steps; must be in [1, ${STDWI_RING - 1}]`);
  if (!(p.nActive >= 0 && p.nActive <= p.nIn)) throw new RangeError(`stdwi: ${p.nActive} active channels of ${p.nIn}`);
  H.fill(0, 0, STDWI_H.size);
  const set = (slot: number, v: number) => {
    H[slot] = v;
  };
  set(STDWI_H.nIn, p.nIn);
  set(STDWI_H.nOut, p.nOut);
  set(STDWI_H.n4In, r4(p.nIn));
  set(STDWI_H.n4Out, r4(p.nOut));
  set(STDWI_H.lag, p.lag);
  set(STDWI_H.nActive, p.nActive);
  set(STDWI_H.period, p.period);
  set(STDWI_H.stimThr, p.stimThr | 0);
  const bits: [number, number][] = [
    [STDWI_H.lifBits, p.lif],
    [STDWI_H.vThrBits, p.vThr],
    [STDWI_H.vResetBits, p.vReset],
    [STDWI_H.stimWBits, p.stimW],
    [STDWI_H.pdSBits, p.pdS],
    [STDWI_H.pdFBits, p.pdF],
    [STDWI_H.pdSEndBits, p.pdSEnd],
    [STDWI_H.pdFEndBits, p.pdFEnd],
    [STDWI_H.pInvBits, p.pInv],
    [STDWI_H.xdFBits, p.xdF],
    [STDWI_H.xdSBits, p.xdS],
    [STDWI_H.aFBits, p.aF],
    [STDWI_H.aSBits, p.aS],
    [STDWI_H.etaBits, p.eta],
    [STDWI_H.decayBits, p.decay],
  ];
  for (const [slot, v] of bits) set(slot, f32bits(v));
  for (const [k, v] of Object.entries(o)) set(STDWI_H[k as keyof typeof STDWI_H], v);
  for (let j = 0; j < p.nIn; j++) H[o.perm + j] = j;
  set(STDWI_H.rng, 0);
  rngSeed(st.U.view, 0, seed);
}

export interface StdwiKernels {
  /** Advances the toy by `steps` steps (see above). */
  stdwiRun(st: StdwiState, steps: number): void;
}
