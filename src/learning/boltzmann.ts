// Boltzmann-machine learning of a spiking sampling network with wake-sleep
// ("ws") STDP (docs/models/sampling-network.md#wake-sleep-learning and
// docs/models/sampling-network.md#stdp-rules; arXiv:2503.02642, Methods; the
// neural-sampling view of Buesing et al. 2011).
//
// A network with symmetric W samples p(z) ~ exp(z^T W z / 2 + b^T z). The
// likelihood gradient of a fully visible Boltzmann machine is
//   dW_kj = <z_k z_j>_target - <z_k z_j>_model,   db_k = <z_k>_target - <z_k>_model.
// The "wake" statistics are the target's, exact by enumeration; the "sleep"
// statistics come from a free run of T steps: the marginal of neuron k is
// its spike rate times t_ref, and the coactivation of k and j is the ws STDP
// sum (symmetric triangular window of width t_ref, amplitudes 1 + eta) times
// t_ref / T, because two t_ref-long "on" windows overlap for t_ref - |dt|
// steps. Each epoch: W += lr_w (C* - S_ws t_ref / T), b += lr_b (m* - rate),
// then clipping to [-max, max]. Without amplitude noise the update is exactly
// symmetric and cannot change W - W^T; SAL (sal.ts) adds the term that can.

/**
 * Per-synapse ws amplitudes with plasticity noise eta[post * n + pre]: aCausal = aAnti = 1 + eta
 * (docs/conventions.md#stdp-rules), in f32 as the kernels keep them.
 */
export function wsAmplitudes(eta: ArrayLike<number>): { causal: Float32Array; anti: Float32Array } {
  return { causal: Float32Array.from(eta, (e) => 1 + e), anti: Float32Array.from(eta, (e) => 1 + e) };
}

/** Sleep-phase marginal of a neuron: its spike count over `steps` steps times t_ref (rate x t_ref). */
export function sleepMarginal(spikes: number, tRef: number, steps: number): number {
  return spikes * (tRef / steps);
}

/** Sleep-phase coactivation E[z_k z_j] from the ws STDP sum: S_ws t_ref / steps (`scale` = t_ref / steps). */
export function sleepCoactivation(Sws: number, scale: number): number {
  return Sws * scale;
}

/** The Hebbian weight step before clipping: w + lr (C*_kj - S_ws,kj scale). */
export function boltzmannWeightStep(w: number, targetCoact: number, Sws: number, scale: number, lr: number): number {
  return w + lr * (targetCoact - Sws * scale);
}

/** The bias step before clipping: b + lr (m*_k - rate_k). */
export function boltzmannBiasStep(b: number, targetMarginal: number, marginal: number, lr: number): number {
  return b + lr * (targetMarginal - marginal);
}

/** Clips to [-max, max] (the authors clip W and b elementwise after every update). */
export function clip(x: number, max: number): number {
  return Math.min(max, Math.max(-max, x));
}
