// Spike-timing-dependent weight inference (STDWI; Ahmad, Ambrogioni & van
// Gerven, arXiv:2003.03988) as the SAL authors run it for their inference
// comparison (docs/models/spiking-feedback.md#stdwi, the 50 -> 50 toy): the
// readable rule and the toy's constants. The kernels
// (src/backend/js/stdwiKernels.ts, assembly/stdwi.ts) inline `stdwiUpdateRow`;
// a test holds them to it.
//
// Every input neuron j keeps a fast and a slow trace of its spikes,
// x_f <- e^{-dt/tau_f} x_f + a_f s_j and x_s <- e^{-dt/tau_s} x_s + a_s s_j
// (a_s = a_f tau_f / tau_s, so both integrate a spike to the same area).
// When output neuron i spikes, its row of the feedback estimate moves towards
// the difference of the traces, with a decay:
//   B_i. <- B_i. + eta ((x_f - x_s) - d B_i.)
// so B_ij grows when j fired shortly before i (fast trace above slow trace)
// and shrinks when j fired long before or not at all.

/** The toy's settings (the authors' notebook; time in ms). */
export const STDWI_DEFAULTS = {
  /** simulation step (ms) and total simulated time (s) */
  dt: 0.25,
  seconds: 100,
  /**
   * stimulus: Poisson-like Bernoulli spikes at stimRate per ms on every channel, of which a random stimRatio stays active
   * per stimPeriod (ms)
   */
  stimRate: 0.2,
  stimRatio: 0.2,
  stimPeriod: 100,
  /** stimulus -> input one-to-one weight, input -> output weight scale (times W) */
  stimWeight: 10,
  weightScale: 75,
  /** LIF membrane time constant (ms), threshold, reset; no refractoriness */
  tauMem: 20,
  vThreshold: 1,
  vReset: -1,
  /** double-exponential PSP (ms), truncated at psTrunc * tauPspSlow */
  tauPspSlow: 10,
  tauPspFast: 3,
  pspTrunc: 7,
  /** STDWI traces (ms) and amplitude of the fast one */
  tauFast: 10,
  tauSlow: 200,
  aFast: 1,
  /** learning rate and relative decay */
  eta: 0.02,
  decay: 0.1,
} as const;

export type StdwiConstants = { -readonly [K in keyof typeof STDWI_DEFAULTS]: number };

/** One output spike's update of its row: B[o + j] += eta ((xf[j] - xs[j]) - decay B[o + j]) for the n inputs, in f32. */
export function stdwiUpdateRow(
  B: Float32Array,
  o: number,
  xf: ArrayLike<number>,
  xs: ArrayLike<number>,
  n: number,
  eta: number,
  decay: number,
): void {
  const f = Math.fround;
  for (let j = 0; j < n; j++) B[o + j] = f(B[o + j] + f(eta * f(f(xf[j] - xs[j]) - f(decay * B[o + j]))));
}

/** The slow trace's amplitude a_s = a_f tau_f / tau_s. */
export function stdwiSlowAmplitude(c: Pick<StdwiConstants, "aFast" | "tauFast" | "tauSlow">): number {
  return (c.aFast * c.tauFast) / c.tauSlow;
}
