// Kernel family `microcircuit`: the spiking dendritic cortical microcircuit
// (docs/models/microcircuit.md; arXiv:2503.02642, fig. 6). One call simulates a
// whole pattern presentation. The state lives in four flat buffers whose
// layout `mcLayout` (src/backend/layout.ts) gives as element offsets; the
// header slots, flags and the 1-1-1 offsets reach assembly/microcircuit.ts
// through the generated assembly/layout.generated.ts.
import type { F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import { seedStreams } from "./shared/rng.js";
import type { McLayout } from "./layout.js";

export { MC_FLAG, MC_P, MC_H, MC_BRACKET, MC_NEVER, mcLayout } from "./layout.js";
export type { McLayout } from "./layout.js";

/**
 * Seeds the neurons' random streams: neuron q draws from the state of splitmix32(seed) jumped q times
 * (2^64 outputs each; the sampling kernels' lane streams), one output per step, refractory or not.
 */
export function mcSeed(L: McLayout, U: Uint32Array, seed: number): void {
  seedStreams(U.subarray(L.u.rng, L.u.rng + 4 * L.N), L.N, seed);
}

/** The four state buffers and the cache of one microcircuit (allocated by the model through the backend). */
export interface McState {
  F: F32Buf;
  I: I32Buf;
  U: U32Buf;
  D: F64Buf;
  /** bracket cache (see MC_BRACKET): scratch that every call initialises, not part of the state */
  C: U32Buf;
}

export interface MicrocircuitKernels {
  /**
   * Simulates `nSteps` steps (one pattern) of the microcircuit in `st`; plasticity
   * and output accumulation (D[accU2], D[accFree], D[accCount]) start at step `lag`
   * of the call. `flags`: MC_FLAG bits (nudge, forward, sal, bpCopy, salAll).
   */
  mcRunPattern(st: McState, nSteps: number, lag: number, flags: number): void;
}
