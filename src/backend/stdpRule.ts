// The pair-STDP rule as the sampling kernels take it: its spec, and the two
// things both backends derive from it when a network is created (the table
// of the window K, and how many spikes of each partner are remembered).
// The rule itself (window, pair terms, the readable sums the conformance
// suite compares with) is src/learning/stdp.ts, which re-exports these types
// for everything above the backend. They are defined here, at the bottom,
// because the kernels read every field and backend/ imports nothing from the
// layers above it.

export type StdpShape = "exponential" | "triangular";
export type StdpPairing = "nearest" | "lastN" | "all";

/** One pair-based STDP rule accumulated into an f64 n x n matrix S[post, pre]. */
export interface StdpRuleSpec {
  shape: StdpShape;
  /** Time constant in steps (exponential: e^{-|dt|/tau}; triangular: 1 - |dt|/tau, zero for |dt| >= tau). */
  tau: number;
  /** Cut-off: pairs with |dt| >= length contribute 0. */
  length: number;
  pairing: StdpPairing;
  /** Spikes remembered per neuron for pairing 'lastN'. */
  lastN?: number;
  /** dt = 0 rule: false -> 0 (ssn/stdd/pair), true -> counted with the causal amplitude. */
  countZero: boolean;
  /** Per-synapse amplitudes, n x n [post, pre], for dt > 0 (pre before post) and dt < 0. */
  aCausal: Float32Array;
  aAnti: Float32Array;
}

/** Spikes of one partner a rule pairs with: nearest 1, lastN N, all: every spike within the cut-off. */
export function pairsPerPartner(r: StdpRuleSpec, minIsi: number): number {
  if (r.pairing === "nearest") return 1;
  if (r.pairing === "lastN") return Math.max(1, r.lastN ?? 1);
  return Math.ceil(r.length / Math.max(1, minIsi)) + 1;
}

/**
 * K[d] for d = |dt| = 0 .. length-1: exponential e^{-d/tau}, triangular max(0, 1 - d/tau). Computed once in f64 and shared
 * by both backends.
 */
export function kernelTable(r: StdpRuleSpec): Float64Array {
  const K = new Float64Array(Math.max(1, r.length));
  for (let d = 0; d < r.length; d++) K[d] = r.shape === "exponential" ? Math.exp(-d / r.tau) : Math.max(0, 1 - d / r.tau);
  return K;
}
