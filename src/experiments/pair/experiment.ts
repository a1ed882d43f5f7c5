// The pair experiment as one descriptor (src/experiments/descriptor.ts).
import { firstNonFinite } from "../../config/numbers.js";
import { numericLeaves, type Experiment } from "../descriptor.js";
import { pairCli } from "./cli.js";
import { PAIR_PRESETS, pairConfigSchema, type PairConfig } from "./config.js";
import { pairLine, pairSummary, writePairOutputs, type PairSummary } from "./report.js";
import { PairSession, runPair, type PairEpoch, type PairResult } from "./run.js";

export const pairExperiment: Experiment<"pair", PairConfig, PairResult, PairEpoch, PairSummary> = {
  name: "pair",
  schema: pairConfigSchema,
  presets: PAIR_PRESETS,
  defaultPreset: "fig2d",
  fromFile: (raw) => raw,
  unit: "epoch",
  total: (cfg) => cfg.epochs,
  open(k, cfg, emit) {
    const s = new PairSession(k, cfg, { onMetrics: emit });
    return {
      total: cfg.epochs,
      position: () => s.epoch,
      steps: () => s.epoch * cfg.stepsPerEpoch,
      done: () => s.done,
      advance: (n) => s.advance(n),
      // the summary of the epochs so far: final = the latest weights
      summary: () => pairSummary({ ...cfg, epochs: s.epoch }, s.result(), k.name),
      dispose: () => s.dispose(),
    };
  },
  run: (k, cfg, hooks) => runPair(k, cfg, hooks),
  summary: pairSummary,
  write: writePairOutputs,
  files: () => ["results.json", "weights.csv", "weights.svg", "summary.json"],
  guard: { check: (row) => firstNonFinite({ W01: row.W01, W10: row.W10 }, true), epoch: (row) => row.epoch },
  lines: (cfg, r, _s, at) => [pairLine(cfg, r, at.backend)],
  curves: { metrics: ["W01", "W10"] },
  finals: (s) => numericLeaves(s.final),
  cli: pairCli,
};
