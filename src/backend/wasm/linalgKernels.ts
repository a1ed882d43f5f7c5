// Thin adapter over assembly/linalg.ts (js twin: ../js/linalgKernels.ts).
import type { LinalgKernels } from "../linalg.js";
import type { WasmContext } from "./instance.js";

export function linalgKernels({ exports: ex }: WasmContext): LinalgKernels {
  return {
    matvec: (A, x, y, rows, cols) => ex.matvec(A.ptr, x.ptr, y.ptr, rows, cols),
    matvecT: (A, x, y, rows, cols) => ex.matvecT(A.ptr, x.ptr, y.ptr, rows, cols),
    matmul: (A, B, C, m, k, n) => ex.matmul(A.ptr, B.ptr, C.ptr, m, k, n),
    axpy: (alpha, x, y, n) => ex.axpy(alpha, x.ptr, y.ptr, n),
    outerAdd: (A, x, y, alpha, rows, cols) => ex.outerAdd(A.ptr, x.ptr, y.ptr, alpha, rows, cols),
  };
}
