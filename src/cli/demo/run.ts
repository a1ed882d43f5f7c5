// The demo (the package's main job): a spiking Boltzmann machine learns a
// target distribution with and without SAL from the same seeds (arXiv:
// 2503.02642, Figs. 4-5): two SSN runs, SAL on and SAL off. Not an
// experiment of its own but a composite of the CLI: one ssn config
// (default preset `minimal`) run twice by the ssn experiment of the list
// (src/experiments/index.ts).
import type { Kernels } from "../../backend/index.js";
import { EXPERIMENTS } from "../../experiments/index.js";
import type { SsnConfig, SsnMetrics, SsnResult } from "../../experiments/ssn/index.js";
import type { RunHooks } from "../../experiments/types.js";

export type DemoConfig = SsnConfig;

/** The two runs of the demo: SAL on, then SAL off; everything else the same. */
export function demoRuns(cfg: DemoConfig): [SsnConfig, SsnConfig] {
  return [
    { ...cfg, sal: true },
    { ...cfg, sal: false },
  ];
}

/** A validation line of one of the two runs. */
export type DemoMetrics = SsnMetrics & { run: DemoRunName };
export type DemoRunName = "sal-on" | "sal-off";

export interface DemoRun {
  name: DemoRunName;
  cfg: DemoConfig;
  result: SsnResult;
  /** Wall time of the run (problem, simulation and metrics). */
  wallSeconds: number;
}

/** Runs SAL on, then SAL off; progress counts the epochs of both. */
export function runDemo(k: Kernels, cfg: DemoConfig, hooks: RunHooks<DemoMetrics> = {}): DemoRun[] {
  const cfgs = demoRuns(cfg);
  return cfgs.map((c, i) => {
    const name: DemoRunName = c.sal ? "sal-on" : "sal-off";
    const t0 = performance.now();
    const result = EXPERIMENTS.ssn.run(
      k,
      c,
      {
        onProgress: (done, _total, info) => hooks.onProgress?.(i * cfg.epochs + done, cfgs.length * cfg.epochs, `${name} ${info ?? ""}`),
        onMetrics: (m) => hooks.onMetrics?.({ ...m, run: name }),
      },
      undefined,
    );
    return { name, cfg: c, result, wallSeconds: (performance.now() - t0) / 1000 };
  });
}
