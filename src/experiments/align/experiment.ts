// The align experiment as one descriptor (src/experiments/descriptor.ts).
import { firstNonFinite } from "../../config/numbers.js";
import { numericLeaves, wroteLine, type Experiment } from "../descriptor.js";
import { alignCli } from "./cli.js";
import { ALIGN_PRESETS, alignConfigSchema, alignEstimate, type AlignConfig } from "./config.js";
import { alignFigures, alignLines, alignSummary, writeAlignOutputs } from "./report.js";
import { AlignSession, runAlign, type AlignEpoch, type AlignResult } from "./run.js";

export const alignExperiment: Experiment<"align", AlignConfig, AlignResult, AlignEpoch, ReturnType<typeof alignSummary>> = {
  name: "align",
  schema: alignConfigSchema,
  presets: ALIGN_PRESETS,
  defaultPreset: "paper",
  fromFile: (raw) => raw,
  unit: "epoch",
  total: (cfg) => cfg.epochs,
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
  run: (k, cfg, hooks) => runAlign(k, cfg, hooks),
  summary: alignSummary,
  write: writeAlignOutputs,
  files: (cfg, r) => ["summary.json", ...Object.keys(alignFigures(cfg, r))],
  // a B that turned non-finite shows in its angle (corrcoef and diffVar are NaN for 1-entry layers)
  guard: { check: (m) => firstNonFinite({ angleDeg: m.angleDeg }), epoch: (m) => m.epoch },
  lines: (cfg, r, _s, at) => [...alignLines(cfg, r, at.backend), ...wroteLine(at.out)],
  estimate: (cfg, backend) => ({ what: `layers ${cfg.layers.join(",")}, batch ${cfg.batch}`, ...alignEstimate(cfg, backend) }),
  curves: { metrics: ["angleDeg.0", "angleDeg.1", "angleDeg.2", "corrcoef.0"] },
  finals: (s) => numericLeaves(s.final),
  cli: alignCli,
};
