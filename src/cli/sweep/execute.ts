// One run of a sweep into its own directory OUT/runs/<id>/: the same files as
// a single run of the command (config.json, metrics.jsonl, summary.json, the
// command's outputs), then the completion marker done.json, written last. A
// directory without the marker holds an interrupted run and is cleared
// before the run starts again; one with it is complete and is skipped.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Kernels } from "../../backend/index.js";
import { OutDir } from "../../io/out.js";
import { sweepExperiment } from "./experiments.js";
import type { RunSpec } from "./definition.js";

export const DONE = "done.json";

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
  return join(out, "runs", id);
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

/**
 * Runs `spec` of a sweep of `command` on backend `k` into `dir` (cleared first unless complete).
 * `onProgress(done, total)` reports the run's own progress (epochs). Returns the marker.
 */
export function executeRun(
  k: Kernels,
  command: string,
  spec: Pick<RunSpec, "id" | "index" | "values" | "config">,
  dir: string,
  worker: string,
  onProgress?: (done: number, total: number) => void,
): DoneMarker {
  const exp = sweepExperiment(command);
  if (!exp) throw new Error(`sweep: unknown command ${command}`);
  const t0 = performance.now();
  rmSync(dir, { recursive: true, force: true });
  const out = new OutDir(dir);
  const cfg = exp.schema.parse(spec.config);
  out.writeJson("config.json", { ...cfg, backend: k.name });
  out.writeJsonl("metrics.jsonl", []);
  const result = exp.run(k, cfg, { onMetrics: (row) => out.appendJsonl("metrics.jsonl", row), onProgress });
  const summary = exp.summary(cfg, result, k.name);
  exp.write(out, cfg, result, summary);
  const marker: DoneMarker = {
    id: spec.id, index: spec.index, command, values: spec.values, backend: k.name,
    seconds: (performance.now() - t0) / 1000, worker, finishedAt: new Date().toISOString(),
  };
  out.writeJson(DONE, marker);
  return marker;
}
