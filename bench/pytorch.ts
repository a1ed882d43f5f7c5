// The PyTorch anchor of the nn cases: bench/pytorch/nn_bench.py times one
// training step (batch 128, one thread) of the same two models; this runs
// it when a Python with torch is found (python3 on PATH, then
// /usr/bin/python3, where Debian's python3-torch installs) and puts the
// numbers beside the wasm and js rows.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Kernels } from "../src/backend/index.js";
import type { Arch } from "../src/models/layered/spec.js";
import { trainStepFn } from "./cases/nn.js";
import type { BenchRow } from "./types.js";
import type { Target } from "./report.js";

export interface TorchResult {
  name: string;
  batch: number;
  threads: number;
  msPerBatch: number;
  cpuMsPerBatch: number;
  torch: string;
}

/** Median process CPU time of our training step (ms), the same measure as the script's cpuMsPerBatch. */
export function cpuMsPerBatch(k: Kernels, arch: Arch, rounds: number): number {
  const m = k.mark();
  const step = trainStepFn(k, arch);
  step();
  step();
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    step();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  k.release(m);
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
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
  // torch.set_num_threads(1) alone still let Debian's build (OpenBLAS/OpenMP) use a second core for part of the MLP
  // step (CPU time twice the wall time): the pools are limited to one thread before torch loads.
  const env = { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  const out = execFileSync(py, [join(root, "bench/pytorch/nn_bench.py"), "--threads", "1", "--seconds", quick ? "1" : "3"], {
    encoding: "utf8",
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as TorchResult);
}

export const TORCH_HEADER = [
  "model (batch 128)",
  "PyTorch ms",
  "wasm ms",
  "js ms",
  "wasm / PyTorch",
  "PyTorch CPU ms",
  "wasm CPU ms",
  "CPU ratio",
];

/**
 * One row per model: PyTorch's wall time beside ours (tinybench medians) and the ratio
 * (target: wasm within 2x), then both as process CPU time, which other load on the machine
 * does not inflate. `wasmCpuMs` maps the case name to cpuMsPerBatch().
 */
export function torchRows(rows: BenchRow[], torch: TorchResult[], wasmCpuMs: Record<string, number>): string[][] {
  return torch.map((t) => {
    const r = rows.find((x) => x.name === t.name),
      cpu = wasmCpuMs[t.name];
    const f = (v: number | undefined) => (v === undefined ? "" : v.toFixed(1));
    const ratio = (a: number | undefined, b: number) => (a === undefined ? "" : `${(a / b).toFixed(2)}x`);
    return [
      `${t.name} (torch ${t.torch})`,
      f(t.msPerBatch),
      f(r && r.wasmNsPerOp / 1e6),
      f(r && r.jsNsPerOp / 1e6),
      ratio(r && r.wasmNsPerOp / 1e6, t.msPerBatch),
      f(t.cpuMsPerBatch),
      f(cpu),
      ratio(cpu, t.cpuMsPerBatch),
    ];
  });
}

/** Issue 11's targets: wasm >= 5x js on the GEMMs and conv layers; a training step within 2x of PyTorch (one thread). */
export function nnTargets(rows: BenchRow[], torch: TorchResult[], wasmCpuMs: Record<string, number>): Target[] {
  const kern = rows.filter((r) => r.name.startsWith("nn-gemm") || r.name.startsWith("nn-conv"));
  const t: Target[] = [];
  if (kern.length)
    t.push({
      label: "nn: wasm >= 5x js on GEMM and conv (issue 11)",
      pass: kern.every((r) => r.ratio >= 5),
      detail: kern.map((r) => `${r.name} ${r.ratio.toFixed(1)}x (${r.wasmGflops?.toFixed(1)} GFLOP/s)`).join(", "),
    });
  for (const tr of torch) {
    const r = rows.find((x) => x.name === tr.name),
      cpu = wasmCpuMs[tr.name];
    if (!r) continue;
    const wall = r.wasmNsPerOp / 1e6 / tr.msPerBatch,
      c = cpu === undefined ? NaN : cpu / tr.cpuMsPerBatch;
    t.push({
      label: `${tr.name}: wasm within 2x of PyTorch per batch, one thread (issue 11)`,
      pass: (Number.isFinite(c) ? c : wall) <= 2,
      detail: `CPU time ${Number.isFinite(c) ? c.toFixed(2) : "n/a"}x (judged), wall ${wall.toFixed(2)}x`,
    });
  }
  return t;
}
