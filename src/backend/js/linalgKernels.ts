// Reference dense linear algebra on Float32Arrays (row-major): the readable
// twin of assembly/linalg.ts. Equal to 1e-5 relative, not bit for bit: the
// sums here run in f64, the wasm loops' in f32x4 accumulators.
import type { LinalgKernels } from "../linalg.js";

function axpyArr(alpha: number, x: Float32Array, xo: number, y: Float32Array, yo: number, n: number): void {
  for (let j = 0; j < n; j++) y[yo + j] += alpha * x[xo + j];
}

export const linalgKernels: LinalgKernels = {
  matvec(A, x, y, rows, cols) {
    const a = A.view,
      xv = x.view,
      yv = y.view;
    // four partial sums break the dependency chain of one running sum
    const c4 = cols - (cols % 4);
    for (let i = 0; i < rows; i++) {
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      const o = i * cols;
      let j = 0;
      for (; j < c4; j += 4) {
        s0 += a[o + j] * xv[j];
        s1 += a[o + j + 1] * xv[j + 1];
        s2 += a[o + j + 2] * xv[j + 2];
        s3 += a[o + j + 3] * xv[j + 3];
      }
      for (; j < cols; j++) s0 += a[o + j] * xv[j];
      yv[i] = s0 + s1 + (s2 + s3);
    }
  },
  matvecT(A, x, y, rows, cols) {
    const a = A.view,
      xv = x.view,
      yv = y.view;
    yv.fill(0, 0, cols);
    for (let i = 0; i < rows; i++) axpyArr(xv[i], a, i * cols, yv, 0, cols);
  },
  matmul(A, B, C, m, k, n) {
    const a = A.view,
      b = B.view,
      c = C.view;
    c.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) axpyArr(a[i * k + p], b, p * n, c, i * n, n);
  },
  axpy(alpha, x, y, n) {
    axpyArr(alpha, x.view, 0, y.view, 0, n);
  },
  outerAdd(A, x, y, alpha, rows, cols) {
    const a = A.view,
      xv = x.view,
      yv = y.view;
    for (let i = 0; i < rows; i++) axpyArr(alpha * xv[i], yv, 0, a, i * cols, cols);
  },
};
