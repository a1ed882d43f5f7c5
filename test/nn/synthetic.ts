// Synthetic image sets for the nn tests: random 8-bit pixels labelled by a
// random teacher network (so the task is learnable), and small layered specs.
import { tsRandom } from "../../src/rng/seeds.js";
import type { DatasetInfo, LoadedData } from "../../src/data/datasets.js";
import type { ImageSet } from "../../src/data/images.js";
import { TRAIN_PRESETS } from "../../src/experiments/train/config.js";
import type { TrainConfig } from "../../src/experiments/train/config.js";

export const SYNTH_INFO: DatasetInfo = {
  name: "fmnist",
  mean: [0.5],
  std: [0.29],
  cropPad: 0,
  flip: false,
  defaultDir: null,
  howToGet: "",
};

/** Labels = argmax of a random tanh teacher (in -> 24 -> classes) on the normalised pixels. */
export function teacherSet(seed: number, n: number, c: number, h: number, w: number, classes = 10, stream = "pixels"): ImageSet {
  const d = c * h * w,
    hid = 24;
  const tr = tsRandom(seed, "teacher"),
    px = tsRandom(seed, stream);
  const W1 = Array.from({ length: hid * d }, () => tr.normal(0, 1 / Math.sqrt(d)));
  const W2 = Array.from({ length: classes * hid }, () => tr.normal(0, 1 / Math.sqrt(hid)));
  const images = new Uint8Array(n * d),
    labels = new Uint8Array(n);
  const x = new Float64Array(d),
    a = new Float64Array(hid);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < d; i++) {
      const u = px.int(256);
      images[s * d + i] = u;
      x[i] = (u / 255 - 0.5) / 0.29;
    }
    for (let j = 0; j < hid; j++) {
      let t = 0;
      for (let i = 0; i < d; i++) t += W1[j * d + i] * x[i];
      a[j] = Math.tanh(t);
    }
    let best = 0,
      bv = -Infinity;
    for (let o = 0; o < classes; o++) {
      let t = 0;
      for (let j = 0; j < hid; j++) t += W2[o * hid + j] * a[j];
      if (t > bv) {
        bv = t;
        best = o;
      }
    }
    labels[s] = best;
  }
  return { images, labels, n, c, h, w };
}

export function teacherData(seed: number, nTrain: number, nTest: number, c: number, h: number, w: number, classes = 10): LoadedData {
  return {
    info: SYNTH_INFO,
    train: teacherSet(seed, nTrain, c, h, w, classes, "train"),
    test: teacherSet(seed, nTest, c, h, w, classes, "test"),
    dir: "(synthetic)",
  };
}

export function trainCfg(over: Partial<TrainConfig>): TrainConfig {
  return { ...TRAIN_PRESETS.quick, preset: "test", augment: false, ...over };
}
