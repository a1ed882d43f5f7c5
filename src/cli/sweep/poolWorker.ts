// A worker thread of the local pool: its own backend instance, one run at a
// time, told by the pool which run to do next (src/cli/sweep/pool.ts).
import { parentPort, workerData, threadId } from "node:worker_threads";
import { hostname } from "node:os";
import { createBackend, type BackendName } from "../../backend/index.js";
import { UsageError } from "../../errors.js";
import { executeRun } from "./execute.js";
import type { PoolRequest, PoolMessage } from "./pool.js";

const { backend } = workerData as { backend: BackendName };
const k = await createBackend(backend, { warn: () => undefined });
const port = parentPort!;
const post = (m: PoolMessage) => port.postMessage(m);

port.on("message", (req: PoolRequest) => {
  let last = 0;
  try {
    const marker = executeRun(k, req.command, req.spec, req.out, `${hostname()}:${process.pid}:thread${threadId}`, {
      replace: req.replace,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - last < 250) return;
        last = now;
        post({ kind: "progress", id: req.spec.id, done, total });
      },
    });
    post({ kind: "done", id: req.spec.id, marker });
  } catch (err) {
    post({ kind: "failed", id: req.spec.id, message: (err as Error)?.message ?? String(err), usage: err instanceof UsageError });
  }
});
post({ kind: "ready" });
