// Thin adapter: passes the three buffers of the STDWI toy to assembly/stdwi.ts.
import type { StdwiKernels } from "../stdwi.js";
import { STDWI_H, STDWI_MAX_TIME } from "../stdwi.js";
import type { WasmContext } from "./instance.js";

export function stdwiKernels({ exports: ex }: WasmContext): StdwiKernels {
  return {
    stdwiRun(st, steps) {
      if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`stdwiRun: steps ${steps}; must be an integer >= 0`);
      if (st.I.view[STDWI_H.t] + steps > STDWI_MAX_TIME) throw new RangeError(`stdwiRun: t would exceed ${STDWI_MAX_TIME}`);
      ex.stdwiRun(st.F.ptr, st.I.ptr, st.U.ptr, steps);
    },
  };
}
