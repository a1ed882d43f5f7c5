// Formatting and judging of the PyTorch comparison (bench/pytorch.ts) on fake timings.
import { describe, expect, it } from "vitest";
import { nnTargets, torchRows } from "../../bench/pytorch.js";
import type { BenchRow } from "../../bench/types.js";
import { trainStepFlops } from "../../bench/cases/nn.js";

const rows: BenchRow[] = [
  { name: "nn-gemm-AB", size: "128x1024x384", unit: "op", wasmNsPerOp: 2e6, jsNsPerOp: 9e7, ratio: 45, wasmGflops: 50 },
  { name: "nn-conv2-forward", size: "64x12x12->64", unit: "image", wasmNsPerOp: 3e5, jsNsPerOp: 1.2e6, ratio: 4, wasmGflops: 44 },
  { name: "nn-train-mlp", size: "b128", unit: "batch", wasmNsPerOp: 18e6, jsNsPerOp: 4.6e8, ratio: 25.6 },
  { name: "nn-train-conv", size: "b128", unit: "batch", wasmNsPerOp: 190e6, jsNsPerOp: 8.3e9, ratio: 43.7 },
];
const torch = [
  { name: "nn-train-mlp", batch: 128, threads: 1, msPerBatch: 6, cpuMsPerBatch: 6.5, torch: "1.13" },
  { name: "nn-train-conv", batch: 128, threads: 1, msPerBatch: 280, cpuMsPerBatch: 300, torch: "1.13" },
];

describe("PyTorch comparison (fake timings)", () => {
  it("rows put PyTorch beside wasm and js, with wall and CPU-time ratios", () => {
    const r = torchRows(rows, torch, { "nn-train-mlp": 19.5, "nn-train-conv": 150 });
    expect(r[0]).toEqual(["nn-train-mlp (torch 1.13)", "6.0", "18.0", "460.0", "3.00x", "6.5", "19.5", "3.00x"]);
    expect(r[1][4]).toBe("0.68x");
    expect(r[1][7]).toBe("0.50x");
  });

  it("judges wasm >= 5x js on GEMM/conv and within 2x of PyTorch by CPU time", () => {
    const t = nnTargets(rows, torch, { "nn-train-mlp": 19.5, "nn-train-conv": 150 });
    expect(t.map((x) => x.pass)).toEqual([false, false, true]); // conv2 only 4x js; the MLP 3x PyTorch
    expect(t[0].detail).toContain("nn-conv2-forward 4.0x");
    expect(t[1].detail).toBe("CPU time 3.00x (judged), wall 3.00x");
  });

  it("counts a training step's flops: multiply-adds x2, backward twice the forward except where no input gradient is needed", () => {
    // MLP: forward 784*1024 + 1024*384 + 384*192 + 192*10 MACs; backward skips fc1's input gradient
    const fwd = 784 * 1024 + 1024 * 384 + 384 * 192 + 192 * 10;
    expect(trainStepFlops("mlp", 1)).toBe(2 * (fwd + 2 * fwd - 784 * 1024));
  });
});
