// CIFAR-10 binary batches: records of 1 label byte + 3072 pixel bytes
// (1024 red, 1024 green, 1024 blue, each 32 x 32 row-major), 10000 per file.
import { dataError, readMaybeGzip } from "./images.js";
import type { ImageSet } from "./images.js";

export const CIFAR_RECORD = 1 + 3 * 32 * 32;

/** Concatenates CIFAR-10 binary batch files into one image set. */
export function readCifarBatches(paths: string[]): ImageSet {
  const parts = paths.map((p) => {
    const b = readMaybeGzip(p);
    if (b.length === 0 || b.length % CIFAR_RECORD !== 0)
      throw dataError(
        p,
        `${b.length} bytes is not a whole number of ${CIFAR_RECORD}-byte CIFAR-10 records (truncated or not a CIFAR-10 binary batch)`,
      );
    for (let o = 0, i = 0; o < b.length; o += CIFAR_RECORD, i++)
      if (b[o] > 9) throw dataError(p, `record ${i} has label ${b[o]}; CIFAR-10 labels are 0..9 (wrong format, e.g. CIFAR-100?)`);
    return b;
  });
  const n = parts.reduce((a, b) => a + b.length / CIFAR_RECORD, 0);
  const images = new Uint8Array(n * 3072),
    labels = new Uint8Array(n);
  let i = 0;
  for (const b of parts)
    for (let o = 0; o < b.length; o += CIFAR_RECORD, i++) {
      labels[i] = b[o];
      images.set(b.subarray(o + 1, o + CIFAR_RECORD), i * 3072);
    }
  return { images, labels, n, c: 3, h: 32, w: 32 };
}
