// Step-able runs of every experiment that needs no files, behind one small
// interface: a page or a worker creates a run by name, advances it a chunk
// at a time (never blocking for long), reads the new metrics lines, and asks
// for the summary object the command would print. Built on each
// experiment's session (SsnSession, PairSession, StddSession, ...), so a run
// advanced in chunks gives exactly what the command gives.
//
// Browser-safe: nothing here, nor anything it imports, touches Node's
// built-ins (test/web/bundle.test.ts bundles it for the browser and checks).
import type { z } from "zod";
import type { Kernels } from "../backend/index.js";
import { UsageError, showValue, usage } from "../errors.js";
import { SSN_PRESETS, ssnConfigSchema, type SsnConfig } from "./ssn/config.js";
import { SsnSession, type SsnMetrics } from "./ssn/run.js";
import { ssnSummary, type SsnSummary } from "./ssn/report.js";
import { PAIR_PRESETS, pairConfigSchema, type PairConfig } from "./pair/config.js";
import { PairSession, type PairEpoch } from "./pair/run.js";
import { pairSummary, type PairSummary } from "./pair/report.js";
import { STDD_PRESETS, stddConfigSchema, type StddConfig } from "./stdd/config.js";
import type { StddPairMetrics } from "./stdd/run.js";
import type { SweepMetrics } from "./stdd/sweep.js";
import { stddSession } from "./stdd/run.js";
import { stddSummary } from "./stdd/report.js";
import { EI_PRESETS, eiConfigSchema, type EiConfig } from "./ei/config.js";
import { eiUnits, unitSteps, type EiMetrics } from "./ei/run.js";
import { eiSession } from "./ei/session.js";
import { eiSummary } from "./ei/report.js";
import { ALIGN_PRESETS, alignConfigSchema, type AlignConfig } from "./align/config.js";
import { AlignSession, type AlignEpoch } from "./align/run.js";
import { alignSummary } from "./align/report.js";
import { MICROCIRCUIT_PRESETS, microcircuitConfigSchema, type McConfig } from "./microcircuit/config.js";
import type { EpochMetrics } from "./microcircuit/run.js";
import { McSession } from "./microcircuit/session.js";
import { microcircuitSummary } from "./microcircuit/report.js";
import { INFER_PRESETS, inferConfigSchema, type InferConfig } from "./infer/config.js";
import { InferSession, inferTotal, type CurvePoint } from "./infer/run.js";
import { inferSummary } from "./infer/report.js";

/** A run that advances a chunk at a time. */
export interface ExperimentRun<M = unknown, C = unknown, S = object> {
  readonly experiment: RunName;
  /** The fully resolved, validated config. */
  readonly config: C;
  /** What `advance` counts: "epoch", "unit" (stdd: a weight pair or a sweep's bias pair; ei: a simulation) or "second" (infer: simulated seconds over all methods). */
  readonly unit: "epoch" | "unit" | "second";
  /** Units of the whole run. */
  readonly total: number;
  /** Units done. */
  readonly position: number;
  readonly done: boolean;
  /** Simulated time steps so far (per network copy; 0 for the exact stdd chain). */
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

/** The metrics line type of each run. */
export interface RunRows {
  ssn: SsnMetrics;
  pair: PairEpoch;
  stdd: StddPairMetrics | SweepMetrics;
  ei: EiMetrics;
  microcircuit: EpochMetrics;
  align: AlignEpoch;
  infer: CurvePoint;
}

/** The config type of each run. */
export interface RunConfigs {
  ssn: SsnConfig;
  pair: PairConfig;
  stdd: StddConfig;
  ei: EiConfig;
  microcircuit: McConfig;
  align: AlignConfig;
  infer: InferConfig;
}

/** The summary object of each run (the command's summary.json). */
export interface RunSummaries {
  ssn: SsnSummary;
  pair: PairSummary;
  stdd: Record<string, unknown>;
  ei: Record<string, unknown>;
  microcircuit: Record<string, unknown>;
  align: ReturnType<typeof alignSummary>;
  infer: ReturnType<typeof inferSummary>;
}

export type RunName = keyof RunRows;

/** What a run needs to be created and stepped: schema, presets, and how to open its session. */
interface RunDef<N extends RunName> {
  schema: z.ZodType<RunConfigs[N]>;
  presets: Record<string, unknown>;
  defaultPreset: string;
  unit: ExperimentRun["unit"];
  open(k: Kernels, cfg: RunConfigs[N], emit: (row: RunRows[N]) => void): Stepper<RunSummaries[N]>;
}

/** The part of a run each experiment supplies. */
interface Stepper<S> {
  total: number;
  position(): number;
  steps(): number;
  done(): boolean;
  advance(chunk: number): void;
  summary(): S;
  dispose(): void;
}

const RUNS: { [N in RunName]: RunDef<N> } = {
  ssn: {
    schema: ssnConfigSchema,
    presets: SSN_PRESETS,
    defaultPreset: "minimal",
    unit: "epoch",
    open(k, cfg, emit) {
      const s = new SsnSession(k, cfg, { onMetrics: emit });
      return {
        total: cfg.epochs,
        position: () => s.state.epoch,
        steps: () => s.state.steps,
        done: () => s.done,
        advance: (n) => s.advance(n),
        summary: () => ssnSummary(cfg, s.result(), k.name),
        dispose: () => s.dispose(),
      };
    },
  },
  pair: {
    schema: pairConfigSchema,
    presets: PAIR_PRESETS,
    defaultPreset: "fig2d",
    unit: "epoch",
    open(k, cfg, emit) {
      const s = new PairSession(k, cfg, { onMetrics: emit });
      return {
        total: cfg.epochs,
        position: () => s.epoch,
        steps: () => s.epoch * cfg.stepsPerEpoch,
        done: () => s.done,
        // the summary of the epochs so far: final = the latest weights
        advance: (n) => s.advance(n),
        summary: () => pairSummary({ ...cfg, epochs: s.epoch }, s.result(), k.name),
        dispose: () => s.dispose(),
      };
    },
  },
  stdd: {
    schema: stddConfigSchema,
    presets: STDD_PRESETS,
    defaultPreset: "fig2c",
    unit: "unit",
    open(k, cfg, emit) {
      const s = stddSession(cfg.method === "exact" ? null : k, cfg, { onMetrics: emit });
      return {
        total: s.total,
        position: () => s.count,
        steps: () => (cfg.method === "exact" || cfg.sweep ? 0 : s.count * (cfg.steps + cfg.burnIn)),
        done: () => s.done,
        advance: (n) => s.advance(n),
        summary: () => stddSummary(cfg, s.result()),
        dispose: () => {},
      };
    },
  },
  ei: {
    schema: eiConfigSchema,
    presets: EI_PRESETS,
    defaultPreset: "paper",
    unit: "unit",
    open(k, cfg, emit) {
      const s = eiSession(k, cfg, { onMetrics: emit });
      const before = [0];
      for (const u of eiUnits(cfg)) before.push(before[before.length - 1] + unitSteps(cfg, u));
      return {
        total: s.total,
        position: () => s.count,
        steps: () => before[s.count],
        done: () => s.done,
        advance: (n) => s.advance(n),
        summary: () => eiSummary(cfg, s.result()),
        dispose: () => {},
      };
    },
  },
  microcircuit: {
    schema: microcircuitConfigSchema,
    presets: MICROCIRCUIT_PRESETS,
    defaultPreset: "paper",
    unit: "epoch",
    open(k, cfg, emit) {
      const s = new McSession(k, cfg, { onMetrics: emit });
      const summary = () => {
        // the runs that have ended, and the one in progress (its epochs so far)
        const byFeedback = s.result(),
          partial = s.partial();
        if (partial) byFeedback.set(partial.feedback, [...(byFeedback.get(partial.feedback) ?? []), partial]);
        if (byFeedback.size === 0)
          return {
            command: "microcircuit",
            preset: cfg.preset,
            feedback: cfg.feedback,
            dims: cfg.dims,
            epochs: cfg.epochs,
            backend: k.name,
            steps: 0,
            final: null,
          };
        return microcircuitSummary(cfg, byFeedback, k.name);
      };
      return {
        total: s.total,
        position: () => s.position,
        steps: () => s.steps,
        done: () => s.done,
        advance: (n) => s.advance(n),
        summary,
        dispose: () => {},
      };
    },
  },
  align: {
    schema: alignConfigSchema,
    presets: ALIGN_PRESETS,
    defaultPreset: "paper",
    unit: "epoch",
    open(k, cfg, emit) {
      const s = new AlignSession(k, cfg, { onMetrics: emit });
      return {
        total: cfg.epochs,
        position: () => s.epoch,
        steps: () => s.steps,
        done: () => s.done,
        advance: (n) => s.advance(n),
        summary: () => alignSummary(cfg, s.result(), k.name),
        dispose: () => s.dispose(),
      };
    },
  },
  infer: {
    schema: inferConfigSchema,
    presets: INFER_PRESETS,
    defaultPreset: "paper",
    unit: "second",
    open(k, cfg, emit) {
      const s = new InferSession(k, cfg, { onMetrics: emit });
      return {
        total: inferTotal(cfg),
        position: () => s.position,
        steps: () => s.steps,
        done: () => s.done,
        advance: (n) => s.advance(n),
        summary: () => inferSummary(s.result()),
        dispose: () => s.dispose(),
      };
    },
  },
};

/** The experiments `createRun` knows, in the order of the README. */
export const RUN_NAMES = Object.keys(RUNS) as RunName[];

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
  const def = RUNS[name] as RunDef<N> | undefined;
  if (!def) throw usage("experiment", name, `one of ${RUN_NAMES.join(", ")}`);
  const preset = cfg.preset ?? def.defaultPreset;
  if (typeof preset !== "string" || !(preset in def.presets))
    throw usage(`${name} preset`, preset, `one of ${Object.keys(def.presets).join(", ")}`);
  const merged = mergeInto(structuredClone(def.presets[preset]), { ...cfg, preset });
  const res = def.schema.safeParse(merged);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  let value: unknown = merged;
  for (const key of issue.path)
    value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
  const field =
    issue.path
      .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
      .join("")
      .replace(/^\./, "") || "(config)";
  throw new UsageError(`${name} config ${field}: got ${showValue(value)}; ${issue.message}`);
}

/**
 * Creates a step-able run of experiment `name` on backend `k` (from `createBackend`); `cfg` holds a
 * preset name and/or the keys that differ from it (see `runConfig`).
 *
 *   const run = createRun(k, "ssn", { preset: "minimal", epochs: 301 });
 *   while (!run.done) draw(run.advance(20));
 *   console.log(run.summary()); run.dispose();
 */
export function createRun<N extends RunName>(
  k: Kernels,
  name: N,
  cfg: Record<string, unknown> = {},
): ExperimentRun<RunRows[N], RunConfigs[N], RunSummaries[N]> {
  const config = runConfig(name, cfg);
  const def = RUNS[name] as RunDef<N>;
  let rows: RunRows[N][] = [];
  const s = def.open(k, config, (row) => rows.push(row));
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
