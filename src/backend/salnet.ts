// Kernel family `salnet`: the layered network of the deep-net SAL phase
// (docs/models/spiking-feedback.md#the-sal-phase; arXiv:2503.02642).
// Populations 0..P-1 of sampling neurons (firing probability sigmoid(u - ln
// tRef)), bottom-up weights W_p (population p-1 -> p) and top-down feedback B_p
// (p+1 -> p), biases b_p, S independent copies that share the weights. One call
// advances all copies by many steps; the model (src/models/salNet.ts) sets
// weights through the views and applies the B update of src/learning/sal.ts.
//
// Time convention (docs/conventions.md#time-conventions, layered SAL networks):
// a spike at step s is in the potentials of the draws at s+1 .. s+tRef
// (rectangular PSP of tRef steps, 1 <= t - s <= tRef); the neuron may spike
// again at s+tRef+1; the STDP window counts the k = 0 term (simultaneous spikes
// cancel).
//
// Step t, in this order (all copies and populations updated synchronously):
//   1. PSP onsets and ends, event-driven: the input change of step t-1,
//      D_p(t-1) = the sum of the weight columns of its spikes (W_p[:, j] for a
//      spike of j in p-1, B_p[:, j] for one in p+1; from 0, lower population
//      in ascending id, then upper), is kept in a ring of R = tRef+1 steps, and
//      u_p <- (u_p + D_p(t-1)) - D_p(t-1-tRef): a PSP ends by subtracting the
//      sum it entered with (one pass per population, not one per spike).
//   2. Draws: every neuron draws one xoshiro128** output x from its own
//      stream (every step, refractory or not) and spikes iff x < T(u)
//      (mathf `threshold`) and t - t_last > tRef. Its window trace
//      e(t) = sum over its spikes at ages k < L of K(k) (two newest spikes;
//      K as src/learning/sal.ts `salDeepWindow`, advanced by one f32 multiply per step).
//   (spikes are also counted per population, in f64)
//   3. STDP sums (f32 per block of `flushEvery` steps, then added to f64):
//      for each pair (p, p+1) and copy: a spike of lower i adds the upper
//      traces to row i of Ac_p (depression), a spike of upper j adds the
//      lower traces to row j of Aa_p (potentiation); per row, copies in
//      ascending order.
// The wasm kernel also keeps, per step and population, masks of the copies
// in which each neuron spiked (32 copies per word), so that with several
// copies it reads each STDP row once per gathered pass.
//
// Layout: four flat buffers, F (f32), I (i32, header first), U (u32 random
// streams), D (f64 sums); the header holds element offsets (SALNET_H, SALNET_POP in src/backend/layout.ts).
// Per-copy arrays are S blocks of N4 = sum_p n4_p entries (n4 = n rounded up
// to a multiple of 4); padding lanes have bias -1e30 and never fire.
import type { F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import { seedStreams } from "./shared/rng.js";
import { SALNET_H, SALNET_POP, SALNET_MAX_POPS, SALNET_NEVER, SALNET_BY_ROW_MIN, SALNET_MAX_STDP_EVERY } from "./layout.js";

export { SALNET_H, SALNET_POP, SALNET_MAX_POPS, SALNET_NEVER, SALNET_BY_ROW_MIN, SALNET_MAX_STDP_EVERY } from "./layout.js";
/** Runs stop before this many steps (t stays an i32 with room for t - NEVER). */
export const SALNET_MAX_TIME = 2 ** 30 - 1;
/** Bias of padding lanes (their threshold is 0, so they never fire). */
export const SALNET_PAD_BIAS = -1e30;

export interface SalNetSpec {
  /** Population sizes n_0 .. n_{P-1} (P >= 2); population 0 has only top-down input, P-1 only bottom-up. */
  layers: number[];
  /** Independent copies S (the authors' sal batch_size). */
  batch: number;
  /** Refractory steps, PSP length and the ln tRef rate offset (authors: 10). */
  tRef: number;
  /** STDP window decay constant in steps (authors: tRef). */
  tau: number;
  /** STDP window length L in steps (authors: buffer_length * tRef = 2 tRef); at most 2 (tRef + 1). */
  windowLength: number;
  /** Steps between f32 -> f64 transfers of the STDP sums (default: max(16, floor(2048 / batch))). */
  flushEvery?: number;
  /**
   * Steps whose STDP row updates the wasm kernel gathers into one pass over each row (the sums are the
   * same: every row still adds its traces step by step, copy by copy). Default: what fits the core's
   * cache, 1 to 32 (at most tRef + 1 with 4 copies or more).
   */
  stdpEvery?: number;
}

export interface SalNetLayout {
  P: number;
  S: number;
  N4: number;
  R: number;
  n: number[];
  n4: number[];
  off: number[];
  f: {
    size: number;
    u: number;
    x: number;
    e1: number;
    e2: number;
    dring: number;
    WT: number[];
    BT: number[];
    b: number[];
    Ac: number[];
    Aa: number[];
  };
  i: { size: number; t1: number; cnt: number; ids: number; cols: number; colsCap: number; masks: number; xh: number; tmask: number };
  /** steps per gathered STDP pass (SalNetSpec.stdpEvery) */
  K: number;
  u: { size: number; rng: number };
  d: { size: number; count: number; Dc: number[]; Da: number[] };
}

const r4 = (n: number) => (n + 3) & ~3;

export function salnetValidate(spec: SalNetSpec): void {
  const { layers, batch, tRef, tau, windowLength } = spec;
  if (!Array.isArray(layers) || layers.length < 2 || layers.length > SALNET_MAX_POPS)
    throw new RangeError(`salnet: layers must list 2..${SALNET_MAX_POPS} population sizes`);
  for (const n of layers)
    if (!Number.isInteger(n) || n < 1 || n > 1 << 20) throw new RangeError(`salnet: population size ${n}; must be an integer in [1, 2^20]`);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`salnet: batch ${batch}; must be an integer >= 1`);
  if (!Number.isInteger(tRef) || tRef < 1 || tRef > 10000) throw new RangeError(`salnet: tRef ${tRef}; must be an integer in [1, 10000]`);
  if (!(tau > 0)) throw new RangeError(`salnet: tau ${tau}; must be > 0`);
  if (!Number.isInteger(windowLength) || windowLength < 1 || windowLength > 2 * (tRef + 1)) {
    throw new RangeError(
      `salnet: windowLength ${windowLength}; must be an integer in [1, 2 (tRef + 1)] (two spikes per neuron in the window at most)`,
    );
  }
  const fe = spec.flushEvery;
  if (fe !== undefined && (!Number.isInteger(fe) || fe < 1)) throw new RangeError(`salnet: flushEvery ${fe}; must be an integer >= 1`);
  const k = spec.stdpEvery,
    kMax = stdpEveryMax(spec);
  if (k !== undefined && (!Number.isInteger(k) || k < 1 || k > kMax))
    throw new RangeError(`salnet: stdpEvery ${k}; must be an integer in [1, ${kMax}]`);
}

/** Largest stdpEvery: the bits of a time mask word, and with the mask paths the R = tRef + 1 steps their masks are kept. */
function stdpEveryMax(spec: SalNetSpec): number {
  return spec.batch >= SALNET_BY_ROW_MIN ? Math.min(SALNET_MAX_STDP_EVERY, spec.tRef + 1) : SALNET_MAX_STDP_EVERY;
}

/** Default stdpEvery: as many steps as keep the pending traces (K x S x N4 f32) within about 2 MB (1 MB with the mask paths). */
function stdpEveryDefault(spec: SalNetSpec, N4: number): number {
  const budget = spec.batch >= SALNET_BY_ROW_MIN ? 2 ** 20 : 2 ** 21;
  return Math.max(1, Math.min(stdpEveryMax(spec), Math.floor(budget / (4 * spec.batch * N4))));
}

export function salnetLayout(spec: SalNetSpec): SalNetLayout {
  salnetValidate(spec);
  const P = spec.layers.length,
    S = spec.batch,
    R = spec.tRef + 1;
  const n = [...spec.layers],
    n4 = n.map(r4);
  const off: number[] = [];
  let N4 = 0;
  for (let p = 0; p < P; p++) {
    off.push(N4);
    N4 += n4[p];
  }
  let fo = 0;
  const ft = (k: number) => {
    const r = fo;
    fo += r4(k);
    return r;
  };
  const u = ft(S * N4),
    x = ft(S * N4),
    e1 = ft(S * N4),
    e2 = ft(S * N4),
    dring = ft(S * R * N4);
  const WT = n.map((_, p) => (p > 0 ? ft(n[p - 1] * n4[p]) : -1));
  const BT = n.map((_, p) => (p < P - 1 ? ft(n[p + 1] * n4[p]) : -1));
  const b = n.map((_, p) => ft(n4[p]));
  const Ac = n.map((_, p) => (p < P - 1 ? ft(n[p] * n4[p + 1]) : -1));
  const Aa = n.map((_, p) => (p < P - 1 ? ft(n[p + 1] * n4[p]) : -1));
  let io = SALNET_H.size;
  const it = (k: number) => {
    const r = io;
    io += r4(k);
    return r;
  };
  const t1 = it(S * N4),
    cnt = it(R * S * P),
    ids = it(R * S * N4);
  const K = spec.stdpEvery ?? stdpEveryDefault(spec, N4);
  // cols: S + 1 list starts and every copy's list of one population's input rows, the trace rows one STDP row adds in a
  // gathered pass, or the spike ids of one population and copy as the draws pack them (4 lanes at a time)
  let colsCap = Math.max(K * S, Math.max(...n4) + 4);
  for (let p = 0; p < P; p++) colsCap = Math.max(colsCap, S + 1 + S * ((p > 0 ? n[p - 1] : 0) + (p < P - 1 ? n[p + 1] : 0)));
  const cols = it(colsCap),
    masks = it(R * ((S + 31) >> 5) * N4),
    xh = it(K * S * N4),
    tmask = it(2 * Math.ceil(K / 64) * S * N4);
  let dO = 0;
  const dt = (k: number) => {
    const r = dO;
    dO += r4(k);
    return r;
  };
  const count = dt(P);
  const Dc = n.map((_, p) => (p < P - 1 ? dt(n[p] * n4[p + 1]) : -1));
  const Da = n.map((_, p) => (p < P - 1 ? dt(n[p + 1] * n4[p]) : -1));
  return {
    P,
    S,
    N4,
    R,
    n,
    n4,
    off,
    f: { size: fo, u, x, e1, e2, dring, WT, BT, b, Ac, Aa },
    i: { size: io, t1, cnt, ids, cols, colsCap, masks, xh, tmask },
    K,
    u: { size: 4 * S * N4, rng: 0 },
    d: { size: dO, count, Dc, Da },
  };
}

/** The four state buffers of a network (allocated through the backend's arena). */
export interface SalNetState {
  readonly spec: SalNetSpec;
  readonly L: SalNetLayout;
  readonly F: F32Buf;
  readonly I: I32Buf;
  readonly U: U32Buf;
  readonly D: F64Buf;
}

const f32bits = (x: number) => new Int32Array(new Float32Array([x]).buffer)[0];

/**
 * Writes the header, seeds the random streams (lane k = c N4 + off_p + i draws from the seed's state
 * jumped k times) and sets the initial state: t = 0, nobody spiked (t_last = NEVER, traces 0), biases 0
 * on real neurons and -1e30 on padding lanes, potentials = biases. `decay` and `kmin` are the window's
 * per-step factor and its last value K(L-1) (src/learning/sal.ts).
 */
export function salnetInit(st: SalNetState, seed: number, decay: number, kmin: number): void {
  const L = st.L,
    spec = st.spec,
    H = st.I.view,
    F = st.F.view;
  H.fill(0, 0, SALNET_H.size);
  H[SALNET_H.P] = L.P;
  H[SALNET_H.S] = L.S;
  H[SALNET_H.t] = 0;
  H[SALNET_H.tRef] = spec.tRef;
  H[SALNET_H.L] = spec.windowLength;
  H[SALNET_H.R] = L.R;
  H[SALNET_H.N4] = L.N4;
  H[SALNET_H.flushEvery] = spec.flushEvery ?? Math.max(16, Math.floor(2048 / L.S));
  H[SALNET_H.sinceFlush] = 0;
  H[SALNET_H.decayBits] = f32bits(decay);
  H[SALNET_H.kminBits] = f32bits(kmin);
  H[SALNET_H.tRefBits] = f32bits(spec.tRef);
  H[SALNET_H.u] = L.f.u;
  H[SALNET_H.x] = L.f.x;
  H[SALNET_H.e1] = L.f.e1;
  H[SALNET_H.e2] = L.f.e2;
  H[SALNET_H.t1] = L.i.t1;
  H[SALNET_H.rng] = L.u.rng;
  H[SALNET_H.cnt] = L.i.cnt;
  H[SALNET_H.ids] = L.i.ids;
  H[SALNET_H.cols] = L.i.cols;
  H[SALNET_H.colsCap] = L.i.colsCap;
  H[SALNET_H.count] = L.d.count;
  H[SALNET_H.masks] = L.i.masks;
  H[SALNET_H.dring] = L.f.dring;
  H[SALNET_H.stdpEvery] = L.K;
  H[SALNET_H.xh] = L.i.xh;
  H[SALNET_H.tmask] = L.i.tmask;
  for (let p = 0; p < L.P; p++) {
    const o = SALNET_H.pop0 + p * SALNET_H.popSlots;
    H[o + SALNET_POP.n] = L.n[p];
    H[o + SALNET_POP.n4] = L.n4[p];
    H[o + SALNET_POP.off] = L.off[p];
    H[o + SALNET_POP.WT] = L.f.WT[p];
    H[o + SALNET_POP.BT] = L.f.BT[p];
    H[o + SALNET_POP.b] = L.f.b[p];
    H[o + SALNET_POP.Ac] = L.f.Ac[p];
    H[o + SALNET_POP.Aa] = L.f.Aa[p];
    H[o + SALNET_POP.Dc] = L.d.Dc[p];
    H[o + SALNET_POP.Da] = L.d.Da[p];
    F.fill(0, L.f.b[p], L.f.b[p] + L.n[p]);
    F.fill(SALNET_PAD_BIAS, L.f.b[p] + L.n[p], L.f.b[p] + L.n4[p]);
  }
  st.I.view.fill(SALNET_NEVER, L.i.t1, L.i.t1 + L.S * L.N4);
  seedStreams(st.U.view.subarray(L.u.rng, L.u.rng + 4 * L.S * L.N4), L.S * L.N4, seed);
  for (let c = 0; c < L.S; c++) for (let p = 0; p < L.P; p++) F.set(F.subarray(L.f.b[p], L.f.b[p] + L.n4[p]), L.f.u + c * L.N4 + L.off[p]);
}

export interface SalNetKernels {
  /** Advances all copies by `steps` steps (steps 1-3 above); the STDP sums move to f64 every flushEvery steps. */
  salnetRun(st: SalNetState, steps: number): void;
  /** Adds the f32 STDP blocks to the f64 sums and zeroes them (call before reading Dc, Da). */
  salnetFlush(st: SalNetState): void;
  /**
   * Recomputes the input changes D(s) of steps s = t-1-tRef .. t-2 with the current weights and the
   * potentials from scratch after W, B or b changed: u = b + D(t-1-tRef) + ... + D(t-2), the potentials
   * of the last step (the next step adds D(t-1) and removes D(t-1-tRef)).
   */
  salnetResync(st: SalNetState): void;
}
