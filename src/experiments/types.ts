// What every experiment's run function shares: `run<Name>(k, cfg, hooks)` is
// pure computation on a backend; it reports through these hooks and never
// touches files. The CLI turns them into a progress bar and lines of
// metrics.jsonl; a web page or a sweep worker into whatever it shows.

export interface RunHooks<M = unknown, S = unknown> {
  /** Work done so far of `total` units (epochs, weight pairs, runs), with a short status. */
  onProgress?(done: number, total: number, info?: string): void;
  /** One evaluation point: a line of metrics.jsonl. */
  onMetrics?(row: M): void;
  /** A state from which the run can continue (checkpoint). */
  onCheckpoint?(state: S): void;
}
