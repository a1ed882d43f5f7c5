// The random-number and threshold kernels every simulation leans on.
import type { BenchCase } from "../types.js";

export const cases: BenchCase[] = [
  {
    name: "rng-fill-u32",
    size: 100_000,
    unit: "number",
    opsPerCall: 100_000,
    setup(k) {
      const st = k.alloc("u32", 4),
        out = k.alloc("u32", 100_000);
      k.rngSeed(st, 1);
      return () => k.rngFillU32(st, out);
    },
  },
  {
    name: "threshold-array",
    size: 10_000,
    unit: "neuron",
    opsPerCall: 10_000,
    setup(k) {
      const u = k.alloc("f32", 10_000),
        out = k.alloc("u32", 10_000);
      const v = u.view;
      for (let i = 0; i < v.length; i++) v[i] = Math.sin(i) * 3;
      return () => k.thresholdArray(u, out, 50);
    },
  },
];
