// The real Fashion-MNIST files of Debian's dataset-fashion-mnist package
// (.ci/run installs it): the reader sees 60000 + 10000 balanced 28x28
// images, and a short MLP run on a subset learns them. Skipped, with the
// reason, where the package is not installed.
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { DATASETS, loadDataset } from "../../src/data/datasets.js";
import { createBackend } from "../../src/backend/index.js";
import { runTrain } from "../../src/experiments/train/run.js";
import { TRAIN_PRESETS } from "../../src/experiments/train/config.js";

const dir = DATASETS.fmnist.defaultDir!;
const present = existsSync(dir);

describe.skipIf(!present)(`Fashion-MNIST in ${dir} (apt-get install dataset-fashion-mnist)`, { tags: ["fmnist"] }, () => {
  it("has 60000 training and 10000 test images of 28x28, 6000 / 1000 per class", () => {
    const d = loadDataset("fmnist", undefined);
    expect([d.train.n, d.test.n, d.train.c, d.train.h, d.train.w]).toEqual([60000, 10000, 1, 28, 28]);
    for (const [set, per] of [
      [d.train, 6000],
      [d.test, 1000],
    ] as const) {
      const counts = new Array(10).fill(0);
      for (const y of set.labels) counts[y]++;
      expect(counts).toEqual(new Array(10).fill(per));
    }
  });

  it("an MLP trained with BP for 2 epochs on 3000 images reaches > 70 % on 1000 test images", async () => {
    const k = await createBackend("wasm");
    const data = loadDataset("fmnist", undefined, 3000, 1000);
    const cfg = { ...TRAIN_PRESETS.quick, preset: "quick", hidden: [256, 128], seed: 1 };
    const r = runTrain(k, cfg, data);
    expect(r.state.metrics.at(-1)!.testAccuracy).toBeGreaterThan(70);
  });
});

describe.skipIf(!present)("createRun of the Node entry on Fashion-MNIST", () => {
  it("loads train's dataset itself and steps its epochs", async () => {
    const { createRun } = await import("../../src/index.js");
    const k = await createBackend("wasm");
    const run = createRun(k, "train", { preset: "quick", epochs: 2, trainSubset: 256, testSubset: 128 });
    const first = run.advance(1);
    expect(first.map((r) => r.epoch)).toEqual([0, 1]);
    expect(run.position).toBe(1);
    expect(run.advance(1).map((r) => r.epoch)).toEqual([2]);
    expect(run.done).toBe(true);
    expect(run.summary().final.testAccuracy).toBeGreaterThan(10);
    run.dispose();
  });
});
