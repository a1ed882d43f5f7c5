// `spike-align sweep FILE|PRESET`: many runs of one command from a sweep file
// or a built-in preset, on a pool of worker threads on this machine (default),
// on a Redis job queue through BullMQ (--queue), or as a Slurm job array
// (--emit slurm); `spike-align sweep-task` runs one run of a sweep (the body
// of an array task); `spike-align report OUT` writes a sweep's figures.
import { cpus, hostname } from "node:os";
import { existsSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { Command, Option } from "commander";
import cliProgress from "cli-progress";
import { backendFor, intOpt, printSummary, runAction, say, type Register, type SharedOptions } from "../common.js";
import { UsageError, usage } from "../../errors.js";
import { OutDir } from "../../io/out.js";
import type { BackendName } from "../../backend/index.js";
import { expandSweep, loadSweepFile, MAX_RUNS_WITHOUT_YES, type Sweep } from "../sweep/definition.js";
import { SWEEP_PRESETS } from "../sweep/presets.js";
import { executeRun, readDone, runDir } from "../sweep/execute.js";
import { runPool } from "../sweep/pool.js";
import { SWEEP_FILE, writeSweepReport, type SweepIndex } from "../sweep/report.js";
import { emitSlurm } from "../sweep/slurm.js";

interface SweepOptions extends SharedOptions {
  workers?: number;
  force?: boolean;
  yes?: boolean;
  queue?: string;
  emit?: "slurm";
  results?: string;
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  list?: boolean;
}

/** A sweep file path or a built-in preset name. */
export function resolveSweep(arg: string): Sweep {
  if (arg === "") throw usage("sweep", arg, "a sweep file or one of the presets: " + Object.keys(SWEEP_PRESETS).join(", "));
  if (arg in SWEEP_PRESETS) return expandSweep(SWEEP_PRESETS[arg].def(), process.cwd(), arg, `sweep preset ${arg}`);
  if (!existsSync(arg)) throw usage("sweep", arg, `neither a file nor a preset (presets: ${Object.keys(SWEEP_PRESETS).join(", ")})`);
  return loadSweepFile(arg);
}

/** Writes OUT/sweep.json: the runs' indices, ids and values (the report reads it). */
export function writeSweepIndex(out: string, sweep: Sweep): void {
  const index: SweepIndex = { name: sweep.name, command: sweep.command, paths: sweep.paths, runs: sweep.runs.map((r) => ({ index: r.index, id: r.id, values: r.values })) };
  new OutDir(out).writeJson(SWEEP_FILE, index);
}

function checkSize(sweep: Sweep, yes: boolean | undefined): void {
  if (sweep.runs.length > MAX_RUNS_WITHOUT_YES && !yes)
    throw new UsageError(`sweep ${sweep.name}: ${sweep.runs.length} runs is more than ${MAX_RUNS_WITHOUT_YES}; add --yes to run them`);
}

function sweepSummary(sweep: Sweep, engine: string, out: string, done: number, failed: number, skipped: number, seconds: number) {
  return { command: "sweep", sweep: sweep.name, engine, runs: sweep.runs.length, done, failed, skipped, out, seconds };
}

/** A progress bar over runs (done/total, running, ETA) on a terminal; plain lines otherwise. */
function runBar(opts: SharedOptions, total: number) {
  if (opts.quiet || opts.json) return { update: (_d: number, _info: string) => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: "sweep [{bar}] {value}/{total} runs | {info} | eta {eta_formatted}", stream: process.stderr, hideCursor: true, etaBuffer: 20 },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: "" });
    return { update: (d: number, info: string) => bar.update(d, { info }), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(d: number, info: string) {
      const now = Date.now();
      if (now - last < 5000 && d < total) return;
      last = now;
      process.stderr.write(`sweep: ${d}/${total} runs ${info}\n`);
    },
    stop: () => undefined,
  };
}

async function runLocal(sweep: Sweep, out: string, opts: SweepOptions): Promise<void> {
  const t0 = performance.now();
  writeSweepIndex(out, sweep);
  const todo = sweep.runs.filter((r) => opts.force || !readDone(runDir(out, r.id)));
  const skipped = sweep.runs.length - todo.length;
  let done = skipped, failed = 0;
  const bar = runBar(opts, sweep.runs.length);
  bar.update(done, `${skipped} already complete`);
  const failures: string[] = [];
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  try {
    await runPool(
      todo.map((spec) => ({ command: sweep.command, spec, dir: runDir(out, spec.id) })),
      opts.workers ?? cpus().length,
      (opts.backend ?? "wasm") as BackendName,
      {
        onRunEnd(id, r) {
          if ("marker" in r) done++;
          else {
            failed++;
            failures.push(`run ${id}: ${r.error}`);
          }
          bar.update(done + failed, `${failed} failed`);
        },
        onProgress(running) {
          const parts = [...running.values()].map((f) => `${Math.round(100 * f)}%`);
          bar.update(done + failed, `running ${running.size}${parts.length ? ` (${parts.join(" ")})` : ""}${failed ? `, ${failed} failed` : ""}`);
        },
      },
      controller.signal,
    );
  } finally {
    process.off("SIGINT", onSigint);
    bar.stop();
  }
  for (const f of failures) process.stderr.write(`spike-align: ${f}\n`);
  const report = writeSweepReport(out);
  say(opts, `sweep ${sweep.name}: ${done} of ${sweep.runs.length} runs complete (${skipped} were already), ${failed} failed; report in ${join(out, "report")}${controller.signal.aborted ? " (interrupted: run again to continue)" : ""}`);
  printSummary(sweepSummary(sweep, "local", out, done, failed, skipped, (performance.now() - t0) / 1000), opts);
  if (report.missing > 0 && controller.signal.aborted) process.exitCode = 130;
  else if (failed > 0) process.exitCode = 1;
}

export const register: Register = (program: Command) => {
  program
    .command("sweep")
    .description("Many runs of one command from a sweep file or preset: on this machine's cores, on a Redis queue (BullMQ), or as a Slurm job array")
    .argument("[sweep]", `a sweep file (YAML/JSON) or a preset: ${Object.keys(SWEEP_PRESETS).join(", ")}`)
    .argument("[outdir]", "output directory (same as --out)")
    .option("--out <dir>", "output directory (default: sweeps/<name>)")
    .addOption(new Option("--backend <name>", "kernel backend of every run").choices(["wasm", "js"]))
    .option("--workers <n>", "worker threads on this machine (default: the number of cores)", intOpt("--workers", 1, 1024))
    .option("--force", "rerun runs that are already complete")
    .option("--yes", `run sweeps of more than ${MAX_RUNS_WITHOUT_YES} runs`)
    .option("--queue <url>", "enqueue the runs on a Redis queue (redis://HOST:PORT) and wait for `spike-align worker`s")
    .option("--results <dir>", "with --queue: a directory shared with the workers where they write the runs (default: results travel through Redis)")
    .addOption(new Option("--emit <engine>", "write a job-array script instead of running").choices(["slurm"]))
    .option("--partition <name>", "with --emit slurm: #SBATCH --partition")
    .option("--time <t>", "with --emit slurm: #SBATCH --time per run (default 04:00:00)")
    .option("--cpus-per-task <n>", "with --emit slurm: #SBATCH --cpus-per-task (default 1)", intOpt("--cpus-per-task", 1, 1024))
    .option("--mem <m>", "with --emit slurm: #SBATCH --mem per run (default 2G)")
    .option("--list", "list the presets and exit")
    .option("--json", "print the summary JSON as the last stdout line")
    .option("--quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  spike-align sweep ssn-smoke --out runs/smoke                 # 8 short SSN runs on all cores, then runs/smoke/report/
  spike-align sweep ssn-syn-noise --out runs/fig4 --workers 2  # the paper's Fig. 4 (240 runs); run again to resume
  spike-align sweep my-sweep.yaml --queue redis://127.0.0.1:6379 --out runs/q   # with \`spike-align worker\`s elsewhere
  spike-align sweep microcircuit-fig6 --emit slurm runs/fig6   # writes runs/fig6/sweep.sbatch; then sbatch it

A sweep file:
  command: ssn            # ssn, pair, stdd or microcircuit
  preset: syn-noise       # base preset (optional)
  config: base.yaml       # a config file relative to the sweep file, or an inline mapping (optional)
  grid:                   # lists of values for config paths, combined as a product ...
    initNoise: [0.0, 0.4, 0.8]
    seeds.init: [9002, 9003]
    sal: [true, false]
  # runs: [{ initNoise: 0.8, sal: true }, ...]   # ... or an explicit list of runs

Each run goes to OUT/runs/<id>/ (the id comes from its resolved config) with done.json written
last; runs found complete are skipped (--force reruns them). The report (OUT/report/) is written
at the end, also by \`spike-align report OUT\`.`,
    )
    .action(
      runAction(async (sweepArg: string | undefined, outdir: string | undefined, opts: SweepOptions) => {
        if (opts.list) {
          for (const [name, p] of Object.entries(SWEEP_PRESETS)) process.stdout.write(`${name}: ${p.description}\n`);
          return;
        }
        if (sweepArg === undefined) throw new UsageError("sweep: give a sweep file or a preset name (--list shows the presets)");
        const sweep = resolveSweep(sweepArg);
        if (outdir !== undefined && opts.out !== undefined && resolvePath(outdir) !== resolvePath(opts.out)) throw usage("--out", opts.out, `conflicts with the output directory ${outdir}`);
        const out = outdir ?? opts.out ?? join("sweeps", sweep.name);
        if (out === "") throw usage("--out", out, "a directory");
        checkSize(sweep, opts.yes);
        if (opts.emit === "slurm") {
          writeSweepIndex(out, sweep);
          const r = emitSlurm(sweepArg, sweep, out, opts);
          say(opts, r.message);
          printSummary(sweepSummary(sweep, "slurm", out, sweep.runs.filter((s) => readDone(runDir(out, s.id))).length, 0, 0, 0), opts);
          return;
        }
        if (opts.queue) {
          writeSweepIndex(out, sweep);
          // BullMQ and ioredis load only for the queue engine (they slow every command's start otherwise)
          const { runQueueSweep } = await import("../sweep/queue.js");
          const r = await runQueueSweep(sweep, out, opts.queue, { force: opts.force, results: opts.results, backend: opts.backend, quiet: opts.quiet || opts.json });
          writeSweepReport(out);
          say(opts, `sweep ${sweep.name}: ${r.done} of ${sweep.runs.length} runs complete (${r.skipped} were already), ${r.failed} failed; report in ${join(out, "report")}`);
          printSummary(sweepSummary(sweep, "queue", out, r.done, r.failed, r.skipped, r.seconds), opts);
          if (r.failed > 0) process.exitCode = 1;
          return;
        }
        await runLocal(sweep, out, opts);
      }),
    );

  program
    .command("sweep-task")
    .description("Run one run of a sweep (the body of a Slurm array task); skips it if complete")
    .argument("<sweep>", "the sweep file or preset")
    .requiredOption("--index <i>", "the run's index in the sweep", intOpt("--index", 0, 1e9))
    .requiredOption("--out <dir>", "the sweep's output directory")
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .option("--force", "rerun the run even if it is complete")
    .option("--quiet", "no output")
    .action(
      runAction(async (sweepArg: string, opts: { index: number; out: string; backend?: BackendName; force?: boolean; quiet?: boolean }) => {
        const sweep = resolveSweep(sweepArg);
        const spec = sweep.runs[opts.index];
        if (!spec) throw usage("--index", opts.index, `a run index in [0, ${sweep.runs.length - 1}]`);
        const dir = runDir(opts.out, spec.id);
        if (!opts.force && readDone(dir)) {
          say(opts, `run ${opts.index} (${spec.id}) is complete`);
          return;
        }
        const k = await backendFor({ backend: opts.backend, quiet: opts.quiet });
        const m = executeRun(k, sweep.command, spec, dir, `${hostname()}:${process.pid}${process.env.SLURM_JOB_ID ? `:slurm${process.env.SLURM_JOB_ID}` : ""}`);
        say(opts, `run ${opts.index} (${spec.id}) done in ${m.seconds.toFixed(1)} s -> ${dir}`);
      }),
    );

  program
    .command("worker")
    .description("Pull runs from a Redis queue (BullMQ) and run them; start any number, on any machine")
    .requiredOption("--queue <url>", "the Redis URL of the sweep (redis://HOST:PORT)")
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .option("--concurrency <n>", "runs at a time in this process (default 1)", intOpt("--concurrency", 1, 64))
    .option("--idle-exit <s>", "exit after this many seconds without a job (default: run until stopped)", intOpt("--idle-exit", 1, 1e7))
    .option("--quiet", "no output")
    .addHelpText("after", `
Workers accept only run configs (a command name and a config that its schema validates), never code.

Examples:
  spike-align worker --queue redis://10.0.0.5:6379
  spike-align worker --queue redis://127.0.0.1:6379 --idle-exit 60`)
    .action(
      runAction(async (opts: { queue: string; backend?: BackendName; concurrency?: number; idleExit?: number; quiet?: boolean }) => {
        const { runQueueWorker } = await import("../sweep/queue.js");
        await runQueueWorker(opts.queue, { backend: opts.backend ?? "wasm", concurrency: opts.concurrency ?? 1, idleExit: opts.idleExit, quiet: opts.quiet });
      }),
    );

  program
    .command("report")
    .description("Figures and tables of a sweep directory (also of a partial sweep)")
    .argument("<out>", "the sweep's output directory")
    .option("--json", "print the report summary JSON as the last stdout line")
    .option("--quiet", "no output")
    .action(
      runAction(async (out: string, opts: { json?: boolean; quiet?: boolean }) => {
        const r = writeSweepReport(out);
        say(opts, `sweep ${r.name} (${r.command}): ${r.complete} of ${r.runs} runs complete${r.missing ? `, ${r.missing} missing` : ""}; ${r.conditions.length} conditions; wrote ${join(out, "report")}`);
        printSummary({ command: "report", sweep: r.name, runs: r.runs, complete: r.complete, missing: r.missing, conditions: r.conditions, out: join(out, "report") }, opts);
      }),
    );
};
