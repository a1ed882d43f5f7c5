// Dense f32 linear algebra: matvec 128/512/2048, matvecT 512, matmul 64/256/512.
import type { Kernels } from "../../src/backend/index.js";
import type { BenchCase } from "../types.js";

function filled(k: Kernels, n: number, seed: number) {
  const b = k.alloc("f32", n);
  const v = b.view;
  for (let i = 0; i < n; i++) v[i] = (((i + seed) * 7919) % 1000) / 1000 - 0.5;
  return b;
}

const matvec = (n: number): BenchCase => ({
  name: "matvec",
  size: n,
  flops: 2 * n * n,
  setup(k) {
    const A = filled(k, n * n, 1),
      x = filled(k, n, 2),
      y = k.alloc("f32", n);
    return () => k.matvec(A, x, y, n, n);
  },
});

const matmul = (n: number): BenchCase => ({
  name: "matmul",
  size: n,
  flops: 2 * n * n * n,
  setup(k) {
    const A = filled(k, n * n, 1),
      B = filled(k, n * n, 2),
      C = k.alloc("f32", n * n);
    return () => k.matmul(A, B, C, n, n, n);
  },
});

export const cases: BenchCase[] = [
  matvec(128),
  matvec(512),
  matvec(2048),
  {
    name: "matvecT",
    size: 512,
    flops: 2 * 512 * 512,
    setup(k) {
      const A = filled(k, 512 * 512, 1),
        x = filled(k, 512, 2),
        y = k.alloc("f32", 512);
      return () => k.matvecT(A, x, y, 512, 512);
    },
  },
  matmul(64),
  matmul(256),
  matmul(512),
];
