// `spike-align worker --queue URL`: pulls runs of a sweep from a Redis queue
// (BullMQ) and runs them; start any number, on any machine
// (src/cli/sweep/queue.ts; BullMQ and ioredis load only here).
import { Option, type Command } from "commander";
import { boundsHelp, numOption } from "../options.js";
import { runAction } from "../errors.js";
import type { Register } from "../define.js";
import { B, narrow } from "../../config/numbers.js";
import type { BackendName } from "../../backend/index.js";

/** Bounds of the worker's numeric options. */
const CONCURRENCY = narrow(B.threads, { max: 64, name: "concurrency", why: "runs at a time in one worker process" });

export const register: Register = (program: Command) => {
  const workerCmd = program
    .command("worker")
    .description("Pull runs from a Redis queue (BullMQ) and run them; start any number, on any machine")
    .requiredOption("--queue <url>", "the Redis URL of the sweep (redis://HOST:PORT)")
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .addOption(numOption("--concurrency <n>", "runs at a time in this process (default 1)", CONCURRENCY))
    .addOption(numOption("--idle-exit <s>", "exit after this many seconds without a job (default: run until stopped)", B.waitSeconds))
    .option("--quiet", "no output");
  workerCmd
    .addHelpText(
      "after",
      `
Workers accept only run configs (a command name and a config that its schema validates), never code.
A run goes to a staging directory of the worker and arrives whole (done.json last) in the sweep's
--results directory, or travels back through Redis.

Examples:
  spike-align worker --queue redis://10.0.0.5:6379
  spike-align worker --queue redis://127.0.0.1:6379 --idle-exit 60
${boundsHelp(workerCmd)}`,
    )
    .action(
      runAction(async (opts: { queue: string; backend?: BackendName; concurrency?: number; idleExit?: number; quiet?: boolean }) => {
        const { runQueueWorker } = await import("../sweep/queue.js");
        await runQueueWorker(opts.queue, {
          backend: opts.backend ?? "wasm",
          concurrency: opts.concurrency ?? 1,
          idleExit: opts.idleExit,
          quiet: opts.quiet,
        });
      }),
    );
};
