// Regression-discontinuity feedback learning (RDD; Guerguiev,
// Kording & Richards, arXiv:1910.01689) as the SAL authors run it on the deep
// net's fully connected layers (docs/models/spiking-feedback.md#rdd): the
// readable rules. The kernels (src/backend/js/rddKernels.ts, assembly/rdd.ts)
// inline the fit; tests hold them to the functions here.
//
// Neuron i of population l integrates v <- v + dt (-g_L v + g_D (Bas - v))
// and, beside it, an "input drive" u that follows the same equation but is
// not reset by spikes while i is inside an RDD window. A window of 30 steps
// opens when |theta - u| <= 0.1. At its end (only in the population being
// driven) the mean apical input over the window minus the apical input just
// before it, y_j = R_ij / 30 - Rpre_ij (a vector over the upper population's
// neurons j), is regressed on max u over the window: on c2 max_u + c0 if i
// spiked in the window, on c3 max_u + c1 if it almost did. The jump of the
// two fits at threshold, beta_ij = (c2 theta + c0) - (c3 theta + c1),
// estimates the causal effect of i on j, i.e. W_ji; every 10 s the feedback
// B_ij is set from beta.

import type { RddParams } from "../backend/rdd.js";

/** The constants of the authors' RDD network (unibe-cns/sal-code: symmnet/src/symmnet/__init__.py), time in steps of dt = 1 ms. */
export const RDD_DEFAULTS = {
  /** step (s) */
  dt: 0.001,
  vReset: -1,
  theta: 1,
  /** refractory counter set on a spike (2 silent steps follow) */
  refractory: 3,
  /** leak and dendritic conductances (1/s): v <- 0.3 v + 0.6 Bas per step */
  gL: 100,
  gD: 600,
  /** synaptic kernel time constants (steps) and its length (steps) */
  tauS: 3,
  tauL: 10,
  memory: 30,
  /** RDD window length (steps), opening band |theta - u| <= initBand, and the |max_u - theta| <= uWindow filter */
  window: 30,
  initBand: 0.1,
  uWindow: 10,
  /**
   * driving input: Poisson spikes with this mean per step, weight alpha, to a random driveFraction of the population,
   * redrawn every redrawEvery steps
   */
  inputRate: 0.2,
  alpha: 4,
  driveFraction: 0.2,
  redrawEvery: 100,
  /** step size of the linear fits */
  eta: 0.001,
  /** steps between B updates from beta (10 s) */
  updateEvery: 10_000,
  /** the deep net's forward weights enter as forwardGain * n_in * W / std(W) */
  forwardGain: 0.2,
} as const satisfies RddParams & Record<string, number>;

export type RddConstants = RddParams & { updateEvery: number; forwardGain: number };

/** Synaptic kernel kappa(k) = (e^{-k/tauL} - e^{-k/tauS}) / (tauL - tauS), k = 1..memory steps after the spike. */
export function rddKappa(k: number, c: Pick<RddConstants, "tauS" | "tauL" | "memory"> = RDD_DEFAULTS): number {
  if (k < 1 || k > c.memory) return 0;
  return (Math.exp(-k / c.tauL) - Math.exp(-k / c.tauS)) / (c.tauL - c.tauS);
}

/** Forward weights as the RDD network uses them: forwardGain * n_in * W / std(W) (std over all entries, ddof 0). */
export function rddForwardScale(W: ArrayLike<number>, nIn: number, gain: number = RDD_DEFAULTS.forwardGain): Float32Array {
  const sd = std(W);
  if (!(sd > 0)) throw new RangeError("rdd: forward weights have zero spread (std 0); they cannot be rescaled");
  const out = new Float32Array(W.length);
  for (let e = 0; e < W.length; e++) out[e] = (gain * nIn * W[e]) / sd;
  return out;
}

/** Population standard deviation (ddof 0) in f64. */
export function std(x: ArrayLike<number>): number {
  let m = 0;
  for (let e = 0; e < x.length; e++) m += x[e];
  m /= x.length;
  let s = 0;
  for (let e = 0; e < x.length; e++) s += (x[e] - m) ** 2;
  return Math.sqrt(s / x.length);
}

/**
 * One SGD step of the linear fit y ~ slope * maxU + icpt for every upper neuron j (arrays over j at
 * offset o): err = slope maxU + icpt - y; slope -= eta err maxU; icpt -= eta err.
 */
export function rddFitStep(slope: Float64Array, icpt: Float64Array, o: number, y: ArrayLike<number>, maxU: number, eta: number): void {
  for (let j = 0; j < y.length; j++) {
    const err = slope[o + j] * maxU + icpt[o + j] - y[j];
    slope[o + j] -= eta * err * maxU;
    icpt[o + j] -= eta * err;
  }
}

/** The discontinuity at threshold: beta = (c2 theta + c0) - (c3 theta + c1). */
export function rddBeta(c0: number, c1: number, c2: number, c3: number, theta: number): number {
  return c2 * theta + c0 - (c3 * theta + c1);
}

/**
 * The B update every 10 s (docs/models/spiking-feedback.md#rdd): where beta != 0,
 * B = beta * sigmaB0 / std(beta != 0) (sigmaB0 = std of the population's feedback matrix at the first RDD
 * phase); other entries keep their value. B and beta have the same n_l x n_{l+1} layout (strides ldB,
 * ldBeta). Returns the number of entries set.
 */
export function rddSetFeedback(
  B: Float32Array,
  ldB: number,
  beta: Float64Array,
  ldBeta: number,
  rows: number,
  cols: number,
  sigmaB0: number,
): number {
  let count = 0,
    mean = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const b = beta[i * ldBeta + j];
      if (b !== 0) {
        count++;
        mean += b;
      }
    }
  if (count === 0) return 0;
  mean /= count;
  let ss = 0;
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const b = beta[i * ldBeta + j];
      if (b !== 0) ss += (b - mean) ** 2;
    }
  const sd = Math.sqrt(ss / count);
  if (!(sd > 0)) return 0; // a single estimate (or all equal) has no spread to scale by
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const b = beta[i * ldBeta + j];
      if (b !== 0) B[i * ldB + j] = (b * sigmaB0) / sd;
    }
  return count;
}

/**
 * Integer thresholds of a Poisson(rate) count drawn from one 32-bit output x:
 * count = number of k with x >= T_k, T_k = floor(P(N <= k) * 2^32) (truncated where P(N > k) < 2^-40).
 */
export function poissonThresholds(rate: number): Uint32Array {
  if (!(rate >= 0) || rate > 5) throw new RangeError(`rdd: input rate ${rate}; must be in [0, 5] spikes per step`);
  const out: number[] = [];
  let p = Math.exp(-rate),
    cdf = p;
  for (let k = 0; k < 64; k++) {
    out.push(Math.min(0xffffffff, Math.floor(cdf * 2 ** 32)));
    if (1 - cdf < 2 ** -40) break;
    p *= rate / (k + 1);
    cdf += p;
  }
  return Uint32Array.from(out);
}
