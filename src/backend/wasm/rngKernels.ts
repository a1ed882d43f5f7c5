// Thin adapter over assembly/rng.ts (js twin: ../js/rngKernels.ts).
import type { RngKernels } from "../rng.js";
import type { WasmContext } from "./instance.js";

export function rngKernels({ exports: ex }: WasmContext): RngKernels {
  return {
    rngSeed: (state, seed) => ex.rngSeed(state.ptr, seed >>> 0),
    rngJump: (state) => ex.rngJump(state.ptr),
    rngFillU32: (state, out, n = out.length) => ex.rngFillU32(state.ptr, out.ptr, n),
    rngFillUniform: (state, out, n = out.length) => ex.rngFillUniform(state.ptr, out.ptr, n),
  };
}
