// Feedback methods of the deep-net experiments (docs/models/deep-nets.md#architecture,
// docs/models/deep-nets.md#non-spiking-feedback-methods; arXiv:2503.02642): which rule forms the
// input gradient of each fc layer and of conv2, whether B is learned, and the weight decay of fc
// parameters. One file per rule (bp.ts, fa.ts, kp.ts, scfa.ts); this file is the method table of
// that page, plus the hook through which spiking alignment phases (SAL, RDD) set B.
import type { F32Buf, Kernels } from "../backend/index.js";
import { bpFeedbackMatrix } from "./bp.js";
import { faFeedbackMatrix } from "./fa.js";
import { kpFeedbackMatrix } from "./kp.js";
import { scfaFeedbackMatrix } from "./scfa.js";

export const METHOD_NAMES = ["bp", "fa", "bp_w_fa", "kp", "scfa", "sal", "rdd"] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** How an fc layer forms delta_in: exact (W), fixed B, learned B (KP), or |B| * sign(W). */
export type FcRule = "bp" | "fa" | "kp" | "scfa";
/** How conv2 forms its input gradient: through W or through a fixed random kernel B. */
export type ConvRule = "bp" | "fa";

export interface MethodSpec {
  fc: FcRule;
  conv: ConvRule;
  /** Weight decay of fc W (and of B when learned); 0 except KP ("akrout": 0.001). */
  fcWeightDecay: number;
  /** A spiking phase sets B of the fc layers before every epoch (SAL, RDD). */
  phase: "sal" | "rdd" | null;
}

/** The method table (docs/models/deep-nets.md#non-spiking-feedback-methods): fc layers and conv layers per method. */
export const METHODS: Record<MethodName, MethodSpec> = {
  bp: { fc: "bp", conv: "bp", fcWeightDecay: 0, phase: null },
  bp_w_fa: { fc: "bp", conv: "fa", fcWeightDecay: 0, phase: null },
  fa: { fc: "fa", conv: "fa", fcWeightDecay: 0, phase: null },
  kp: { fc: "kp", conv: "fa", fcWeightDecay: 0.001, phase: null },
  scfa: { fc: "scfa", conv: "fa", fcWeightDecay: 0, phase: null },
  sal: { fc: "fa", conv: "fa", fcWeightDecay: 0, phase: "sal" },
  rdd: { fc: "fa", conv: "fa", fcWeightDecay: 0, phase: "rdd" },
};

/** What a feedback rule sees of one fc layer: y = W x + b, W and B both (out, in). */
export interface FeedbackLayer {
  readonly nIn: number;
  readonly nOut: number;
  readonly W: F32Buf;
  /** Bias (out); the SAL phase copies it into its spiking network (docs/models/spiking-feedback.md#the-sal-phase). */
  readonly b: F32Buf;
  /** Feedback weights, W's shape (null for exact-BP layers, whose B is W). */
  readonly B: F32Buf | null;
  /** Gradient of W from the last backward pass (delta^T x, summed over the batch). */
  readonly gW: F32Buf;
  /** Scratch of W's size for a feedback matrix computed per step (SCFA). */
  readonly scratch: F32Buf | null;
}

/** Result of a spiking alignment phase, logged per epoch. */
export interface PhaseReport {
  /** Wall seconds of the phase. */
  seconds: number;
  /** Anything the phase wants in metrics.jsonl (e.g. steps, spike rates). */
  [key: string]: unknown;
}

/**
 * A feedback phase (SAL, RDD) run once before every SGD epoch
 * (docs/models/deep-nets.md#training-loop): it reads W and b of the fc layers
 * and overwrites their B in place (B has W's shape (out, in); the spiking nets'
 * top-down matrices are its transpose). `fcLayers` are fc1..fcL in forward
 * order; the alignment metrics are taken right after the phase. Phases keep
 * their own state across epochs.
 */
export interface FeedbackPhase {
  beforeEpoch(k: Kernels, fcLayers: readonly FeedbackLayer[], epoch: number): PhaseReport;
}

/** The matrix M of delta_in = delta M for an fc layer under `rule`. */
export function fcFeedbackMatrix(k: Kernels, rule: FcRule, l: FeedbackLayer): F32Buf {
  switch (rule) {
    case "bp":
      return bpFeedbackMatrix(l);
    case "fa":
      return faFeedbackMatrix(l);
    case "kp":
      return kpFeedbackMatrix(l);
    case "scfa":
      return scfaFeedbackMatrix(k, l);
  }
}
