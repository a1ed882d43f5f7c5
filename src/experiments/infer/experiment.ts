// The infer experiment as one descriptor (src/experiments/descriptor.ts).
import { numericLeaves, wroteLine, type Experiment } from "../descriptor.js";
import { inferCli } from "./cli.js";
import { INFER_PRESETS, inferConfigSchema, type InferConfig } from "./config.js";
import { inferFigures, inferLines, inferSummary, writeInferOutputs } from "./report.js";
import { InferSession, inferTotal, runInfer, type CurvePoint, type InferResult } from "./run.js";

export const inferExperiment: Experiment<"infer", InferConfig, InferResult, CurvePoint, ReturnType<typeof inferSummary>> = {
  name: "infer",
  schema: inferConfigSchema,
  presets: INFER_PRESETS,
  defaultPreset: "paper",
  fromFile: (raw) => raw,
  unit: "second",
  total: (cfg) => inferTotal(cfg),
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
  run: (k, cfg, hooks) => runInfer(k, cfg, hooks),
  summary: (_cfg, r) => inferSummary(r),
  write: writeInferOutputs,
  files: (cfg, r) => [
    ...["results.json", "W.npy", "B_init.npy"],
    ...r.methods.map((m) => `B_${m.method}.npy`),
    ...Object.keys(inferFigures(cfg, r)),
    "summary.json",
  ],
  // a B that turned non-finite (a learning rate too large) shows in its angle with W
  guard: {
    check: (m) => (Number.isFinite(m.angleDeg) ? null : `${m.method}: the angle of B with W is ${m.angleDeg}`),
    epoch: (m) => m.time,
    message: (m) =>
      `infer: ${m.method}: the angle of B with W is ${m.angleDeg} after ${m.time} s simulated (B is no longer finite); ` +
      "the run stops; lower the learning rates",
  },
  lines: (cfg, r, _s, at) => [...inferLines(cfg, r, at.backend), ...wroteLine(at.out)],
  curves: { metrics: [] }, // its metrics run against simulated time, not epochs
  finals: (s) => numericLeaves(s.methods),
  cli: inferCli,
};
