// The stdd experiment a few weight pairs at a time: a page or a worker drives
// it without blocking (the exact chain takes milliseconds per pair, a
// Monte-Carlo pair up to seconds). The phase plane of a grid is computed
// when its last point is done.
import { usage } from "../../errors.js";
import { gridValues, type StddConfig } from "./config.js";
import type { PairKernels } from "./montecarlo.js";
import { nullcline, nullclineDeviation } from "./phase.js";
import { checkConfig, headlineUpdate, stddForPair, type PairResult, type PhasePlane, type StddPairMetrics, type StddRun } from "./run.js";
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
  const dW01 = new Float64Array(n * n), dW10 = new Float64Array(n * n);
  pairs.forEach((r, i) => {
    const u = headlineUpdate(r);
    dW01[i] = u.W01;
    dW10[i] = u.W10;
  });
  const nc = nullcline(w, dW10);
  return { w, dW01, dW10, nullcline: nc.points, nullclineDeviation: nullclineDeviation(nc.points, w[n - 1] - w[0]), multipleRootColumns: nc.multiple };
}

/** The metrics line of one pair (what runStdd reports through onMetrics). */
export function pairMetrics(r: PairResult): StddPairMetrics {
  return { W01: r.W01, W10: r.W10, expectedUpdate: headlineUpdate(r), ...(r.tvd !== undefined && { tvd: r.tvd }) };
}

/**
 * The stdd experiment on backend `k` (null is enough for the exact method), `advance(n)` computing
 * the next n weight pairs; the same pairs, seeds and results as `runStdd`.
 */
export class StddSession {
  readonly pairs: PairResult[] = [];
  readonly list: [number, number][];
  private seconds = 0;

  constructor(private readonly k: PairKernels | null, readonly cfg: StddConfig, private readonly hooks: RunHooks<StddPairMetrics> = {}) {
    checkConfig(cfg);
    if (cfg.method !== "exact" && !k) throw usage("method", cfg.method, "needs a backend (only the exact method runs without one)");
    this.list = weightPairs(cfg);
  }

  get done(): boolean {
    return this.pairs.length >= this.list.length;
  }

  /** Computes the next `n` weight pairs (all that are left by default). */
  advance(n = Infinity): this {
    const t0 = performance.now();
    const end = Math.min(this.list.length, this.pairs.length + n);
    for (let i = this.pairs.length; i < end; i++) {
      const [a, b] = this.list[i];
      const r = stddForPair(this.cfg, a, b, i, this.k ?? undefined);
      this.pairs.push(r);
      this.hooks.onMetrics?.(pairMetrics(r));
      this.hooks.onProgress?.(i + 1, this.list.length);
    }
    this.seconds += (performance.now() - t0) / 1000;
    return this;
  }

  /** The pairs so far; the phase plane once every grid point is done. */
  result(): StddRun {
    const phase = this.cfg.grid && this.done ? phasePlane(gridValues(this.cfg.grid), this.pairs) : null;
    return { pairs: [...this.pairs], phase, seconds: this.seconds };
  }
}
