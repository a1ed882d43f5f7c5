import { expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { tsRandom } from "../../src/rng/seeds.js";

/** Independent f64 references. */
function refMatmul(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const c = new Array(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j] += a[i * k + p] * b[p * n + j];
  return c;
}
const rand = (n: number, seed: number) => {
  const r = tsRandom(seed, "linalg");
  return Array.from({ length: n }, () => r.range(-1, 1));
};
function expectClose(got: ArrayLike<number>, want: number[], scale: number[]): void {
  expect(got.length).toBeGreaterThanOrEqual(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `entry ${i}`).toBeLessThanOrEqual(1e-5 * Math.max(1, scale[i]));
}

// sizes hit SIMD bodies, 4-row blocks and every tail length
const SHAPES: [number, number][] = [
  [0, 0],
  [1, 1],
  [3, 5],
  [4, 8],
  [7, 13],
  [9, 16],
  [33, 47],
  [64, 64],
];

describeBackends("linalg", (k) => {
  it("matvec and matvecT match an f64 reference at 1e-5 relative (incl. tails and zero sizes)", () => {
    for (const [rows, cols] of SHAPES) {
      const a = rand(rows * cols, rows * 100 + cols),
        x = rand(cols, 1),
        xt = rand(rows, 2);
      const A = k().from("f32", a),
        X = k().from("f32", x),
        Y = k().alloc("f32", rows),
        XT = k().from("f32", xt),
        YT = k().alloc("f32", cols);
      k().matvec(A, X, Y, rows, cols);
      k().matvecT(A, XT, YT, rows, cols);
      const af = Array.from(A.view),
        xf = Array.from(X.view),
        xtf = Array.from(XT.view);
      expectClose(Y.view, refMatmul(af, xf, rows, cols, 1), refMatmul(af.map(Math.abs), xf.map(Math.abs), rows, cols, 1));
      const at = new Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) at[j * rows + i] = af[i * cols + j];
      expectClose(YT.view, refMatmul(at, xtf, cols, rows, 1), refMatmul(at.map(Math.abs), xtf.map(Math.abs), cols, rows, 1));
    }
  });

  it("matmul matches an f64 reference for odd shapes", () => {
    for (const [m, kk, n] of [
      [1, 1, 1],
      [5, 3, 7],
      [4, 9, 8],
      [9, 17, 13],
      [16, 16, 16],
      [0, 3, 2],
    ]) {
      const a = rand(m * kk, m + kk),
        b = rand(kk * n, n + 1);
      const A = k().from("f32", a),
        B = k().from("f32", b),
        C = k().alloc("f32", m * n);
      C.view.fill(99);
      k().matmul(A, B, C, m, kk, n);
      const af = Array.from(A.view),
        bf = Array.from(B.view);
      expectClose(C.view, refMatmul(af, bf, m, kk, n), refMatmul(af.map(Math.abs), bf.map(Math.abs), m, kk, n));
    }
  });

  it("axpy and outerAdd update in place", () => {
    const X = k().from("f32", [1, 2, 3, 4, 5]),
      Y = k().from("f32", [1, 1, 1, 1, 1]);
    k().axpy(0.5, X, Y, 5);
    expect(Array.from(Y.view)).toEqual([1.5, 2, 2.5, 3, 3.5]);
    const A = k().from("f32", [1, 1, 1, 1, 1, 1]),
      x = k().from("f32", [1, 2]),
      y = k().from("f32", [1, 0, -1]);
    k().outerAdd(A, x, y, 2, 2, 3);
    expect(Array.from(A.view)).toEqual([3, 1, -1, 5, 1, -3]);
  });
});
