// Thin adapter: passes the four buffers of an RDD network to assembly/rdd.ts.
import type { RddKernels } from "../rdd.js";
import { RDD_H, RDD_MAX_TIME } from "../rdd.js";
import type { WasmContext } from "./instance.js";

export function rddKernels({ exports: ex }: WasmContext): RddKernels {
  return {
    rddRun(st, steps) {
      if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`rddRun: steps ${steps}; must be an integer >= 0`);
      if (st.I.view[RDD_H.t] + steps > RDD_MAX_TIME) throw new RangeError(`rddRun: t would exceed ${RDD_MAX_TIME}`);
      ex.rddRun(st.F.ptr, st.I.ptr, st.U.ptr, st.D.ptr, steps);
    },
  };
}
