// Kolen-Pollack feedback (Kolen & Pollack 1994, as in Akrout et al. 2019,
// arXiv:1904.05391; the authors' "akrout" section;
// docs/models/deep-nets.md#non-spiking-feedback-methods):
//   delta_in = delta B;   gB := gW = delta^T x   (B gets exactly W's gradient),
// B is an SGD parameter (lr 0.01, momentum 0.9) with weight decay 0.001, and
// the fc W gets the same decay. With D = W - B: buf_D = 0.9 buf_D + 0.001 D,
// D -= 0.01 buf_D, so D decays to 0 and B converges to W.
import type { F32Buf } from "../backend/index.js";
import type { FeedbackLayer } from "./feedback.js";

/** Weight decay of fc W and B under KP. */
export const KP_WEIGHT_DECAY = 0.001;

/** The matrix that carries the error down: the learned B. */
export function kpFeedbackMatrix(l: FeedbackLayer): F32Buf {
  if (!l.B) throw new Error("kp: layer has no feedback matrix B");
  return l.B;
}

/** B's gradient: the same buffer as W's (gB = gW), so the optimiser steps B with gW. */
export function kpFeedbackGradient(l: FeedbackLayer): F32Buf {
  return l.gW;
}
