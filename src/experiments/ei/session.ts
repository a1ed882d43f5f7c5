// The ei experiment a few simulations at a time (a page or a worker drives it
// without blocking): the same units, seeds and results as `runEi`.
import { UnitSession, type UnitRun } from "../unitSession.js";
import type { RunHooks } from "../types.js";
import type { EiConfig } from "./config.js";
import { checkEiConfig, eiMetrics, eiUnits, finishEi, runEiUnit, type EiKernels, type EiMetrics, type EiRun } from "./run.js";

export function eiSession(k: EiKernels, cfg: EiConfig, hooks: RunHooks<EiMetrics> = {}): UnitRun<EiRun> {
  checkEiConfig(cfg);
  return new UnitSession(
    {
      units: eiUnits(cfg),
      run: (u) => runEiUnit(k, cfg, u),
      metrics: (r) => eiMetrics(cfg, r),
      finish: (rs, seconds) => finishEi(cfg, rs, seconds),
    },
    hooks,
  );
}
