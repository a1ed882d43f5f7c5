// The datasets of the deep-net experiments (spec/deepnets.md section 3):
// where their files are, their per-channel normalisation and the authors'
// training augmentation (random crop with 4-pixel zero padding and
// horizontal flips for 32x32 sets; horizontal flips only for 28x28 sets).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { readIdxPair } from "./idx.js";
import { readCifarBatches } from "./cifar.js";
import { subset } from "./images.js";
import type { ImageSet } from "./images.js";

export const DATASET_NAMES = ["fmnist", "mnist", "cifar10"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface DatasetInfo {
  name: DatasetName;
  /** x in [0, 1], then (x - mean) / std per channel. */
  mean: number[];
  std: number[];
  /** Training augmentation: zero padding of the random crop (0 = no crop), horizontal flips. */
  cropPad: number;
  flip: boolean;
  /** Default directory (null: --data is required). */
  defaultDir: string | null;
  /** How to get the files, for the missing-data message. */
  howToGet: string;
}

export const DATASETS: Record<DatasetName, DatasetInfo> = {
  fmnist: {
    name: "fmnist",
    mean: [0.29],
    std: [0.32],
    cropPad: 0,
    flip: true,
    defaultDir: "/usr/share/datasets/fashion-mnist",
    howToGet: "install Debian's package with `apt-get install dataset-fashion-mnist`, or put the four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in a directory and pass --data DIR",
  },
  mnist: {
    name: "mnist",
    mean: [0.13],
    std: [0.3],
    cropPad: 0,
    flip: true,
    defaultDir: null,
    howToGet: "download the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, gzip or raw) and pass --data DIR",
  },
  cifar10: {
    name: "cifar10",
    mean: [0.49, 0.48, 0.44],
    std: [0.2, 0.2, 0.2],
    cropPad: 4,
    flip: true,
    defaultDir: null,
    howToGet: "download the CIFAR-10 binary version (cifar-10-binary.tar.gz), unpack it and pass --data DIR (the folder with data_batch_1.bin ... data_batch_5.bin and test_batch.bin)",
  },
};

export interface LoadedData {
  info: DatasetInfo;
  train: ImageSet;
  test: ImageSet;
  dir: string;
}

function dirMissing(info: DatasetInfo, dir: string | null): UsageError {
  if (!dir) return new UsageError(`--data: ${info.name} has no default directory; ${info.howToGet}`);
  return new UsageError(`${dir}: no such directory (${info.name} data); ${info.howToGet}`);
}

/** The first existing file among the usual spellings of an IDX file name. */
function findIdx(dir: string, stem: string, kind: "idx3" | "idx1"): string {
  const names = [`${stem}-${kind}-ubyte`, `${stem}.${kind}-ubyte`];
  for (const n of names) for (const ext of [".gz", ""]) if (existsSync(join(dir, n + ext))) return join(dir, n + ext);
  return join(dir, `${names[0]}.gz`);
}

/** Loads the train and test sets of `name` from `dir` (or the default directory), with optional subsets. */
export function loadDataset(name: DatasetName, dirOpt: string | undefined, trainSubset?: number, testSubset?: number): LoadedData {
  const info = DATASETS[name];
  const dir = dirOpt ?? info.defaultDir;
  if (!dir || !existsSync(dir) || !statSync(dir).isDirectory()) throw dirMissing(info, dir);
  let train: ImageSet, test: ImageSet;
  if (name === "cifar10") {
    const base = existsSync(join(dir, "cifar-10-batches-bin")) ? join(dir, "cifar-10-batches-bin") : dir;
    const has = new Set(readdirSync(base));
    const need = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat("test_batch.bin");
    const missing = need.find((f) => !has.has(f));
    if (missing) throw new UsageError(`${join(base, missing)}: no such file; ${info.howToGet}`);
    train = readCifarBatches(need.slice(0, 5).map((f) => join(base, f)));
    test = readCifarBatches([join(base, "test_batch.bin")]);
  } else {
    const tr = findIdx(dir, "train-images", "idx3"), trl = findIdx(dir, "train-labels", "idx1");
    const te = findIdx(dir, "t10k-images", "idx3"), tel = findIdx(dir, "t10k-labels", "idx1");
    for (const f of [tr, trl, te, tel]) if (!existsSync(f)) throw new UsageError(`${f}: no such file; ${info.howToGet}`);
    train = readIdxPair(tr, trl);
    test = readIdxPair(te, tel);
    if (train.h !== test.h || train.w !== test.w) throw new UsageError(`${te}: images are ${test.h}x${test.w}, the training images ${train.h}x${train.w}`);
  }
  return { info, train: subset(train, trainSubset), test: subset(test, testSubset), dir };
}
