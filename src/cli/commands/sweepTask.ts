// `spike-align sweep-task SWEEP --index I --out OUT`: one run of a sweep (the
// body of a Slurm array task, src/cli/sweep/slurm.ts), skipped if complete.
// The run goes to OUT/runs/<id>/ by the protocol of src/cli/sweep/execute.ts
// (a staging directory of this process, renamed into place, done.json last).
import { hostname } from "node:os";
import { Option, type Command } from "commander";
import { backendFor } from "../resources.js";
import { boundsHelp, numOption, pathArg } from "../options.js";
import { say } from "../output.js";
import { runAction } from "../errors.js";
import type { Register } from "../define.js";
import { usage } from "../../errors.js";
import { B } from "../../config/numbers.js";
import type { BackendName } from "../../backend/index.js";
import { resolveSweep } from "../sweep/definition.js";
import { executeRun, readDone, runDir } from "../sweep/execute.js";

export const register: Register = (program: Command) => {
  const taskCmd = program
    .command("sweep-task")
    .description("Run one run of a sweep (the body of a Slurm array task); skips it if complete")
    .argument("<sweep>", "the sweep file or preset")
    .addOption(numOption("--index <i>", "the run's index in the sweep", B.runIndex).makeOptionMandatory())
    .requiredOption("--out <dir>", "the sweep's output directory", pathArg("--out"))
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .option("--force", "rerun the run even if it is complete")
    .option("--quiet", "no output");
  taskCmd
    .addHelpText(
      "after",
      `
The run goes to OUT/runs/<id>/ through a staging directory of this process, renamed into place
with done.json last (so tasks of one array never write one directory).
${boundsHelp(taskCmd)}`,
    )
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
        const m = executeRun(
          k,
          sweep.command,
          spec,
          opts.out,
          `${hostname()}:${process.pid}${process.env.SLURM_JOB_ID ? `:slurm${process.env.SLURM_JOB_ID}` : ""}`,
          { replace: !!opts.force },
        );
        say(opts, `run ${opts.index} (${spec.id}) done in ${m.seconds.toFixed(1)} s -> ${dir}`);
      }),
    );
};
