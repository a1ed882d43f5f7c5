// The forward plasticity and the potentials of the spiking dendritic microcircuit
// (docs/models/microcircuit.md#neuron-dynamics,
// docs/models/microcircuit.md#forward-learning-urbanczik-senn; arXiv:2503.02642, Fig. 6;
// Urbanczik & Senn 2014 dendritic prediction, Sacramento et al. 2018 microcircuits).
//
// Forward rule for W10 (hidden) and W21 (output), at every plastic step:
//   dW_ij = eta (p(u_i) - p(v_bas,i + b_i)) S_j(t - 1)
// with u and v_bas the boxcar moving averages of the soma and basal
// potentials, p(u) = 1 / (1 + t_ref e^{-u}) the per-step firing probability,
// and S_j(t - 1) the presynaptic spike one step earlier (the authors' delay).
// The soma of the output is nudged towards the target, the soma of a hidden
// neuron receives the apical error, so p(u) - p(v_bas + b) is the local
// error the rule descends.
//
// Every function computes in f32 exactly as the kernels do (Math.fround at
// every operation): src/backend/js/microcircuitKernels.ts calls mirrored
// helpers (the backend cannot import learning/), and
// test/microcircuit/rules.test.ts holds those and both backends' steps to
// these functions bit for bit.
import { fireProb } from "../backend/shared/mathf.js";

const f = Math.fround;

/**
 * The error factor of the forward rule of one postsynaptic neuron, already times eta:
 * eta (p(mu) - p(mb + b)), mu and mb the moving averages (f64 sums / count, rounded to f32).
 */
export function forwardDelta(eta: number, meanSoma: number, meanBasal: number, bias: number, tRef: number): number {
  return f(eta * f(fireProb(meanSoma, tRef) - fireProb(f(meanBasal + bias), tRef)));
}

/** A moving average as the rule reads it: the f64 boxcar sum over `count` steps, rounded to f32. */
export function movingMean(sum: number, count: number): number {
  return f(sum / count);
}

/** Hidden pyramidal soma: u1 = (b1 + v_bas) + lambda_api v_api. */
export function hiddenPotential(bias: number, basal: number, apical: number, lambdaApi: number): number {
  return f(f(bias + basal) + f(lambdaApi * apical));
}

/**
 * Output soma: u2 = b2 + v_bas, nudged when a target is given:
 * u2 + lambda_nudge ((u_tgt - mean v_bas) - b2), with mean v_bas the moving average of the steps before t.
 */
export function outputPotential(bias: number, basal: number, target: number | null, basalMean: number, lambdaNudge: number): number {
  const free = f(bias + basal);
  return target === null ? free : f(free + f(lambdaNudge * f(f(target - basalMean) - bias)));
}

/**
 * The self-predicting copies of the interneuron circuit (the authors' non-local shortcut,
 * docs/models/microcircuit.md#architecture): W_IP <- W21 and W_PI <- -B12, with W21 n2 x n1,
 * B12 n1 x n2, flat row-major.
 */
export function selfPredictingCopies(
  W21: ArrayLike<number>,
  B12: ArrayLike<number>,
  n1: number,
  n2: number,
): { WIP: Float32Array; WPI: Float32Array } {
  const WIP = Float32Array.from(W21);
  const WPI = new Float32Array(n1 * n2);
  for (let i = 0; i < n1 * n2; i++) WPI[i] = -B12[i];
  return { WIP, WPI };
}
