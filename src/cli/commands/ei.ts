// `spike-align ei` (src/experiments/ei/): the command of its descriptor, and
// what it does besides: the checks across fields and of the run's size, and
// the simulations over worker threads.
import { usage } from "../../errors.js";
import { EI_STEP_LIMIT } from "../../experiments/ei/cli.js";
import { checkEiConfig, eiExperiment, eiMetrics, eiUnits, finishEi, runEi, unitSteps, type EiConfig } from "../../experiments/ei/index.js";
import type { EiUnitResult } from "../../experiments/ei/index.js";
import type { SharedOptions } from "../options.js";
import { experimentCommand, type HooksOf } from "../run/command.js";
import { defaultThreads, runUnits } from "../threads.js";

interface EiOptions extends SharedOptions {
  w12?: number;
  w21?: number;
  threads?: number;
  yes?: boolean;
}

function configure(cfg: EiConfig, opts: EiOptions): EiConfig {
  if (cfg.grid && (opts.w12 !== undefined || opts.w21 !== undefined)) {
    throw usage(
      opts.w12 !== undefined ? "--w12" : "--w21",
      opts.w12 ?? opts.w21,
      "sets the E-E weight of one simulation; the grid sets both: add --grid none",
    );
  }
  checkEiConfig(cfg);
  const steps = eiUnits(cfg).reduce((a, u) => a + unitSteps(cfg, u), 0);
  if (steps > EI_STEP_LIMIT && !opts.yes)
    throw usage(
      "steps",
      cfg.steps,
      `the run simulates ${steps.toExponential(2)} steps in all; more than ${EI_STEP_LIMIT.toExponential(0)} need --yes`,
    );
  return cfg;
}

const hooks: HooksOf<typeof eiExperiment, EiOptions> = {
  configure,
  lazyBackend: true,
  // the simulations over worker threads (one thread: in this one); results in the same order either way
  async run({ cfg, opts, hooks, kernels }) {
    // the backend is created here first, so a missing-SIMD fallback warning is printed once
    const k = await kernels();
    return runUnits({
      units: eiUnits(cfg),
      threads: opts.threads ?? defaultThreads(),
      hooks,
      local: () => runEi(k, cfg, hooks),
      task: (unit) => ({ kind: "ei-unit", cfg, unit }),
      metrics: (r: EiUnitResult) => eiMetrics(cfg, r),
      finish: (results, seconds) => finishEi(cfg, results, seconds),
    });
  },
};

export const register = experimentCommand(eiExperiment, hooks);
