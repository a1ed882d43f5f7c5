// The sandboxed processor of `spike-align worker` (a worker thread BullMQ
// starts): validates a queued run (data only), runs it with this thread's
// backend, and returns its marker and, unless the sweep shares a results
// directory, its files (base64) to travel back through Redis.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { SandboxedJob } from "bullmq";
import { createBackend, type Kernels } from "../../backend/index.js";
import { executeRun, listRunFiles, runDir } from "./execute.js";
import { validateJob, type RunJob, type RunJobResult } from "./queue.js";

let kernels: Promise<Kernels> | null = null;
let kernelsName = "";

export default async function process(job: SandboxedJob<RunJob, RunJobResult>): Promise<RunJobResult> {
  const d = validateJob(job.data);
  const backend = d.backend ?? "wasm";
  if (!kernels || kernelsName !== backend) {
    kernels = createBackend(backend, { warn: () => undefined });
    kernelsName = backend;
  }
  const k = await kernels;
  // the run goes to RESULTS/runs/<id> (shared with the sweep), or to a temporary directory whose files travel back
  const tmp = d.results ? null : mkdtempSync(join(tmpdir(), "spike-align-run-"));
  const out = d.results ?? tmp!;
  let last = 0;
  try {
    const marker = executeRun(k, d.command, d, out, `${hostname()}:${globalThis.process.pid}:job${job.id}`, {
      replace: d.force,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - last > 1000) {
          last = now;
          void job.updateProgress(total > 0 ? done / total : 0);
        }
      },
    });
    if (d.results) return { marker };
    const dir = runDir(out, d.id),
      files: Record<string, string> = {};
    for (const name of listRunFiles(dir)) files[name] = readFileSync(join(dir, name)).toString("base64");
    return { marker, files };
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}
