// Assembling normalised (and, for training, augmented) batches from an
// image set into a network's input buffer, and the per-epoch shuffle. The
// random draws come from named streams per epoch (`shuffle:<epoch>`,
// `augment:<epoch>`), so an epoch's batches do not depend on earlier epochs
// (a resumed run sees the same batches).
import { tsRandom } from "../rng/seeds.js";
import type { TsRandom } from "../rng/seeds.js";
import type { ImageSet } from "./images.js";
import type { DatasetInfo } from "./info.js";

/** A permutation of 0..n-1 (Fisher-Yates) from the stream `shuffle:<epoch>` of `seed`. */
export function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  const r = tsRandom(seed, `shuffle:${epoch}`);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** The augmentation of one sample: crop offsets (0..2 pad) and a flip. */
export interface Augment {
  dy: number;
  dx: number;
  flip: boolean;
}

/** torchvision order: RandomCrop(pad) draws its offsets first, then RandomHorizontalFlip (p = 0.5). */
export function drawAugment(r: TsRandom, info: DatasetInfo): Augment {
  const dy = info.cropPad ? r.int(2 * info.cropPad + 1) : info.cropPad;
  const dx = info.cropPad ? r.int(2 * info.cropPad + 1) : info.cropPad;
  return { dy, dx, flip: info.flip && r.uniform() < 0.5 };
}

/** Per channel, the normalised value of each byte: ((u / 255) - mean) / std, as f32. */
export function normalisationTable(info: DatasetInfo, channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const m = info.mean[c % info.mean.length],
      s = info.std[c % info.std.length];
    return Float32Array.from({ length: 256 }, (_, u) => (u / 255 - m) / s);
  });
}

export class BatchMaker {
  private readonly lut: Float32Array[];
  constructor(
    readonly set: ImageSet,
    readonly info: DatasetInfo,
  ) {
    this.lut = normalisationTable(info, set.c);
  }

  /**
   * Writes samples order[start .. start+n) into `x` (n x c x h x w) and their labels into `y`.
   * With `aug`, each sample is cropped from its zero-padded image (zero = black, before
   * normalisation, as torchvision pads) and maybe mirrored.
   */
  fill(order: ArrayLike<number>, start: number, n: number, x: Float32Array, y: Int32Array, aug: TsRandom | null): void {
    const { c, h, w, images, labels } = this.set;
    const plane = h * w,
      per = c * plane;
    for (let b = 0; b < n; b++) {
      const s = order[start + b];
      y[b] = labels[s];
      const src = s * per,
        dst = b * per;
      const a = aug ? drawAugment(aug, this.info) : null;
      for (let ch = 0; ch < c; ch++) {
        const lut = this.lut[ch],
          so = src + ch * plane,
          dO = dst + ch * plane;
        if (!a || (!a.flip && a.dy === this.info.cropPad && a.dx === this.info.cropPad)) {
          for (let i = 0; i < plane; i++) x[dO + i] = lut[images[so + i]];
          continue;
        }
        const oy = a.dy - this.info.cropPad,
          ox = a.dx - this.info.cropPad;
        for (let i = 0; i < h; i++) {
          const si = i + oy;
          for (let j = 0; j < w; j++) {
            const jj = a.flip ? w - 1 - j : j; // flip after the crop: output column j shows crop column w-1-j
            const sj = jj + ox;
            x[dO + i * w + j] = si >= 0 && si < h && sj >= 0 && sj < w ? lut[images[so + si * w + sj]] : lut[0];
          }
        }
      }
    }
  }

  /** The training batches of one epoch: shuffled, augmented unless `augment` is false. */
  epochStreams(seed: number, epoch: number, augment: boolean): { order: Uint32Array; aug: TsRandom | null } {
    return { order: epochPermutation(this.set.n, seed, epoch), aug: augment ? tsRandom(seed, `augment:${epoch}`) : null };
  }
}

/** 0..n-1, the test order. */
export function identityOrder(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}
