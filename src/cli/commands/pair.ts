// `spike-align pair` (src/experiments/pair/): the command of its descriptor,
// and --w01 / --w10, which set one element of W each.
import { pairExperiment } from "../../experiments/pair/index.js";
import type { SharedOptions } from "../options.js";
import { experimentCommand, type HooksOf } from "../run/command.js";

interface PairOptions extends SharedOptions {
  w01?: number;
  w10?: number;
}

const hooks: HooksOf<typeof pairExperiment, PairOptions> = {
  // (their parser checked the bound)
  configure(cfg, opts) {
    if (opts.w01 !== undefined) cfg.W[0][1] = opts.w01;
    if (opts.w10 !== undefined) cfg.W[1][0] = opts.w10;
    return cfg;
  },
};

export const register = experimentCommand(pairExperiment, hooks);
