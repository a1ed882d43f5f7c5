// Progress and the hooks of a run on the command line: a progress bar
// (stderr; plain lines off a terminal; nothing with --quiet), and the metrics
// lines appended to metrics.jsonl after a guard found them sound (a
// non-finite state stops the run, exit 2, naming the quantity and the epoch;
// `Checkpointer` of src/checkpoint/files.ts does the same for checkpoints).
import cliProgress from "cli-progress";
import { UsageError } from "../errors.js";
import type { OutDir } from "../io/out.js";
import { stateError, type Checkpointer } from "../checkpoint/files.js";
import type { SharedOptions } from "./options.js";

export interface Progress {
  tick(done: number, info?: string): void;
  stop(): void;
}

/** A progress bar on a TTY (stderr), plain lines at most every 5 s otherwise, nothing with --quiet. */
export function progress(opts: SharedOptions, total: number, label: string): Progress {
  if (opts.quiet || total <= 0) return { tick: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {info}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: "" });
    return { tick: (d, info = "") => bar.update(d, { info }), stop: () => bar.stop() };
  }
  const start = Date.now();
  let last = 0;
  return {
    tick(d, info = "") {
      const now = Date.now();
      if (now - last < 5000 && d < total) return;
      last = now;
      const s = ((now - start) / 1000).toFixed(1);
      process.stderr.write(`${label}: ${d}/${total} (${Math.round((100 * d) / total)}%) ${s}s ${info}\n`);
    },
    stop: () => undefined,
  };
}

export interface HookGuard<M> {
  /** What is wrong with a metrics row ("W01 is NaN"), or null; a problem stops the run with exit 2. */
  check(row: M): string | null;
  /** The epoch a row belongs to (for the message). */
  epoch(row: M): number;
  /** The whole message, instead of "<label>: <problem> at epoch <epoch>; the run stops ...". */
  message?(row: M): string;
  /** The run's checkpointer, so that the message names the checkpoint that is kept. */
  checkpoint?: Pick<Checkpointer<object>, "stop"> | null;
}

/**
 * Run hooks for the CLI: `onProgress` drives a progress bar (stderr; plain lines off a terminal;
 * nothing with --quiet) and `onMetrics` appends a line to metrics.jsonl in `out`, after `guard`
 * (if given) found it sound. Call `stop()` when the run ends.
 */
export function cliHooks<M>(
  opts: SharedOptions,
  out: OutDir | null,
  label: string,
  total: number,
  guard?: HookGuard<M>,
): { onProgress: (done: number, total: number, info?: string) => void; onMetrics: (row: M) => void; stop: () => void } {
  const bar = progress(opts, total, label);
  return {
    onProgress: (done, _total, info) => bar.tick(done, info),
    onMetrics: (row) => {
      const problem = guard?.check(row);
      if (problem) {
        bar.stop();
        if (guard!.message) throw new UsageError(guard!.message(row));
        throw guard!.checkpoint ? guard!.checkpoint.stop(problem, guard!.epoch(row)) : stateError(label, problem, guard!.epoch(row), null);
      }
      out?.appendJsonl("metrics.jsonl", row);
    },
    stop: () => bar.stop(),
  };
}
