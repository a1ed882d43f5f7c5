// One benchmark case, run on both backends side by side by bench/run.ts.
//
// Case files live in bench/cases/<family>.ts and export `cases: BenchCase[]`;
// bench/cases/index.ts lists them. `setup` allocates everything (outside the
// timed region) and returns the function to time; one call of it performs
// `opsPerCall` operations (e.g. simulation steps), so ns/op = time / opsPerCall.
import type { Kernels } from "../src/backend/index.js";

export interface BenchCase {
  /** Kernel name; targets look for substrings such as "matvec" and "sampling-step". */
  name: string;
  size: number | string;
  /** What one op is (default "op"), e.g. "step". */
  unit?: string;
  /** Operations performed by one call of the timed function (default 1). */
  opsPerCall?: number;
  /** Floating-point operations per op, to print GFLOP/s. */
  flops?: number;
  setup(k: Kernels): () => void;
}

export interface BenchRow {
  name: string;
  size: number | string;
  unit: string;
  wasmNsPerOp: number;
  jsNsPerOp: number;
  /** js / wasm: how many times faster wasm is. */
  ratio: number;
  wasmGflops?: number;
  jsGflops?: number;
}
