// The command line of the align experiment: `spike-align align`, the standalone
// SAL alignment run
// (docs/models/spiking-feedback.md#standalone-alignment-align): fixed random W,
// feedback B learned by SAL alone, angle / correlation / diffVar of every B_l
// with W_{l+1}^T after each epoch.
import { B, parseBounded } from "../../config/numbers.js";
import { SALNET_MAX_POPS } from "../../backend/salnet.js";
import { OptionValueError } from "../../errors.js";
import type { ExperimentCli } from "../descriptor.js";
import { ALIGN_CONFIG_BOUNDS, ALIGN_EPOCH_STEPS, type AlignConfig } from "./config.js";

/** --layers 1600,384,192,10: 2 to SALNET_MAX_POPS population sizes. */
function layersOpt(v: string): number[] {
  const parts = v.split(",").map((p) => parseBounded(p, B.population));
  if (parts.length < 2 || parts.length > SALNET_MAX_POPS)
    throw new OptionValueError(`--layers must list 2 to ${SALNET_MAX_POPS} population sizes, e.g. 1600,384,192,10.`);
  return parts;
}

export const alignCli: ExperimentCli<AlignConfig> = {
  description:
    "Standalone SAL alignment of a layered spiking network: angle and correlation of B with W^T per epoch (paper's time-course figure)",
  options: [
    {
      flags: "--layers <sizes>",
      description: "population sizes, comma separated (paper: 1600,384,192,10)",
      parse: layersOpt,
      field: "layers",
    },
    { flags: "--epochs <n>", description: "epochs (one B update each)", bound: B.epochs, field: "epochs" },
    { flags: "--batch <n>", description: "independent copies averaged per update", bound: B.copies, field: "batch" },
    {
      flags: "--steps-per-epoch <n>",
      description: "steps per epoch (paper: 10000; epochs x steps <= 2^30-1)",
      bound: ALIGN_EPOCH_STEPS,
      field: "stepsPerEpoch",
    },
    { flags: "--sal-lr <x>", description: "SAL learning rate (paper: 0.01)", bound: B.rate, field: "salLr" },
    {
      flags: "--t-ref <n>",
      description: "refractory period = PSP length = window tau, in steps (paper: 10)",
      bound: B.tRef,
      field: "tRef",
    },
  ],
  bounds: ALIGN_CONFIG_BOUNDS,
  yes: true,
  configWithBackend: true,
  help: `
Examples:
  spike-align align                                   # the paper's run: [1600, 384, 192, 10], 100 epochs of 10,000 steps, batch 1
  spike-align align --preset quick --out runs/align   # 10 epochs
  spike-align align --layers 200,50,10 --epochs 20 --batch 4 --json

The network runs freely (no input data): sampling neurons driven by their biases and by each other
through W (bottom-up) and B (top-down). After every epoch, B += sal_lr * mean_copies(STDP sums) / L
(L = 2 t_ref), the authors' rule; W stays fixed. Metrics compare B_l with W_{l+1}^T per layer.
A size whose memory exceeds the machine's or whose first epoch takes over an hour is refused
unless --yes.`,
};
