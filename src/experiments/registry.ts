// Every experiment behind one shape, for code that runs experiments by name:
// sweeps (src/cli/sweep/), workers, and pages that drive them. Each entry
// names the experiment's schema and presets, maps a config file in another
// layout onto ours, runs a config on a backend, and turns the result into the
// summary object and the files a single run of its command writes.
import type { z } from "zod";
import type { Kernels } from "../backend/index.js";
import type { OutDir } from "../io/out.js";
import type { RunHooks } from "./types.js";
import { PAIR_PRESETS, pairConfigSchema, pairSummary, runPair, writePairOutputs } from "./pair/index.js";
import { fromAuthorLayout, isAuthorLayout, runSsn, ssnConfigSchema, ssnSummary, SSN_PRESETS, writeSsnOutputs } from "./ssn/index.js";
import { gridValues, runStdd, STDD_PRESETS, stddConfigSchema, stddSummary, sweepUnits, writeStddOutputs } from "./stdd/index.js";
import { EI_PRESETS, eiConfigSchema, eiSummary, eiUnits, runEi, writeEiOutputs } from "./ei/index.js";
import {
  fromMicrocircuitAuthorLayout,
  isMicrocircuitAuthorLayout,
  MICROCIRCUIT_PRESETS,
  microcircuitConfigSchema,
  microcircuitSummary,
  runMicrocircuit,
  writeMicrocircuitOutputs,
} from "./microcircuit/index.js";
import { ALIGN_PRESETS, alignConfigSchema, alignSummary, runAlign, writeAlignOutputs } from "./align/index.js";
import { INFER_PRESETS, inferConfigSchema, inferSummary, inferTotal, runInfer, writeInferOutputs } from "./infer/index.js";

export interface Experiment<C = any, R = any> {
  readonly name: string;
  readonly schema: z.ZodType<C>;
  readonly presets: Record<string, unknown>;
  readonly defaultPreset: string;
  /** A config file in another layout (the authors'), mapped onto ours; identity otherwise. */
  fromFile(raw: unknown): unknown;
  /** Work units the run reports progress in (epochs, weight pairs). */
  total(cfg: C): number;
  run(k: Kernels, cfg: C, hooks: RunHooks): R;
  summary(cfg: C, result: R, backend: string): object;
  /** The files of a run beside config.json and metrics.jsonl (summary.json included). */
  write(out: OutDir, cfg: C, result: R, summary: object): void;
  /** Curves a report draws from metrics.jsonl: metric paths against `epoch`, one curve per value of `splitBy` (if any). */
  curves: { metrics: string[]; splitBy?: string };
  /** The final values a report compares across runs, by name, from a run's summary. */
  finals(summary: any): Record<string, number>;
}

/** Numeric leaves of `x` by dotted path (arrays by index, at most `maxArray` entries each). */
export function numericLeaves(x: unknown, prefix = "", maxArray = 16): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (v: unknown, p: string) => {
    if (typeof v === "number") out[p] = v;
    else if (Array.isArray(v)) {
      if (v.length <= maxArray) v.forEach((e, i) => walk(e, p ? `${p}.${i}` : String(i)));
    } else if (v !== null && typeof v === "object") for (const [k, e] of Object.entries(v)) walk(e, p ? `${p}.${k}` : k);
  };
  walk(x, prefix);
  return out;
}

const identity = (raw: unknown) => raw;

export const EXPERIMENTS = {
  ssn: {
    name: "ssn",
    schema: ssnConfigSchema,
    presets: SSN_PRESETS,
    defaultPreset: "minimal",
    fromFile: (raw) => (isAuthorLayout(raw) ? fromAuthorLayout(raw) : raw),
    total: (cfg) => cfg.epochs,
    run: (k, cfg, hooks) => runSsn(k, cfg, hooks),
    summary: ssnSummary,
    write: (out, cfg, r, s) => writeSsnOutputs(out, cfg, r, s as ReturnType<typeof ssnSummary>),
    curves: { metrics: ["dkl", "asym", "marginalErr", "corrErr"] },
    finals: (s) => {
      const { epoch: _epoch, ...f } = numericLeaves(s.final);
      return f;
    },
  } satisfies Experiment<z.output<typeof ssnConfigSchema>, ReturnType<typeof runSsn>>,
  pair: {
    name: "pair",
    schema: pairConfigSchema,
    presets: PAIR_PRESETS,
    defaultPreset: "fig2d",
    fromFile: identity,
    total: (cfg) => cfg.epochs,
    run: (k, cfg, hooks) => runPair(k, cfg, hooks),
    summary: pairSummary,
    write: (out, cfg, r, s) => writePairOutputs(out, cfg, r, s as ReturnType<typeof pairSummary>),
    curves: { metrics: ["W01", "W10"] },
    finals: (s) => numericLeaves(s.final),
  } satisfies Experiment<z.output<typeof pairConfigSchema>, ReturnType<typeof runPair>>,
  stdd: {
    name: "stdd",
    schema: stddConfigSchema,
    presets: STDD_PRESETS,
    defaultPreset: "fig2c",
    fromFile: identity,
    total: (cfg) => (cfg.sweep ? sweepUnits(cfg).length : cfg.grid ? gridValues(cfg.grid).length ** 2 : cfg.pairs.length),
    run: (k, cfg, hooks) => runStdd(cfg.method === "exact" ? null : k, cfg, hooks),
    summary: (cfg, r) => stddSummary(cfg, r),
    write: (out, cfg, r, s) => writeStddOutputs(out, cfg, r, s as Record<string, unknown>),
    curves: { metrics: [] },
    finals: (s) => ({
      ...(s.nullclineDeviation !== undefined && { nullclineDeviation: s.nullclineDeviation }),
      ...(s.maxTvd !== undefined && { maxTvd: s.maxTvd }),
      ...numericLeaves(s.results?.length <= 8 ? s.results.map((r: { expectedUpdate: unknown }) => r.expectedUpdate) : [], "expectedUpdate"),
      // a bias sweep: the largest deviation of each shape
      ...Object.fromEntries(
        Object.entries((s.deviation ?? {}) as Record<string, number[][]>).map(([shape, d]) => [
          `deviationMax.${shape}`,
          Math.max(...d.flat()),
        ]),
      ),
    }),
  } satisfies Experiment<z.output<typeof stddConfigSchema>, ReturnType<typeof runStdd>>,
  microcircuit: {
    name: "microcircuit",
    schema: microcircuitConfigSchema,
    presets: MICROCIRCUIT_PRESETS,
    defaultPreset: "paper",
    fromFile: (raw) => (isMicrocircuitAuthorLayout(raw) ? fromMicrocircuitAuthorLayout(raw) : raw),
    total: (cfg) => (cfg.feedback === "all" ? 3 : 1) * cfg.seeds * cfg.epochs,
    run: (k, cfg, hooks) => runMicrocircuit(k, cfg, hooks),
    summary: microcircuitSummary,
    write: (out, cfg, r, s) => writeMicrocircuitOutputs(out, cfg, r, s as Record<string, unknown>),
    curves: { metrics: ["validationLoss", "freeLoss", "angleDeg.0"], splitBy: "feedback" },
    finals: (s) => numericLeaves(s.final),
  } satisfies Experiment<z.output<typeof microcircuitConfigSchema>, ReturnType<typeof runMicrocircuit>>,
  align: {
    name: "align",
    schema: alignConfigSchema,
    presets: ALIGN_PRESETS,
    defaultPreset: "paper",
    fromFile: identity,
    total: (cfg) => cfg.epochs,
    run: (k, cfg, hooks) => runAlign(k, cfg, hooks),
    summary: alignSummary,
    write: writeAlignOutputs,
    curves: { metrics: ["angleDeg.0", "angleDeg.1", "angleDeg.2", "corrcoef.0"] },
    finals: (s) => numericLeaves(s.final),
  } satisfies Experiment<z.output<typeof alignConfigSchema>, ReturnType<typeof runAlign>>,
  infer: {
    name: "infer",
    schema: inferConfigSchema,
    presets: INFER_PRESETS,
    defaultPreset: "paper",
    fromFile: identity,
    total: (cfg) => Math.round(inferTotal(cfg)),
    run: (k, cfg, hooks) => runInfer(k, cfg, hooks),
    summary: (_cfg, r) => inferSummary(r),
    write: writeInferOutputs,
    curves: { metrics: [] }, // its metrics run against simulated time, not epochs
    finals: (s) => numericLeaves(s.methods),
  } satisfies Experiment<z.output<typeof inferConfigSchema>, ReturnType<typeof runInfer>>,
  ei: {
    name: "ei",
    schema: eiConfigSchema,
    presets: EI_PRESETS,
    defaultPreset: "paper",
    fromFile: identity,
    total: (cfg) => eiUnits(cfg).length,
    run: (k, cfg, hooks) => runEi(k, cfg, hooks),
    summary: (cfg, r) => eiSummary(cfg, r),
    write: (out, cfg, r, s) => writeEiOutputs(out, cfg, r, s as Record<string, unknown>),
    curves: { metrics: [] },
    finals: (s): Record<string, number> => (typeof s.nullclineDeviation === "number" ? { nullclineDeviation: s.nullclineDeviation } : {}),
  } satisfies Experiment<z.output<typeof eiConfigSchema>, ReturnType<typeof runEi>>,
} as const;

export type ExperimentName = keyof typeof EXPERIMENTS;
export const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS) as ExperimentName[];

/** The experiment of a command name, or undefined. */
export function experiment(name: string): Experiment | undefined {
  return (EXPERIMENTS as Record<string, Experiment>)[name];
}
