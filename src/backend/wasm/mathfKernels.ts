// Thin adapter over assembly/mathf.ts (js twin: ../js/mathfKernels.ts).
import type { MathfKernels } from "../mathf.js";
import type { WasmContext } from "./instance.js";

export function mathfKernels({ exports: ex }: WasmContext): MathfKernels {
  return {
    expArray: (x, out, n = x.length) => ex.expArray(x.ptr, out.ptr, n),
    thresholdArray: (u, out, tRef, n = u.length) => ex.thresholdArray(u.ptr, out.ptr, n, tRef),
  };
}
