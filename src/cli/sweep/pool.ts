// The embedded engine: a pool of worker_threads on this machine, each with
// its own backend instance, pulling runs from one queue until it is empty.
import { Worker } from "node:worker_threads";
import type { BackendName } from "../../backend/index.js";
import type { DoneMarker } from "./execute.js";
import type { RunSpec } from "./definition.js";

export interface PoolRequest {
  command: string;
  spec: Pick<RunSpec, "id" | "index" | "values" | "config">;
  /** The sweep's output directory (the run goes to OUT/runs/<id>). */
  out: string;
  /** Replace a complete run found there (--force). */
  replace: boolean;
}

export type PoolMessage =
  | { kind: "ready" }
  | { kind: "progress"; id: string; done: number; total: number }
  | { kind: "done"; id: string; marker: DoneMarker }
  | { kind: "failed"; id: string; message: string; usage: boolean };

export interface PoolEvents {
  /** A run finished (marker written) or failed (message; `usage`: bad input or a failed write, else an internal error). */
  onRunEnd(id: string, result: { marker: DoneMarker } | { error: string; usage: boolean }): void;
  /** Progress within running runs: id -> fraction done. */
  onProgress?(running: Map<string, number>): void;
}

/**
 * Runs `jobs` on `workers` threads; resolves when every job has ended. `signal` aborts: the
 * threads are terminated and the runs in progress are left without their completion marker.
 */
export function runPool(jobs: PoolRequest[], workers: number, backend: BackendName, ev: PoolEvents, signal?: AbortSignal): Promise<void> {
  const queue = [...jobs];
  const running = new Map<string, number>();
  const threads: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let live = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const t of threads) void t.terminate();
      if (err) reject(err);
      else resolve();
    };
    signal?.addEventListener("abort", () => finish(), { once: true });
    const next = (w: Worker) => {
      const job = queue.shift();
      if (!job) {
        live--;
        void w.terminate();
        if (live === 0) finish();
        return;
      }
      running.set(job.spec.id, 0);
      ev.onProgress?.(running);
      w.postMessage(job);
    };
    const n = Math.max(1, Math.min(workers, jobs.length));
    if (jobs.length === 0) return finish();
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL("./poolWorker.js", import.meta.url), { workerData: { backend } });
      threads.push(w);
      live++;
      w.on("message", (m: PoolMessage) => {
        if (m.kind === "ready") next(w);
        else if (m.kind === "progress") {
          running.set(m.id, m.total > 0 ? m.done / m.total : 0);
          ev.onProgress?.(running);
        } else {
          running.delete(m.id);
          ev.onRunEnd(m.id, m.kind === "done" ? { marker: m.marker } : { error: m.message, usage: m.usage });
          next(w);
        }
      });
      w.on("error", (err) => finish(err));
    }
  });
}
