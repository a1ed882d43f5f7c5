// NumPy .npy (format version 1.0) encoder, so Python users can np.load
// our arrays. Little-endian, C order.

type NpyData = Float64Array | Float32Array | Int32Array | Uint32Array;

function descr(data: NpyData): string {
  if (data instanceof Float64Array) return "<f8";
  if (data instanceof Float32Array) return "<f4";
  if (data instanceof Int32Array) return "<i4";
  return "<u4";
}

/** Encodes `data` with `shape` (product must equal data.length) as .npy bytes. */
export function encodeNpy(data: NpyData, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`npy: shape [${shape.join(",")}] holds ${count} values, data has ${data.length}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${descr(data)}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += " ".repeat(pad % 64) + "\n";
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
