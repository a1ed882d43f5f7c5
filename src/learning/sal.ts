// Spike-based alignment learning (SAL; arXiv:2503.02642; spec/sal.md).
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
//     `salWeightStep` on the STDP sums of a run (spec/ssn.md sections 4, 5);
//   the STDD analysis (stdd): `salWindow` and `expectedSalUpdate`
//     (spec/ssn.md section 5, paper Fig. 2c, 2e);
//   the microcircuit (spec/microcircuits.md section 3b): `salNearestDelta`
//     and the trace form `salTraceDecay`, in f32 exactly as the kernels
//     compute them (src/backend/js/microcircuitKernels.ts mirrors them; the
//     conformance suite holds the two together).
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
 * aAnti = +(1 + eta) (CONVENTIONS.md "STDP kernel parameters"; spec/ssn.md section 4), in f32 as
 * the kernels keep them.
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
 * (spec/ssn.md section 5: sal_ij = sum STDD(dt) K(dt), sal_ji = sum STDD(dt) K(-dt)).
 */
export function expectedSalUpdate(s: StddLike, w: SalWindow): { W01: number; W10: number } {
  let w01 = 0, w10 = 0;
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
 * w + rate S scale, with scale = t_ref / T (spec/ssn.md section 3 step 4). The pair experiment
 * (Fig. 2d) folds t_ref / T into its rate and leaves scale at 1.
 */
export function salWeightStep(w: number, S: number, rate: number, scale = 1): number {
  return w + rate * S * scale;
}

// ---------------------------------------------------------------------------
// Microcircuit (f32, as the kernels compute it)

/**
 * The change of B12[i, k] from one nearest-partner pair at distance d > 0 (spec/microcircuits.md
 * section 3b): etaA e^{-d/tau} in f32, with etaA = eta_B A_c when the hidden (post) neuron fires
 * after output k's last spike, eta_B A_a when the output (pre) neuron fires after hidden i's.
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
