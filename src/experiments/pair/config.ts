// Configuration of the pair experiment (arXiv:2503.02642, Fig. 2d;
// docs/models/sal.md#pair-learning-fig-2d): the schema `pairConfigSchema` and the presets
// `PAIR_PRESETS`.
import { z } from "zod";
import { B, num, narrow, type Bound } from "../../config/numbers.js";

const weight = num(B.weight);

/** Bounds of the config fields that have no flag (for --help). */
export const PAIR_CONFIG_BOUNDS: [string, Bound][] = [
  ["W", B.weight],
  ["b", B.bias],
  ["tRef, tauSyn", B.tRef],
  ["stdp.tau", B.tau],
  ["stdp.aCausal, aAnti", B.amplitude],
];

export const pairConfigSchema = z
  .strictObject({
    preset: z.string(),
    seed: num(B.seed),
    /** Initial weights W[post][pre]; W[0][1] is the synapse from neuron 1 to neuron 0. */
    W: z.tuple([z.tuple([weight, weight]), z.tuple([weight, weight])]),
    b: z.tuple([num(B.bias), num(B.bias)]),
    tRef: num(B.tRef),
    tauSyn: num(B.tauSyn),
    epochs: num(B.epochs),
    stepsPerEpoch: num(B.runSteps),
    lr: num(B.rate),
    stdp: z.strictObject({
      shape: z.enum(["exponential", "triangular"]),
      tau: num(B.tau),
      aCausal: num(B.amplitude),
      aAnti: num(B.amplitude),
      pairing: z.enum(["nearest", "lastN", "all"]),
      lastN: num(narrow(B.count, { max: 1000 })),
      /** Kernel cut-off in steps; 0 = none (the whole epoch). */
      length: num(narrow(B.runSteps, { min: 0, why: "STDP window cut-off in steps; 0 = the whole epoch" })),
    }),
    /** Which weight keeps its initial value: "01" = W[0][1], "10" = W[1][0], "none". */
    freeze: z.enum(["none", "01", "10"]),
  })
  .refine((c) => c.epochs * c.stepsPerEpoch <= Number.MAX_SAFE_INTEGER, {
    message: "epochs x stepsPerEpoch must stay <= 2^53-1 (steps are counted exactly)",
    path: ["epochs"],
  });
export type PairConfig = z.output<typeof pairConfigSchema>;

const FIG2D: Omit<PairConfig, "preset"> = {
  seed: 45,
  W: [
    [0, 1.5],
    [0.5, 0],
  ],
  b: [-0.5, -0.2],
  tRef: 25,
  tauSyn: 25,
  epochs: 1500,
  stepsPerEpoch: 1500,
  lr: 0.03,
  stdp: { shape: "exponential", tau: 25, aCausal: -1, aAnti: 1, pairing: "lastN", lastN: 10, length: 0 },
  freeze: "none",
};

export const PAIR_PRESETS: Record<string, Omit<PairConfig, "preset">> = {
  fig2d: FIG2D,
  /** Fig. 2d's second run: W[0][1] frozen, W[1][0] climbs to it. */
  "fig2d-frozen": { ...FIG2D, freeze: "01" },
  /** A short run for checks (300 epochs). */
  quick: { ...FIG2D, epochs: 300 },
};
