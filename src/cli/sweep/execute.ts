// One run of a sweep into its own directory OUT/runs/<id>/: the same files as
// a single run of the command (config.json, metrics.jsonl, summary.json, the
// command's outputs), then the completion marker done.json, written last.
//
// A run directory is complete or absent. A run is written into a staging
// directory of its own, OUT/runs/.<id>.<host>.<pid>.<thread>.tmp/, and renamed
// to OUT/runs/<id> once done.json is in it. So two workers running the same
// run (a job handed out again while its first worker still ran, two sweeps
// sharing a --results directory) never write one directory, a reader never
// sees half a run, and nothing is ever removed from under another writer:
// when the run arrives, a complete directory already there is kept (same
// config, same results) unless the run was forced, and one without done.json
// (an interrupted run of an earlier version) is moved aside and removed.
// Staging directories left by killed processes on this host are removed by
// the next run of the same sweep directory.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, relative } from "node:path";
import { threadId } from "node:worker_threads";
import type { Kernels } from "../../backend/index.js";
import { UsageError } from "../../errors.js";
import { OutDir, writeError } from "../../io/out.js";
import { isAlive } from "../../io/rundir.js";
import { experiment } from "../../experiments/index.js";
import { NODE_IO } from "../../data/nodeIo.js";
import type { RunSpec } from "./definition.js";

export const DONE = "done.json";
export const RUNS_DIR = "runs";

export interface DoneMarker {
  id: string;
  index: number;
  command: string;
  values: Record<string, unknown>;
  backend: string;
  /** Wall time of the run (computation and files). */
  seconds: number;
  /** Where it ran (host and pid, or the engine's worker name). */
  worker: string;
  finishedAt: string;
}

export function runDir(out: string, id: string): string {
  return join(out, RUNS_DIR, id);
}

/** The completion marker of a run, or null if the run is not complete. */
export function readDone(dir: string): DoneMarker | null {
  const p = join(dir, DONE);
  if (!existsSync(p)) return null;
  try {
    return JSON.parse(readFileSync(p, "utf8")) as DoneMarker;
  } catch {
    return null;
  }
}

/** A staging (or set-aside) directory name: .<id>.<host>.<pid>.<thread>.tmp|old */
const STAGING = /^\.([0-9a-f]{12})\.(.+)\.(\d+)\.(\d+)\.(tmp|old)$/;

function scratchDir(out: string, id: string, kind: "tmp" | "old"): string {
  return join(out, RUNS_DIR, `.${id}.${hostname()}.${process.pid}.${threadId}.${kind}`);
}

/**
 * Removes staging directories in OUT/runs left by processes of this host that no longer run (and,
 * with `own`, this process's: call it when none of its threads is writing).
 */
export function removeStaleStaging(out: string, own = false): void {
  let names: string[];
  try {
    names = readdirSync(join(out, RUNS_DIR));
  } catch {
    return;
  }
  const host = hostname();
  for (const name of names) {
    const m = STAGING.exec(name);
    if (!m || m[2] !== host) continue;
    const pid = Number(m[3]);
    if (pid === process.pid ? own : !isAlive(pid)) rmSync(join(out, RUNS_DIR, name), { recursive: true, force: true });
  }
}

/**
 * Moves a complete staging directory to OUT/runs/<id>. A complete run already there is kept (the
 * staging directory is dropped) unless `replace`; an incomplete one is set aside and removed.
 * Returns the marker of the run that is there now.
 */
export function publishRun(out: string, id: string, staging: string, replace: boolean): DoneMarker {
  const dir = runDir(out, id);
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(staging, dir);
      return readDone(dir)!;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== "ENOTEMPTY" && code !== "EEXIST") || attempt > 3) throw writeError(dir, "move the finished run into place", err);
    }
    const there = readDone(dir);
    if (there && !replace) {
      rmSync(staging, { recursive: true, force: true });
      return there;
    }
    // an interrupted run (or, forced, a complete one): set aside, removed, then try again
    const aside = scratchDir(out, id, "old");
    try {
      renameSync(dir, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw writeError(dir, "set the earlier run aside", err);
    }
    rmSync(aside, { recursive: true, force: true });
  }
}

/**
 * Writes a run's files into a fresh staging directory (`fill`, then done.json last) and publishes
 * it as OUT/runs/<id>; a failure removes the staging directory.
 */
export function writeRun(out: string, id: string, replace: boolean, fill: (o: OutDir) => DoneMarker): DoneMarker {
  const staging = scratchDir(out, id, "tmp");
  rmSync(staging, { recursive: true, force: true }); // this thread's own, from a run that failed
  try {
    const o = new OutDir(staging);
    const marker = fill(o);
    o.writeJson(DONE, marker);
    return publishRun(out, id, staging, replace);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/** The files below `dir` (relative paths, subdirectories walked: train's params/*.npy). */
export function listRunFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listRunFiles(p, base));
    else out.push(relative(base, p));
  }
  return out;
}

/** A file name of a run as it travels between machines: relative, plain segments, no dot files. */
export function checkRunFileName(name: string): void {
  if (!name.split("/").every((seg) => /^[A-Za-z0-9_][A-Za-z0-9._=-]*$/.test(seg)))
    throw new UsageError(`a run's file name ${JSON.stringify(name)} is not a plain relative path`);
}

/** Copies a complete run (files, done.json last) into OUT/runs/<id> by the same protocol. */
export function copyRunFiles(
  out: string,
  id: string,
  files: Iterable<[string, Uint8Array]>,
  marker: DoneMarker,
  replace: boolean,
): DoneMarker {
  return writeRun(out, id, replace, (o) => {
    for (const [name, data] of files) {
      if (name === DONE) continue;
      checkRunFileName(name);
      o.write(name, data);
    }
    return marker;
  });
}

export interface ExecuteOptions {
  /** The run's own progress (epochs). */
  onProgress?: (done: number, total: number) => void;
  /** Replace a complete run found in place (--force). */
  replace?: boolean;
}

/**
 * Runs `spec` of a sweep of `command` on backend `k` into OUT/runs/<id> (see the header). Returns the
 * marker of the run in place afterwards.
 */
export function executeRun(
  k: Kernels,
  command: string,
  spec: Pick<RunSpec, "id" | "index" | "values" | "config">,
  out: string,
  worker: string,
  o: ExecuteOptions = {},
): DoneMarker {
  const exp = experiment(command);
  if (!exp) throw new Error(`sweep: unknown command ${command}`);
  const t0 = performance.now();
  removeStaleStaging(out);
  return writeRun(out, spec.id, !!o.replace, (dir) => {
    const cfg = exp.schema.parse(spec.config);
    // an experiment that reads files (train's dataset) loads them from this machine's disk
    const input = exp.loadInput?.(cfg, NODE_IO);
    dir.writeJson("config.json", { ...(cfg as object), backend: k.name });
    dir.writeJsonl("metrics.jsonl", []);
    const result = exp.run(k, cfg, { onMetrics: (row) => dir.appendJsonl("metrics.jsonl", row), onProgress: o.onProgress }, input);
    const summary = exp.summary(cfg, result, k.name);
    exp.write(dir, cfg, result, summary);
    return {
      id: spec.id,
      index: spec.index,
      command,
      values: spec.values,
      backend: k.name,
      seconds: (performance.now() - t0) / 1000,
      worker,
      finishedAt: new Date().toISOString(),
    };
  });
}
