// Many independent units of work (a sweep's phase planes, a grid of
// simulations) spread over worker_threads on this machine. Each thread runs
// threadWorker.ts, which maps a task to an experiment's pure unit function;
// results come back with their task's index, so the outcome does not depend
// on the number of threads or on which thread ran what.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ThreadTask } from "./threadWorker.js";

export type { ThreadTask } from "./threadWorker.js";

/** Threads to use by default: the cores Node reports. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Runs `tasks` on up to `threads` worker threads and resolves with their results in task order;
 * `onResult` is called as each result arrives (progress, metrics lines). A task that throws rejects
 * the whole run (the other threads are stopped).
 */
export function runInThreads<R>(tasks: ThreadTask[], threads: number, onResult?: (index: number, result: R) => void): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  let next = 0,
    done = 0;
  const workers: Worker[] = [];
  return new Promise<R[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    if (tasks.length === 0) return finish();
    const feed = (w: Worker) => {
      if (next < tasks.length) {
        const index = next++;
        w.postMessage({ index, task: tasks[index] });
      }
    };
    const n = Math.max(1, Math.min(threads, tasks.length));
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL("./threadWorker.js", import.meta.url));
      workers.push(w);
      w.on("message", (m: { index: number; result?: R; error?: string }) => {
        if (m.error !== undefined) return finish(new Error(`task ${m.index} (${tasks[m.index].kind}): ${m.error}`));
        results[m.index] = m.result as R;
        done++;
        onResult?.(m.index, m.result as R);
        if (done === tasks.length) finish();
        else feed(w);
      });
      w.on("error", (err) => finish(err));
      w.on("exit", (code) => {
        if (!settled && code !== 0) finish(new Error(`worker thread exited with code ${code}`));
      });
      feed(w);
    }
  });
}

/**
 * The units of an experiment as thread tasks: each result becomes a metrics line and a progress tick as it
 * arrives; resolves with the results in unit order.
 */
export function unitsInThreads<U, R, M>(
  units: U[],
  threads: number,
  task: (u: U) => ThreadTask,
  hooks: { onMetrics(row: M): void; onProgress(done: number, total: number): void },
  metrics: (r: R) => M,
): Promise<R[]> {
  let done = 0;
  return runInThreads<R>(units.map(task), threads, (_i, r) => {
    hooks.onMetrics(metrics(r));
    hooks.onProgress(++done, units.length);
  });
}

/**
 * Runs the units of an experiment in this thread (`local`: one thread asked for, or fewer than four
 * units) or over `threads` worker threads (`task` of each unit; `finish` assembles the results in
 * unit order, with the wall seconds). The same run either way; `hooks` get a metrics line and a
 * progress tick per unit.
 */
export async function runUnits<U, R, M, Run>(o: {
  units: U[];
  threads: number;
  hooks: { onMetrics(row: M): void; onProgress(done: number, total: number): void };
  local(): Run | Promise<Run>;
  task: (u: U) => ThreadTask;
  metrics: (r: R) => M;
  finish(results: R[], seconds: number): Run;
}): Promise<Run> {
  if (o.threads <= 1 || o.units.length < 4) return o.local();
  const t0 = performance.now();
  const results = await unitsInThreads(o.units, o.threads, o.task, o.hooks, o.metrics);
  return o.finish(results, (performance.now() - t0) / 1000);
}
