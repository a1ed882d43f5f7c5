// A worker thread of src/cli/threads.ts: takes { index, task } messages, runs
// the task's pure unit function and posts { index, result } (or { index,
// error }). A backend is created on the first task that needs one.
import { parentPort } from "node:worker_threads";
import { createBackend, type BackendName, type Kernels } from "../backend/index.js";
import type { StddConfig } from "../experiments/stdd/config.js";
import { runSweepUnit, type SweepUnit } from "../experiments/stdd/sweep.js";
import type { EiConfig } from "../experiments/ei/config.js";
import { runEiUnit, type EiUnit } from "../experiments/ei/run.js";

/** The kinds of work the threads do. */
export type ThreadTask = { kind: "stdd-sweep"; cfg: StddConfig; unit: SweepUnit } | { kind: "ei-unit"; cfg: EiConfig; unit: EiUnit };

const backends = new Map<BackendName, Promise<Kernels>>();
/** This thread's backend of that name (created once). */
function backendOf(name: BackendName): Promise<Kernels> {
  if (!backends.has(name)) backends.set(name, createBackend(name, { warn: () => undefined }));
  return backends.get(name)!;
}

async function run(task: ThreadTask): Promise<unknown> {
  switch (task.kind) {
    case "stdd-sweep":
      return runSweepUnit(task.cfg, task.unit);
    case "ei-unit":
      return runEiUnit(await backendOf(task.cfg.backend), task.cfg, task.unit);
  }
}

const port = parentPort;
if (port) {
  port.on("message", (m: { index: number; task: ThreadTask }) => {
    run(m.task).then(
      (result) => port.postMessage({ index: m.index, result }),
      (err: unknown) => port.postMessage({ index: m.index, error: (err as Error)?.message ?? String(err) }),
    );
  });
}
