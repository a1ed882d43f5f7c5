// Step-able runs of every experiment (src/experiments/index.ts), behind one
// small interface: a page or a worker creates a run by name, advances it a
// chunk at a time (never blocking for long), reads the new metrics lines, and
// asks for the summary object the command would print. Built on each
// experiment's session (its descriptor's `open`), so a run advanced in chunks
// gives exactly what the command gives.
//
// Browser-safe: nothing here, nor anything it imports, touches Node's
// built-ins (test/web/bundle.test.ts bundles it for the browser and checks).
// An experiment that reads files (train: its dataset) takes them loaded
// (`input`), or the loaders (`io`: src/data/nodeIo.ts in Node).
import type { Kernels } from "../backend/index.js";
import { UsageError, showValue, usage } from "../errors.js";
import type { ConfigOf, Experiment, InputIo, InputOf, MetricsOf, RunUnit, SummaryOf } from "./descriptor.js";
import { EXPERIMENTS, EXPERIMENT_NAMES, isExperimentName, type ExperimentName, type Experiments } from "./index.js";

/** A run that advances a chunk at a time. */
export interface ExperimentRun<M = unknown, C = unknown, S = object> {
  readonly experiment: RunName;
  /** The fully resolved, validated config. */
  readonly config: C;
  /**
   * What `advance` counts: "epoch", "unit" (stdd: a weight pair or a sweep's bias pair; ei: a simulation)
   * or "second" (infer: simulated seconds over all methods).
   */
  readonly unit: RunUnit;
  /** Units of the whole run. */
  readonly total: number;
  /** Units done. */
  readonly position: number;
  readonly done: boolean;
  /** Simulated time steps so far (per network copy; 0 for the exact stdd chain and for train). */
  readonly steps: number;
  /**
   * Runs about `chunk` more units (whole natural steps of the experiment: an epoch, a weight pair, a
   * SAL update or RDD window of infer) and returns the metrics lines they produced (the lines the
   * command appends to metrics.jsonl). Returns [] once done.
   */
  advance(chunk?: number): M[];
  /** The summary object of the run so far (the command's summary.json / --json line once done). */
  summary(): S;
  /** Frees the run's backend memory; it cannot advance afterwards. */
  dispose(): void;
}

export type RunName = ExperimentName;

/** The metrics line type of each run. */
export type RunRows = { [N in RunName]: MetricsOf<Experiments[N]> };

/** The config type of each run. */
export type RunConfigs = { [N in RunName]: ConfigOf<Experiments[N]> };

/** The summary object of each run (the command's summary.json). */
export type RunSummaries = { [N in RunName]: SummaryOf<Experiments[N]> };

/** What a run reads besides its config (train: the dataset; undefined for the others). */
export type RunInputs = { [N in RunName]: InputOf<Experiments[N]> };

/** The experiments `createRun` knows, in the order of the list (src/experiments/index.ts). */
export const RUN_NAMES: readonly RunName[] = EXPERIMENT_NAMES;

/** Experiment `name` with its own types (the list's entry). */
function descriptor<N extends RunName>(name: N): Experiment<N, RunConfigs[N], unknown, RunRows[N], RunSummaries[N], RunInputs[N]> {
  return EXPERIMENTS[name] as unknown as Experiment<N, RunConfigs[N], unknown, RunRows[N], RunSummaries[N], RunInputs[N]>;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** `over` merged into `base`: mappings key by key, anything else (arrays too) replaces. */
function mergeInto(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeInto(out[k], v);
  return out;
}

/**
 * The full config of run `name`: the preset `cfg.preset` (or the run's default), with the keys of
 * `cfg` merged over it, validated by the experiment's schema. A bad value is a UsageError naming
 * the field and what is allowed.
 */
export function runConfig<N extends RunName>(name: N, cfg: Record<string, unknown> = {}): RunConfigs[N] {
  if (!isExperimentName(name)) throw usage("experiment", name, `one of ${RUN_NAMES.join(", ")}`);
  const def = descriptor(name);
  const preset = cfg.preset ?? def.defaultPreset;
  if (typeof preset !== "string" || !(preset in def.presets))
    throw usage(`${name} preset`, preset, `one of ${Object.keys(def.presets).join(", ")}`);
  const merged = mergeInto(structuredClone(def.presets[preset]), { ...cfg, preset });
  const res = def.schema.safeParse(merged);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  let value: unknown = merged;
  for (const key of issue.path)
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  const field =
    issue.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "") || "(config)";
  throw new UsageError(`${name} config ${field}: got ${showValue(value)}; ${issue.message}`);
}

/** What createRun takes besides the config. */
export interface RunOptions<I> {
  /** What the run reads besides its config, loaded (train: a LoadedData of `loadDataset`). */
  input?: I;
  /** Loaders for what the run reads, where there are files (Node: NODE_IO of src/data/nodeIo.ts). */
  io?: InputIo;
}

/**
 * Creates a step-able run of experiment `name` on backend `k` (from `createBackend`); `cfg` holds a
 * preset name and/or the keys that differ from it (see `runConfig`). A run that reads files (train)
 * takes them in `o.input`, or loads them with `o.io`.
 *
 *   const run = createRun(k, "ssn", { preset: "minimal", epochs: 301 });
 *   while (!run.done) draw(run.advance(20));
 *   console.log(run.summary()); run.dispose();
 */
export function createRun<N extends RunName>(
  k: Kernels,
  name: N,
  cfg: Record<string, unknown> = {},
  o: RunOptions<RunInputs[N]> = {},
): ExperimentRun<RunRows[N], RunConfigs[N], RunSummaries[N]> {
  const config = runConfig(name, cfg);
  const def = descriptor(name);
  let input = o.input;
  if (input === undefined && def.loadInput) {
    if (!o.io) throw new UsageError(`${name} run: give the data it reads as { input } (in Node: loadDataset), or { io } to load it`);
    input = def.loadInput(config, o.io);
  }
  let rows: RunRows[N][] = [];
  const s = def.open(k, config, (row) => rows.push(row), input as RunInputs[N]);
  let disposed = false;
  return {
    experiment: name,
    config,
    unit: def.unit,
    total: s.total,
    get position() {
      return s.position();
    },
    get done() {
      return s.done();
    },
    get steps() {
      return s.steps();
    },
    advance(chunk = 1) {
      if (disposed) throw new Error(`${name} run: advance after dispose`);
      if (!(chunk > 0)) throw usage("chunk", chunk, "a number > 0");
      if (!s.done()) s.advance(chunk);
      const out = rows;
      rows = [];
      return out;
    },
    summary: () => s.summary(),
    dispose() {
      if (!disposed) s.dispose();
      disposed = true;
    },
  };
}
