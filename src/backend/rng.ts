// Kernel family: the simulation random-number generator (docs/conventions.md#random-numbers).
import type { U32Buf, F32Buf } from "./types.js";

export interface RngKernels {
  /** Seeds the 4-word xoshiro128** state in `state` (u32[4]) from `seed` via splitmix32. */
  rngSeed(state: U32Buf, seed: number): void;
  /** Advances `state` by 2^64 outputs (independent streams). */
  rngJump(state: U32Buf): void;
  /** Fills `out` with raw u32 outputs. */
  rngFillU32(state: U32Buf, out: U32Buf, n?: number): void;
  /** Fills `out` with uniforms in [0, 1): (x >>> 8) * 2^-24. */
  rngFillUniform(state: U32Buf, out: F32Buf, n?: number): void;
}
