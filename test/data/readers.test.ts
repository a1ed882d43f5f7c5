// Dataset readers on small files written here in the official formats (IDX
// gzip and raw, CIFAR-10 binary), their one-line errors, and batch assembly
// (normalisation, flips, zero-padded crops, seeded shuffles).
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { readIdx, readIdxPair } from "../../src/data/idx.js";
import { readCifarBatches, CIFAR_RECORD } from "../../src/data/cifar.js";
import { DATASETS, loadDataset } from "../../src/data/datasets.js";
import { BatchMaker, drawAugment, epochPermutation } from "../../src/data/batches.js";
import { UsageError } from "../../src/errors.js";
import { tsRandom } from "../../src/rng/seeds.js";
import { idxBytes, writeIdxSet } from "./idxfiles.js";

const tmp = () => mkdtempSync(join(tmpdir(), "sa-data-"));

describe("IDX reader", () => {
  it("reads gzip and raw files alike", () => {
    const d = tmp();
    const data = Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
    writeFileSync(join(d, "a"), idxBytes([2, 3, 4], data));
    writeFileSync(join(d, "a.gz"), gzipSync(idxBytes([2, 3, 4], data)));
    for (const f of ["a", "a.gz"]) {
      const r = readIdx(join(d, f));
      expect(r.dims).toEqual([2, 3, 4]);
      expect(Array.from(r.data)).toEqual(data);
    }
  });

  it("bad files give one line naming the file and the problem", () => {
    const d = tmp();
    const p = (n: string) => join(d, n);
    writeFileSync(p("magic"), new Uint8Array([0x08, 0x03, 0, 0, 1, 2]));
    writeFileSync(p("trunc"), idxBytes([5, 2, 2], [1, 2, 3]));
    writeFileSync(p("img"), idxBytes([3, 2, 2], new Array(12).fill(1)));
    writeFileSync(p("lab"), idxBytes([4], [0, 1, 2, 3]));
    writeFileSync(p("lab11"), idxBytes([3], [0, 11, 2]));
    writeFileSync(p("badgz.gz"), new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]));
    const cases: [() => unknown, RegExp][] = [
      [() => readIdx(p("missing")), /missing: no such file/],
      [() => readIdx(p("magic")), /magic: not an IDX file \(wrong magic number/],
      [() => readIdx(p("trunc")), /trunc: truncated: the header promises 20 bytes of data, the file has 3/],
      [() => readIdxPair(p("img"), p("lab")), /lab: 4 labels for 3 images/],
      [() => readIdxPair(p("img"), p("lab11")), /lab11: label 11 at index 1 is outside 0\.\.9/],
      [() => readIdx(p("badgz.gz")), /badgz\.gz: corrupt or truncated gzip/],
    ];
    for (const [f, re] of cases) {
      expect(f).toThrow(UsageError);
      expect(f).toThrow(re);
    }
  });
});

describe("CIFAR-10 reader", () => {
  it("reads records (label byte + 3072 CHW bytes) across files; rejects wrong lengths and labels", () => {
    const d = tmp();
    const rec = (label: number, v: number) => {
      const b = new Uint8Array(CIFAR_RECORD).fill(v);
      b[0] = label;
      b[1 + 1024] = 200; // first green pixel
      return b;
    };
    const two = new Uint8Array(2 * CIFAR_RECORD);
    two.set(rec(3, 10), 0);
    two.set(rec(9, 20), CIFAR_RECORD);
    writeFileSync(join(d, "a.bin"), two);
    writeFileSync(join(d, "b.bin"), rec(0, 30));
    const s = readCifarBatches([join(d, "a.bin"), join(d, "b.bin")]);
    expect(s).toMatchObject({ n: 3, c: 3, h: 32, w: 32 });
    expect(Array.from(s.labels)).toEqual([3, 9, 0]);
    expect([s.images[0], s.images[1024], s.images[3072], s.images[2 * 3072 + 5]]).toEqual([10, 200, 20, 30]);
    writeFileSync(join(d, "short.bin"), two.subarray(0, CIFAR_RECORD + 100));
    expect(() => readCifarBatches([join(d, "short.bin")])).toThrow(
      /short\.bin: 3173 bytes is not a whole number of 3073-byte CIFAR-10 records/,
    );
    writeFileSync(join(d, "c100.bin"), rec(42, 1));
    expect(() => readCifarBatches([join(d, "c100.bin")])).toThrow(/c100\.bin: record 0 has label 42/);
  });

  it("loadDataset finds the six batch files, also inside cifar-10-batches-bin/, and names a missing one", () => {
    const d = tmp(),
      inner = join(d, "cifar-10-batches-bin");
    mkdirSync(inner);
    for (let i = 1; i <= 5; i++) writeFileSync(join(inner, `data_batch_${i}.bin`), new Uint8Array(CIFAR_RECORD * 2));
    expect(() => loadDataset("cifar10", d)).toThrow(/test_batch\.bin: no such file; download the CIFAR-10 binary version/);
    writeFileSync(join(inner, "test_batch.bin"), new Uint8Array(CIFAR_RECORD));
    const l = loadDataset("cifar10", d, 7);
    expect([l.train.n, l.test.n]).toEqual([7, 1]);
  });
});

describe("loadDataset (IDX)", () => {
  it("reads the four files, applies subsets, and explains a missing directory or file", () => {
    const d = join(tmp(), "fm");
    writeIdxSet(d, 12, 5, 28, 28, false);
    const l = loadDataset("fmnist", d, 10, 3);
    expect([l.train.n, l.test.n, l.train.c, l.train.h, l.train.w]).toEqual([10, 3, 1, 28, 28]);
    expect(() => loadDataset("fmnist", join(d, "nope"))).toThrow(
      /nope: no such directory \(fmnist data\); install Debian's package with `apt-get install dataset-fashion-mnist`/,
    );
    expect(() => loadDataset("mnist", undefined)).toThrow(/--data: mnist has no default directory/);
    const e = join(tmp(), "empty");
    mkdirSync(e);
    expect(() => loadDataset("mnist", e)).toThrow(/train-images-idx3-ubyte\.gz: no such file/);
  });
});

describe("batches", () => {
  const set = {
    images: Uint8Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => i * 7),
    labels: Uint8Array.from([4, 7]),
    n: 2,
    c: 2,
    h: 3,
    w: 3,
  };
  const info = { ...DATASETS.cifar10, mean: [0.5, 0.25], std: [0.5, 0.25], cropPad: 1 };

  it("normalises per channel: ((u / 255) - mean) / std", () => {
    const x = new Float32Array(36),
      y = new Int32Array(2);
    new BatchMaker(set, info).fill([1, 0], 0, 2, x, y, null);
    expect(Array.from(y)).toEqual([7, 4]);
    expect(x[0]).toBeCloseTo((set.images[18] / 255 - 0.5) / 0.5, 6);
    expect(x[9]).toBeCloseTo((set.images[27] / 255 - 0.25) / 0.25, 6);
  });

  it("crops from the zero-padded image, then flips, as torchvision's RandomCrop + RandomHorizontalFlip", () => {
    const r = tsRandom(3, "aug-test");
    const maker = new BatchMaker(set, info);
    const x = new Float32Array(18),
      y = new Int32Array(1);
    for (let t = 0; t < 30; t++) {
      const probe = tsRandom(3, "aug-test");
      for (let s = 0; s < t; s++) drawAugment(probe, info);
      const a = drawAugment(probe, info);
      maker.fill([0], 0, 1, x, y, r);
      for (let ch = 0; ch < 2; ch++)
        for (let i = 0; i < 3; i++)
          for (let j = 0; j < 3; j++) {
            const jj = a.flip ? 2 - j : j,
              si = i + a.dy - 1,
              sj = jj + a.dx - 1;
            const u = si >= 0 && si < 3 && sj >= 0 && sj < 3 ? set.images[ch * 9 + si * 3 + sj] : 0;
            expect(x[ch * 9 + i * 3 + j]).toBeCloseTo((u / 255 - info.mean[ch]) / info.std[ch], 6);
          }
    }
  });

  it("28x28 sets only flip; seeded shuffles are permutations, fixed per (seed, epoch)", () => {
    const f = DATASETS.fmnist;
    const r = tsRandom(1, "a");
    const draws = Array.from({ length: 200 }, () => drawAugment(r, f));
    expect(draws.every((a) => a.dx === 0 && a.dy === 0)).toBe(true);
    const flips = draws.filter((a) => a.flip).length;
    expect(flips).toBeGreaterThan(70);
    expect(flips).toBeLessThan(130);
    const p = epochPermutation(1000, 5, 2);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(epochPermutation(1000, 5, 2))).toEqual(Array.from(p));
    expect(Array.from(epochPermutation(1000, 5, 3))).not.toEqual(Array.from(p));
  });
});
