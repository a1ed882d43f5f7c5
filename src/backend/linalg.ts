// Kernel family: dense f32 linear algebra, row-major matrices A[rows, cols].
// No network model calls it today (the spiking kernels are event-driven and
// add weight columns instead); it stays as the dense base of the deep-network
// engine (issue "Deep networks, part 1") and as the bench's measure of the
// wasm SIMD throughput against native code (bench/native/matvec.c).
import type { F32Buf } from "./types.js";

export interface LinalgKernels {
  /** y = A x; A is rows x cols, x has cols entries, y rows. */
  matvec(A: F32Buf, x: F32Buf, y: F32Buf, rows: number, cols: number): void;
  /** y = A^T x; A is rows x cols, x has rows entries, y cols. */
  matvecT(A: F32Buf, x: F32Buf, y: F32Buf, rows: number, cols: number): void;
  /** C = A B; A is m x k, B is k x n, C is m x n. */
  matmul(A: F32Buf, B: F32Buf, C: F32Buf, m: number, k: number, n: number): void;
  /** y += alpha x over n entries. */
  axpy(alpha: number, x: F32Buf, y: F32Buf, n: number): void;
  /** A += alpha x y^T; A is rows x cols, x has rows entries, y cols (learning-rule updates). */
  outerAdd(A: F32Buf, x: F32Buf, y: F32Buf, alpha: number, rows: number, cols: number): void;
}
