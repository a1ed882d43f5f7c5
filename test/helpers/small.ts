// Small configs of every experiment of the list (src/experiments/index.ts), seconds in all, and
// what a run reads besides its config (train: synthetic data, as a page would hand it in).
import type { RunName } from "../../src/browser.js";
import { teacherData } from "../nn/synthetic.js";

export const SMALL: Record<RunName, Record<string, unknown>> = {
  ssn: { preset: "minimal", dim: 4, epochs: 41, dur: 200, valStep: 5, valFactor: 5 },
  pair: { preset: "quick", epochs: 60, stepsPerEpoch: 500 },
  stdd: { preset: "fig2e", grid: { min: -1, max: 1, step: 0.5 } },
  ei: { preset: "symmetric", grid: { min: 0, max: 1, step: 0.5 }, steps: 20_000, rateCurve: { min: 0, max: 1, step: 0.5, steps: 5000 } },
  microcircuit: { preset: "quick", feedback: "all", seeds: 2, epochs: 4, schedule: { patternSteps: 3000, learningLag: 500 } },
  align: { preset: "quick", layers: [30, 20, 5], epochs: 9, stepsPerEpoch: 500 },
  infer: { preset: "quick", n: 12, seconds: 12 },
  train: { preset: "quick", arch: "mlp", hidden: [12], epochs: 3, batch: 16, testBatch: 32, augment: false, seed: 3 },
};

/** What a run reads besides its config. */
export const INPUT: { [N in RunName]?: unknown } = { train: teacherData(5, 96, 32, 1, 8, 8, 5) };
