// Kernel family `rdd`: the layered LIF network in which the RDD method
// estimates feedback weights (docs/models/spiking-feedback.md#rdd; Guerguiev
// et al., arXiv:1910.01689; the readable rules: src/learning/rdd.ts).
// Populations 0..P-1, one network (no batch). One call advances many 1-ms
// steps; the model (src/models/rddNet.ts) sets the schedule (which population
// is driven), scales the forward weights and sets B from beta.
//
// Step t, populations in order 0..P-1 (population p sees p-1's spikes of
// this step and p+1's of the last one):
//   basal input  Bas = alpha kappa*drive (p driven), W_p kappa*s_{p-1} (p > 0), else 0,
//                kappa(k) = (e^{-k/tauL} - e^{-k/tauS}) / (tauL - tauS), k = 1..30, applied
//                through two exponential traces per neuron with the 31st step's term removed
//                (exact for the truncated kernel): A <- d (A + X(t)) - d^31 X(t-30), where X(t)
//                is the step's input (driving counts, or the summed columns of W_p of p-1's spikes);
//   apical input q_j = kappa*s_{p+1} (spikes up to t-1), cumulated in f64 so that a window's
//                sum R = Q(t) - Q(t-30) needs no per-step work per neuron;
//   neurons      v <- v + dt (-gL v + gD (Bas - v)), the drive u likewise; spike if v >= theta and
//                the refractory counter (decremented first) is 0, then v = vReset;
//   RDD windows  (p < P-1) as src/learning/rdd.ts describes, in the authors' order of operations
//                (unibe-cns/sal-code: symmnet/src/symmnet/rdd_layers.py, `update`); the fit runs only in the driven population.
// Driving: every `redrawEvery` steps (at (t+1) % redrawEvery == 0) and when the driven population
// changes, a fresh random subset of nSub neurons (partial Fisher-Yates on `perm`); each draws a
// Poisson count per step from one 32-bit output (src/learning/rdd.ts `poissonThresholds`).
// Random numbers: one xoshiro128** stream for the whole drive. Spikes are totalled per population (f64).
//
// Layout: buffers F (f32), I (i32, header first), U (u32, the stream), D (f64, parameters first);
// the header holds element offsets (RDD_H, RDD_POP in src/backend/layout.ts).
import type { F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import { RDD_D, RDD_H, RDD_MAX_POPS, RDD_POP, RDD_RING } from "./layout.js";
import { rngSeed } from "./shared/rng.js";

export { RDD_D, RDD_H, RDD_MAX_POPS, RDD_POP, RDD_RING } from "./layout.js";
/** Runs stop before this many steps per phase. */
export const RDD_MAX_TIME = 2 ** 30;

/** The network's constants (the authors' values: src/learning/rdd.ts RDD_DEFAULTS); time in steps unless noted. */
export interface RddParams {
  /** step (s) */
  dt: number;
  vReset: number;
  theta: number;
  /** refractory counter set on a spike */
  refractory: number;
  /** leak and dendritic conductances (1/s) */
  gL: number;
  gD: number;
  /** kernel time constants and length (steps) */
  tauS: number;
  tauL: number;
  memory: number;
  /** RDD window length, opening band, max-u filter */
  window: number;
  initBand: number;
  uWindow: number;
  /** driving Poisson rate (per step), its weight, the driven fraction, steps between subset draws */
  inputRate: number;
  alpha: number;
  driveFraction: number;
  redrawEvery: number;
  /** step size of the linear fits */
  eta: number;
}

const r4 = (n: number) => (n + 3) & ~3;
const f32bits = (x: number) => new Int32Array(new Float32Array([x]).buffer)[0];

export interface RddLayout {
  P: number;
  n: number[];
  n4: number[];
  /** element offsets per population (-1 where absent), keyed like RDD_POP */
  pop: Record<keyof typeof RDD_POP, number>[];
  f: number;
  i: number;
  u: number;
  d: number;
  poisson: number;
  /** D offset of the spike totals (P f64) */
  count: number;
}

export function rddLayout(layers: number[], nPoisson: number): RddLayout {
  if (!Array.isArray(layers) || layers.length < 2 || layers.length > RDD_MAX_POPS)
    throw new RangeError(`rdd: layers must list 2..${RDD_MAX_POPS} population sizes`);
  for (const n of layers)
    if (!Number.isInteger(n) || n < 1 || n > 1 << 20) throw new RangeError(`rdd: population size ${n}; must be an integer in [1, 2^20]`);
  const P = layers.length,
    n = [...layers],
    n4 = n.map(r4);
  let fo = 0,
    io = RDD_H.size,
    dO = RDD_D.size;
  const F = (k: number) => {
    const r = fo;
    fo += r4(k);
    return r;
  };
  const I = (k: number) => {
    const r = io;
    io += r4(k);
    return r;
  };
  const D = (k: number) => {
    const r = dO;
    dO += r4(k);
    return r;
  };
  const poisson = I(nPoisson),
    count = D(layers.length);
  const pop = n.map((np, p) => {
    const ff = p > 0,
      rdd = p < P - 1,
      nUp = rdd ? n4[p + 1] : 0;
    const no = -1;
    return {
      n: np,
      n4: n4[p],
      hasFf: ff ? 1 : 0,
      hasRdd: rdd ? 1 : 0,
      v: F(n4[p]),
      u: F(n4[p]),
      refr: I(n4[p]),
      hist: I(n4[p]),
      list: I(n4[p]),
      count: 0,
      WT: ff ? F(n[p - 1] * n4[p]) : no,
      X: ff ? F(RDD_RING * n4[p]) : no,
      AL: ff ? F(n4[p]) : no,
      AS: ff ? F(n4[p]) : no,
      aL: p > 0 ? F(n4[p]) : no,
      aS: p > 0 ? F(n4[p]) : no,
      DL: F(n4[p]),
      DS: F(n4[p]),
      cnt: I(RDD_RING * n4[p]),
      perm: I(np),
      tl: rdd ? I(n4[p]) : no,
      nspk: rdd ? I(n4[p]) : no,
      maxu: rdd ? F(n4[p]) : no,
      Rpre: rdd ? F(np * nUp) : no,
      q: rdd ? F(nUp) : no,
      Q: rdd ? D(RDD_RING * nUp) : no,
      c0: rdd ? D(np * nUp) : no,
      c1: rdd ? D(np * nUp) : no,
      c2: rdd ? D(np * nUp) : no,
      c3: rdd ? D(np * nUp) : no,
      beta: rdd ? D(np * nUp) : no,
    };
  });
  return { P, n, n4, pop, f: fo, i: io, u: 4, d: dO, poisson, count };
}

export interface RddState {
  readonly L: RddLayout;
  readonly c: RddParams;
  readonly F: F32Buf;
  readonly I: I32Buf;
  readonly U: U32Buf;
  readonly D: F64Buf;
}

/**
 * Writes the header and parameters and seeds the drive's stream; the fit coefficients start at 0.
 * `poissonThr` are the count thresholds of the driving rate (src/learning/rdd.ts `poissonThresholds`;
 * the layout was made for its length). Call `rddResetPhase` before running.
 */
export function rddInit(st: RddState, seed: number, poissonThr: Uint32Array): void {
  const { L, c } = st,
    H = st.I.view,
    D = st.D.view;
  const thr = poissonThr;
  H.fill(0, 0, RDD_H.size);
  const dL = Math.exp(-1 / c.tauL),
    dS = Math.exp(-1 / c.tauS);
  Object.assign(H, {
    [RDD_H.P]: L.P,
    [RDD_H.t]: 0,
    [RDD_H.driven]: -1,
    [RDD_H.nSub]: 0,
    [RDD_H.redrawEvery]: c.redrawEvery,
    [RDD_H.refractory]: c.refractory,
    [RDD_H.window]: c.window,
    [RDD_H.memory]: c.memory,
    [RDD_H.dtBits]: f32bits(c.dt),
    [RDD_H.gLBits]: f32bits(c.gL),
    [RDD_H.gDBits]: f32bits(c.gD),
    [RDD_H.thetaBits]: f32bits(c.theta),
    [RDD_H.vResetBits]: f32bits(c.vReset),
    [RDD_H.bandBits]: f32bits(c.initBand),
    [RDD_H.uWindowBits]: f32bits(c.uWindow),
    [RDD_H.alphaBits]: f32bits(c.alpha),
    [RDD_H.dLBits]: f32bits(dL),
    [RDD_H.dSBits]: f32bits(dS),
    [RDD_H.dLEndBits]: f32bits(dL ** (c.memory + 1)),
    [RDD_H.dSEndBits]: f32bits(dS ** (c.memory + 1)),
    [RDD_H.invBits]: f32bits(1 / (c.tauL - c.tauS)),
    [RDD_H.rng]: 0,
    [RDD_H.poisson]: L.poisson,
    [RDD_H.nPoisson]: thr.length,
    [RDD_H.fresh]: 0,
    [RDD_H.count]: L.count,
  });
  const Iv = st.I.view;
  Iv.set(thr, L.poisson);
  for (let p = 0; p < L.P; p++) {
    const o = RDD_H.pop0 + p * RDD_H.popSlots,
      q = L.pop[p];
    for (const [k, slot] of Object.entries(RDD_POP)) H[o + slot] = q[k as keyof typeof RDD_POP];
    for (let i = 0; i < L.n[p]; i++) Iv[q.perm + i] = i;
  }
  D[RDD_D.eta] = c.eta;
  D[RDD_D.theta] = c.theta;
  rngSeed(st.U.view, 0, seed);
}

/**
 * Start of an RDD phase (the authors' `reset`): v = u = vReset, no refractoriness, empty spike histories,
 * traces and rings, no open windows, nothing driven, t = 0. Fit coefficients and beta persist.
 */
export function rddResetPhase(st: RddState): void {
  const { L } = st,
    F = st.F.view,
    I = st.I.view,
    D = st.D.view,
    c = st.c;
  I[RDD_H.t] = 0;
  I[RDD_H.driven] = -1;
  I[RDD_H.nSub] = 0;
  I[RDD_H.fresh] = 0;
  for (let p = 0; p < L.P; p++) {
    const q = L.pop[p],
      n4 = L.n4[p];
    I[RDD_H.pop0 + p * RDD_H.popSlots + RDD_POP.count] = 0;
    F.fill(c.vReset, q.v, q.v + n4);
    F.fill(c.vReset, q.u, q.u + n4);
    for (const o of [q.refr, q.hist, q.list, q.tl, q.nspk]) if (o >= 0) I.fill(0, o, o + n4);
    I.fill(0, q.cnt, q.cnt + RDD_RING * n4);
    for (const o of [q.AL, q.AS, q.aL, q.aS, q.DL, q.DS, q.maxu]) if (o >= 0) F.fill(0, o, o + n4);
    if (q.X >= 0) F.fill(0, q.X, q.X + RDD_RING * n4);
    if (q.hasRdd) {
      const nUp = L.n4[p + 1];
      F.fill(0, q.Rpre, q.Rpre + L.n[p] * nUp);
      F.fill(0, q.q, q.q + nUp);
      D.fill(0, q.Q, q.Q + RDD_RING * nUp);
    }
  }
}

/** Drives population `pop` from the next step on (-1: none): its drive traces start empty and a fresh subset is drawn. */
export function rddSetDriven(st: RddState, pop: number): void {
  const { L } = st,
    F = st.F.view,
    I = st.I.view;
  if (!Number.isInteger(pop) || pop < -1 || pop >= L.P) throw new RangeError(`rdd: driven population ${pop}; must be in [-1, ${L.P - 1}]`);
  I[RDD_H.driven] = pop;
  if (pop < 0) {
    I[RDD_H.nSub] = 0;
    return;
  }
  const q = L.pop[pop];
  F.fill(0, q.DL, q.DL + L.n4[pop]);
  F.fill(0, q.DS, q.DS + L.n4[pop]);
  I.fill(0, q.cnt, q.cnt + RDD_RING * L.n4[pop]);
  I[RDD_H.nSub] = Math.floor(st.c.driveFraction * L.n[pop]);
  I[RDD_H.fresh] = 1;
}

export interface RddKernels {
  /** Advances the network by `steps` 1-ms steps (see above). */
  rddRun(st: RddState, steps: number): void;
}
