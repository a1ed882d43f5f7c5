// Sign-concordant feedback alignment (Liao, Leibo & Poggio 2016, arXiv:1510.05067;
// docs/models/deep-nets.md#non-spiking-feedback-methods): fixed random non-negative magnitudes with
// W's current signs,
//   B0 = |U(-1/sqrt(fan_in), +1/sqrt(fan_in))|   (fixed),
//   delta_in = delta (B0 * sign(W))   with sign(0) = 0, re-formed every step.
// Alignment metrics compare W with the raw non-negative B0 (as the authors do).
import type { F32Buf, Kernels } from "../backend/index.js";
import type { FeedbackLayer } from "./feedback.js";

/** Initial magnitude from a draw of the usual feedback init. */
export function scfaMagnitude(draw: number): number {
  return Math.abs(draw);
}

/** Forms B0 * sign(W) in the layer's scratch and returns it. */
export function scfaFeedbackMatrix(k: Kernels, l: FeedbackLayer): F32Buf {
  if (!l.B || !l.scratch) throw new Error("scfa: layer has no feedback matrix B or scratch");
  k.signMul(l.B, l.W, l.scratch, l.nOut * l.nIn);
  return l.scratch;
}
