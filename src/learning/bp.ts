// Backpropagation through an fc layer (docs/models/deep-nets.md#non-spiking-feedback-methods):
//   delta_in = delta W   (row-vector batch convention, W of shape (out, in)).
// Used by `bp` on every layer and by `bp_w_fa` on the fc layers.
import type { F32Buf } from "../backend/index.js";
import type { FeedbackLayer } from "./feedback.js";

/** The matrix that carries the error down: W itself. */
export function bpFeedbackMatrix(l: FeedbackLayer): F32Buf {
  return l.W;
}
