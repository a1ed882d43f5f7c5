// The command line of the train experiment: `spike-align train`, a conv net or
// MLP trained on images with one feedback method (docs/models/deep-nets.md).
// Writes config.json, metrics.jsonl (per epoch, as it goes), summary.json, SVG
// plots, the final parameters (params/*.npy) and, with --checkpoint-every,
// checkpoint.ckpt. --resume, the checkpoints and the per-epoch progress are
// src/cli/commands/train.ts's.
import { B, parseBounded } from "../../config/numbers.js";
import { DATASET_NAMES } from "../../data/info.js";
import { OptionValueError } from "../../errors.js";
import { METHOD_NAMES } from "../../learning/feedback.js";
import type { ExperimentCli } from "../descriptor.js";
import { MAX_HIDDEN_LAYERS, TRAIN_CONFIG_BOUNDS, type TrainConfig } from "./config.js";

function hiddenOpt(v: string): number[] {
  const parts = v.split(",").map((p) => parseBounded(p, B.fcSize));
  if (parts.length > MAX_HIDDEN_LAYERS) throw new OptionValueError(`at most ${MAX_HIDDEN_LAYERS} hidden layers, e.g. 1024,384,192.`);
  return parts;
}

const EXAMPLES = `
Presets: paper (default: conv net, Fashion-MNIST, 100 epochs, batch 128, SGD lr 0.01 momentum 0.9,
double softmax as the authors' code), quick (the MLP for 2 epochs).

Examples:
  spike-align train --preset quick --method bp                       # MLP, 2 epochs on Fashion-MNIST
  spike-align train --preset quick --method fa --out runs/mlp-fa --json
  spike-align train --arch conv --method kp --epochs 1 --out runs/conv-kp
  spike-align train --dataset cifar10 --data ~/data/cifar-10-batches-bin --method scfa --epochs 100 --checkpoint-every 5 --out runs/c10
  spike-align train --resume runs/c10                                # continue after a crash
  spike-align train --resume runs/c10 --epochs 150                   # ... and train longer
  spike-align train --preset quick --train-subset 5000 --test-subset 1000 --backend js

With --resume the run continues with the config in its directory; allowed besides are --epochs (more
than the checkpoint has done), --data (the same dataset moved elsewhere), --yes, --json and --quiet.
A size whose memory exceeds the machine's or whose first epoch takes over an hour is refused unless
--yes; a first epoch over 10 s is announced with its estimate.`;

export const trainCli: ExperimentCli<TrainConfig> = {
  description:
    "Train a conv net or MLP on images with BP, FA, bp_w_fa, KP, SCFA, SAL or RDD feedback and track how B aligns with W (paper Fig. 8)",
  options: [
    { flags: "--dataset <name>", description: "fmnist (default), mnist or cifar10", choices: DATASET_NAMES, field: "dataset" },
    { flags: "--data <dir>", description: "data directory (fmnist default: /usr/share/datasets/fashion-mnist)", path: true, field: "data" },
    { flags: "--arch <name>", description: "conv: the paper's ConvNet; mlp: 784-1024-384-192-10", choices: ["conv", "mlp"], field: "arch" },
    {
      flags: "--method <name>",
      description:
        "feedback: bp, fa, bp_w_fa (BP on fc, FA on conv), kp (Kolen-Pollack), scfa (sign-concordant), " +
        "sal / rdd (a spiking SAL / RDD phase sets the fc B before every epoch)",
      choices: METHOD_NAMES,
      field: "method",
    },
    { flags: "--hidden <sizes>", description: "hidden fc sizes (conv: 384,192; mlp: 1024,384,192)", parse: hiddenOpt, field: "hidden" },
    { flags: "--epochs <n>", description: "SGD epochs (paper: 100)", bound: B.epochs, field: "epochs" },
    { flags: "--lr <x>", description: "SGD learning rate (paper: 0.01)", bound: B.sgdRate, field: "lr" },
    { flags: "--momentum <x>", description: "SGD momentum (paper: 0.9)", bound: B.momentum, field: "momentum" },
    { flags: "--batch <n>", description: "training batch (paper: 128)", bound: B.batch, field: "batch" },
    { flags: "--test-batch <n>", description: "evaluation batch (paper: 256)", bound: B.batch, field: "testBatch" },
    {
      flags: "--no-augment",
      description: "no training augmentation (default: flips; random crops for 32x32)",
      set: (v) => ({ augment: v === false ? false : undefined }),
    },
    {
      flags: "--no-double-softmax",
      description: "plain cross-entropy on the logits (paper preset: CrossEntropyLoss on the softmax output, the authors' quirk)",
      set: (v) => ({ doubleSoftmax: v === false ? false : undefined }),
    },
    { flags: "--train-subset <n>", description: "only the first N training samples", bound: B.samples, field: "trainSubset" },
    { flags: "--test-subset <n>", description: "only the first N test samples", bound: B.samples, field: "testSubset" },
    {
      flags: "--fc-weight-decay <x>",
      description: "weight decay of fc W and a learned B (default: kp 0.001, others 0)",
      bound: B.weightDecay,
      field: "fcWeightDecay",
    },
    {
      flags: "--checkpoint-every <n>",
      description: "write --out/checkpoint.ckpt every n epochs (0 = never)",
      bound: B.everyOrNever,
      field: "checkpointEvery",
    },
  ],
  bounds: [["--hidden (each)", B.fcSize], ...TRAIN_CONFIG_BOUNDS],
  yes: true,
  configWithBackend: true,
  // the command draws a bar per epoch and prints a line after each (src/cli/commands/train.ts)
  progressTotal: () => 0,
  help: EXAMPLES,
};
