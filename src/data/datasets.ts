// Loading the datasets of the deep-net experiments from their files
// (descriptions: src/data/info.ts).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { readIdxPair } from "./idx.js";
import { readCifarBatches } from "./cifar.js";
import { subset } from "./images.js";
import type { ImageSet } from "./images.js";
import { DATASETS } from "./info.js";
import type { DatasetInfo, DatasetName } from "./info.js";

export { DATASETS, DATASET_NAMES } from "./info.js";
export type { DatasetInfo, DatasetName } from "./info.js";

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
    const tr = findIdx(dir, "train-images", "idx3"),
      trl = findIdx(dir, "train-labels", "idx1");
    const te = findIdx(dir, "t10k-images", "idx3"),
      tel = findIdx(dir, "t10k-labels", "idx1");
    for (const f of [tr, trl, te, tel]) if (!existsSync(f)) throw new UsageError(`${f}: no such file; ${info.howToGet}`);
    train = readIdxPair(tr, trl);
    test = readIdxPair(te, tel);
    if (train.h !== test.h || train.w !== test.w)
      throw new UsageError(`${te}: images are ${test.h}x${test.w}, the training images ${train.h}x${train.w}`);
  }
  return { info, train: subset(train, trainSubset), test: subset(test, testSubset), dir };
}
