// The command line of the infer experiment: `spike-align infer`, SAL, RDD and
// STDWI infer the feedback B of a fixed random 50 -> 50 W from spiking activity
// (docs/models/spiking-feedback.md#the-inference-comparison-infer, the paper's
// scatter figure).
import { B } from "../../config/numbers.js";
import type { ExperimentCli } from "../descriptor.js";
import { INFER_CONFIG_BOUNDS, INFER_METHODS, INFER_N, type InferConfig } from "./config.js";

export const inferCli: ExperimentCli<InferConfig> = {
  description: "SAL vs RDD vs STDWI: infer the feedback of a fixed random 50 -> 50 W from spikes (paper's scatter figure)",
  options: [
    { flags: "--method <m>", description: "inference method", choices: [...INFER_METHODS, "all"], field: "method" },
    { flags: "--seconds <s>", description: "simulated seconds per method (paper: 100)", bound: B.simSeconds, field: "seconds" },
    { flags: "--n <n>", description: "neurons per population (paper: 50)", bound: INFER_N, field: "n" },
  ],
  bounds: INFER_CONFIG_BOUNDS,
  configWithBackend: true,
  help: `
Examples:
  spike-align infer                                     # all three methods, 100 s each, the notebook's settings
  spike-align infer --method sal --seconds 20 --json
  spike-align infer --out runs/infer                    # scatter.svg: B vs W per method, side by side

SAL: a two-population SAL network (W bottom-up, B top-down, 8 copies, one B update per simulated
second). RDD: two LIF populations, the lower one driven by Poisson input; B set from the regression
discontinuity estimates every 10 s. STDWI: the authors' LIF toy (stimulus -> input -> output,
dt 0.25 ms) with the spike-timing-dependent weight-inference rule. All start from the same random B.`,
};
