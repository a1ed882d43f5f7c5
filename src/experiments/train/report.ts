// Outputs of a training run: the summary object (also the --json line),
// the per-epoch metrics line, SVG plots (accuracy, loss, angle per fc layer,
// B vs W scatter per fc layer) and the final parameters as .npy.
import type { OutDir } from "../../io/out.js";
import { linePlot, scatterPlot, PALETTE } from "../../report/svg.js";
import type { TrainConfig } from "./config.js";
import type { TrainResult, TrainState } from "./run.js";

export interface TrainSummary {
  command: "train";
  preset: string;
  dataset: string;
  arch: string;
  method: string;
  epochs: number;
  backend: string;
  seed: number;
  final: {
    testAccuracy: number;
    trainAccuracy: number;
    testLoss: number;
    trainLoss: number;
    angleDeg: number[];
    corrcoef: number[];
    signAgreement: number[];
    diffVar: number[];
  };
  initial: { angleDeg: number[] };
  /** Mean wall seconds of one SGD pass over the training set. */
  secondsPerEpoch: number;
}

export function trainSummary(cfg: TrainConfig, state: TrainState, backend: string): TrainSummary {
  const last = state.metrics[state.metrics.length - 1];
  const fc = last?.fc ?? state.initial;
  const secs = state.metrics.map((m) => m.trainSeconds);
  return {
    command: "train",
    preset: cfg.preset,
    dataset: cfg.dataset,
    arch: cfg.arch,
    method: cfg.method,
    epochs: state.epoch,
    backend,
    seed: cfg.seed,
    final: {
      testAccuracy: last?.testAccuracy ?? NaN,
      trainAccuracy: last?.trainAccuracy ?? NaN,
      testLoss: last?.testLoss ?? NaN,
      trainLoss: last?.trainLoss ?? NaN,
      angleDeg: fc.map((l) => l.angleDeg),
      corrcoef: fc.map((l) => l.corrcoef),
      signAgreement: fc.map((l) => l.signAgreement),
      diffVar: fc.map((l) => l.diffVar),
    },
    initial: { angleDeg: state.initial.map((l) => l.angleDeg) },
    secondsPerEpoch: secs.length ? secs.reduce((a, b) => a + b, 0) / secs.length : NaN,
  };
}

/** At most `max` evenly spaced entries of B and W, for a scatter plot. */
function thin(b: Float32Array, w: Float32Array, max = 3000): { x: number[]; y: number[] } {
  const step = Math.max(1, Math.floor(w.length / max));
  const x: number[] = [],
    y: number[] = [];
  for (let i = 0; i < w.length; i += step) {
    x.push(w[i]);
    y.push(b[i]);
  }
  return { x, y };
}

/** summary.json, plots and params/*.npy (config.json and metrics.jsonl are written as the run goes). */
export function writeTrainOutputs(out: OutDir, cfg: TrainConfig, r: TrainResult, summary: TrainSummary): void {
  const state = r.state;
  const ms = state.metrics,
    ep = ms.map((m) => m.epoch);
  const label = `${cfg.method}, ${cfg.arch}, ${cfg.dataset}`;
  out.writeText(
    "accuracy.svg",
    linePlot({
      title: `Accuracy (${label})`,
      xLabel: "epoch",
      yLabel: "accuracy (%)",
      series: [
        { label: "train", x: ep, y: ms.map((m) => m.trainAccuracy), color: PALETTE[1] },
        { label: "test", x: ep, y: ms.map((m) => m.testAccuracy), color: PALETTE[2] },
      ],
    }),
  );
  out.writeText(
    "loss.svg",
    linePlot({
      title: `Cross-entropy (${label})`,
      xLabel: "epoch",
      yLabel: "loss",
      series: [
        { label: "train", x: ep, y: ms.map((m) => m.trainLoss), color: PALETTE[1] },
        { label: "test", x: ep, y: ms.map((m) => m.testLoss), color: PALETTE[2] },
      ],
    }),
  );
  const aep = [0, ...ep];
  const top = Math.max(
    90,
    ...state.initial.map((l) => l.angleDeg),
    ...ms.flatMap((m) => m.fc.map((l) => l.angleDeg)).filter(Number.isFinite),
  );
  out.writeText(
    "angle.svg",
    linePlot({
      title: `Angle between B and W (${label})`,
      xLabel: "epoch",
      yLabel: "angle (deg)",
      yRange: [0, Math.ceil(top / 10) * 10],
      series: r.fc.map((l, i) => ({
        label: l.name,
        x: aep,
        y: [state.initial[i].angleDeg, ...ms.map((m) => m.fc[i].angleDeg)],
        color: PALETTE[i % PALETTE.length],
      })),
    }),
  );
  for (const l of r.fc) {
    const { x, y } = thin(l.B ?? l.W, l.W);
    out.writeText(
      `scatter-${l.name}.svg`,
      scatterPlot({
        title: `${l.name}: B vs W at epoch ${state.epoch} (${label})`,
        xLabel: "W",
        yLabel: "B",
        diagonal: true,
        series: [{ label: `${l.name} entries`, x, y, color: PALETTE[0] }],
      }),
    );
  }
  for (const p of r.params) out.writeNpy(`params/${p.name}.npy`, p.data, p.shape);
  out.writeJson("summary.json", summary);
}
