// Postsynaptic potential (PSP) shapes of the sampling neuron (arXiv:2503.02642,
// the section on non-rectangular PSPs; docs/models/psp.md#shapes). A
// presynaptic spike at step s adds W[post, pre] * kappa(d) to the potentials of
// the draws at s + d, d >= 1.
//
// Shapes, with the normalisation of the authors' STDD calculator (their
// stddc funcs; tau = tauSyn, a = (tRef / tau) / (1 - e^{-tRef / tau})):
//   rect    1 for d < tauSyn (the simulator's rectangle: 0 < d < tauSyn)
//   exp     a e^{-d / tau}                 (area tRef over 0 <= d <= tRef)
//   cutoff  a e^{-d / tau} for d <= tRef, 0 beyond
//   tail    1 for d <= tRef, a e^{-d / tau} beyond
//   alpha   (tRef / tau^2) d e^{-d / tau}  (area tRef over d >= 0)
// So every shape carries about the rectangle's charge tRef, and tauSyn is the
// shape's time constant (the rectangle's length for rect).
//
// Which spikes count: a neuron's PSP is that of its newest spike alone,
// kappa(t - last) (a new spike restarts the shape instead of adding a second
// one). This is the rule of the authors' exact calculator, whose state is the
// time since each neuron's last spike, and of the rectangular kernel (a spike
// during a running rectangle extends it). Their network simulator sums the
// PSPs of the last ten spikes instead; the two differ only when a PSP outlasts
// the refractory period.
//
// The table the kernels and the exact chain use: kappa(1) .. kappa(len) for
// d = 1 .. len; lags beyond len keep the last entry. With tail "zero" the
// table ends in a 0 (the PSP ends after `length` steps); with tail "hold" it
// ends in kappa(length), which then lasts until the neuron's next spike
// (what the authors' calculator does at its state cap t_max - 1).

export const PSP_SHAPES = ["rect", "alpha", "exp", "cutoff", "tail"] as const;
export type PspShape = (typeof PSP_SHAPES)[number];
export type PspTail = "zero" | "hold";

/** Amplitude of the exponential shapes: (tRef / tau) / (1 - e^{-tRef / tau}), so their area over 0..tRef is tRef. */
function expAmplitude(tRef: number, tau: number): number {
  return tRef / tau / -Math.expm1(-tRef / tau);
}

/** kappa(d) of `shape` at d >= 1 steps after the presynaptic spike (normalisations in the header). */
export function pspValue(shape: PspShape, d: number, tRef: number, tauSyn: number): number {
  switch (shape) {
    case "rect":
      return d > 0 && d < tauSyn ? 1 : 0;
    case "exp":
      return expAmplitude(tRef, tauSyn) * Math.exp(-d / tauSyn);
    case "cutoff":
      return d <= tRef ? expAmplitude(tRef, tauSyn) * Math.exp(-d / tauSyn) : 0;
    case "tail":
      return d <= tRef ? 1 : expAmplitude(tRef, tauSyn) * Math.exp(-d / tauSyn);
    case "alpha":
      return d > 0 ? (tRef / (tauSyn * tauSyn)) * d * Math.exp(-d / tauSyn) : 0;
  }
}

/** Relative size below which the default table cuts a decaying shape off. */
export const PSP_CUTOFF = 1e-3;

/**
 * Default number of lags a shape's table covers: rect tauSyn - 1 (the simulator's rectangle),
 * cutoff tRef; the others until kappa stays below PSP_CUTOFF times its peak (exp: tau ln(a / cut),
 * alpha: the last lag above the cut after the peak at tau).
 */
export function defaultPspLength(shape: PspShape, tRef: number, tauSyn: number): number {
  if (shape === "rect") return Math.max(0, Math.ceil(tauSyn) - 1);
  if (shape === "cutoff") return tRef;
  let peak = 0;
  for (let d = 1; d <= Math.max(tRef, Math.ceil(tauSyn)) + 1; d++) peak = Math.max(peak, pspValue(shape, d, tRef, tauSyn));
  const cut = PSP_CUTOFF * peak;
  let d = Math.max(tRef, Math.ceil(tauSyn));
  while (pspValue(shape, d + 1, tRef, tauSyn) >= cut) d++;
  return d;
}

/** What a PSP is made of: its shape, time constant, the lags it covers and what follows them. */
export interface PspSpec {
  shape: PspShape;
  tRef: number;
  tauSyn: number;
  /** Lags 1..length carry kappa (default: defaultPspLength). */
  length?: number;
  /** After `length`: 0 (default) or kappa(length) until the next spike. */
  tail?: PspTail;
}

/** The PSP table kappa(1) .. kappa(len) of a spec (f64; the kernels keep it in f32). */
export function pspTable(p: PspSpec): Float64Array {
  const length = p.length ?? defaultPspLength(p.shape, p.tRef, p.tauSyn);
  const tail = p.tail ?? "zero";
  const n = tail === "zero" ? length + 1 : Math.max(1, length);
  const K = new Float64Array(n);
  for (let d = 1; d <= length; d++) K[d - 1] = pspValue(p.shape, d, p.tRef, p.tauSyn);
  return K;
}

/** kappa at lag d >= 1 from a table (lags beyond the table keep its last entry). */
export function tableValue(K: ArrayLike<number>, d: number): number {
  return K[Math.min(d, K.length) - 1];
}

/** The rectangle of the simulator's time convention as a table: 1 for lags 1..pspLength, then 0. */
export function rectTable(pspLength: number): Float64Array {
  const K = new Float64Array(pspLength + 1);
  K.fill(1, 0, pspLength);
  return K;
}
