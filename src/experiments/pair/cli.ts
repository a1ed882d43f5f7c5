// The command line of the pair experiment: `spike-align pair` (the paper's
// Fig. 2d). Writes config.json, metrics.jsonl, results.json, weights.csv,
// weights.svg and summary.json to --out; --json prints the summary.
import { B } from "../../config/numbers.js";
import type { ExperimentCli } from "../descriptor.js";
import { PAIR_CONFIG_BOUNDS, type PairConfig } from "./config.js";

export const pairCli: ExperimentCli<PairConfig> = {
  description: "Two coupled sampling neurons learn with SAL only (paper Fig. 2d): asymmetric weights become symmetric",
  options: [
    { flags: "--epochs <n>", description: "learning epochs (fig2d: 1500)", bound: B.epochs, field: "epochs" },
    {
      flags: "--steps-per-epoch <n>",
      description: "steps per epoch, each epoch a fresh run (fig2d: 1500)",
      bound: B.runSteps,
      field: "stepsPerEpoch",
    },
    { flags: "--lr <x>", description: "learning rate of W += lr * S * t_ref / T (fig2d: 0.03)", bound: B.rate, field: "lr" },
    // --w01 / --w10 set one element of W each (src/cli/commands/pair.ts)
    { flags: "--w01 <x>", description: "initial W[0][1], the synapse 1 -> 0 (fig2d: 1.5)", bound: B.weight },
    { flags: "--w10 <x>", description: "initial W[1][0], the synapse 0 -> 1 (fig2d: 0.5)", bound: B.weight },
    {
      flags: "--freeze <which>",
      description: "keep one weight fixed: 01 = W[0][1], 10 = W[1][0]",
      choices: ["none", "01", "10"],
      field: "freeze",
    },
  ],
  bounds: PAIR_CONFIG_BOUNDS,
  help: `
Examples:
  spike-align pair                          # both weights plastic: 1.5 / 0.5 meet near 1.0
  spike-align pair --freeze 01 --out runs/pair-frozen   # W01 fixed: W10 climbs to 1.5
  spike-align pair --preset quick --backend js --json`,
};
