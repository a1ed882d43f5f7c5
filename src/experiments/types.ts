// What every experiment's run function shares: `run<Name>(k, cfg, hooks)` is
// pure computation on a backend; it reports through these hooks and never
// touches files. The CLI turns them into a progress bar and lines of
// metrics.jsonl; a web page or a sweep worker into whatever it shows.

// `this: void`: a hook is handed on detached (`onMetrics: hooks.onMetrics`), so none may use `this`.
export interface RunHooks<M = unknown, S = unknown> {
  /** Work done so far of `total` units (epochs, weight pairs, runs), with a short status. */
  onProgress?(this: void, done: number, total: number, info?: string): void;
  /** One evaluation point: a line of metrics.jsonl. */
  onMetrics?(this: void, row: M): void;
  /** A state from which the run can continue (checkpoint). */
  onCheckpoint?(this: void, state: S): void;
}

/** A step-able run (src/experiments/session.ts drives these): `advance()` with no count runs to the end. */
export interface Advancing<R> {
  advance(): { result(): R };
  dispose(): void;
}

/** Runs a session to its end and frees its backend memory, also when it throws: a whole `run<Name>`. */
export function runToEnd<R>(session: Advancing<R>): R {
  try {
    return session.advance().result();
  } finally {
    session.dispose();
  }
}
