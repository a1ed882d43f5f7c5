// Sweeps across machines through a Redis job queue (BullMQ). `sweep --queue
// URL` enqueues every run that is not complete as a job whose id is the
// sweep's key and the run's id (so enqueuing twice adds nothing), then waits:
// each completed job's results (the run's files, or a marker when the workers
// write to a shared --results directory) are written to OUT/runs/<id>/ with
// done.json last, and the job is removed. `worker --queue URL` pulls jobs
// and runs them in a sandboxed worker thread (queueProcessor.ts), so the
// worker's own event loop keeps renewing the job's lock while a long run
// computes. A worker killed mid-job leaves its job's lock to expire; BullMQ's
// stalled-job check moves it back to the queue and another worker runs it
// again from the start (in a staging directory of its own: execute.ts). Failed runs are
// retried with exponential backoff. Jobs carry data only, never code: a
// command name and a config that the command's schema validates.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { isAbsolute, join, resolve as resolvePath } from "node:path";
import { hostname } from "node:os";
import { Queue, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { UsageError } from "../../errors.js";
import { OutDir } from "../../io/out.js";
import type { BackendName } from "../../backend/index.js";
import { experiment } from "../../experiments/index.js";
import type { Sweep } from "./definition.js";
import { copyRunFiles, listRunFiles, readDone, runDir, type DoneMarker } from "./execute.js";

export const QUEUE_NAME = "spike-align-runs";
/** Connect timeout for Redis (ms): an unreachable URL is an error within this time, never a hang. */
export const CONNECT_TIMEOUT_MS = 3000;

/** The job a sweep puts on the queue. */
export interface RunJob {
  /** The sweep's key: a hash of its name and run ids. */
  sweep: string;
  command: string;
  id: string;
  index: number;
  values: Record<string, unknown>;
  config: Record<string, unknown>;
  backend?: BackendName;
  /** A directory shared with the sweep (an absolute path): the worker writes the run to RESULTS/runs/<id>. */
  results?: string;
  /** Replace a complete run found there (sweep --force). */
  force?: boolean;
}

/** What a worker returns for a job: the marker, and the run's files unless it wrote them to `results`. */
export interface RunJobResult {
  marker: DoneMarker;
  files?: Record<string, string>;
}

function parseUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue: got ${JSON.stringify(url)}; a Redis URL such as redis://127.0.0.1:6379`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:")
    throw new UsageError(`--queue: got ${JSON.stringify(url)}; a redis:// or rediss:// URL`);
  return u;
}

/** Checks within CONNECT_TIMEOUT_MS that Redis answers at `url`; a UsageError naming the URL otherwise. */
export async function checkRedis(url: string): Promise<void> {
  parseUrl(url);
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  r.on("error", () => undefined);
  try {
    await Promise.race([
      r.connect().then(() => r.ping()),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 500),
      ),
    ]);
  } catch (err) {
    throw new UsageError(`--queue: cannot reach Redis at ${url} (${(err as Error).message || String(err)})`);
  } finally {
    r.disconnect();
  }
}

const connection = (url: string) => ({ url, maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS });

function sweepKey(sweep: Sweep): string {
  return createHash("sha256")
    .update(`${sweep.name}\n${sweep.runs.map((r) => r.id).join(",")}`)
    .digest("hex")
    .slice(0, 12);
}

/** Writes a completed job's files into OUT/runs/<id> (execute.ts: whole, marker last). */
function collect(out: string, id: string, result: RunJobResult, replace: boolean): void {
  if (!result.files) return;
  copyRunFiles(
    out,
    id,
    Object.entries(result.files).map(([name, b64]) => [name, Buffer.from(b64, "base64")]),
    result.marker,
    replace,
  );
}

export interface QueueSweepResult {
  done: number;
  failed: number;
  skipped: number;
  seconds: number;
}

/**
 * Enqueues the sweep's incomplete runs and waits until every one has completed or failed for good,
 * collecting results into `out`. Progress goes to stderr unless quiet.
 */
export async function runQueueSweep(
  sweep: Sweep,
  out: string,
  url: string,
  o: { force?: boolean; results?: string; backend?: BackendName; quiet?: boolean; pollMs?: number },
): Promise<QueueSweepResult> {
  const t0 = performance.now();
  await checkRedis(url);
  if (o.results) {
    try {
      new OutDir(o.results).writeText(".spike-align-results", "a shared results directory of a sweep\n");
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--results: ${o.results} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const key = sweepKey(sweep);
  const todo = sweep.runs.filter((r) => o.force || !readDone(runDir(out, r.id)));
  const skipped = sweep.runs.length - todo.length;
  const queue = new Queue<RunJob, RunJobResult>(QUEUE_NAME, { connection: connection(url) });
  try {
    const jobId = (id: string) => `${key}-${id}`;
    if (o.force) for (const r of todo) await (await queue.getJob(jobId(r.id)))?.remove();
    await queue.addBulk(
      todo.map((r) => ({
        name: sweep.command,
        data: {
          sweep: key,
          command: sweep.command,
          id: r.id,
          index: r.index,
          values: r.values,
          config: r.config,
          backend: o.backend,
          results: o.results ? resolvePath(o.results) : undefined,
          force: o.force || undefined,
        },
        opts: {
          jobId: jobId(r.id),
          attempts: 3,
          backoff: { type: "exponential", delay: 2000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      })),
    );
    const pending = new Set(todo.map((r) => r.id));
    let done = 0,
      failed = 0,
      lastLine = 0;
    while (pending.size > 0) {
      for (const id of [...pending]) {
        const state = await queue.getJobState(jobId(id));
        // fetched after its state, so a completed job carries its return value
        const job = state === "completed" || state === "failed" ? await queue.getJob(jobId(id)) : undefined;
        if (!job) continue;
        if (state === "completed") {
          const result = job.returnvalue as RunJobResult | null;
          if (!result?.marker) continue;
          if (o.results && !result.files) {
            // the worker wrote the run into the shared directory; check its marker arrived
            if (!readDone(runDir(o.results, id))) continue;
            if (resolvePath(o.results) !== resolvePath(out)) copyRun(runDir(o.results, id), out, id, !!o.force);
          } else collect(out, id, result, !!o.force);
          pending.delete(id);
          done++;
          await job.remove();
        } else if (state === "failed") {
          pending.delete(id);
          failed++;
          if (!o.quiet) process.stderr.write(`spike-align: run ${id} failed after ${job.attemptsMade} attempts: ${job.failedReason}\n`);
        }
      }
      const now = Date.now();
      if (!o.quiet && (now - lastLine > 5000 || pending.size === 0)) {
        lastLine = now;
        const counts = await queue.getJobCounts("active", "waiting", "delayed");
        process.stderr.write(
          `sweep ${sweep.name}: ${done + skipped}/${sweep.runs.length} runs complete` +
            `, ${counts.active ?? 0} running, ${(counts.waiting ?? 0) + (counts.delayed ?? 0)}` +
            ` queued${failed ? `, ${failed} failed` : ""}\n`,
        );
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 300));
    }
    return { done: done + skipped, failed, skipped, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await queue.close();
  }
}

/** Copies a complete run from the shared results directory into OUT/runs/<id> (whole, marker last). */
function copyRun(from: string, out: string, id: string, replace: boolean): void {
  const marker = readDone(from)!;
  copyRunFiles(
    out,
    id,
    listRunFiles(from).map((name) => [name, readFileSync(join(from, name))]),
    marker,
    replace,
  );
}

/** Validates a job before it runs: a known command and a config its schema accepts (data, never code). */
export function validateJob(data: unknown): RunJob {
  const d = data as RunJob;
  if (!d || typeof d !== "object" || typeof d.command !== "string" || typeof d.id !== "string" || !/^[0-9a-f]{12}$/.test(d.id))
    throw new Error("job: not a spike-align run");
  if (d.results !== undefined && (typeof d.results !== "string" || !isAbsolute(d.results)))
    throw new Error(`job ${d.id}: results must be an absolute directory path`);
  if (d.force !== undefined && typeof d.force !== "boolean") throw new Error(`job ${d.id}: force must be true or false`);
  const exp = experiment(d.command);
  if (!exp) throw new Error(`job: unknown command ${JSON.stringify(d.command)}`);
  const parsed = exp.schema.safeParse(d.config);
  if (!parsed.success) throw new Error(`job ${d.id}: config rejected by the ${d.command} schema: ${parsed.error.issues[0]?.message}`);
  return d;
}

/** Runs jobs from the queue at `url` until stopped (SIGINT / SIGTERM) or idle for `idleExit` seconds. */
export async function runQueueWorker(
  url: string,
  o: { backend: BackendName; concurrency: number; idleExit?: number; quiet?: boolean; lockSeconds?: number },
): Promise<void> {
  await checkRedis(url);
  const lockDuration = (o.lockSeconds ?? Number(process.env.SPIKE_ALIGN_QUEUE_LOCK_SECONDS ?? 30)) * 1000;
  const worker = new Worker<RunJob, RunJobResult>(QUEUE_NAME, new URL("./queueProcessor.js", import.meta.url), {
    connection: connection(url),
    concurrency: o.concurrency,
    useWorkerThreads: true,
    lockDuration,
    stalledInterval: Math.max(1000, lockDuration / 2),
    maxStalledCount: 3,
  });
  const say = (s: string) => {
    if (!o.quiet) process.stderr.write(`worker ${hostname()}:${process.pid}: ${s}\n`);
  };
  let last = Date.now();
  worker.on("active", (job: Job<RunJob>) => {
    last = Date.now();
    say(`run ${job.data.id} (${job.data.command}, sweep ${job.data.sweep}, attempt ${job.attemptsMade + 1})`);
  });
  worker.on("completed", (job: Job<RunJob>) => {
    last = Date.now();
    say(`run ${job.data.id} done`);
  });
  worker.on("failed", (job: Job<RunJob> | undefined, err: Error) => {
    last = Date.now();
    say(`run ${job?.data.id ?? "?"} failed: ${err.message}`);
  });
  worker.on("error", (err: Error) => say(`error: ${err.message}`));
  say(`waiting for runs on ${url} (queue ${QUEUE_NAME}, backend ${o.backend}, ${o.concurrency} at a time)`);
  await new Promise<void>((resolve) => {
    let idleTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      clearInterval(idleTimer);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (o.idleExit) {
      const idleMs = o.idleExit * 1000;
      // one check at a time (it asks redis); a check that fails (redis unreachable) is reported, and the next one tries again
      let checking = false;
      idleTimer = setInterval(() => {
        if (checking || Date.now() - last <= idleMs || !worker.isRunning()) return;
        checking = true;
        hasWork(worker)
          .then((busy) => {
            if (!busy) stop();
          })
          .catch((err: unknown) => say(`idle check failed: ${err instanceof Error ? err.message : String(err)}`))
          .finally(() => {
            checking = false;
          });
      }, 1000);
    }
  });
  await worker.close();
}

async function hasWork(worker: Worker): Promise<boolean> {
  const q = new Queue(QUEUE_NAME, { connection: worker.opts.connection });
  try {
    const c = await q.getJobCounts("active", "waiting", "delayed");
    return (c.active ?? 0) + (c.waiting ?? 0) + (c.delayed ?? 0) > 0;
  } finally {
    await q.close();
  }
}
