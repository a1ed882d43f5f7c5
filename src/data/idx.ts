// IDX files (the MNIST / Fashion-MNIST format, gzip or raw): a 4-byte magic
// 00 00 <type> <ndims>, ndims big-endian u32 sizes, then the data. Only
// unsigned bytes (type 0x08) are images and labels here.
import { dataError, readMaybeGzip } from "./images.js";
import type { ImageSet } from "./images.js";

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX file of unsigned bytes; bad magic, type or length: one-line error naming the file. */
export function readIdx(path: string): IdxArray {
  const b = readMaybeGzip(path);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) throw dataError(path, "not an IDX file (wrong magic number: expected 00 00 08 <ndims>)");
  if (b[2] !== 0x08)
    throw dataError(path, `IDX element type 0x${b[2].toString(16).padStart(2, "0")} is not supported (only unsigned bytes, 0x08)`);
  const nd = b[3];
  if (nd < 1 || nd > 4) throw dataError(path, `IDX with ${nd} dimensions; expected 1 (labels) or 3 (images)`);
  const head = 4 + 4 * nd;
  if (b.length < head) throw dataError(path, "truncated IDX header");
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dims = Array.from({ length: nd }, (_, i) => dv.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, d) => a * d, 1);
  if (b.length < head + count)
    throw dataError(path, `truncated: the header promises ${count} bytes of data, the file has ${b.length - head}`);
  if (b.length > head + count) throw dataError(path, `${b.length - head - count} bytes after the data the header describes`);
  return { dims, data: b.subarray(head, head + count) };
}

/** An image set from an images file (n x h x w) and a labels file (n), checked against each other. */
export function readIdxPair(imagesPath: string, labelsPath: string, classes = 10): ImageSet {
  const im = readIdx(imagesPath),
    lb = readIdx(labelsPath);
  if (im.dims.length !== 3) throw dataError(imagesPath, `images must be 3-d (n x h x w); this IDX file is ${im.dims.length}-d`);
  if (lb.dims.length !== 1) throw dataError(labelsPath, `labels must be 1-d; this IDX file is ${lb.dims.length}-d`);
  if (im.dims[0] !== lb.dims[0]) throw dataError(labelsPath, `${lb.dims[0]} labels for ${im.dims[0]} images in ${imagesPath}`);
  for (let i = 0; i < lb.data.length; i++)
    if (lb.data[i] >= classes) throw dataError(labelsPath, `label ${lb.data[i]} at index ${i} is outside 0..${classes - 1}`);
  return { images: im.data, labels: lb.data, n: im.dims[0], c: 1, h: im.dims[1], w: im.dims[2] };
}
