// Config schema and presets of the standalone SAL alignment run
// (docs/models/spiking-feedback.md#standalone-alignment-align; arXiv:2503.02642, the time-course
// figure of the deep-network section; the authors' unibe-cns/sal-code:
// scripts/symm_net/salnet_symm.py).
import { z } from "zod";
import { B, MAX_RUN_STEPS, narrow, num, type Bound } from "../../config/numbers.js";
import { SALNET_MAX_POPS } from "../../backend/salnet.js";
import { salnetBytes, salnetNsPerStep, synapses } from "../../models/salNetCost.js";

export { salnetBytes, salnetNsPerStep } from "../../models/salNetCost.js";

/** Steps of one epoch (one kernel call, at most 2^29). */
export const ALIGN_EPOCH_STEPS = narrow(B.runSteps, { max: 2 ** 29, why: "steps of one epoch, one kernel run (at most 2^29)" });

/** Bounds of the config fields without a flag (for --help). */
export const ALIGN_CONFIG_BOUNDS: [string, Bound][] = [
  ["--layers (each)", B.population],
  ["bufferLength", B.window],
];

export const alignConfigSchema = z
  .strictObject({
    preset: z.string(),
    layers: z
      .array(num(B.population))
      .min(2)
      .max(SALNET_MAX_POPS)
      .describe("population sizes [F, 384, 192, 10]; fc layer l maps population l to l+1"),
    epochs: num(B.epochs),
    stepsPerEpoch: num(ALIGN_EPOCH_STEPS).describe("steps per epoch (authors: len_epoch 1000 * t_ref = 10000); one B update per epoch"),
    tRef: num(B.tRef).describe("refractory steps, PSP length and window time constant"),
    bufferLength: num(B.window).describe("STDP window length in units of tRef (at most 2: two spikes per neuron in the window)"),
    salLr: num(B.rate).describe("SAL learning rate"),
    batch: num(B.copies).describe("independent copies whose STDP sums are averaged"),
    seed: num(B.seed),
  })
  .refine((c) => c.epochs * c.stepsPerEpoch <= MAX_RUN_STEPS, {
    // the network is never reset: its clock counts every step of the run
    message: `epochs x stepsPerEpoch must stay <= ${MAX_RUN_STEPS} (2^30-1), the steps the network's clock counts`,
    path: ["epochs"],
  });

export type AlignConfig = z.output<typeof alignConfigSchema>;

const paper = {
  layers: [1600, 384, 192, 10],
  epochs: 100,
  stepsPerEpoch: 10_000,
  tRef: 10,
  bufferLength: 2,
  salLr: 0.01,
  batch: 1,
  seed: 0,
};

export const ALIGN_PRESETS: Record<string, unknown> = {
  /** the authors' run: 100 epochs of 10,000 steps, batch 1, sal_lr 0.01 */
  paper,
  /** a quick look: 10 epochs */
  quick: { ...paper, epochs: 10 },
};

// ---- resources: a rough estimate of memory and time, for refusing runs that will not fit ----

/** Memory (the network's buffers, the JS copies of W and B) and the first epoch's time of an align run. */
export function alignEstimate(cfg: AlignConfig, backend: "wasm" | "js"): { bytes: number; wasmBytes: number; firstEpochSeconds: number } {
  const wasmBytes = salnetBytes(cfg.layers, cfg.batch, cfg.tRef, cfg.bufferLength * cfg.tRef);
  const bytes = wasmBytes + 4 * 4 * synapses(cfg.layers) + 64 * 1024 * 1024;
  return { bytes, wasmBytes, firstEpochSeconds: (cfg.stepsPerEpoch * salnetNsPerStep(cfg.layers, cfg.batch, backend)) / 1e9 };
}
