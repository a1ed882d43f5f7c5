// The stdd experiment a few units at a time (a weight pair, or a bias pair of
// a sweep): a page or a worker drives it without blocking (the exact chain
// takes milliseconds per pair, a Monte-Carlo pair up to seconds). The phase
// plane of a grid is computed once its last point is done.
import { usage } from "../../errors.js";
import { gridValues, type StddConfig } from "./config.js";
import type { PairKernels } from "./montecarlo.js";
import { nullcline, nullclineDeviation } from "./phase.js";
import { checkConfig, headlineUpdate, stddForPair, type PairResult, type PhasePlane, type StddPairMetrics, type StddRun } from "./run.js";
import { finishSweep, runSweepUnit, sweepMetrics, sweepUnits, type SweepMetrics } from "./sweep.js";
import { UnitSession, type UnitRun } from "../unitSession.js";
import type { RunHooks } from "../types.js";

/** The weight pairs of a config: its list, or every point of its grid (W01 outer, W10 inner). */
export function weightPairs(cfg: StddConfig): [number, number][] {
  if (!cfg.grid) return cfg.pairs.map((p) => [p.W01, p.W10]);
  const w = gridValues(cfg.grid);
  return w.flatMap((a) => w.map((b): [number, number] => [a, b]));
}

/** The phase plane of a grid from its pairs' updates (exact where computed, else Monte-Carlo). */
export function phasePlane(w: number[], pairs: PairResult[]): PhasePlane {
  const n = w.length;
  const dW01 = new Float64Array(n * n),
    dW10 = new Float64Array(n * n);
  pairs.forEach((r, i) => {
    const u = headlineUpdate(r);
    dW01[i] = u.W01;
    dW10[i] = u.W10;
  });
  const nc = nullcline(w, dW10);
  return {
    w,
    dW01,
    dW10,
    nullcline: nc.points,
    nullclineDeviation: nullclineDeviation(nc.points, w[n - 1] - w[0]),
    multipleRootColumns: nc.multiple,
  };
}

/** The metrics line of one pair (what runStdd reports through onMetrics). */
export function pairMetrics(r: PairResult): StddPairMetrics {
  return {
    W01: r.W01,
    W10: r.W10,
    expectedUpdate: headlineUpdate(r),
    ...(r.tvd !== undefined && { tvd: r.tvd }),
    ...(r.tvdSkipped && { tvdSkipped: r.tvdSkipped }),
  };
}

/**
 * The stdd experiment on backend `k` (null is enough for the exact method and sweeps): `advance(n)`
 * computes the next n units (weight pairs, or a sweep's bias pairs); the same units, seeds and
 * results as `runStdd`.
 */
export function stddSession(
  k: PairKernels | null,
  cfg: StddConfig,
  hooks: RunHooks<StddPairMetrics | SweepMetrics> = {},
): UnitRun<StddRun> {
  checkConfig(cfg);
  if (cfg.sweep) {
    return new UnitSession(
      {
        units: sweepUnits(cfg),
        run: (u) => runSweepUnit(cfg, u),
        metrics: (r) => sweepMetrics(cfg, r),
        finish: (rs, seconds) => finishSweep(cfg, rs, seconds),
      },
      hooks,
    );
  }
  if (cfg.method !== "exact" && !k) throw usage("method", cfg.method, "needs a backend (only the exact method runs without one)");
  return new UnitSession(
    {
      units: weightPairs(cfg),
      run: ([a, b], i) => stddForPair(cfg, a, b, i, k ?? undefined),
      metrics: pairMetrics,
      finish: (pairs, seconds): StddRun => {
        const phase = cfg.grid && pairs.length === gridValues(cfg.grid).length ** 2 ? phasePlane(gridValues(cfg.grid), pairs) : null;
        return { pairs, phase, sweep: null, seconds };
      },
    },
    hooks,
  );
}
