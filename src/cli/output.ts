// Where a command's output goes: the run directory (--out; RunDir: checked
// before the run, locked, fresh unless --force or --resume), human lines on
// stdout (unless --json or --quiet) and the --json summary line.
import { stringifyJson } from "../io/json.js";
import { RunDir, type RunDirOptions } from "../io/rundir.js";
import type { SharedOptions } from "./options.js";

/**
 * Opens `dir` (default --out) as the run directory of `command`: checked, created and locked before
 * the run; an earlier run's outputs there need --force (or `resume`). Null when there is no directory.
 */
export function openRunDir(
  opts: SharedOptions,
  command: string,
  o: Omit<RunDirOptions, "command" | "force"> & { dir?: string } = {},
): RunDir | null {
  const dir = o.dir ?? opts.out;
  if (dir === undefined) return null;
  return RunDir.open(dir, { ...o, command, force: opts.force });
}

/** Prints the summary as the last stdout line when --json is given. */
export function printSummary(summary: unknown, opts: SharedOptions): void {
  if (opts.json) process.stdout.write(stringifyJson(summary) + "\n");
}

/** Prints human-readable lines to stdout unless --json or --quiet. */
export function say(opts: SharedOptions, text: string): void {
  if (!opts.json && !opts.quiet) process.stdout.write(text + "\n");
}
