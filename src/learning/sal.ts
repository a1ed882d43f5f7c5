// Spike-based alignment learning (SAL; arXiv:2503.02642; docs/models/sal.md).
//
// SAL is pair STDP (stdp.ts) with an anti-symmetric window at the feedback
// synapse: for d = t_post - t_pre,
//   K_SAL(d) = -a e^{-d/tau}  (d > 0, pre before post: depression)
//              +a e^{ d/tau}  (d < 0, post before pre: potentiation),  0 at d = 0,
// tau = t_ref. Between two reciprocally connected noisy neurons the causal
// lobe of the spike-timing distribution grows with the forward weight and
// the anti-causal lobe with the feedback weight, so the expected drift is
// dB_ij ~ c (W_ji - B_ij): B (or W_ji) mirrors W^T.
//
// Where each form is used:
//   sampling networks (ssn, pair): `salAmplitudes`, the weight step
//     `salWeightStep` on the STDP sums of a run (docs/models/sal.md#the-window);
//   the STDD analysis (stdd): `salWindow` and `expectedSalUpdate`
//     (docs/models/sal.md#two-neurons-the-stdd, paper Fig. 2c, 2e);
//   the microcircuit (docs/models/microcircuit.md#feedback-learning-bp-fa-sal): `salNearestDelta`
//     and the trace form `salTraceDecay`, in f32 exactly as the kernels
//     compute them (src/backend/js/microcircuitKernels.ts has mirrored
//     helpers; test/microcircuit/rules.test.ts holds them and both backends'
//     steps to these functions bit for bit);
//   the deep-net SAL phase (docs/models/spiking-feedback.md#the-sal-phase): `salDeepWindow`, the
//     B update `salDeepUpdate` and that page's sum `salDeepStdpReference`
//     (src/backend/js/salnetKernels.ts and assembly/salnet.ts inline them;
//     test/salnet/kernel.test.ts holds them together).
import { expf } from "../backend/shared/mathf.js";

const f = Math.fround;

// ---------------------------------------------------------------------------
// The window

/** An exponential SAL window: aCausal e^{-d/tau} for d > 0, aAnti e^{d/tau} for d < 0 (SAL: aCausal = -a, aAnti = +a). */
export interface SalWindow {
  tau: number;
  aCausal: number;
  aAnti: number;
}

/** K(d) of the window at d = t_post - t_pre; 0 at d = 0. */
export function salWindow(d: number, w: SalWindow): number {
  if (d > 0) return w.aCausal * Math.exp(-d / w.tau);
  if (d < 0) return w.aAnti * Math.exp(d / w.tau);
  return 0;
}

/**
 * Per-synapse SAL amplitudes with plasticity noise eta[post * n + pre]: aCausal = -(1 + eta),
 * aAnti = +(1 + eta) (docs/conventions.md#stdp-rules;
 * docs/models/sampling-network.md#noise-scenarios), in f32 as the kernels keep them.
 */
export function salAmplitudes(eta: ArrayLike<number>): { causal: Float32Array; anti: Float32Array } {
  return { causal: Float32Array.from(eta, (e) => -(1 + e)), anti: Float32Array.from(eta, (e) => 1 + e) };
}

// ---------------------------------------------------------------------------
// Expected update from a spike-timing-difference distribution

/** A normalised STDD on dt = t1 - t0 in -L .. L: p[L + dt]. */
export interface StddLike {
  L: number;
  p: ArrayLike<number>;
}

/**
 * Expected SAL update per first-order pair of two neurons from their STDD (dt = t1 - t0):
 *   W10 (0 -> 1, post 1): d = t1 - t0 = dt   -> sum_dt p(dt) K(dt)
 *   W01 (1 -> 0, post 0): d = t0 - t1 = -dt  -> sum_dt p(dt) K(-dt)
 * (docs/models/sal.md#two-neurons-the-stdd: E[dW10] = sum p(dt) K_SAL(dt),
 * E[dW01] = sum p(dt) K_SAL(-dt)).
 */
export function expectedSalUpdate(s: StddLike, w: SalWindow): { W01: number; W10: number } {
  let w01 = 0,
    w10 = 0;
  for (let d = -s.L; d <= s.L; d++) {
    const q = s.p[s.L + d];
    if (q === 0) continue;
    w10 += q * salWindow(d, w);
    w01 += q * salWindow(-d, w);
  }
  return { W01: w01, W10: w10 };
}

// ---------------------------------------------------------------------------
// Sampling networks: the weight step

/**
 * One SAL weight step of a sampling network from the SAL STDP sum S of a run of T steps:
 * w + rate S scale, with scale = t_ref / T
 * (docs/models/sampling-network.md#wake-sleep-learning). The pair experiment (Fig. 2d)
 * folds t_ref / T into its rate and leaves scale at 1.
 */
export function salWeightStep(w: number, S: number, rate: number, scale = 1): number {
  return w + rate * S * scale;
}

// ---------------------------------------------------------------------------
// Microcircuit (f32, as the kernels compute it)

/**
 * The change of B12[i, k] from one nearest-partner pair at distance d > 0
 * (docs/models/microcircuit.md#feedback-learning-bp-fa-sal): etaA e^{-d/tau} in f32, with
 * etaA = eta_B A_c when the hidden (post) neuron fires after output k's last spike, eta_B A_a
 * when the output (pre) neuron fires after hidden i's.
 */
export function salNearestDelta(d: number, etaA: number, tau: number): number {
  return f(etaA * expf(-f(f(d) / tau)));
}

/**
 * All-pairs SAL through exponential traces (this project's `salAll` pairing): each neuron keeps
 * x <- x e^{-1/tau} every step and x += 1 after its spike has been paired, so at a spike of the
 * partner x = sum over its earlier spikes of e^{-d/tau}. The per-step decay factor, in f32.
 */
export function salTraceDecay(tau: number): number {
  return expf(-f(1 / tau));
}

/** The change of B12[i, k] when one side fires and the other's trace is x: etaA x in f32 (0 for an empty trace). */
export function salTraceDelta(x: number, etaA: number): number {
  return x > 0 ? f(etaA * x) : 0;
}

// ---------------------------------------------------------------------------
// deep-net SAL phase (docs/models/spiking-feedback.md#the-sal-phase; the
// layered SAL networks' row of docs/conventions.md#time-conventions)
//
// Layered populations of sampling neurons; the feedback synapse B_ij carries
// the spikes of neuron j of population l+1 down to neuron i of population l.
// Every step t, with s the spike trains and K the window below,
//
//   dB_ij += s_i(t) * ( -sum_{k=0}^{L-1} K(k) s_j(t-k) )     pre (upper) before or with post: depression
//          + s_j(t) * ( +sum_{k=0}^{L-1} K(k) s_i(t-k) )     post (lower) before or with pre: potentiation
//
// (the k = 0 term is counted, so exactly simultaneous spikes cancel), summed
// separately in each of the S copies of the network. At the end of every SAL
// iteration: B <- B + salLr * mean_copies(dB) / L, and the sums restart.
// ---------------------------------------------------------------------------

/** Window amplitudes: SAL depresses causal (upper-before-lower) pairs and potentiates anti-causal ones. */
export const SAL_DEEP_A_CAUSAL = -1;
export const SAL_DEEP_A_ANTI = 1;

/** The window's per-step decay e^{-1/tau} in f32 (tau in steps; the authors use tau = t_ref). */
export function salDeepWindowDecay(tau: number): number {
  if (!(tau > 0) || !Number.isFinite(tau)) throw new RangeError(`SAL window: tau ${tau}; must be a finite number > 0`);
  const d = Math.fround(Math.exp(-1 / tau));
  if (!(d < 1) || !(d > 0)) throw new RangeError(`SAL window: tau ${tau} gives a per-step decay of ${d}; use 0 < tau < 1e6`);
  return d;
}

/**
 * The truncated exponential window K(k) = e^{-k/tau}, k = 0..length-1 (zero beyond), as f32 values:
 * K(0) = 1 and K(k) = fl32(K(k-1) * fl32(e^{-1/tau})). These repeated f32 products are what the kernels'
 * per-neuron traces hold (within 2e-6 relative of e^{-k/tau} for length 20); the authors use
 * tau = t_ref and length = buffer_length * t_ref = 2 t_ref
 * (docs/models/spiking-feedback.md#the-sal-phase).
 */
export function salDeepWindow(tau: number, length: number): Float32Array {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`SAL window: length ${length}; must be an integer >= 1`);
  const d = salDeepWindowDecay(tau);
  const K = new Float32Array(length);
  K[0] = 1;
  for (let k = 1; k < length; k++) K[k] = Math.fround(K[k - 1] * d);
  return K;
}

/**
 * The deep-net SAL update of one feedback matrix at the end of an iteration,
 * B <- B + salLr * (mean over the S copies of dB) / L
 * (docs/models/spiking-feedback.md#the-sal-phase), in place. The summed STDP terms
 * come split in two f64 sums, as the kernels accumulate them:
 *   depr[i * ldDepr + j]  = sum over spikes of lower i of the upper trace of j   (enters with SAL_DEEP_A_CAUSAL)
 *   pot[j * ldPot + i]    = sum over spikes of upper j of the lower trace of i   (enters with SAL_DEEP_A_ANTI)
 * `BT` is the feedback matrix stored as B^T (row j = the n_lower synapses from upper neuron j, stride ldB),
 * which is the deep net's fb_weight of the upper layer (out x in). Each entry is rounded to f32 once.
 */
export function salDeepUpdate(
  BT: Float32Array,
  ldB: number,
  depr: Float64Array,
  ldDepr: number,
  pot: Float64Array,
  ldPot: number,
  nLower: number,
  nUpper: number,
  batch: number,
  length: number,
  salLr: number,
): void {
  const scale = salLr / (batch * length);
  for (let j = 0; j < nUpper; j++) {
    for (let i = 0; i < nLower; i++) {
      const dB = SAL_DEEP_A_ANTI * pot[j * ldPot + i] + SAL_DEEP_A_CAUSAL * depr[i * ldDepr + j];
      BT[j * ldB + i] = Math.fround(BT[j * ldB + i] + scale * dB);
    }
  }
}

/**
 * dB of one pair of populations summed over a recorded spike history (the spec's formula, literally):
 * spikes[t] lists the lower and upper neurons spiking at step t. Returns dB[i * nUpper + j] (not yet averaged
 * over copies or divided by L). A slow O(T L n) reference for tests; the kernels do the same with traces.
 */
export function salDeepStdpReference(
  lower: number[][],
  upper: number[][],
  nLower: number,
  nUpper: number,
  K: ArrayLike<number>,
): Float64Array {
  const T = lower.length,
    L = K.length;
  const dB = new Float64Array(nLower * nUpper);
  const lo = lower.map((ids) => new Set(ids)),
    up = upper.map((ids) => new Set(ids));
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < L && k <= t; k++) {
      // lower spikes at t, upper at t-k: depression; upper spikes at t, lower at t-k: potentiation
      for (const i of lo[t]) for (const j of up[t - k]) dB[i * nUpper + j] += SAL_DEEP_A_CAUSAL * K[k];
      for (const j of up[t]) for (const i of lo[t - k]) dB[i * nUpper + j] += SAL_DEEP_A_ANTI * K[k];
    }
  }
  return dB;
}
