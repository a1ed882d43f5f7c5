// `spike-align sweep FILE|PRESET`: many runs of one command from a sweep file
// or a built-in preset, on a pool of worker threads on this machine (default),
// on a Redis job queue through BullMQ (--queue), or as a Slurm job array
// (--emit slurm). Its kin: sweep-task (one run, the body of an array task:
// sweepTask.ts), worker (a queue's worker: worker.ts), report (a sweep's
// figures: report.ts).
//
// Files out: OUT is locked by the sweep process for as long as it runs (a
// second `sweep` into OUT exits 2) and its manifest lists the sweep's own
// files (sweep.json, sweep.sbatch); OUT may not hold a single run's outputs.
// Each run goes to OUT/runs/<id> by the protocol of src/cli/sweep/execute.ts
// (a staging directory per worker, renamed into place with done.json last);
// the report to OUT/report/, a run directory of its own.
import { cpus } from "node:os";
import { readdirSync } from "node:fs";
import { join, resolve as resolvePath } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import cliProgress from "cli-progress";
import { boundsHelp, numOption, pathArg, type SharedOptions } from "../options.js";
import { printSummary, say } from "../output.js";
import { runAction } from "../errors.js";
import type { Register } from "../define.js";
import { UsageError, usage } from "../../errors.js";
import type { OutDir } from "../../io/out.js";
import { OUTPUT_MARKERS, RunDir } from "../../io/rundir.js";
import { B, narrow } from "../../config/numbers.js";
import { MAX_RUNS_WITHOUT_YES, resolveSweep, type Sweep } from "../sweep/definition.js";
import { SWEEP_PRESETS } from "../sweep/presets.js";
import { readDone, removeStaleStaging, runDir } from "../sweep/execute.js";
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

/** Writes OUT/sweep.json: the runs' indices, ids and values (the report reads it). */
export function writeSweepIndex(out: OutDir, sweep: Sweep): void {
  const index: SweepIndex = {
    name: sweep.name,
    command: sweep.command,
    paths: sweep.paths,
    runs: sweep.runs.map((r) => ({ index: r.index, id: r.id, values: r.values })),
  };
  out.writeJson(SWEEP_FILE, index);
}

/**
 * Opens OUT for the sweep process: checked, created and locked (a second sweep into OUT exits 2); a
 * sweep directory (of this or an earlier run of the sweep) continues, a single run's outputs are refused.
 */
export function openSweepDir(out: string, flag = "--out"): RunDir {
  let names: string[] = [];
  try {
    names = readdirSync(out);
  } catch {
    // missing (created below) or unreadable (RunDir.open says why)
  }
  const marked = names.filter((n) => OUTPUT_MARKERS.includes(n));
  if (marked.length)
    throw new UsageError(`${flag} ${out}: holds the outputs of a single run (${marked.join(", ")}), not a sweep; pick another directory`);
  return RunDir.open(out, { command: "sweep", resume: true, flag });
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
      {
        format: "sweep [{bar}] {value}/{total} runs | {info} | eta {eta_formatted}",
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
      },
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

async function runLocal(sweep: Sweep, dir: RunDir, opts: SweepOptions): Promise<void> {
  const t0 = performance.now(),
    out = dir.dir;
  writeSweepIndex(dir, sweep);
  removeStaleStaging(out);
  const todo = sweep.runs.filter((r) => opts.force || !readDone(runDir(out, r.id)));
  const skipped = sweep.runs.length - todo.length;
  let done = skipped,
    failed = 0,
    internal = 0;
  const bar = runBar(opts, sweep.runs.length);
  bar.update(done, `${skipped} already complete`);
  const failures: string[] = [];
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  try {
    await runPool(
      todo.map((spec) => ({ command: sweep.command, spec, out, replace: !!opts.force })),
      opts.workers ?? cpus().length,
      opts.backend ?? "wasm",
      {
        onRunEnd(id, r) {
          if ("marker" in r) done++;
          else {
            failed++;
            if (!r.usage) internal++;
            failures.push(`run ${id}: ${r.error}`);
          }
          bar.update(done + failed, `${failed} failed`);
        },
        onProgress(running) {
          const parts = [...running.values()].map((f) => `${Math.round(100 * f)}%`);
          bar.update(
            done + failed,
            `running ${running.size}${parts.length ? ` (${parts.join(" ")})` : ""}${failed ? `, ${failed} failed` : ""}`,
          );
        },
      },
      controller.signal,
    );
  } finally {
    process.off("SIGINT", onSigint);
    bar.stop();
    removeStaleStaging(out, true); // the staging directories of runs the threads did not finish
  }
  for (const f of failures) process.stderr.write(`spike-align: ${f}\n`);
  const report = writeSweepReport(out);
  say(
    opts,
    `sweep ${sweep.name}: ${done} of ${sweep.runs.length} runs complete (${skipped} were already), ${failed} failed; ` +
      `report in ${join(out, "report")}${controller.signal.aborted ? " (interrupted: run again to continue)" : ""}`,
  );
  printSummary(sweepSummary(sweep, "local", out, done, failed, skipped, (performance.now() - t0) / 1000), opts);
  if (report.missing > 0 && controller.signal.aborted) process.exitCode = 130;
  else if (failed > 0) process.exitCode = internal > 0 ? 1 : 2; // runs that failed on bad input or a failed write only: 2
}

/** A value for an #SBATCH line: one token of letters, digits and - _ : . , + (never an empty string or a line break). */
function sbatchArg(flag: string, example: string): (v: string) => string {
  return (v: string) => {
    if (!/^[A-Za-z0-9_:.,+-]+$/.test(v))
      throw new InvalidArgumentError(`${flag} takes one token such as ${example} (letters, digits and - _ : . , +).`);
    return v;
  };
}

/** Bound of --cpus-per-task. */
const CPUS = narrow(B.threads, { name: "CPUs", why: "#SBATCH --cpus-per-task of each run" });

export const register: Register = (program: Command) => {
  const sweepCmd = program
    .command("sweep")
    .description(
      "Many runs of one command from a sweep file or preset: on this machine's cores, on a Redis queue (BullMQ), or as a Slurm job array",
    )
    .argument("[sweep]", `a sweep file (YAML/JSON) or a preset: ${Object.keys(SWEEP_PRESETS).join(", ")}`)
    .argument("[outdir]", "output directory (same as --out)")
    .option("--out <dir>", "output directory (default: sweeps/<name>)", pathArg("--out"))
    .addOption(new Option("--backend <name>", "kernel backend of every run").choices(["wasm", "js"]))
    .addOption(numOption("--workers <n>", "worker threads on this machine (default: the number of cores)", B.threads))
    .option("--force", "rerun runs that are already complete")
    .option("--yes", `run sweeps of more than ${MAX_RUNS_WITHOUT_YES} runs`)
    .option("--queue <url>", "enqueue the runs on a Redis queue (redis://HOST:PORT) and wait for `spike-align worker`s")
    .option(
      "--results <dir>",
      "with --queue: a directory shared with the workers where they write the runs (default: results travel through Redis)",
      pathArg("--results"),
    )
    .addOption(new Option("--emit <engine>", "write a job-array script instead of running").choices(["slurm"]))
    .option("--partition <name>", "with --emit slurm: #SBATCH --partition", sbatchArg("--partition", "debug"))
    .option("--time <t>", "with --emit slurm: #SBATCH --time per run (default 04:00:00)", sbatchArg("--time", "04:00:00 or 1-12"))
    .addOption(numOption("--cpus-per-task <n>", "with --emit slurm: #SBATCH --cpus-per-task (default 1)", CPUS))
    .option("--mem <m>", "with --emit slurm: #SBATCH --mem per run (default 2G)", sbatchArg("--mem", "2G"))
    .option("--list", "list the presets and exit")
    .option("--json", "print the summary JSON as the last stdout line")
    .option("--quiet", "no progress output");
  sweepCmd
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
at the end, also by \`spike-align report OUT\`. The sweep locks OUT while it runs: a second sweep
into the same OUT exits 2. Exit codes: 0 every run complete, 1 a run failed on an internal error,
2 bad input (or runs that failed on bad input or a failed write only), 130 interrupted.
${boundsHelp(sweepCmd)}`,
    )
    .action(
      runAction(async (sweepArg: string | undefined, outdir: string | undefined, opts: SweepOptions) => {
        if (opts.list) {
          for (const [name, p] of Object.entries(SWEEP_PRESETS)) process.stdout.write(`${name}: ${p.description}\n`);
          return;
        }
        if (sweepArg === undefined) throw new UsageError("sweep: give a sweep file or a preset name (--list shows the presets)");
        const sweep = resolveSweep(sweepArg);
        if (outdir !== undefined && opts.out !== undefined && resolvePath(outdir) !== resolvePath(opts.out))
          throw usage("--out", opts.out, `conflicts with the output directory ${outdir}`);
        const out = outdir ?? opts.out ?? join("sweeps", sweep.name);
        if (out === "") throw usage("outdir", out, "a directory");
        checkSize(sweep, opts.yes);
        // BullMQ and ioredis load only for the queue engine (they slow every command's start otherwise)
        const queue = opts.queue !== undefined ? await import("../sweep/queue.js") : null;
        if (queue) await queue.checkRedis(opts.queue!); // a bad or unreachable URL before OUT is touched
        const dir = openSweepDir(out, outdir !== undefined && opts.out === undefined ? "outdir" : "--out");
        try {
          if (opts.emit === "slurm") {
            writeSweepIndex(dir, sweep);
            const r = emitSlurm(sweepArg, sweep, dir, opts);
            say(opts, r.message);
            printSummary(sweepSummary(sweep, "slurm", out, sweep.runs.filter((s) => readDone(runDir(out, s.id))).length, 0, 0, 0), opts);
            return;
          }
          if (queue) {
            writeSweepIndex(dir, sweep);
            const r = await queue.runQueueSweep(sweep, out, opts.queue!, {
              force: opts.force,
              results: opts.results,
              backend: opts.backend,
              quiet: opts.quiet || opts.json,
            });
            writeSweepReport(out);
            say(
              opts,
              `sweep ${sweep.name}: ${r.done} of ${sweep.runs.length} runs complete (${r.skipped} were already), ` +
                `${r.failed} failed; report in ${join(out, "report")}`,
            );
            printSummary(sweepSummary(sweep, "queue", out, r.done, r.failed, r.skipped, r.seconds), opts);
            if (r.failed > 0) process.exitCode = 1;
            return;
          }
          await runLocal(sweep, dir, opts);
        } finally {
          dir.close();
        }
      }),
    );
};
