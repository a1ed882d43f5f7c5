// `spike-align stdd` (src/experiments/stdd/): the command of its descriptor,
// and what it does besides: --w01 needs --w10, --biases set a sweep's
// biases, the checks across fields and a sweep's size, a bias sweep over
// worker threads, and no backend for the exact chain.
import { usage } from "../../errors.js";
import { runStdd, stddExperiment, type StddConfig, type StddRun } from "../../experiments/stdd/index.js";
import { checkConfig } from "../../experiments/stdd/run.js";
import {
  chainsPerUnit,
  finishSweep,
  sweepMetrics,
  sweepUnits,
  type SweepMetrics,
  type SweepUnitResult,
} from "../../experiments/stdd/sweep.js";
import type { SharedOptions } from "../options.js";
import { experimentCommand, type HooksOf } from "../run/command.js";
import { defaultThreads, runUnits } from "../threads.js";

interface StddOptions extends SharedOptions {
  w01?: number;
  w10?: number;
  biases?: number[];
  threads?: number;
  yes?: boolean;
}

/** Exact chains a bias sweep may solve without --yes. */
const SWEEP_CHAIN_LIMIT = 200_000;

function configure(cfg: StddConfig, opts: StddOptions): StddConfig {
  if (opts.biases !== undefined) {
    if (!cfg.sweep)
      throw usage(
        "--biases",
        opts.biases.join(","),
        "sets the biases of a bias sweep: use it with --preset psp-shapes (or a config with a sweep)",
      );
    cfg.sweep.biases = opts.biases;
  }
  checkConfig(cfg);
  if (cfg.sweep && !opts.yes) {
    const chains = sweepUnits(cfg).length * chainsPerUnit(cfg);
    if (chains > SWEEP_CHAIN_LIMIT) {
      const sw = cfg.sweep;
      throw usage(
        "sweep.biases",
        `${sw.biases.length} values`,
        `${sw.shapes.length} shapes x ${sw.biases.length ** 2} bias pairs x ${chainsPerUnit(cfg)} weight pairs` +
          ` = ${chains} exact chains; more than ${SWEEP_CHAIN_LIMIT} need --yes`,
      );
    }
  }
  return cfg;
}

/** A bias sweep over worker threads (one thread: in this one); results in the same order either way. */
function runSweepThreads(
  cfg: StddConfig,
  opts: StddOptions,
  hooks: { onMetrics(row: SweepMetrics): void; onProgress(done: number, total: number): void },
): Promise<StddRun> {
  return runUnits({
    units: sweepUnits(cfg),
    threads: opts.threads ?? defaultThreads(),
    hooks,
    local: () => runStdd(null, cfg, hooks),
    task: (unit) => ({ kind: "stdd-sweep", cfg, unit }),
    metrics: (r: SweepUnitResult) => sweepMetrics(cfg, r),
    finish: (results, seconds) => finishSweep(cfg, results, seconds),
  });
}

const hooks: HooksOf<typeof stddExperiment, StddOptions> = {
  before(opts) {
    if ((opts.w01 === undefined) !== (opts.w10 === undefined)) {
      const [given, missing] = opts.w01 === undefined ? ["--w10", "--w01"] : ["--w01", "--w10"];
      throw usage(missing, undefined, `give it together with ${given}`);
    }
  },
  configure,
  // the exact chain needs no backend
  lazyBackend: true,
  run: async ({ cfg, opts, hooks, kernels }) =>
    cfg.sweep ? runSweepThreads(cfg, opts, hooks) : runStdd(cfg.method !== "exact" ? await kernels() : null, cfg, hooks),
};

export const register = experimentCommand(stddExperiment, hooks);
