// Thin adapter: passes the four state buffers and the cache of a microcircuit to the wasm kernel.
import type { MicrocircuitKernels } from "../microcircuit.js";
import type { WasmContext } from "./instance.js";

export function microcircuitKernels({ exports: ex }: WasmContext): MicrocircuitKernels {
  return {
    mcRunPattern: (st, nSteps, lag, flags) => ex.mcRunPattern(st.F.ptr, st.I.ptr, st.U.ptr, st.D.ptr, st.C.ptr, nSteps, lag, flags),
  };
}
