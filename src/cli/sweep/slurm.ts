// Sweeps as Slurm job arrays: `sweep FILE --emit slurm OUT` writes
// OUT/sweep.sbatch, one array task per incomplete run index, each running
// `spike-align sweep-task FILE --index $SLURM_ARRAY_TASK_ID --out OUT`
// (which skips a run found complete); `spike-align report OUT` collects.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join, resolve as resolvePath } from "node:path";
import type { OutDir } from "../../io/out.js";
import type { Sweep } from "./definition.js";
import { readDone, runDir } from "./execute.js";

export const SBATCH_FILE = "sweep.sbatch";

/** "0-3,5,7-9" of sorted distinct indices. */
export function arrayRanges(indices: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(i === j ? String(indices[i]) : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  backend?: string;
}

/** The sbatch script of the sweep's incomplete runs (null when every run is complete). */
export function sbatchScript(
  sweepArg: string,
  sweep: Sweep,
  out: string,
  o: SlurmOptions,
  cli = fileURLToPath(new URL("../main.js", import.meta.url)),
): string | null {
  const todo = sweep.runs.filter((r) => !readDone(runDir(out, r.id))).map((r) => r.index);
  if (!todo.length) return null;
  const absOut = resolvePath(out);
  // a sweep file is read by the tasks from where it is; a preset name needs no file
  const def = /[/\\.]/.test(sweepArg) ? resolvePath(sweepArg) : sweepArg;
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return [
    "#!/bin/bash",
    `#SBATCH --job-name=spike-align-${sweep.name.replace(/[^A-Za-z0-9_-]/g, "_")}`,
    `#SBATCH --array=${arrayRanges(todo)}`,
    `#SBATCH --output=${join(absOut, "slurm", "%A_%a.out")}`,
    `#SBATCH --cpus-per-task=${o.cpusPerTask ?? 1}`,
    `#SBATCH --mem=${o.mem ?? "2G"}`,
    `#SBATCH --time=${o.time ?? "04:00:00"}`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    "",
    `# ${sweep.runs.length} runs of ${sweep.command} (sweep ${sweep.name}); ${todo.length} not complete when this was written.`,
    "# Each task runs one run into OUT/runs/<id>/; a run found complete is skipped.",
    "# Afterwards: spike-align report " + absOut,
    "set -euo pipefail",
    `exec ${q(process.execPath)} ${q(cli)} sweep-task ${q(def)} --index "$SLURM_ARRAY_TASK_ID"` +
      ` --out ${q(absOut)}${o.backend ? ` --backend ${o.backend}` : ""} --quiet`,
    "",
  ].join("\n");
}

/** True when `cmd` is an executable on PATH. */
export function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Writes OUT/sweep.sbatch (and OUT/slurm/ for the tasks' logs) through `dir`, the sweep's OUT, and says how to submit it. */
export function emitSlurm(sweepArg: string, sweep: Sweep, dir: OutDir, o: SlurmOptions): { path: string | null; message: string } {
  const out = dir.dir;
  const text = sbatchScript(sweepArg, sweep, out, o);
  if (text === null)
    return { path: null, message: `sweep ${sweep.name}: every run is complete; nothing to submit (spike-align report ${out})` };
  const path = join(out, SBATCH_FILE);
  dir.writeText(SBATCH_FILE, text);
  dir.writeText("slurm/.keep", "");
  const hasSbatch = onPath("sbatch");
  return {
    path,
    message: hasSbatch
      ? `wrote ${path}; submit it with: sbatch ${path}   (then: spike-align report ${out})`
      : `wrote ${path}; note: sbatch is not on this machine: copy the script and the sweep to a Slurm login node` +
        ` and run sbatch ${SBATCH_FILE} there (then: spike-align report ${out})`,
  };
}
