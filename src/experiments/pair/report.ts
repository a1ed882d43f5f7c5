// Outputs of the pair experiment: the summary object (summary.json and the
// --json line), results.json, weights.csv and the weights.svg of Fig. 2d.
import type { OutDir } from "../../io/out.js";
import { linePlot, PALETTE } from "../../report/svg.js";
import type { PairConfig } from "./config.js";
import type { PairResult } from "./run.js";

export function pairSummary(cfg: PairConfig, r: PairResult, backend: string) {
  const E = cfg.epochs;
  return {
    command: "pair",
    preset: cfg.preset,
    seed: cfg.seed,
    backend,
    frozen: cfg.freeze,
    epochs: E,
    final: { W01: r.W01[E], W10: r.W10[E] },
    initial: { W01: r.W01[0], W10: r.W10[0] },
    steps: r.steps,
    nsPerStep: r.nsPerStep,
  };
}
export type PairSummary = ReturnType<typeof pairSummary>;

/** One line for the terminal. */
export function pairLine(cfg: PairConfig, r: PairResult, backend: string): string {
  const E = cfg.epochs;
  return (
    `pair (${cfg.preset}, ${backend}, freeze ${cfg.freeze}): W01 ${r.W01[0].toFixed(3)} -> ${r.W01[E].toFixed(4)}` +
    `, W10 ${r.W10[0].toFixed(3)} -> ${r.W10[E].toFixed(4)}` +
    ` after ${E} epochs (${r.steps} steps, ${r.nsPerStep.toFixed(1)} ns/step)`
  );
}

/** Everything but config.json and metrics.jsonl (written as the run goes). */
export function writePairOutputs(out: OutDir, cfg: PairConfig, r: PairResult, summary: PairSummary): void {
  const epochs = Array.from({ length: cfg.epochs + 1 }, (_, e) => e);
  out.writeJson("results.json", { epochs: cfg.epochs, W01: Array.from(r.W01), W10: Array.from(r.W10), spikesPerEpoch: r.rate });
  out.writeCsv(
    "weights.csv",
    ["epoch", "W01", "W10"],
    epochs.map((e) => [e, r.W01[e], r.W10[e]]),
  );
  out.writeText(
    "weights.svg",
    linePlot({
      title: `SAL on two neurons (${cfg.freeze === "none" ? "both weights plastic" : `W${cfg.freeze} frozen`})`,
      xLabel: "epoch",
      yLabel: "weight",
      series: [
        { label: "W01 (1 -> 0)", x: epochs, y: r.W01, color: PALETTE[2], dashed: cfg.freeze === "01" },
        { label: "W10 (0 -> 1)", x: epochs, y: r.W10, color: PALETTE[1], dashed: cfg.freeze === "10" },
      ],
      hLines: [{ y: (r.W01[0] + r.W10[0]) / 2, label: "initial mean", dashed: true }],
    }),
  );
  out.writeJson("summary.json", summary);
}
