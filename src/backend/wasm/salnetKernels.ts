// Thin adapter: passes the four buffers of a layered SAL network to assembly/salnet.ts.
import type { SalNetKernels } from "../salnet.js";
import { SALNET_H, SALNET_MAX_TIME } from "../salnet.js";
import type { WasmContext } from "./instance.js";

export function salnetKernels({ exports: ex }: WasmContext): SalNetKernels {
  return {
    salnetRun(st, steps) {
      if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`salnetRun: steps ${steps}; must be an integer >= 0`);
      if (st.I.view[SALNET_H.t] + steps > SALNET_MAX_TIME) throw new RangeError(`salnetRun: t would exceed ${SALNET_MAX_TIME}`);
      ex.salnetRun(st.F.ptr, st.I.ptr, st.U.ptr, st.D.ptr, steps);
    },
    salnetFlush: (st) => ex.salnetFlush(st.F.ptr, st.I.ptr, st.D.ptr),
    salnetResync: (st) => ex.salnetResync(st.F.ptr, st.I.ptr),
  };
}
