// The E-I system (arXiv:2503.02642, the Dale's-law analysis;
// docs/models/ei-system.md#the-system): four sampling neurons, two excitatory
// (e1, e2) and two inhibitory (i1, i2). The E neurons are coupled directly in
// both directions and through a disynaptic path: e1 excites i1, which inhibits
// e2; e2 excites i2, which inhibits e1. Every synapse keeps its sign (Dale's
// law), so what a plasticity rule between e1 and e2 can align is not the direct
// weight but the effective weight of the whole connection.
//
// Effective weight of e_pre -> e_post (the authors' mean-field formula):
//   W_eff = W_EE + W_EI sigma(W_IE r + b_I) / r,   r = sigma(b_pre),
// sigma the plain logistic: with the presynaptic E neuron "on" with
// probability r, the interneuron is on with probability sigma(W_IE r + b_I),
// and its inhibition W_EI, spread over the E neuron's on-time, adds to the
// direct weight. The inhibitory term does not depend on W_EE, so effective
// coordinates are the raw ones shifted by a constant per direction.
//
// Weights are W[post, pre] (docs/conventions.md#indices-and-shapes), named
// post_pre as in the authors' code: e2_e1 = W[e2, e1] is e1 -> e2. With e1, e2
// as neurons 1, 2, W12 = W[e1, e2] (e2 -> e1) is e1_e2 and W21 = W[e2, e1]
// (e1 -> e2) is e2_e1.
import type { SamplingNetSpec } from "../backend/sampling.js";
import { samplingNetSpec } from "./samplingNet.js";

/** Neuron indices in the network (and in its W and b). */
export const EI_NEURONS = { e1: 0, e2: 1, i1: 2, i2: 3 } as const;
export type EiNeuron = keyof typeof EI_NEURONS;

/** The six synapses, named post_pre. */
export interface EiWeights {
  /** e1 -> e2 (W21) */
  e2_e1: number;
  /** e2 -> e1 (W12) */
  e1_e2: number;
  /** e1 -> i1 */
  i1_e1: number;
  /** e2 -> i2 */
  i2_e2: number;
  /** i1 -> e2 */
  e2_i1: number;
  /** i2 -> e1 */
  e1_i2: number;
}

export type EiBiases = Record<EiNeuron, number>;

export interface EiParams {
  weights: EiWeights;
  biases: EiBiases;
  /** Refractory time constant (steps). */
  tRef: number;
  /** Rectangular PSP parameter (the simulator's convention: PSP for 0 < t - t_spike < tauSyn). */
  tauSyn: number;
}

const SYNAPSES: [keyof EiWeights, EiNeuron, EiNeuron][] = [
  ["e2_e1", "e2", "e1"],
  ["e1_e2", "e1", "e2"],
  ["i1_e1", "i1", "e1"],
  ["i2_e2", "i2", "e2"],
  ["e2_i1", "e2", "i1"],
  ["e1_i2", "e1", "i2"],
];

/** The 4 x 4 weight matrix W[post * 4 + pre] of the system (all other entries 0). */
export function eiWeightMatrix(w: EiWeights): Float32Array {
  const W = new Float32Array(16);
  for (const [name, post, pre] of SYNAPSES) W[EI_NEURONS[post] * 4 + EI_NEURONS[pre]] = w[name];
  return W;
}

/** The biases in neuron order. */
export function eiBiasVector(b: EiBiases): Float32Array {
  return Float32Array.from([b.e1, b.e2, b.i1, b.i2]);
}

/** Plain logistic sigma(x) = 1 / (1 + e^{-x}). */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** The authors' effective weight W_EE + W_EI sigma(W_IE r + b_I) / r of one E -> E direction. */
export function effectiveWeight(wEE: number, wIE: number, wEI: number, bI: number, r: number): number {
  return wEE + inhibitoryPath(wIE, wEI, bI, r);
}

/** The disynaptic path's share of the effective weight: W_EI sigma(W_IE r + b_I) / r. */
export function inhibitoryPath(wIE: number, wEI: number, bI: number, r: number): number {
  return (wEI * logistic(wIE * r + bI)) / r;
}

/**
 * The inhibitory-path offsets of both E -> E directions: W21 (e1 -> e2, through i1) and W12 (e2 -> e1,
 * through i2), at presynaptic rates r (default: the authors' sigma(b_e) of the presynaptic E neuron).
 */
export function effectiveOffsets(p: Pick<EiParams, "weights" | "biases">, r?: { e1: number; e2: number }): { W12: number; W21: number } {
  const w = p.weights,
    b = p.biases;
  const r1 = r?.e1 ?? logistic(b.e1),
    r2 = r?.e2 ?? logistic(b.e2);
  return {
    W21: inhibitoryPath(w.i1_e1, w.e2_i1, b.i1, r1),
    W12: inhibitoryPath(w.i2_e2, w.e1_i2, b.i2, r2),
  };
}

/** The sampling-kernel spec of the system: ssn time convention, no STDP or state sampling, a spike record of `recordCapacity`. */
export function eiSpec(p: EiParams, recordCapacity: number): SamplingNetSpec {
  return samplingNetSpec({ n: 4, tRef: p.tRef, tauSyn: p.tauSyn, stdp: [], sampleEvery: 0, recordCapacity });
}
