// An in-memory labelled image set: raw 8-bit pixels (as the files store them),
// normalised only when a batch is assembled (src/data/batches.ts).
import { existsSync, readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { UsageError } from "../errors.js";

export interface ImageSet {
  /** n x c x h x w bytes, channel-major per image (CHW). */
  images: Uint8Array;
  labels: Uint8Array;
  n: number;
  c: number;
  h: number;
  w: number;
}

/** One line naming the file and the problem (exit 2). */
export function dataError(path: string, problem: string): UsageError {
  return new UsageError(`${path}: ${problem}`);
}

/** File bytes, gunzipped when they start with the gzip magic 1f 8b. */
export function readMaybeGzip(path: string): Uint8Array {
  if (!existsSync(path) || !statSync(path).isFile()) throw dataError(path, "no such file");
  let raw: Uint8Array;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw dataError(path, `cannot read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (err) {
      throw dataError(path, `corrupt or truncated gzip data (${(err as Error).message})`);
    }
  }
  return raw;
}

/** The first `count` samples (all when count is undefined or larger). */
export function subset(s: ImageSet, count: number | undefined): ImageSet {
  if (count === undefined || count >= s.n) return s;
  const per = s.c * s.h * s.w;
  return { ...s, n: count, images: s.images.subarray(0, count * per), labels: s.labels.subarray(0, count) };
}
