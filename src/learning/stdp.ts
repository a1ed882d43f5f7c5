// Pair-based spike-timing-dependent plasticity: the window shared by the
// Hebbian wake-sleep rule (boltzmann.ts) and SAL (sal.ts).
//
// For a synapse pre -> post and d = t_post - t_pre (steps):
//   d > 0 (pre before post, causal):       dw += aCausal K(d)
//   d < 0 (post before pre, anti-causal):  dw += aAnti K(-d)
//   d = 0: 0 in the ssn/stdd/pair and microcircuit conventions; counted with
//          the causal amplitude in the deep-net SAL phase (docs/conventions.md#time-conventions).
// K is exponential, e^{-|d|/tau}, or triangular, max(0, 1 - |d|/tau), and zero
// from the cut-off `length` on (docs/models/sal.md#the-window;
// arXiv:2503.02642, Methods).
//
// The sampling kernels (src/backend/js/samplingKernels.ts, assembly/
// sampling.ts) accumulate exactly these terms from a table of K; the
// conformance suite recomputes their sums with `stdpSums` below. A rule's
// spec (`StdpRuleSpec`: shape, tau, cut-off, pairing, the d = 0 convention,
// amplitudes) is the kernels' input, so it is defined beside them in
// src/backend/stdpRule.ts (backend/ imports nothing from above) and
// re-exported here, the module to import it from.
import type { StdpRuleSpec, StdpShape } from "../backend/stdpRule.js";

export type { StdpPairing, StdpRuleSpec, StdpShape } from "../backend/stdpRule.js";

/** The kernel K(|d|) of a window: exponential e^{-|d|/tau} or triangular max(0, 1 - |d|/tau), 0 from |d| >= length. */
export function stdpKernel(d: number, shape: StdpShape, tau: number, length = Infinity): number {
  const a = Math.abs(d);
  if (a >= length) return 0;
  return shape === "exponential" ? Math.exp(-a / tau) : Math.max(0, 1 - a / tau);
}

/**
 * The weight change one pair gives a synapse: aCausal K(d) for d = t_post - t_pre > 0, aAnti K(-d)
 * for d < 0, and at d = 0 aCausal K(0) if `countZero`, else 0.
 */
export function pairTerm(d: number, aCausal: number, aAnti: number, k: (absD: number) => number, countZero = false): number {
  if (d > 0) return aCausal * k(d);
  if (d < 0) return aAnti * k(-d);
  return countZero ? aCausal * k(0) : 0;
}

/**
 * STDP sums S[post * n + pre] of a spike record (times ascending, within a step ascending id) under
 * one rule, computed directly: each spike of k at t is paired with the remembered spikes of every
 * other neuron j (nearest: j's newest; lastN: its N newest; all: every one within the cut-off),
 * adding the causal term to S[k, j] and the anti-causal term to S[j, k]. With `countZero`, a pair at
 * d = 0 adds the causal term to both. This is the readable form of what the kernels accumulate.
 */
export function stdpSums(n: number, time: ArrayLike<number>, id: ArrayLike<number>, count: number, r: StdpRuleSpec): Float64Array {
  const S = new Float64Array(n * n);
  const hist: number[][] = Array.from({ length: n }, () => []);
  const keep = r.pairing === "nearest" ? 1 : r.pairing === "lastN" ? (r.lastN ?? 1) : Infinity;
  const K = (d: number) => stdpKernel(d, r.shape, r.tau, r.length);
  for (let s = 0; s < count; s++) {
    const t = time[s],
      k = id[s];
    for (let j = 0; j < n; j++) {
      if (j === k) continue;
      const h = hist[j];
      for (let i = h.length - 1; i >= 0 && i >= h.length - keep; i--) {
        const d = t - h[i];
        if (d >= r.length) break;
        // k is post of j -> k (d = t_k - t_j) and pre of k -> j (d = t_j - t_k = -d)
        S[k * n + j] += pairTerm(d, r.aCausal[k * n + j], r.aAnti[k * n + j], K, r.countZero);
        S[j * n + k] += pairTerm(-d, r.aCausal[j * n + k], r.aAnti[j * n + k], K, r.countZero);
      }
    }
    hist[k].push(t);
  }
  return S;
}
