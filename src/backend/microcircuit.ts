// Kernel family `microcircuit`: the spiking dendritic cortical microcircuit
// (spec/microcircuits.md; arXiv:2503.02642, fig. 6). One call simulates a
// whole pattern presentation. The state lives in four flat buffers whose
// layout `mcLayout` gives (element offsets); assembly/microcircuit.ts
// computes the same offsets from the header.
import type { F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import { seedStreams } from "./js/rng.js";

/** Flag bits of `mcRunPattern`. */
export const MC_NUDGE = 1; // output nudged towards F[tgt]
export const MC_FORWARD = 2; // Urbanczik-Senn updates of W10, W21 after the learning lag
export const MC_SAL = 4; // SAL STDP on B12 (whole pattern, as the authors' code)
export const MC_BPCOPY = 8; // B12 <- W21^T after every forward update
/**
 * With MC_SAL: pair each spike with all earlier partner spikes (exponential traces F[tr]) instead of
 * only the most recent one (the authors' n_last_spks = 1); removes the rate-difference drift of B12.
 */
export const MC_SAL_ALL = 16;

/** Parameter slots P[0..15] at the start of the f32 buffer. */
export const MC_P = {
  lambdaApi: 0, lambdaNudge: 1, eta1: 2, eta2: 3, etaB: 4, aCausal: 5, aAnti: 6, tauCausal: 7, tauAnti: 8, tRef: 9,
} as const;
/** Header slots H[0..15] at the start of the i32 buffer. */
export const MC_H = { n0: 0, n1: 1, n2: 2, win: 3, t: 4, ringPos: 5, ringCount: 6, tRef: 7, tauSyn: 8 } as const;
/**
 * Half-width of the potential brackets: a draw x is decided against T(u - e) and T(u + e)
 * (T = the Bernoulli threshold, monotone in u) and only when T(lo) <= x < T(hi) against T(u) itself.
 * The brackets live in the cache buffer C, which each call initialises: they only save work and
 * never change a decision, so each kernel may organise them its own way (the general loop keeps
 * the current and the previous bracket per neuron; the 1-1-1 wasm loop one per PSP pattern of the
 * neuron's inputs).
 */
export const MC_BRACKET = 0.05;
/** Last-spike time of a neuron that never spiked. */
export const MC_NEVER = -1_000_000_000;

/**
 * Element offsets into the four state buffers. Neurons are numbered in
 * population order input (n0), hidden pyramidal (n1), interneurons (n2),
 * output (n2); moving-average quantities in order u1 (n1), vbas1 (n1), vbas2 (n2), u2 (n2)
 * (the `stage` block holds their current values, then free2 = b2 + vbas2, so that the
 * wasm kernel moves two quantities per f64x2 and [u2 | free2] lines up with D[accU2 | accFree]).
 */
export interface McLayout {
  n0: number; n1: number; n2: number; win: number;
  /** neurons N = n0 + n1 + 2 n2, quantities Q = 2 n1 + 2 n2 */
  N: number; Q: number;
  f: { W10: number; W21: number; B12: number; WIP: number; WPI: number; b1: number; b2: number; x: number; tgt: number;
    u0: number; u1: number; uI: number; u2: number; vapi1: number;
    stage: number; vbas1: number; vbas2: number; free2: number; ring: number; tr: number; size: number };
  i: { tl: number; s: number; size: number };
  u: { rng: number; size: number };
  /**
   * the general loops' part of C: bracket bounds lo0 | hi0 | lo1 | hi1 (f32 bits) at brk + k N + q,
   * their thresholds at thr + k N + q, then (wasm) max(n1, n2) words of scratch for the forward rule
   */
  c: { brk: number; thr: number; size: number };
  d: { sum: number; accU2: number; accFree: number; accCount: number; size: number };
}

export function mcLayout(n0: number, n1: number, n2: number, win: number): McLayout {
  const N = n0 + n1 + 2 * n2, Q = 2 * n1 + 2 * n2;
  let o = 16;
  const take = (n: number) => { const r = o; o += n; return r; };
  const W10 = take(n1 * n0), W21 = take(n2 * n1), B12 = take(n1 * n2), WIP = take(n2 * n1), WPI = take(n1 * n2);
  const b1 = take(n1), b2 = take(n2), x = take(n0), tgt = take(n2);
  // potentials of all neurons in population order
  const u0 = take(n0), u1 = take(n1), uI = take(n2), u2 = take(n2);
  const vapi1 = take(n1);
  const stage = take(Q + n2); // u1 | vbas1 | vbas2 | u2 | free2
  const vbas1 = stage + n1, vbas2 = stage + 2 * n1, free2 = stage + Q;
  const ring = take(Q * win); // [win][Q]: the Q values of one step are adjacent
  const tr = take(n1 + n2); // MC_SAL_ALL spike traces: hidden P (decay tauAnti), output P (decay tauCausal)
  const f = { W10, W21, B12, WIP, WPI, b1, b2, x, tgt, u0, u1, uI, u2, vapi1, stage, vbas1, vbas2, free2, ring, tr, size: o };
  const i = { tl: 16, s: 16 + N, size: 16 + 2 * N };
  // one xoshiro128** stream per neuron, structure of arrays: word w of neuron q at U[rng + w N + q]
  const u = { rng: 0, size: 4 * N };
  // the 1-1-1 wasm loop needs 276 words (16 bracket rows of four lanes, five vectors)
  const c = { brk: 0, thr: 4 * N, size: Math.max(8 * N + Math.max(n1, n2), 276) };
  const d = { sum: 0, accU2: Q, accFree: Q + n2, accCount: Q + 2 * n2, size: Q + 2 * n2 + 1 };
  return { n0, n1, n2, win, N, Q, f, i, u, c, d };
}

/**
 * Seeds the neurons' random streams: neuron q draws from the state of splitmix32(seed) jumped q times
 * (2^64 outputs each; the sampling kernels' lane streams), one output per step, refractory or not.
 */
export function mcSeed(L: McLayout, U: Uint32Array, seed: number): void {
  seedStreams(U.subarray(L.u.rng, L.u.rng + 4 * L.N), L.N, seed);
}

/** The four state buffers and the cache of one microcircuit (allocated by the model through the backend). */
export interface McState {
  F: F32Buf; I: I32Buf; U: U32Buf; D: F64Buf;
  /** bracket cache (see MC_BRACKET): scratch that every call initialises, not part of the state */
  C: U32Buf;
}

export interface MicrocircuitKernels {
  /**
   * Simulates `nSteps` steps (one pattern) of the microcircuit in `st`; plasticity
   * and output accumulation (D[accU2], D[accFree], D[accCount]) start at step `lag`
   * of the call. `flags`: MC_NUDGE | MC_FORWARD | MC_SAL | MC_BPCOPY.
   */
  mcRunPattern(st: McState, nSteps: number, lag: number, flags: number): void;
}
