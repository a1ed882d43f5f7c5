// A run made of independent units (a weight pair of stdd, a bias pair of its
// sweep, a simulation of ei), advanced a few units at a time: each unit's
// result gives one metrics line; `finish` puts the results so far together.
import type { RunHooks } from "./types.js";

export interface UnitPlan<U, R, M, Run> {
  units: U[];
  run(unit: U, index: number): R;
  metrics(result: R): M;
  finish(results: R[], seconds: number): Run;
}

/** What a caller needs of a unit session, whatever its unit and result types. */
export interface UnitRun<Run> {
  readonly total: number;
  /** Units done. */
  readonly count: number;
  readonly done: boolean;
  advance(n?: number): UnitRun<Run>;
  result(): Run;
}

export class UnitSession<U, R, M, Run> implements UnitRun<Run> {
  readonly results: R[] = [];
  /** Wall seconds inside `advance`. */
  seconds = 0;

  constructor(
    readonly plan: UnitPlan<U, R, M, Run>,
    private readonly hooks: RunHooks<M> = {},
  ) {}

  get total(): number {
    return this.plan.units.length;
  }

  get count(): number {
    return this.results.length;
  }

  get done(): boolean {
    return this.results.length >= this.plan.units.length;
  }

  /** Runs the next `n` units (all that are left by default). */
  advance(n = Infinity): this {
    const t0 = performance.now();
    const { units } = this.plan;
    const end = Math.min(units.length, this.results.length + n);
    for (let i = this.results.length; i < end; i++) {
      const r = this.plan.run(units[i], i);
      this.results.push(r);
      this.hooks.onMetrics?.(this.plan.metrics(r));
      this.hooks.onProgress?.(i + 1, units.length);
    }
    this.seconds += (performance.now() - t0) / 1000;
    return this;
  }

  /** The units so far, put together. */
  result(): Run {
    return this.plan.finish([...this.results], this.seconds);
  }
}
