// The datasets of the deep-net experiments (docs/models/deep-nets.md#data):
// where their files are, their per-channel normalisation and the authors'
// training augmentation (random crop with 4-pixel zero padding and horizontal
// flips for 32x32 sets; horizontal flips only for 28x28 sets). No file access
// here, so browsers can import it.

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
    howToGet:
      "install Debian's package with `apt-get install dataset-fashion-mnist`, or put the four IDX files " +
      "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)" +
      " in a directory and pass --data DIR",
  },
  mnist: {
    name: "mnist",
    mean: [0.13],
    std: [0.3],
    cropPad: 0,
    flip: true,
    defaultDir: null,
    howToGet:
      "download the four MNIST IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz," +
      " t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, gzip or raw) and pass --data DIR",
  },
  cifar10: {
    name: "cifar10",
    mean: [0.49, 0.48, 0.44],
    std: [0.2, 0.2, 0.2],
    cropPad: 4,
    flip: true,
    defaultDir: null,
    howToGet:
      "download the CIFAR-10 binary version (cifar-10-binary.tar.gz), unpack it and pass --data DIR" +
      " (the folder with data_batch_1.bin ... data_batch_5.bin and test_batch.bin)",
  },
};
