// Configuration of the pair experiment (arXiv:2503.02642, Fig. 2d; spec/ssn.md
// section 5): the schema `pairConfigSchema` and the presets `PAIR_PRESETS`.
import { z } from "zod";

const finite = z.number().finite();

export const pairConfigSchema = z.strictObject({
  preset: z.string(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  /** Initial weights W[post][pre]; W[0][1] is the synapse from neuron 1 to neuron 0. */
  W: z.tuple([z.tuple([finite, finite]), z.tuple([finite, finite])]),
  b: z.tuple([finite, finite]),
  tRef: z.number().int().min(1).max(10_000),
  tauSyn: z.number().int().min(1).max(10_000),
  epochs: z.number().int().min(1).max(10_000_000),
  stepsPerEpoch: z.number().int().min(1).max(100_000_000),
  lr: finite,
  stdp: z.strictObject({
    shape: z.enum(["exponential", "triangular"]),
    tau: z.number().finite().positive(),
    aCausal: finite,
    aAnti: finite,
    pairing: z.enum(["nearest", "lastN", "all"]),
    lastN: z.number().int().min(1).max(1000),
    /** Kernel cut-off in steps; 0 = none (the whole epoch). */
    length: z.number().int().min(0),
  }),
  /** Which weight keeps its initial value: "01" = W[0][1], "10" = W[1][0], "none". */
  freeze: z.enum(["none", "01", "10"]),
});
export type PairConfig = z.output<typeof pairConfigSchema>;

const FIG2D: Omit<PairConfig, "preset"> = {
  seed: 45,
  W: [[0, 1.5], [0.5, 0]],
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
