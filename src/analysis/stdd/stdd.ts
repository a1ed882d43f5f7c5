// Spike-timing-difference distributions (STDDs) of two coupled sampling neurons
// (arXiv:2503.02642, Fig. 2c-e; docs/models/sal.md#two-neurons-the-stdd) and
// the expected SAL update they imply. Shared by the exact Markov-chain method
// (markov.ts) and the Monte-Carlo method (montecarlo.ts): both produce raw
// first-order pair rates per lag, finalised here in one way.
//
// Lag convention: dt = t1 - t0 (neuron 1's spike minus neuron 0's spike).
// dt > 0: neuron 0 fired first, then neuron 1. For the synapse 0 -> 1
// (W10 = W[post 1, pre 0]) that lag is causal (pre before post); for the
// synapse 1 -> 0 (W01 = W[post 0, pre 1]) the same lag is anti-causal.
// The SAL window and the expected update from an STDD: src/learning/sal.ts.
import { salWindow, type SalWindow } from "../../learning/sal.js";
import { ssnTimeConvention, type TimeConvention } from "../../models/samplingNet.js";

/** Parameters of the neuron pair. Weights are W[post, pre]: W01 is 1 -> 0, W10 is 0 -> 1. */
export interface PairParams {
  W01: number;
  W10: number;
  b0: number;
  b1: number;
  /** Refractory time constant (also the ln tRef offset of the firing probability). */
  tRef: number;
  /** Rectangular PSP length parameter. */
  tauSyn: number;
  /** Draws after a presynaptic spike at s that see its PSP: s+1 .. s+pspLength (ssn convention: tauSyn - 1). */
  pspLength?: number;
  /** Earliest next spike after a spike at s is s + minIsi (ssn convention: tRef + 1). */
  minIsi?: number;
  /**
   * A PSP shape instead of the rectangle: kappa(d) for the draws at s + d, d = 1 .. length (later lags
   * keep the last entry; src/models/psp.ts `pspTable`). pspLength is then not used.
   */
  pspTable?: ArrayLike<number>;
  /**
   * Pairs across a tie (both neurons spiked in one step s; Ties): 'skip' (default) - the next spike of either
   * neuron pairs with nothing (neither partner spike is more recent than its own); 'pair' - it pairs with
   * the partner's spike at s, which the authors' STDD calculator does (with it, a rectangular PSP lasting
   * exactly the refractory period gives a mirror-symmetric STDD for symmetric weights at any biases).
   */
  ties?: Ties;
}

export type Ties = "skip" | "pair";

/**
 * The pair's time convention: its own pspLength / minIsi where given, else the
 * ssn one (docs/conventions.md#time-conventions). With a PSP table, pspLength
 * is the table's length (the lags it covers).
 */
export function timeConvention(p: PairParams): TimeConvention {
  const ssn = ssnTimeConvention(p.tRef, p.tauSyn);
  return { pspLength: p.pspTable ? p.pspTable.length : (p.pspLength ?? ssn.pspLength), minIsi: p.minIsi ?? ssn.minIsi };
}

/**
 * Raw first-order pair statistics: `right[d]` = pairs per step with dt = +d
 * (0 then 1), `left[d]` = pairs per step with dt = -d (1 then 0), index 0 unused.
 * Monte-Carlo fills them with counts (`steps` says over how many steps).
 */
export interface RawStdd {
  right: Float64Array;
  left: Float64Array;
  /** Steps the rates refer to (1 for the exact method: the arrays are already rates). */
  steps: number;
  /** Spikes per step of neuron 0 and 1. */
  rate0: number;
  rate1: number;
  /** Pair mass not resolved in `right`/`left` (beyond the arrays' lag range), in the arrays' units. */
  tail: number;
}

export type Normalize = "joint" | "halves";

export interface FinalizeOptions {
  /** Keep |dt| <= maxLag (the authors' stddc keeps lags up to t_max - 1); null keeps every lag. */
  maxLag: number | null;
  /** 'joint': the whole distribution sums to 1 (the exact law of the histogram); 'halves': each half sums to 0.5 (stddc). */
  normalize: Normalize;
}

/** A normalised STDD on dt = -L .. L; p[L + dt]; p[L] (dt = 0) is 0. */
export interface Stdd {
  L: number;
  p: Float64Array;
  /** Mass of dt > 0 (0 then 1) and dt < 0 (1 then 0) before any per-half renormalisation. */
  massRight: number;
  massLeft: number;
  /** Fraction of pairs outside |dt| <= L that were dropped (0 without maxLag, up to the raw tail). */
  droppedFraction: number;
  /** First-order pairs per step (both directions, all lags). */
  pairRate: number;
}

function sum(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}

/** Turns raw pair rates or counts into a normalised STDD. */
export function finalizeStdd(raw: RawStdd, o: FinalizeOptions): Stdd {
  const full = Math.max(raw.right.length, raw.left.length) - 1;
  const L = o.maxLag === null ? Math.max(full, 1) : o.maxLag;
  const total = sum(raw.right) + sum(raw.left) + raw.tail;
  const p = new Float64Array(2 * L + 1);
  for (let d = 1; d <= L; d++) {
    p[L + d] = d < raw.right.length ? raw.right[d] : 0;
    p[L - d] = d < raw.left.length ? raw.left[d] : 0;
  }
  const keptRight = sum(p, L + 1),
    keptLeft = sum(p, 0, L);
  const kept = keptRight + keptLeft;
  if (o.normalize === "halves") {
    for (let d = 1; d <= L; d++) {
      p[L + d] = keptRight > 0 ? (0.5 * p[L + d]) / keptRight : 0;
      p[L - d] = keptLeft > 0 ? (0.5 * p[L - d]) / keptLeft : 0;
    }
  } else if (kept > 0) {
    for (let i = 0; i < p.length; i++) p[i] /= kept;
  }
  return {
    L,
    p,
    massRight: kept > 0 ? keptRight / kept : 0,
    massLeft: kept > 0 ? keptLeft / kept : 0,
    droppedFraction: total > 0 ? 1 - kept / total : 0,
    pairRate: total / raw.steps,
  };
}

/** Total variation distance 0.5 sum |p - q| over the union of both lag ranges. */
export function tvd(a: Stdd, b: Stdd): number {
  const L = Math.max(a.L, b.L);
  let s = 0;
  for (let d = -L; d <= L; d++) {
    const x = Math.abs(d) <= a.L ? a.p[a.L + d] : 0;
    const y = Math.abs(d) <= b.L ? b.p[b.L + d] : 0;
    s += Math.abs(x - y);
  }
  return 0.5 * s;
}

/** The lags dt = -L .. L of an STDD. */
export function lags(s: Stdd): number[] {
  return Array.from({ length: 2 * s.L + 1 }, (_, i) => i - s.L);
}

/**
 * Expected TVD between `s` and a histogram of `pairs` independent draws from
 * it (sampling noise alone): 0.5 sum_i sqrt(2 p_i (1 - p_i) / (pi n)), the
 * normal approximation of E|p_hat_i - p_i|. Used to state the tolerance of
 * exact vs Monte-Carlo checks (pairs in a run are nearly independent).
 */
export function noiseTvd(s: Stdd, pairs: number): number {
  if (!(pairs > 0)) return Infinity;
  let acc = 0;
  for (const q of s.p) if (q > 0) acc += Math.sqrt((2 * q * (1 - q)) / (Math.PI * pairs));
  return 0.5 * acc;
}

/** Standard error of the per-pair update estimated from `pairs` draws of `s` (sd of K over pairs / sqrt(pairs)). */
export function updateStdErr(s: Stdd, w: SalWindow, pairs: number): { W01: number; W10: number } {
  let m01 = 0,
    m10 = 0,
    q01 = 0,
    q10 = 0;
  for (let d = -s.L; d <= s.L; d++) {
    const q = s.p[s.L + d];
    if (q === 0) continue;
    const k10 = salWindow(d, w),
      k01 = salWindow(-d, w);
    m10 += q * k10;
    q10 += q * k10 * k10;
    m01 += q * k01;
    q01 += q * k01 * k01;
  }
  return { W01: Math.sqrt(Math.max(0, q01 - m01 * m01) / pairs), W10: Math.sqrt(Math.max(0, q10 - m10 * m10) / pairs) };
}
