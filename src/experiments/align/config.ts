// Config schema and presets of the standalone SAL alignment run (spec/deepnets.md
// section 5, last paragraph; arXiv:2503.02642, the time-course figure of the
// deep-network section; the authors' scripts/symm_net/salnet_symm.py).
import { z } from "zod";

const posInt = z.number().int().positive();

export const alignConfigSchema = z.strictObject({
  preset: z.string(),
  layers: z.array(posInt.max(1 << 20)).min(2).max(8).describe("population sizes [F, 384, 192, 10]; fc layer l maps population l to l+1"),
  epochs: posInt.max(1_000_000),
  stepsPerEpoch: posInt.max(1 << 29).describe("steps per epoch (authors: len_epoch 1000 * t_ref = 10000); one B update per epoch"),
  tRef: posInt.max(10_000).describe("refractory steps, PSP length and window time constant"),
  bufferLength: posInt.max(2).describe("STDP window length in units of tRef (at most 2: two spikes per neuron in the window)"),
  salLr: z.number().finite().describe("SAL learning rate"),
  batch: posInt.max(4096).describe("independent copies whose STDP sums are averaged"),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
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
