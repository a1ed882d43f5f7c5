// Spike-based alignment learning (SAL; Gierlich et al., arXiv:2503.02642):
// the readable form of the rules. Hot loops (assembly/, src/backend/js/)
// inline them for speed; tests hold the kernels to the functions here.

// ---------------------------------------------------------------------------
// deep-net SAL phase (spec/deepnets.md section 5; CONVENTIONS.md row
// "deep-net SAL phase")
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
export function salWindowDecay(tau: number): number {
  if (!(tau > 0) || !Number.isFinite(tau)) throw new RangeError(`SAL window: tau ${tau}; must be a finite number > 0`);
  const d = Math.fround(Math.exp(-1 / tau));
  if (!(d < 1) || !(d > 0)) throw new RangeError(`SAL window: tau ${tau} gives a per-step decay of ${d}; use 0 < tau < 1e6`);
  return d;
}

/**
 * The truncated exponential window K(k) = e^{-k/tau}, k = 0..length-1 (zero beyond), as f32 values:
 * K(0) = 1 and K(k) = fl32(K(k-1) * fl32(e^{-1/tau})). These repeated f32 products are what the kernels'
 * per-neuron traces hold (within 2e-6 relative of e^{-k/tau} for length 20); the authors use
 * tau = t_ref and length = buffer_length * t_ref = 2 t_ref (spec/deepnets.md section 5).
 */
export function salWindow(tau: number, length: number): Float32Array {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`SAL window: length ${length}; must be an integer >= 1`);
  const d = salWindowDecay(tau);
  const K = new Float32Array(length);
  K[0] = 1;
  for (let k = 1; k < length; k++) K[k] = Math.fround(K[k - 1] * d);
  return K;
}

/**
 * The deep-net SAL update of one feedback matrix at the end of an iteration,
 * B <- B + salLr * (mean over the S copies of dB) / L (spec/deepnets.md section 5), in place.
 * The summed STDP terms come split in two f64 sums, as the kernels accumulate them:
 *   depr[i * ldDepr + j]  = sum over spikes of lower i of the upper trace of j   (enters with SAL_DEEP_A_CAUSAL)
 *   pot[j * ldPot + i]    = sum over spikes of upper j of the lower trace of i   (enters with SAL_DEEP_A_ANTI)
 * `BT` is the feedback matrix stored as B^T (row j = the n_lower synapses from upper neuron j, stride ldB),
 * which is the deep net's fb_weight of the upper layer (out x in). Each entry is rounded to f32 once.
 */
export function salDeepUpdate(
  BT: Float32Array, ldB: number, depr: Float64Array, ldDepr: number, pot: Float64Array, ldPot: number,
  nLower: number, nUpper: number, batch: number, length: number, salLr: number,
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
  lower: number[][], upper: number[][], nLower: number, nUpper: number, K: ArrayLike<number>,
): Float64Array {
  const T = lower.length, L = K.length;
  const dB = new Float64Array(nLower * nUpper);
  const lo = lower.map((ids) => new Set(ids)), up = upper.map((ids) => new Set(ids));
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < L && k <= t; k++) {
      // lower spikes at t, upper at t-k: depression; upper spikes at t, lower at t-k: potentiation
      for (const i of lo[t]) for (const j of up[t - k]) dB[i * nUpper + j] += SAL_DEEP_A_CAUSAL * K[k];
      for (const j of up[t]) for (const i of lo[t - k]) dB[i * nUpper + j] += SAL_DEEP_A_ANTI * K[k];
    }
  }
  return dB;
}
