// Small data files in the official formats, written by the tests.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { tsRandom } from "../../src/rng/seeds.js";

/** IDX bytes: 00 00 08 ndims, big-endian sizes, data. */
export function idxBytes(dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 8, dims.length]);
  const dv = new DataView(out.buffer);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Writes an MNIST-layout directory with n train and m test images of h x w. */
export function writeIdxSet(dir: string, n: number, m: number, h = 28, w = 28, gz = true): void {
  mkdirSync(dir, { recursive: true });
  const r = tsRandom(1, "idx-set");
  const put = (name: string, b: Uint8Array) => writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(b) : b);
  for (const [stem, count] of [
    ["train", n],
    ["t10k", m],
  ] as const) {
    put(
      `${stem}-images-idx3-ubyte`,
      idxBytes(
        [count, h, w],
        Array.from({ length: count * h * w }, () => r.int(256)),
      ),
    );
    put(
      `${stem}-labels-idx1-ubyte`,
      idxBytes(
        [count],
        Array.from({ length: count }, (_, i) => i % 10),
      ),
    );
  }
}

/** Writes a CIFAR-10 binary directory: five training batches of `per` records and a test batch of `test`. */
export function writeCifarSet(dir: string, per: number, test: number): void {
  mkdirSync(dir, { recursive: true });
  const r = tsRandom(2, "cifar-set");
  const batch = (count: number) => {
    const b = new Uint8Array(count * 3073);
    for (let i = 0; i < count; i++) {
      b[i * 3073] = i % 10;
      for (let j = 1; j < 3073; j++) b[i * 3073 + j] = r.int(256);
    }
    return b;
  };
  for (let i = 1; i <= 5; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), batch(per));
  writeFileSync(join(dir, "test_batch.bin"), batch(test));
}
