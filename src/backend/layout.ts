// The one source of truth for buffer layouts that TypeScript and
// AssemblyScript share: header slots, flag bits, constants and element
// offsets. scripts/gen-layout.mjs turns every exported number and object of
// numbers here into assembly/layout.generated.ts (same names: `SAMPLING_H.t`
// is slot 2 on both sides) at build time, and a hash of the values (the
// `layoutHash` export of the wasm module) lets the wasm adapter refuse a
// binary built from another layout (test/infra/layout.test.ts).
//
// This file is pure data: no imports, so the generator can evaluate it alone.
// Integers become i32 constants in AssemblyScript, other numbers f32.

// ---------------------------------------------------------------------------
// Sampling networks (src/backend/samplingState.ts describes the buffers)

/** Time of "no spike yet" and "no pending event". Runs are limited to MAX_TIME steps per restart. */
export const SAMPLING_NEVER = -(2 ** 30);
/** "No stop pending" (i32 max). */
export const SAMPLING_INF = 0x7fffffff;
/** At most this many STDP rules per network. */
export const SAMPLING_MAX_RULES = 2;
/** Networks up to this size use the potential/threshold table of all PSP patterns. */
export const SAMPLING_TABLE_MAX_N = 8;
/** Entries of the table-mode spike log. */
export const SAMPLING_LOG_CAP = 1024;
/** At most this many lags in a PSP-shape table. */
export const SAMPLING_PSP_MAX = 4096;

/** Header slots (i32) of a sampling network. */
export const SAMPLING_H = {
  n: 0,
  n4: 1,
  t: 2,
  pspLength: 3,
  minIsi: 4,
  sampleEvery: 5,
  onLength: 6,
  recCap: 7,
  recN: 8,
  recOverflow: 9,
  nRules: 10,
  tRefBits: 11,
  nextStop: 12,
  nextSample: 13,
  cap: 14,
  nActive: 15,
  // byte offsets of the buffers (wasm only; slot 16 is free: the kernels read W through WT)
  b: 17,
  WT: 18,
  u: 19,
  thr: 20,
  valid: 21,
  rng: 22,
  last: 23,
  offQT: 24,
  offQI: 25,
  refQT: 26,
  refQI: 27,
  on: 28,
  hisT: 29,
  hisN: 30,
  spk: 31,
  count: 32,
  hist: 33,
  recT: 34,
  recI: 35,
  // queues: head and tail are running counters, entry i sits at i % capacity
  offHead: 36,
  offTail: 37,
  offCap: 38,
  refHead: 39,
  refTail: 40,
  refCap: 41,
  table: 42,
  mask: 43,
  thrTab: 44,
  uTab: 45,
  dirty: 46,
  cols: 47,
  /** first slot of rule 0; rule r starts at rule0 + r * ruleSlots (slots: SAMPLING_RULE) */
  rule0: 48,
  ruleSlots: 8,
  log: 64,
  logCap: 65,
  /**
   * shaped PSPs (spec `psp`): 1 if on; the PSP table (f32, pspLen lags), the biases padded to n4 lanes, kappa per
   * presynaptic neuron (scratch)
   */
  shaped: 66,
  pspK: 67,
  pspLen: 68,
  base: 69,
  kap: 70,
  /** header length in slots */
  size: 72,
} as const;

/** Slots of one STDP rule, relative to SAMPLING_H.rule0 + r * SAMPLING_H.ruleSlots. */
export const SAMPLING_RULE = { length: 0, N: 1, countZero: 2, K: 3, aC: 4, aA: 5, S: 6 } as const;

/** Header slots (i32) of a population of independent sampling neurons (src/backend/populationState.ts). */
export const POP_H = { t: 0, n: 1, n4: 2, minIsi: 3, thr: 4, rng: 5, last: 6, count: 7, size: 8 } as const;

// ---------------------------------------------------------------------------
// Microcircuit (src/backend/microcircuit.ts describes the buffers)

/** Flag bits of `mcRunPattern`. */
export const MC_FLAG = {
  /** output nudged towards F[tgt] */
  nudge: 1,
  /** Urbanczik-Senn updates of W10, W21 after the learning lag */
  forward: 2,
  /** SAL STDP on B12 (whole pattern, as the authors' code) */
  sal: 4,
  /** B12 <- W21^T after every forward update */
  bpCopy: 8,
  /** with sal: pair each spike with all earlier partner spikes (exponential traces) instead of the most recent one */
  salAll: 16,
} as const;

/** Parameter slots P[0..15] at the start of the f32 buffer F. */
export const MC_P = {
  lambdaApi: 0,
  lambdaNudge: 1,
  eta1: 2,
  eta2: 3,
  etaB: 4,
  aCausal: 5,
  aAnti: 6,
  tauCausal: 7,
  tauAnti: 8,
  tRef: 9,
  size: 16,
} as const;
/** Header slots H[0..15] at the start of the i32 buffer I. */
export const MC_H = { n0: 0, n1: 1, n2: 2, win: 3, t: 4, ringPos: 5, ringCount: 6, tRef: 7, tauSyn: 8, size: 16 } as const;

/**
 * Half-width of the potential brackets: a draw x is decided against T(u - e) and T(u + e)
 * (T = the Bernoulli threshold, monotone in u) and only when T(lo) <= x < T(hi) against T(u) itself.
 * The brackets live in the cache buffer C, which each call initialises: they only save work and
 * never change a decision, so each kernel may organise them its own way.
 */
export const MC_BRACKET = 0.05;
/** Last-spike time of a neuron that never spiked. */
export const MC_NEVER = -1_000_000_000;

/**
 * Element offsets into the four state buffers of a microcircuit with n0 inputs, n1 hidden and
 * n2 output neurons and a moving-average window of `win` steps. Neurons are numbered in
 * population order input (n0), hidden pyramidal (n1), interneurons (n2), output (n2);
 * moving-average quantities in order u1 (n1), vbas1 (n1), vbas2 (n2), u2 (n2) (the `stage` block
 * holds their current values, then free2 = b2 + vbas2, so that the wasm kernel moves two
 * quantities per f64x2 and [u2 | free2] lines up with D[accU2 | accFree]).
 */
export function mcLayout(n0: number, n1: number, n2: number, win: number) {
  const N = n0 + n1 + 2 * n2,
    Q = 2 * n1 + 2 * n2;
  let o: number = MC_P.size;
  const take = (n: number) => {
    const r = o;
    o += n;
    return r;
  };
  const W10 = take(n1 * n0),
    W21 = take(n2 * n1),
    B12 = take(n1 * n2),
    WIP = take(n2 * n1),
    WPI = take(n1 * n2);
  const b1 = take(n1),
    b2 = take(n2),
    x = take(n0),
    tgt = take(n2);
  // potentials of all neurons in population order
  const u0 = take(n0),
    u1 = take(n1),
    uI = take(n2),
    u2 = take(n2);
  const vapi1 = take(n1);
  const stage = take(Q + n2); // u1 | vbas1 | vbas2 | u2 | free2
  const vbas1 = stage + n1,
    vbas2 = stage + 2 * n1,
    free2 = stage + Q;
  const ring = take(Q * win); // [win][Q]: the Q values of one step are adjacent
  const tr = take(n1 + n2); // MC_FLAG.salAll spike traces: hidden P (decay tauAnti), output P (decay tauCausal)
  const f = { W10, W21, B12, WIP, WPI, b1, b2, x, tgt, u0, u1, uI, u2, vapi1, stage, vbas1, vbas2, free2, ring, tr, size: o };
  // last spike time and PSP state (0/1) per neuron, after the header
  const i = { tl: MC_H.size, s: MC_H.size + N, size: MC_H.size + 2 * N };
  // one xoshiro128** stream per neuron, structure of arrays: word w of neuron q at U[rng + w N + q]
  const u = { rng: 0, size: 4 * N };
  // the general loops' part of C: bracket bounds lo0 | hi0 | lo1 | hi1 (f32 bits) at brk + k N + q,
  // their thresholds at thr + k N + q, then (wasm) max(n1, n2) words of scratch for the forward rule;
  // the 1-1-1 wasm loop needs MC111_C.size words
  const c = { brk: 0, thr: 4 * N, size: Math.max(8 * N + Math.max(n1, n2), MC111_C.size) };
  // running sums of the Q moving averages, then the accumulated outputs and their step count
  const d = { sum: 0, accU2: Q, accFree: Q + n2, accCount: Q + 2 * n2, size: Q + 2 * n2 + 1 };
  return { n0, n1, n2, win, N, Q, f, i, u, c, d };
}
export type McLayout = ReturnType<typeof mcLayout>;

/**
 * The cache buffer C of the 1-1-1 wasm loop (u32 words): 16 bracket rows of four lanes, one per
 * PSP pattern (s_x, s_h, s_i, s_o as bits 0..3), each lo | hi | T(lo) | T(hi) (16 words), then
 * five vectors of the loop: base, lambda, basal gates, apical gates, biases.
 */
export const MC111_C = {
  rows: 0,
  rowWords: 16,
  /** words of a row: bracket bounds lo, hi (f32) and their thresholds (u32 with the sign bit flipped), four lanes each */
  lo: 0,
  hi: 4,
  thrLo: 8,
  thrHi: 12,
  base: 256,
  lambda: 260,
  gatesBasal: 264,
  gatesApical: 268,
  bias: 272,
  size: 276,
} as const;

// Offsets of the 1-1-1 microcircuit (the paper's size), for the wasm loop specialised to it.
// The ring and the traces start after the fixed part, so they do not depend on the window.
const L111 = mcLayout(1, 1, 1, 1);
/** Element offsets in F of the 1-1-1 microcircuit (mcLayout(1, 1, 1, win).f without the window-dependent `tr`). */
export const MC111_F = {
  W10: L111.f.W10,
  W21: L111.f.W21,
  B12: L111.f.B12,
  WIP: L111.f.WIP,
  WPI: L111.f.WPI,
  b1: L111.f.b1,
  b2: L111.f.b2,
  x: L111.f.x,
  tgt: L111.f.tgt,
  u0: L111.f.u0,
  vapi1: L111.f.vapi1,
  stage: L111.f.stage,
  vbas2: L111.f.vbas2,
  free2: L111.f.free2,
  ring: L111.f.ring,
} as const;
/** Element offsets in I of the 1-1-1 microcircuit: last spike times and PSP states of the four neurons. */
export const MC111_I = { tl: L111.i.tl, s: L111.i.s } as const;
/** Element offsets in D of the 1-1-1 microcircuit. */
export const MC111_D = { sum: L111.d.sum, accU2: L111.d.accU2, accFree: L111.d.accFree, accCount: L111.d.accCount } as const;

// ---------------------------------------------------------------------------
// Layered SAL network of the deep-net SAL phase (src/backend/salnet.ts describes the buffers)

/** Most populations a layered SAL network may have. */
export const SALNET_MAX_POPS = 8;
/** Last-spike time of a neuron that never spiked; runs stop before 2^30 - 1 steps. */
export const SALNET_NEVER = -(2 ** 30);
/** Networks with this many copies or more take the wasm kernel's mask path (one read per STDP row and gathered pass). */
export const SALNET_BY_ROW_MIN = 4;
/** Most steps whose STDP row updates are gathered. */
export const SALNET_MAX_STDP_EVERY = 256;

/** Header slots (i32 at the start of I); float parameters as f32 bit patterns; then element offsets. */
export const SALNET_H = {
  P: 0,
  S: 1,
  t: 2,
  tRef: 3,
  L: 4,
  R: 5,
  N4: 6,
  flushEvery: 7,
  sinceFlush: 8,
  decayBits: 9,
  kminBits: 10,
  tRefBits: 11,
  // element offsets: u, x, e1, e2 in F; t1, cnt, ids, cols in I; rng in U; count in D
  u: 12,
  x: 13,
  e1: 14,
  e2: 15,
  t1: 16,
  rng: 17,
  cnt: 18,
  ids: 19,
  cols: 20,
  colsCap: 21,
  /** D: spikes per population since the start (P f64) */
  count: 22,
  /** I (wasm scratch, rebuilt from the spike lists at every call): R x ceil(S/32) x N4 words, bit c & 31 = copy c spiked */
  masks: 23,
  /** F: per copy, a ring of R steps of each population's input change D(s) = sum of the weight rows of the spikes of step s */
  dring: 24,
  /** steps whose STDP row updates the wasm kernel gathers into one pass over each row (results do not depend on it) */
  stdpEvery: 25,
  /** I (wasm scratch, f32 bits): the window traces x of the pending steps, stdpEvery x S x N4 */
  xh: 26,
  /** I (wasm scratch, fewer than 4 copies): per copy and neuron ceil(stdpEvery / 64) u64, bit k = spiked at the k-th pending step */
  tmask: 27,
  /** first slot of population 0; population p starts at pop0 + p * popSlots (slots: SALNET_POP) */
  pop0: 28,
  popSlots: 12,
  /** header length in slots */
  size: 28 + 8 * 12,
} as const;

/** Slots of one population, relative to SALNET_H.pop0 + p * SALNET_H.popSlots (-1 where absent). */
export const SALNET_POP = {
  n: 0,
  n4: 1,
  off: 2,
  /** F: W_p^T, n_{p-1} rows of n4_p (row j = the column of W_p a spike of j adds) */
  WT: 3,
  /** F: B_p^T, n_{p+1} rows of n4_p (row j = the column of B_p a spike of upper neuron j adds) */
  BT: 4,
  b: 5,
  /** F: pair (p, p+1) depression block, n_p rows of n4_{p+1}; potentiation block, n_{p+1} rows of n4_p */
  Ac: 6,
  Aa: 7,
  /** D: the same sums in f64 */
  Dc: 8,
  Da: 9,
} as const;

// ---------------------------------------------------------------------------
// RDD network (src/backend/rdd.ts describes the buffers)

/** Most populations an RDD network may have. */
export const RDD_MAX_POPS = 8;
/** Steps of the trace rings (a power of two above the 30-step kernel and window). */
export const RDD_RING = 32;

/** Header slots (i32 at the start of I); float parameters as f32 bit patterns; then offsets. */
export const RDD_H = {
  P: 0,
  t: 1,
  driven: 2,
  nSub: 3,
  redrawEvery: 4,
  refractory: 5,
  window: 6,
  memory: 7,
  dtBits: 8,
  gLBits: 9,
  gDBits: 10,
  thetaBits: 11,
  vResetBits: 12,
  bandBits: 13,
  uWindowBits: 14,
  alphaBits: 15,
  /** per-step kernel decays e^{-1/tauL}, e^{-1/tauS}, their (memory+1)-th powers, and 1 / (tauL - tauS) */
  dLBits: 16,
  dSBits: 17,
  dLEndBits: 18,
  dSEndBits: 19,
  invBits: 20,
  /** U offset of the drive's random stream; I offset and length of the Poisson thresholds */
  rng: 21,
  poisson: 22,
  nPoisson: 23,
  /** 1: draw the driven subset before the next step (set when the driven population changes) */
  fresh: 24,
  /** D offset of the spike totals per population (P f64, since creation) */
  count: 25,
  /** first slot of population 0; population p starts at pop0 + p * popSlots (slots: RDD_POP) */
  pop0: 28,
  popSlots: 32,
  /** header length in slots */
  size: 28 + 8 * 32,
} as const;

/** Slots of one population, relative to RDD_H.pop0 + p * RDD_H.popSlots (element offsets; -1 where absent). */
export const RDD_POP = {
  n: 0,
  n4: 1,
  hasFf: 2,
  hasRdd: 3,
  /**
   * F: somatic voltage and input drive; I: refractory counter, spike history bits (after a step, bit k = spike at t-k),
   * spike list of the step; count: its length (a value, not an offset)
   */
  v: 4,
  u: 5,
  refr: 6,
  hist: 7,
  list: 8,
  count: 9,
  /** F: scaled forward weights transposed (n_{p-1} rows of n4_p), the ring of their summed columns per step, and the two kernel traces */
  WT: 10,
  X: 11,
  AL: 12,
  AS: 13,
  /** F: the population's own spike traces (for the apical input of the population below) */
  aL: 14,
  aS: 15,
  /** F: traces of the driving spikes; I: ring of driving counts, permutation whose first nSub entries are the driven subset */
  DL: 16,
  DS: 17,
  cnt: 18,
  perm: 19,
  /**
   * I: RDD window steps left, spikes in the window; F: max u in the window, apical input before the window (n_p rows of
   * n4_{p+1}), current apical input q
   */
  tl: 20,
  nspk: 21,
  maxu: 22,
  Rpre: 23,
  q: 24,
  /** D: ring of the cumulative apical input, fit coefficients c0..c3 and beta (n_p rows of n4_{p+1}) */
  Q: 25,
  c0: 26,
  c1: 27,
  c2: 28,
  c3: 29,
  beta: 30,
} as const;

/** Slots of f64 parameters at the start of D. */
export const RDD_D = { eta: 0, theta: 1, size: 2 } as const;

// ---------------------------------------------------------------------------
// STDWI inference toy (src/backend/stdwi.ts describes the buffers)

/** Steps of the PSP rings (a power of two above the PSP's truncation, 280 steps in the toy). */
export const STDWI_RING = 512;

/** Header slots (i32 at the start of I); float parameters as f32 bit patterns; then element offsets. */
export const STDWI_H = {
  nIn: 0,
  nOut: 1,
  n4In: 2,
  n4Out: 3,
  t: 4,
  lag: 5,
  nActive: 6,
  period: 7,
  stimThr: 8,
  /** LIF: dt / tau, threshold, reset; stimulus -> input weight */
  lifBits: 9,
  vThrBits: 10,
  vResetBits: 11,
  stimWBits: 12,
  /** PSP: per-step decays (slow, fast), their lag-th powers, 1 / (tau_slow - tau_fast) (1/ms) */
  pdSBits: 13,
  pdFBits: 14,
  pdSEndBits: 15,
  pdFEndBits: 16,
  pInvBits: 17,
  /** STDWI traces: per-step decays (fast, slow), amplitudes (fast, slow); rule: eta, decay */
  xdFBits: 18,
  xdSBits: 19,
  aFBits: 20,
  aSBits: 21,
  etaBits: 22,
  decayBits: 23,
  // element offsets: F
  vIn: 24,
  vOut: 25,
  SL: 26,
  SF: 27,
  OL: 28,
  OF: 29,
  X: 30,
  WT: 31,
  B: 32,
  xf: 33,
  xs: 34,
  // I, U
  stim: 35,
  perm: 36,
  listIn: 37,
  listOut: 38,
  countIn: 39,
  countOut: 40,
  spikesIn: 41,
  spikesOut: 42,
  rng: 43,
  /** header length in slots */
  size: 44,
} as const;

// ---------------------------------------------------------------------------
// Shared with scripts/gen-layout.mjs

export type LayoutEntry = [string, number] | [string, [string, number][]];

/** The constants of this module (pass its namespace) by name: numbers, and objects of numbers as key lists in their order. */
export function layoutEntries(mod: object): LayoutEntry[] {
  const out: LayoutEntry[] = [];
  for (const [name, v] of Object.entries(mod as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (typeof v === "number") out.push([name, v]);
    else if (v !== null && typeof v === "object" && Object.values(v).every((x) => typeof x === "number"))
      out.push([name, Object.entries(v as Record<string, number>)]);
  }
  return out;
}

/** FNV-1a (32 bit) over the JSON text of the entries: the wasm module's `layoutHash()` must equal it. */
export function hashLayout(entries: LayoutEntry[]): number {
  let h = 0x811c9dc5;
  const text = JSON.stringify(entries);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
