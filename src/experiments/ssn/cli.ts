// The command line of the ssn experiment: `spike-align ssn`, spiking sampling
// networks (Boltzmann machines) learning a target distribution with Hebbian
// (wake-sleep STDP) learning, with or without SAL, under synaptic or
// plasticity noise (paper Figs. 4-5). --noise, --run, --resume and the
// checkpoints are src/cli/commands/ssn.ts's.
import { B, narrow } from "../../config/numbers.js";
import type { ExperimentCli, OptionSpec } from "../descriptor.js";
import { SSN_CONFIG_BOUNDS, type SsnConfig } from "./config.js";

/** The options `ssn` and `demo` share. */
export const SSN_OPTIONS: readonly OptionSpec[] = [
  {
    flags: "--noise <x>",
    description: "noise level: init noise (syn-noise) or STDP amplitude noise (plast-noise, minimal)",
    bound: B.noise,
  },
  {
    flags: "--run <i>",
    description: "run i of the paper's 120-run grid (noise x target seeds x init seeds, sim seed 7654 + i)",
    bound: narrow(B.count, { min: 0, max: 119, name: "grid run", why: "6 noise levels x 5 target seeds x 4 init seeds" }),
  },
  { flags: "--epochs <n>", description: "learning epochs", bound: B.epochs, field: "epochs" },
  {
    flags: "--dur <n>",
    description: "sleep run per epoch, in units of t_ref steps (dur x t_ref x val-factor <= 2^30-1)",
    bound: narrow(B.count, { max: 10_000_000, name: "duration", why: "sleep run per epoch in units of t_ref" }),
    field: "dur",
  },
  { flags: "--val-step <n>", description: "a validation epoch every n epochs (and at the last epoch)", bound: B.every, field: "valStep" },
  {
    flags: "--val-factor <n>",
    description: "validation runs are n times longer",
    bound: narrow(B.count, { max: 100_000, name: "factor", why: "validation runs are this many times longer" }),
    field: "valFactor",
  },
  { flags: "--dim <n>", description: "number of neurons (exact DKL up to 20)", bound: B.dim, field: "dim" },
  { flags: "--t-ref <n>", description: "refractory period = PSP length (steps)", bound: B.tRef, field: ["tRef", "tauSyn"] },
  { flags: "--dkl <mode>", description: "exact DKL over 2^dim states", choices: ["auto", "on", "off"], field: "dkl" },
];

export const ssnCli: ExperimentCli<SsnConfig> = {
  description: "Spiking sampling networks learn a Boltzmann distribution with Hebbian STDP, with or without SAL (paper Figs. 4-5)",
  options: [
    ...SSN_OPTIONS,
    {
      flags: "--sal <onoff>",
      description: "SAL term on the weights (on = the scenario's SAL rate)",
      choices: ["on", "off"],
      set: (v) => ({ sal: v === "on" }),
    },
    {
      flags: "--checkpoint-every <n>",
      description: "write --out/checkpoint.json every n epochs (0 = never)",
      bound: B.everyOrNever,
      field: "checkpointEvery",
    },
  ],
  bounds: SSN_CONFIG_BOUNDS,
  yes: true,
  // one seed for the target, the initial weights and the simulation
  seed: { set: (v) => ({ seeds: { distr: v, init: v, sim: v } }) },
  configWithBackend: true,
  help: `
Examples:
  spike-align ssn                                           # minimal preset: dim 7, 1501 epochs, SAL on (~4 s)
  spike-align ssn --preset syn-noise-sal --out runs/syn-sal  # Fig. 4, init noise 0.8, 20001 epochs
  spike-align ssn --preset syn-noise --run 85 --json         # run 85 of the paper's grid
  spike-align ssn --preset plast-noise --noise 0.03 --sal on --epochs 20001 --checkpoint-every 1000 --out runs/p
  spike-align ssn --resume runs/p                            # continue after a crash
  spike-align ssn --resume runs/p --epochs 40001             # ... and run longer
  spike-align ssn --config sal-code/scripts/ssn/minimal_working_example.yaml   # a file of unibe-cns/sal-code, the authors' layout, as-is`,
};
