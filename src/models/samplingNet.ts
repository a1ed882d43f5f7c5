// The recurrent network of sampling neurons as a model
// (docs/models/sampling-network.md#the-sampling-neuron; arXiv:2503.02642,
// neuron model; Buesing et al. 2011 neural sampling).
//
// Parameters: n neurons, weights W[post, pre] and biases b, refractory time
// t_ref, rectangular PSPs of tau_syn steps. Each step every neuron that is
// not refractory spikes with probability sigmoid(u - ln t_ref),
// u = b + W psp. A network with symmetric W samples the Boltzmann
// distribution p(z) ~ exp(z^T W z / 2 + b^T z) through its binary "on"
// states. The backend owns the state (potentials, refractory clocks, random
// streams, STDP sums); this file builds the kernel's spec from the model's
// parameters and runs sleep phases through `samplingRun`.
//
// Time convention (docs/conventions.md#time-conventions, sampling networks): a
// spike at s makes the PSP active for the draws at s + 1 .. s + tau_syn - 1
// (0 < d < tau_syn) and the neuron may spike again at s + t_ref + 1 at the
// earliest.
import type { Kernels } from "../backend/index.js";
import type { SamplingNet, SamplingNetSpec } from "../backend/sampling.js";
import type { StdpRuleSpec, StdpShape } from "../learning/stdp.js";

/** Runs are split into kernel calls of at most this many steps (the kernel's limit is 2^30 per restart). */
const MAX_CALL = 2 ** 29;

/** The kernel's two time-convention parameters. */
export interface TimeConvention {
  /** Draws after a spike at s that see its PSP: s+1 .. s+pspLength. */
  pspLength: number;
  /** Earliest next spike after a spike at s: s + minIsi. */
  minIsi: number;
}

/** The ssn/stdd/pair convention of docs/conventions.md#time-conventions: PSP for 0 < d < tauSyn, earliest re-spike s + tRef + 1. */
export function ssnTimeConvention(tRef: number, tauSyn: number): TimeConvention {
  return { pspLength: tauSyn - 1, minIsi: tRef + 1 };
}

/** What a sampling network is made of (the model's parameters, without weights). */
export interface SamplingNetParams {
  n: number;
  tRef: number;
  tauSyn: number;
  /** STDP rules accumulated during runs (e.g. [ws] or [ws, sal]). */
  stdp: StdpRuleSpec[];
  /** Sample the binary state every this many steps (0: no state histogram). */
  sampleEvery?: number;
  /** Spike record capacity (0: no record). */
  recordCapacity?: number;
  /** Another time convention than the ssn one (stdd's `--psp-length`, `--min-isi`). */
  convention?: TimeConvention;
}

/** The kernel spec of a network in the ssn convention; a neuron counts as "on" for t_ref steps after its spike. */
export function samplingNetSpec(p: SamplingNetParams): SamplingNetSpec {
  const tc = p.convention ?? ssnTimeConvention(p.tRef, p.tauSyn);
  return {
    n: p.n,
    tRef: p.tRef,
    pspLength: tc.pspLength,
    minIsi: tc.minIsi,
    stdp: p.stdp,
    sampleEvery: p.sampleEvery ?? 0,
    onLength: p.tRef,
    recordCapacity: p.recordCapacity ?? 0,
  };
}

/** A pair-STDP rule for the kernels with per-synapse amplitudes [post * n + pre]. */
export function stdpRule(
  shape: StdpShape,
  tau: number,
  amplitudes: { causal: Float32Array; anti: Float32Array },
  o: { length?: number; pairing?: StdpRuleSpec["pairing"]; lastN?: number } = {},
): StdpRuleSpec {
  return {
    shape,
    tau,
    length: o.length ?? tau,
    pairing: o.pairing ?? "nearest",
    lastN: o.lastN,
    countZero: false,
    aCausal: amplitudes.causal,
    aAnti: amplitudes.anti,
  };
}

/**
 * A sleep phase: a fresh run (t = 0, no PSPs, nobody refractory; the random streams continue) of
 * `steps` steps with weights W and biases b, statistics cleared first. Returns the nanoseconds
 * spent in the kernel.
 */
export function runSleep(k: Kernels, net: SamplingNet, W: ArrayLike<number>, b: ArrayLike<number>, steps: number): number {
  net.W.view.set(W);
  net.b.view.set(b);
  k.samplingRestart(net);
  k.samplingClear(net);
  const t0 = performance.now();
  for (let done = 0; done < steps; done += MAX_CALL) k.samplingRun(net, Math.min(MAX_CALL, steps - done));
  return (performance.now() - t0) * 1e6;
}
