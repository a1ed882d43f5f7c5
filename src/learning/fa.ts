// Feedback alignment (Lillicrap et al. 2016; docs/models/deep-nets.md#non-spiking-feedback-methods):
//   delta_in = delta B,  B fixed, drawn like W (U(-1/sqrt(fan_in), +1/sqrt(fan_in)))
// independently of it, never updated. For conv2 (the only conv layer with an
// input gradient) the input gradient is the transposed convolution with a
// fixed random kernel B of W's shape; its weight gradient stays exact.
import type { F32Buf } from "../backend/index.js";
import type { FeedbackLayer } from "./feedback.js";

/** The matrix that carries the error down: the fixed random B. */
export function faFeedbackMatrix(l: FeedbackLayer): F32Buf {
  if (!l.B) throw new Error("fa: layer has no feedback matrix B");
  return l.B;
}
