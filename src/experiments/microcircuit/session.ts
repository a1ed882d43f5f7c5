// The microcircuit experiment a chunk of epochs at a time (a page or a worker
// drives it without blocking): its runs (every condition of the config, every
// seed, in runMicrocircuit's order) one after another, each continued from
// the state the previous chunk left (runCondition's resume), so the metrics
// and final weights equal an uninterrupted run's.
import type { Kernels } from "../../backend/index.js";
import type { RunHooks } from "../types.js";
import type { Feedback, McConfig } from "./config.js";
import { conditionsOf, runCondition, runSeed, type EpochMetrics, type McRunState, type MicrocircuitResult, type RunResult } from "./run.js";

export class McSession {
  /** The runs in order: condition, then seed. */
  readonly plan: { feedback: Feedback; seed: number }[];
  /** The runs that have ended. */
  readonly finished: RunResult[] = [];
  /** The run in progress after its latest chunk (null before its first chunk). */
  private current: McRunState | null = null;

  constructor(
    private readonly k: Kernels,
    readonly cfg: McConfig,
    private readonly hooks: RunHooks<EpochMetrics> = {},
  ) {
    this.plan = conditionsOf(cfg).flatMap((feedback) =>
      Array.from({ length: cfg.seeds }, (_, i) => ({ feedback, seed: runSeed(cfg, feedback, i) })),
    );
  }

  /** Epochs of all runs together (the unit of `advance`). */
  get total(): number {
    return this.plan.length * this.cfg.epochs;
  }

  /** Epochs done over all runs. */
  get position(): number {
    return this.finished.length * this.cfg.epochs + (this.current?.epoch ?? 0);
  }

  get done(): boolean {
    return this.finished.length >= this.plan.length;
  }

  /** Simulated steps of all runs so far (teachers included). */
  get steps(): number {
    return this.finished.reduce((s, r) => s + r.steps, 0) + (this.current?.steps ?? 0);
  }

  /**
   * Runs the next `epochs` epochs (all that are left by default), crossing from one run to the
   * next; the first chunk of a run also simulates its teacher and records its epoch 0.
   */
  advance(epochs = Infinity): this {
    let left = epochs;
    while (!this.done && left > 0) {
      const { feedback, seed } = this.plan[this.finished.length];
      const from = this.current?.epoch ?? 0;
      const to = Math.min(this.cfg.epochs, from + Math.max(1, Math.floor(Math.min(left, this.cfg.epochs))));
      const at: { state: McRunState | null } = { state: null };
      // the same run, stopped at epoch `to`: runCondition's loop ends at cfg.epochs, nothing else reads it
      const r = runCondition(
        this.k,
        { ...this.cfg, epochs: to },
        feedback,
        seed,
        {
          onMetrics: (m) => this.hooks.onMetrics?.(m),
          onEpoch: (e, snap) => {
            if (e === to && to < this.cfg.epochs) at.state = snap();
          },
        },
        this.current ?? undefined,
      );
      left -= to - from;
      if (to >= this.cfg.epochs) {
        this.finished.push(r);
        this.current = null;
      } else {
        this.current = at.state;
      }
      this.hooks.onProgress?.(this.position, this.total, `${feedback} seed ${seed} epoch ${to}/${this.cfg.epochs}`);
    }
    return this;
  }

  /** The runs that have ended, by condition (runMicrocircuit's result shape). */
  result(): MicrocircuitResult {
    const out: MicrocircuitResult = new Map();
    for (const r of this.finished) out.set(r.feedback, [...(out.get(r.feedback) ?? []), r]);
    return out;
  }

  /** The run in progress as a RunResult of its epochs so far, or null. */
  partial(): RunResult | null {
    const c = this.current;
    return c
      ? { feedback: c.feedback, seed: c.seed, epochs: c.epochs, targets: c.targets, teacher: c.teacher, steps: c.steps, seconds: c.seconds }
      : null;
  }
}
