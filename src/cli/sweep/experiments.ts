// The experiments a sweep can run: the registry's (browser-safe) and those
// that read files on the machine where they run, such as `train` with its
// dataset. Workers load the data themselves from their own disk (the default
// Fashion-MNIST directory or the config's `data`).
import { loadDataset } from "../../data/datasets.js";
import { EXPERIMENTS, numericLeaves, type Experiment } from "../../experiments/registry.js";
import {
  runTrain,
  trainConfigSchema,
  trainSummary,
  TRAIN_PRESETS,
  writeTrainOutputs,
  type TrainConfig,
  type TrainResult,
} from "../../experiments/train/index.js";

const train: Experiment<TrainConfig, TrainResult> = {
  name: "train",
  schema: trainConfigSchema,
  presets: TRAIN_PRESETS,
  defaultPreset: "paper",
  fromFile: (raw) => raw,
  total: (cfg) => cfg.epochs,
  run: (k, cfg, hooks) =>
    runTrain(k, cfg, loadDataset(cfg.dataset, cfg.data, cfg.trainSubset, cfg.testSubset), {
      onMetrics: hooks.onMetrics,
      // runTrain reports batches of the current epoch; a sweep counts epochs
      onProgress: (batch, batches, info) => {
        const m = /epoch (\d+)\//.exec(info ?? "");
        if (m) hooks.onProgress?.(Number(m[1]) - 1 + batch / batches, cfg.epochs, info);
      },
    }),
  summary: (cfg, r, backend) => trainSummary(cfg, r.state, backend),
  write: (out, cfg, r, s) => writeTrainOutputs(out, cfg, r, s as ReturnType<typeof trainSummary>),
  curves: { metrics: ["testAccuracy", "trainAccuracy", "testLoss", "fc.0.angleDeg", "fc.1.angleDeg", "fc.2.angleDeg", "fc.3.angleDeg"] },
  finals: (s) => numericLeaves(s.final),
};

export const SWEEP_EXPERIMENTS: Record<string, Experiment> = { ...EXPERIMENTS, train };
export const SWEEP_COMMANDS = Object.keys(SWEEP_EXPERIMENTS);

/** The experiment a sweep of `command` runs, or undefined. */
export function sweepExperiment(command: string): Experiment | undefined {
  return Object.hasOwn(SWEEP_EXPERIMENTS, command) ? SWEEP_EXPERIMENTS[command] : undefined;
}
