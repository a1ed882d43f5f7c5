// The PyTorch anchor of the nn cases: bench/pytorch/nn_bench.py times one
// training step (batch 128, one thread) of the same two models; this runs
// it when a Python with torch is found (python3 on PATH, then
// /usr/bin/python3, where Debian's python3-torch installs) and puts the
// numbers beside the wasm and js rows.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { BenchRow } from "./types.js";

export interface TorchResult {
  name: string;
  batch: number;
  threads: number;
  msPerBatch: number;
  torch: string;
}

function pythonWithTorch(): string | null {
  for (const py of ["python3", "/usr/bin/python3"]) {
    try {
      execFileSync(py, ["-c", "import torch"], { stdio: "pipe" });
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

/** Runs the script; [] with a note when no Python has torch. */
export function runPytorch(root: string, log: (s: string) => void, quick: boolean): TorchResult[] {
  const py = pythonWithTorch();
  if (!py) {
    log("PyTorch reference skipped: no python3 with torch (Debian: apt-get install python3-torch)");
    return [];
  }
  const out = execFileSync(py, [join(root, "bench/pytorch/nn_bench.py"), "--threads", "1", "--seconds", quick ? "1" : "3"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return out.trim().split("\n").map((l) => JSON.parse(l) as TorchResult);
}

export const TORCH_HEADER = ["model (batch 128)", "PyTorch ms", "wasm ms", "js ms", "wasm / PyTorch", "wasm GFLOP/s"];

/** One row per model: PyTorch's time beside ours, and the ratio (target: wasm within 2x). */
export function torchRows(rows: BenchRow[], torch: TorchResult[]): string[][] {
  return torch.map((t) => {
    const r = rows.find((x) => x.name === t.name);
    const f = (v: number | undefined) => (v === undefined ? "" : v.toFixed(1));
    return [`${t.name} (torch ${t.torch})`, f(t.msPerBatch), f(r && r.wasmNsPerOp / 1e6), f(r && r.jsNsPerOp / 1e6), r ? `${(r.wasmNsPerOp / 1e6 / t.msPerBatch).toFixed(2)}x` : "", r?.wasmGflops ? r.wasmGflops.toFixed(1) : ""];
  });
}
