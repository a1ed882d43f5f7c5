// The command line of the ei experiment: `spike-align ei`, the E-I system of
// the Dale's-law analysis (four sampling neurons e1, e2, i1, i2): effective
// E-E weights, the SAL phase plane in effective-weight coordinates, and the
// rate of e2 against W21 for the E-I and the direct system. --threads and the
// checks across fields are src/cli/commands/ei.ts's.
import { B, parseBounded, type Bound } from "../../config/numbers.js";
import { OptionValueError } from "../../errors.js";
import type { ExperimentCli } from "../descriptor.js";
import { EI_CONFIG_BOUNDS, EI_STEPS, EI_TAU_SYN, EI_T_REF, type EiConfig } from "./config.js";

/** Simulated steps a run may take without --yes. */
export const EI_STEP_LIMIT = 5e9;

/** --grid min,max,step or 'none' (kept as the string: commander turns a parser's null into ''). */
function gridOpt(v: string): { min: number; max: number; step: number } | "none" {
  if (v === "none") return "none";
  const parts = v.split(",");
  if (parts.length !== 3) throw new OptionValueError("--grid must be min,max,step (e.g. 0,2,0.1) or 'none'.");
  const part = (i: number, b: Bound, what: string) => {
    try {
      return parseBounded(parts[i], b);
    } catch (err) {
      throw new OptionValueError(`${what} ${(err as Error).message.replace(/^It /, "")}`);
    }
  };
  return { min: part(0, B.weight, "min"), max: part(1, B.weight, "max"), step: part(2, B.gridStep, "step") };
}

export const eiCli: ExperimentCli<EiConfig> = {
  description: "Dale's law: the E-I system (e1, e2 and the interneurons i1, i2); SAL aligns effective E-E weights",
  options: [
    { flags: "--t-ref <n>", description: "refractory time constant tRef (steps)", bound: EI_T_REF, field: "tRef" },
    {
      flags: "--tau-syn <n>",
      description: "rectangular PSP parameter tauSyn (PSP seen by draws s+1 .. s+tauSyn-1)",
      bound: EI_TAU_SYN,
      field: "tauSyn",
    },
    {
      flags: "--w12 <x>",
      description: "W12 = W[e1, e2], the direct e2 -> e1 weight (one simulation: with --grid none)",
      bound: B.weight,
      field: "weights.e1_e2",
    },
    { flags: "--w21 <x>", description: "W21 = W[e2, e1], the direct e1 -> e2 weight", bound: B.weight, field: "weights.e2_e1" },
    {
      flags: "--w-ie <x>",
      description: "both E -> I weights (e1 -> i1, e2 -> i2)",
      bound: B.weight,
      field: ["weights.i1_e1", "weights.i2_e2"],
    },
    {
      flags: "--w-ei <x>",
      description: "both I -> E weights (i1 -> e2, i2 -> e1)",
      bound: B.weight,
      field: ["weights.e2_i1", "weights.e1_i2"],
    },
    { flags: "--b-e <x>", description: "bias of both E neurons", bound: B.bias, field: ["biases.e1", "biases.e2"] },
    { flags: "--b-i <x>", description: "bias of both interneurons", bound: B.bias, field: ["biases.i1", "biases.i2"] },
    {
      flags: "--grid <g>",
      description: "phase plane of (W12, W21): min,max,step (paper: 0,2,0.1), or 'none' for one simulation",
      parse: gridOpt,
      set: (v) => ({ grid: v === "none" ? null : v }),
    },
    { flags: "--steps <n>", description: "steps per simulation (paper: 2000000)", bound: EI_STEPS, field: "steps" },
    { flags: "--threads <n>", description: "worker threads (default: the cores)", bound: B.threads },
  ],
  bounds: [["--grid min, max", B.weight], ["--grid step", B.gridStep], ...EI_CONFIG_BOUNDS],
  // --yes: more than EI_STEP_LIMIT simulated steps
  yes: true,
  backend: { field: "backend" },
  backendOf: (cfg) => cfg.backend,
  help: `
Examples:
  spike-align ei --out runs/ei                       # paper: noised E-I paths, 21 x 21 grid, 2e6 steps per point
  spike-align ei --preset symmetric --json
  spike-align ei --grid 0,2,0.25 --steps 500000 --out runs/ei-quick
  spike-align ei --grid none --w12 0.5 --w21 1.5    # one simulation: rates, E-E STDD, SAL updates

Weights are W[post, pre]: W12 = W[e1, e2] is e2 -> e1, W21 = W[e2, e1] is e1 -> e2. Effective weight of
e1 -> e2: W21 + W[e2, i1] sigma(W[i1, e1] r + b_i1) / r with r = sigma(b_e1) (the authors' formula), and the
same for e2 -> e1 through i2. SAL: exponential window -1 / +1, tau = tRef, on first-order E-E pairs,
normalised by tRef / steps. A run of more than ${EI_STEP_LIMIT / 1e9}e9 simulated steps in all needs --yes.`,
};
