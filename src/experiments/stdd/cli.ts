// The command line of the stdd experiment: `spike-align stdd`,
// spike-timing-difference distributions of two coupled sampling neurons and
// the expected SAL update of both synapses (arXiv:2503.02642 Fig. 2c, 2e),
// exactly (Markov chain) and/or by simulation. --biases, --threads and the
// checks across fields are src/cli/commands/stdd.ts's.
import { B, narrow, parseBounded } from "../../config/numbers.js";
import { OptionValueError } from "../../errors.js";
import { PSP_SHAPES } from "../../models/psp.js";
import type { ExperimentCli } from "../descriptor.js";
import {
  STDD_BURN_IN,
  STDD_CONFIG_BOUNDS,
  STDD_LAG,
  STDD_MIN_ISI,
  STDD_PSP_LENGTH,
  STDD_STEPS,
  STDD_T_REF,
  STDD_TAU_SYN,
  type StddConfig,
} from "./config.js";

/** A comma-separated list of at most 101 biases. */
function biasListOpt(v: string): number[] {
  const xs = v.split(",").map((p) => parseBounded(p, B.bias));
  if (xs.length > 101) throw new OptionValueError("--biases takes at most 101 values.");
  return xs;
}

/** A lag, or "none" (kept as the string: commander would turn a parser's null into an empty string). */
function maxLagOpt(v: string): number | "none" {
  if (v === "none") return v;
  try {
    return parseBounded(v, STDD_LAG);
  } catch (err) {
    throw new OptionValueError(`${(err as Error).message.replace(/\.$/, "")}, or 'none'.`);
  }
}

export const stddCli: ExperimentCli<StddConfig> = {
  description: "Spike-timing-difference distribution of two coupled sampling neurons and the expected SAL update (paper Fig. 2c, 2e)",
  options: [
    {
      flags: "--method <m>",
      description: "exact (Markov chain), mc (simulation) or both",
      choices: ["exact", "mc", "both"],
      field: "method",
    },
    { flags: "--t-ref <n>", description: "refractory time constant tRef (steps)", bound: STDD_T_REF, field: "tRef" },
    { flags: "--psp <shape>", description: "PSP shape", choices: PSP_SHAPES, field: "psp" },
    {
      flags: "--tau-syn <x>",
      description: "the PSP's time constant; rect: its length parameter (PSP seen by draws s+1 .. s+tauSyn-1, an integer)",
      bound: STDD_TAU_SYN,
      field: "tauSyn",
    },
    { flags: "--b0 <x>", description: "bias of neuron 0", bound: B.bias, field: "b0" },
    { flags: "--b1 <x>", description: "bias of neuron 1", bound: B.bias, field: "b1" },
    {
      flags: "--w01 <x>",
      description: "one weight pair instead of the preset's: W01 (1 -> 0); needs --w10",
      bound: B.weight,
      set: (v, flags) => ({ pairs: [{ W01: v, W10: flags.w10 }], grid: null }),
    },
    { flags: "--w10 <x>", description: "W10 (0 -> 1); needs --w01", bound: B.weight },
    {
      flags: "--steps <n>",
      description: "Monte-Carlo steps per weight pair (steps + burn-in <= 2^30-1)",
      bound: STDD_STEPS,
      field: "steps",
    },
    { flags: "--burn-in <n>", description: "Monte-Carlo steps before counting", bound: STDD_BURN_IN, field: "burnIn" },
    {
      flags: "--max-lag <n>",
      description: "keep |dt| <= n (the authors' stddc: t_max - 1 = 101 in fig. 2c, 29 in fig. 2e), or 'none'",
      parse: maxLagOpt,
      set: (v) => ({ maxLag: v === "none" ? null : v }),
    },
    {
      flags: "--normalize <how>",
      description: "joint: STDD sums to 1; halves: each half sums to 0.5 (stddc)",
      choices: ["joint", "halves"],
      field: "normalize",
    },
    {
      flags: "--psp-length <n>",
      description: "PSP seen by draws s+1 .. s+n after a spike at s (default tauSyn - 1)",
      bound: STDD_PSP_LENGTH,
      field: "pspLength",
    },
    {
      flags: "--min-isi <n>",
      description: "earliest re-spike at s+n (default tRef + 1; the authors' stddc: tRef)",
      bound: STDD_MIN_ISI,
      field: "minIsi",
    },
    { flags: "--tau <x>", description: "SAL window time constant (default tRef)", bound: B.tau, field: "window.tau" },
    {
      flags: "--psp-tail <how>",
      description: "shaped PSPs after --psp-length lags: zero, or hold their last value until the next spike",
      choices: ["zero", "hold"],
      field: "pspTail",
    },
    {
      flags: "--ties <how>",
      description: "a step in which both neurons fire: skip (no pair with it) or pair (the authors' calculator)",
      choices: ["skip", "pair"],
      field: "ties",
    },
    {
      flags: "--convention <c>",
      description: "defaults of --min-isi, --ties, --psp-length, --psp-tail: ssn (simulator) or stddc (the authors' calculator)",
      choices: ["ssn", "stddc"],
      field: "convention",
    },
    {
      flags: "--biases <list>",
      description: "bias sweep (psp-shapes): the biases b0 and b1 each run over, comma-separated",
      parse: biasListOpt,
    },
    {
      flags: "--threads <n>",
      description: "worker threads for a bias sweep (default: the cores)",
      bound: narrow(B.count, { max: 256, name: "threads", why: "worker threads" }),
    },
  ],
  bounds: [["--max-lag", STDD_LAG], ["--biases (each)", B.bias], ...STDD_CONFIG_BOUNDS],
  // --yes: a bias sweep of more than SWEEP_CHAIN_LIMIT exact chains (src/cli/commands/stdd.ts), or a run estimated at over an hour
  yes: true,
  backend: { field: "backend" },
  backendOf: (cfg) => cfg.backend,
  progressLabel: (cfg) => (cfg.sweep ? "stdd sweep" : "stdd"),
  help: `
Examples:
  spike-align stdd                                   # fig2c, exact chain
  spike-align stdd --preset fig2c --method both --out runs/fig2c
  spike-align stdd --preset fig2e --out runs/fig2e --json
  spike-align stdd --min-isi 50 --psp-length 49 --max-lag 101 --normalize halves   # the authors' stddc conventions
  spike-align stdd --w01 0.5 --w10 1.5 --b0 -0.5 --b1 -0.2 --t-ref 25 --tau-syn 25 --method mc --steps 2000000
  spike-align stdd --psp alpha --tau-syn 5 --t-ref 10 --w01 1 --w10 0.5 --b0 -0.5 --b1 0.5 --method both
  spike-align stdd --preset psp-shapes --out runs/psp-shapes --json   # rect / alpha tRef/3 / alpha tRef/2 over the bias grid

PSP shapes (--psp): rect, alpha, exp, cutoff, tail, with --tau-syn the shape's time constant, normalised as
the authors' STDD calculator does (area tRef). A neuron's PSP is that of its newest spike.
Conventions (--convention): ssn (the simulator: re-spike at s + tRef + 1, ties skip) or stddc (the
authors' calculator: re-spike at s + tRef, ties pair, shaped PSPs held at their value at maxLag).

Lags are dt = t1 - t0. For W10 (0 -> 1) dt > 0 is causal, for W01 (1 -> 0) it is anti-causal.
SAL window: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0), aCausal = -1, aAnti = +1, tau = tRef.`,
};
