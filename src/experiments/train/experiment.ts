// The train experiment as one descriptor (src/experiments/descriptor.ts). Its
// input is the dataset, loaded on the Node side (`loadInput`) or handed to
// createRun by the caller.
import { firstNonFinite } from "../../config/numbers.js";
import type { LoadedData } from "../../data/datasets.js";
import { METHODS } from "../../learning/feedback.js";
import { layeredShapes, type LayeredShapes } from "../../models/layered/spec.js";
import { fmtSeconds } from "../../report/format.js";
import { numericLeaves, type Estimate, type Experiment } from "../descriptor.js";
import { trainCli } from "./cli.js";
import { TRAIN_PRESETS, trainConfigSchema, trainEstimate, type TrainConfig } from "./config.js";
import { trainSummary, writeTrainOutputs, type TrainSummary } from "./report.js";
import { checkTrainConfig, layeredSpecFor, runTrain, TrainSession, type TrainMetricsRow, type TrainResult } from "./run.js";

/** The first epoch's memory and time (and of its spiking phase, if the method has one). */
export function trainFirstEpoch(cfg: TrainConfig, data: LoadedData, backend: "wasm" | "js"): Estimate & { phaseSeconds: number } {
  const d = data.train;
  const est = trainEstimate(cfg, { c: d.c, h: d.h, w: d.w, nTrain: d.n, nTest: data.test.n }, backend)!;
  const fc = (layeredShapes(layeredSpecFor(cfg, d)) as LayeredShapes).fc;
  const phase = METHODS[cfg.method].phase;
  return {
    what: `${cfg.arch === "conv" ? `conv ${cfg.convChannels.join(",")} + ` : "mlp "}fc ${fc.join("-")}, batch ${cfg.batch}, ${d.n} images`,
    bytes: est.bytes,
    wasmBytes: est.wasmBytes,
    firstEpochSeconds: est.firstEpochSeconds,
    span: phase ? `the first epoch (its ${phase.toUpperCase()} phase about ${fmtSeconds(est.phaseSeconds)})` : undefined,
    unit: { seconds: est.batchSeconds, name: "batch" },
    phaseSeconds: est.phaseSeconds,
  };
}

export const trainExperiment: Experiment<"train", TrainConfig, TrainResult, TrainMetricsRow, TrainSummary, LoadedData> = {
  name: "train",
  schema: trainConfigSchema,
  presets: TRAIN_PRESETS,
  defaultPreset: "paper",
  fromFile: (raw) => raw,
  unit: "epoch",
  total: (cfg) => cfg.epochs,
  // workers of a sweep load the data from their own disk (the default directory or the config's `data`)
  loadInput(cfg, io) {
    const data = io.loadDataset(cfg.dataset, cfg.data, cfg.trainSubset, cfg.testSubset);
    checkTrainConfig(cfg, data);
    return data;
  },
  open(k, cfg, emit, data) {
    const s = new TrainSession(k, cfg, data, { onMetrics: emit });
    return {
      total: cfg.epochs,
      position: () => s.state.epoch,
      steps: () => 0,
      done: () => s.done,
      advance: (n) => s.advance(n),
      summary: () => trainSummary(cfg, s.state, k.name),
      dispose: () => s.dispose(),
    };
  },
  run: (k, cfg, hooks, data) =>
    runTrain(k, cfg, data, {
      onMetrics: hooks.onMetrics,
      // runTrain reports batches of the current epoch; this counts epochs
      onProgress: (batch, batches, info) => {
        const m = /epoch (\d+)\//.exec(info ?? "");
        if (m) hooks.onProgress?.(Number(m[1]) - 1 + batch / batches, cfg.epochs, info);
      },
    }),
  summary: (cfg, r, backend) => trainSummary(cfg, r.state, backend),
  write: writeTrainOutputs,
  files: (_cfg, r) => [
    ...["accuracy.svg", "loss.svg", "angle.svg"],
    ...r.fc.map((l) => `scatter-${l.name}.svg`),
    ...r.params.map((p) => `params/${p.name}.npy`),
    "summary.json",
  ],
  guard: {
    check: (m) => ("trainLoss" in m ? firstNonFinite({ trainLoss: m.trainLoss, testLoss: m.testLoss }) : null),
    epoch: (m) => m.epoch,
  },
  lines(cfg, _r, s, at) {
    const f = s.final;
    return [
      `train ${cfg.method} ${cfg.arch} ${cfg.dataset} (${at.backend}): ` +
        `test accuracy ${f.testAccuracy.toFixed(2)}%, train ${f.trainAccuracy.toFixed(2)}%; ` +
        `angle B vs W ${s.initial.angleDeg.map((a) => a.toFixed(1)).join("/")} -> ${f.angleDeg.map((a) => a.toFixed(1)).join("/")} deg; ` +
        `${s.secondsPerEpoch.toFixed(1)} s per epoch (${at.seconds.toFixed(1)} s in all)`,
    ];
  },
  estimate: (cfg, backend, data) => trainFirstEpoch(cfg, data, backend),
  curves: { metrics: ["testAccuracy", "trainAccuracy", "testLoss", "fc.0.angleDeg", "fc.1.angleDeg", "fc.2.angleDeg", "fc.3.angleDeg"] },
  finals: (s) => numericLeaves(s.final),
  cli: trainCli,
};
