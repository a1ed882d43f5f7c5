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
// Sampling networks (src/backend/samplingLayout.ts describes the buffers)

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
  n: 0, n4: 1, t: 2, pspLength: 3, minIsi: 4, sampleEvery: 5, onLength: 6, recCap: 7,
  recN: 8, recOverflow: 9, nRules: 10, tRefBits: 11, nextStop: 12, nextSample: 13, cap: 14, nActive: 15,
  // byte offsets of the buffers (wasm only; slot 16 is free: the kernels read W through WT)
  b: 17, WT: 18, u: 19, thr: 20, valid: 21, rng: 22, last: 23, offQT: 24, offQI: 25, refQT: 26, refQI: 27,
  on: 28, hisT: 29, hisN: 30, spk: 31, count: 32, hist: 33, recT: 34, recI: 35,
  // queues: head and tail are running counters, entry i sits at i % capacity
  offHead: 36, offTail: 37, offCap: 38, refHead: 39, refTail: 40, refCap: 41,
  table: 42, mask: 43, thrTab: 44, uTab: 45, dirty: 46, cols: 47,
  /** first slot of rule 0; rule r starts at rule0 + r * ruleSlots (slots: SAMPLING_RULE) */
  rule0: 48, ruleSlots: 8,
  log: 64, logCap: 65,
  /** shaped PSPs (spec `psp`): 1 if on; the PSP table (f32, pspLen lags), the biases padded to n4 lanes, kappa per presynaptic neuron (scratch) */
  shaped: 66, pspK: 67, pspLen: 68, base: 69, kap: 70,
  /** header length in slots */
  size: 72,
} as const;

/** Slots of one STDP rule, relative to SAMPLING_H.rule0 + r * SAMPLING_H.ruleSlots. */
export const SAMPLING_RULE = { length: 0, N: 1, countZero: 2, K: 3, aC: 4, aA: 5, S: 6 } as const;

/** Header slots (i32) of a population of independent sampling neurons (src/backend/populationLayout.ts). */
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
  lambdaApi: 0, lambdaNudge: 1, eta1: 2, eta2: 3, etaB: 4, aCausal: 5, aAnti: 6, tauCausal: 7, tauAnti: 8, tRef: 9,
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
  const N = n0 + n1 + 2 * n2, Q = 2 * n1 + 2 * n2;
  let o: number = MC_P.size;
  const take = (n: number) => { const r = o; o += n; return r; };
  const W10 = take(n1 * n0), W21 = take(n2 * n1), B12 = take(n1 * n2), WIP = take(n2 * n1), WPI = take(n1 * n2);
  const b1 = take(n1), b2 = take(n2), x = take(n0), tgt = take(n2);
  // potentials of all neurons in population order
  const u0 = take(n0), u1 = take(n1), uI = take(n2), u2 = take(n2);
  const vapi1 = take(n1);
  const stage = take(Q + n2); // u1 | vbas1 | vbas2 | u2 | free2
  const vbas1 = stage + n1, vbas2 = stage + 2 * n1, free2 = stage + Q;
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
  rows: 0, rowWords: 16,
  /** words of a row: bracket bounds lo, hi (f32) and their thresholds (u32 with the sign bit flipped), four lanes each */
  lo: 0, hi: 4, thrLo: 8, thrHi: 12,
  base: 256, lambda: 260, gatesBasal: 264, gatesApical: 268, bias: 272, size: 276,
} as const;

// Offsets of the 1-1-1 microcircuit (the paper's size), for the wasm loop specialised to it.
// The ring and the traces start after the fixed part, so they do not depend on the window.
const L111 = mcLayout(1, 1, 1, 1);
/** Element offsets in F of the 1-1-1 microcircuit (mcLayout(1, 1, 1, win).f without the window-dependent `tr`). */
export const MC111_F = {
  W10: L111.f.W10, W21: L111.f.W21, B12: L111.f.B12, WIP: L111.f.WIP, WPI: L111.f.WPI,
  b1: L111.f.b1, b2: L111.f.b2, x: L111.f.x, tgt: L111.f.tgt,
  u0: L111.f.u0, vapi1: L111.f.vapi1, stage: L111.f.stage, vbas2: L111.f.vbas2, free2: L111.f.free2, ring: L111.f.ring,
} as const;
/** Element offsets in I of the 1-1-1 microcircuit: last spike times and PSP states of the four neurons. */
export const MC111_I = { tl: L111.i.tl, s: L111.i.s } as const;
/** Element offsets in D of the 1-1-1 microcircuit. */
export const MC111_D = { sum: L111.d.sum, accU2: L111.d.accU2, accFree: L111.d.accFree, accCount: L111.d.accCount } as const;

// ---------------------------------------------------------------------------
// Shared with scripts/gen-layout.mjs

export type LayoutEntry = [string, number] | [string, [string, number][]];

/** The constants of this module (pass its namespace) by name: numbers, and objects of numbers as key lists in their order. */
export function layoutEntries(mod: object): LayoutEntry[] {
  const out: LayoutEntry[] = [];
  for (const [name, v] of Object.entries(mod).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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
