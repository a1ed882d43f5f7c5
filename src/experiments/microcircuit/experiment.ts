// The microcircuit experiment as one descriptor (src/experiments/descriptor.ts).
import { firstNonFinite } from "../../config/numbers.js";
import { numericLeaves, wroteLine, type Experiment } from "../descriptor.js";
import { microcircuitCli } from "./cli.js";
import {
  fromMicrocircuitAuthorLayout,
  isMicrocircuitAuthorLayout,
  MICROCIRCUIT_PRESETS,
  microcircuitConfigSchema,
  microcircuitEstimate,
  type McConfig,
} from "./config.js";
import { figures, microcircuitLines, microcircuitSummary, writeMicrocircuitOutputs } from "./report.js";
import { runMicrocircuit, type EpochMetrics, type MicrocircuitResult } from "./run.js";
import { McSession } from "./session.js";

export const microcircuitExperiment: Experiment<"microcircuit", McConfig, MicrocircuitResult, EpochMetrics, Record<string, unknown>> = {
  name: "microcircuit",
  schema: microcircuitConfigSchema,
  presets: MICROCIRCUIT_PRESETS,
  defaultPreset: "paper",
  fromFile: (raw) => (isMicrocircuitAuthorLayout(raw) ? fromMicrocircuitAuthorLayout(raw) : raw),
  unit: "epoch",
  total: (cfg) => (cfg.feedback === "all" ? 3 : 1) * cfg.seeds * cfg.epochs,
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
  run: (k, cfg, hooks) => runMicrocircuit(k, cfg, hooks),
  summary: microcircuitSummary,
  write: writeMicrocircuitOutputs,
  files: (cfg, r) => ["summary.json", ...Object.keys(figures(cfg, r))],
  guard: {
    check: (m) =>
      m.epoch > 0 ? firstNonFinite({ validationLoss: m.validationLoss, freeLoss: m.freeLoss, weights: m.weights }, true) : null,
    epoch: (m) => m.epoch,
  },
  lines: (_cfg, r, s, at) => [...microcircuitLines(r, s), ...wroteLine(at.out)],
  estimate(cfg, backend) {
    const est = microcircuitEstimate(cfg, backend);
    return {
      what: `dims ${cfg.dims.join(",")}`,
      bytes: est.bytes,
      wasmBytes: est.wasmBytes,
      firstEpochSeconds: est.firstEpochSeconds,
      unit: { seconds: est.patternSeconds, name: "pattern" },
    };
  },
  curves: { metrics: ["validationLoss", "freeLoss", "angleDeg.0"], splitBy: "feedback" },
  finals: (s) => numericLeaves(s.final),
  cli: microcircuitCli,
};
