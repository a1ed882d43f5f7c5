// Kernel family: deterministic f32 exp and sampling-neuron firing thresholds.
import type { F32Buf, U32Buf } from "./types.js";

export interface MathfKernels {
  /** out[i] = exp(x[i]) in f32 (bit-identical across backends). */
  expArray(x: F32Buf, out: F32Buf, n?: number): void;
  /** out[i] = min(2^32 - 1, floor(sigmoid(u[i] - ln tRef) * 2^32)): Bernoulli thresholds. */
  thresholdArray(u: F32Buf, out: U32Buf, tRef: number, n?: number): void;
}
