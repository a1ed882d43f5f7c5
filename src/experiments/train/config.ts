// Config schema and presets of `spike-align train` (spec/deepnets.md
// sections 1-3): the deep-net training runs with non-spiking feedback
// methods (and, once the spiking phases land, SAL and RDD).
import { z } from "zod";
import { METHOD_NAMES } from "../../learning/feedback.js";
import { DATASET_NAMES } from "../../data/info.js";
import { DEFAULT_HIDDEN } from "../../models/layered/spec.js";
import type { Arch } from "../../models/layered/spec.js";

const posInt = z.number().int().positive();

export const trainConfigSchema = z.strictObject({
  preset: z.string(),
  dataset: z.enum(DATASET_NAMES),
  data: z.string().min(1).optional().describe("data directory (default: the dataset's; fmnist: /usr/share/datasets/fashion-mnist)"),
  arch: z.enum(["conv", "mlp"]),
  method: z.enum(METHOD_NAMES),
  hidden: z.array(posInt.max(65536)).min(1).max(16).optional().describe("hidden fc sizes (default conv 384,192; mlp 1024,384,192)"),
  epochs: posInt.max(100_000),
  batch: posInt.max(4096).describe("training batch (shuffled)"),
  testBatch: posInt.max(4096).describe("evaluation batch (eval mode: does not change results)"),
  lr: z.number().finite().positive().max(100),
  momentum: z.number().finite().min(0).lt(1),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  augment: z.boolean().describe("the authors' training augmentation (flips; random crops for 32x32 sets)"),
  doubleSoftmax: z.boolean().describe("authors: CrossEntropyLoss applied to the softmax output"),
  trainSubset: posInt.optional().describe("use only the first N training samples"),
  testSubset: posInt.optional().describe("use only the first N test samples"),
  checkpointEvery: z.number().int().min(0).describe("write checkpoint.ckpt every N epochs (0 = never)"),
  convChannels: z.array(posInt.max(4096)).min(1).max(4).describe("output channels of the conv layers (paper: 64, 64; 5x5 kernels)"),
  fcWeightDecay: z.number().finite().min(0).max(1).optional().describe("weight decay of fc W (and of a learned B); default the method's (kp 0.001, else 0)"),
  sal: z.strictObject({
    tRef: posInt.max(1000),
    lenEpoch: posInt.describe("SAL iteration length in units of tRef"),
    nIterations: posInt.describe("B updates per phase"),
    salLr: z.number().finite(),
    batch: posInt.max(1024).describe("independent copies of the spiking network"),
    bufferLength: posInt.max(100).describe("STDP window in units of tRef"),
  }).describe("the SAL phase before every epoch (method sal; spec section 5)"),
  rdd: z.strictObject({ seconds: z.number().finite().positive().describe("simulated seconds per RDD phase (spec section 6)") }),
  bnMomentum: z.number().finite().min(0).max(1),
  bnEps: z.number().finite().positive(),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;

const PAPER: Omit<TrainConfig, "preset"> = {
  dataset: "fmnist",
  arch: "conv",
  method: "bp",
  epochs: 100,
  batch: 128,
  testBatch: 256,
  lr: 0.01,
  momentum: 0.9,
  seed: 0,
  augment: true,
  doubleSoftmax: true,
  checkpointEvery: 0,
  convChannels: [64, 64],
  sal: { tRef: 10, lenEpoch: 200, nIterations: 5, salLr: 0.04, batch: 32, bufferLength: 2 },
  rdd: { seconds: 90 },
  bnMomentum: 0.1,
  bnEps: 1e-5,
};

/** paper: the authors' exp_settings.yaml (100 epochs of the conv net); quick: the MLP for 2 epochs. */
export const TRAIN_PRESETS: Record<string, Omit<TrainConfig, "preset">> = {
  paper: PAPER,
  quick: { ...PAPER, arch: "mlp", epochs: 2 },
};

export function hiddenSizes(cfg: Pick<TrainConfig, "arch" | "hidden">): number[] {
  return cfg.hidden ?? DEFAULT_HIDDEN[cfg.arch as Arch];
}
