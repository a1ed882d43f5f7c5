// The ei experiment as one descriptor (src/experiments/descriptor.ts).
import type { Experiment } from "../descriptor.js";
import { eiCli } from "./cli.js";
import { EI_PRESETS, eiConfigSchema, type EiConfig } from "./config.js";
import { eiLines, eiSummary, writeEiOutputs } from "./report.js";
import { eiUnits, runEi, unitSteps, type EiMetrics, type EiRun } from "./run.js";
import { eiSession } from "./session.js";

export const eiExperiment: Experiment<"ei", EiConfig, EiRun, EiMetrics, Record<string, unknown>> = {
  name: "ei",
  schema: eiConfigSchema,
  presets: EI_PRESETS,
  defaultPreset: "paper",
  fromFile: (raw) => raw,
  unit: "unit",
  total: (cfg) => eiUnits(cfg).length,
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
  run: (k, cfg, hooks) => runEi(k, cfg, hooks),
  summary: (cfg, r) => eiSummary(cfg, r),
  write: writeEiOutputs,
  files: (_cfg, r) => [
    "summary.json",
    "results.json",
    ...(r.point?.stdd ? ["stdd.csv"] : []),
    ...(r.w ? ["phase.csv", "nullcline.csv", "phase.svg", ...(r.rateCurve ? ["rates.csv", "rates.svg"] : [])] : []),
  ],
  lines: (_cfg, r, _s, at) => [
    ...eiLines(r),
    `${r.seconds.toFixed(2)} s, ${(r.steps / 1e6).toFixed(1)}e6 steps${at.out ? `; wrote ${at.out}` : ""}`,
  ],
  curves: { metrics: [] },
  finals: (s): Record<string, number> => (typeof s.nullclineDeviation === "number" ? { nullclineDeviation: s.nullclineDeviation } : {}),
  cli: eiCli,
};
