// Checkpoints of a training run: one binary file, written atomically by the
// caller. Layout: "SACK" (4 bytes), u32 little-endian header length, a JSON
// header { version, epoch, state, tensors: [[name, length]...] }, then the
// f32 data of every tensor in header order, little-endian.
import type { LayeredNet } from "../../models/layered/net.js";
import type { TrainState } from "./run.js";

export const CHECKPOINT_VERSION = 1;
const MAGIC = [0x53, 0x41, 0x43, 0x4b]; // "SACK"

export interface DecodedCheckpoint {
  state: TrainState;
  tensors: Map<string, Float32Array>;
}

export function encodeCheckpoint(state: TrainState, net: LayeredNet): Uint8Array {
  const tensors = net.stateTensors();
  const header = new TextEncoder().encode(JSON.stringify({ version: CHECKPOINT_VERSION, epoch: state.epoch, state, tensors: tensors.map(([n, b]) => [n, b.length]) }));
  const pad = (4 - ((8 + header.length) % 4)) % 4;
  const total = 8 + header.length + pad + tensors.reduce((a, [, b]) => a + 4 * b.length, 0);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, header.length + pad, true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + header.length + pad); // JSON whitespace
  let o = 8 + header.length + pad;
  for (const [, b] of tensors) {
    const v = b.view;
    out.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), o);
    o += v.byteLength;
  }
  return out;
}

/** Decodes a checkpoint; throws a plain Error describing what is wrong (the caller names the file). */
export function decodeCheckpoint(bytes: Uint8Array): DecodedCheckpoint {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error("not a spike-align training checkpoint (bad magic)");
  const hl = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + hl > bytes.length) throw new Error("truncated header");
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hl)));
  if (head.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint version ${head.version}; this build reads version ${CHECKPOINT_VERSION}`);
  const tensors = new Map<string, Float32Array>();
  let o = 8 + hl;
  for (const [name, len] of head.tensors as [string, number][]) {
    if (o + 4 * len > bytes.length) throw new Error(`truncated at tensor ${name}`);
    tensors.set(name, new Float32Array(bytes.slice(o, o + 4 * len).buffer));
    o += 4 * len;
  }
  return { state: head.state as TrainState, tensors };
}

/** Copies the checkpoint's tensors into the net; throws when names or sizes do not match. */
export function restoreNet(net: LayeredNet, ck: DecodedCheckpoint): void {
  const want = net.stateTensors();
  if (want.length !== ck.tensors.size) throw new Error(`the checkpoint has ${ck.tensors.size} tensors, this network ${want.length}`);
  for (const [name, buf] of want) {
    const t = ck.tensors.get(name);
    if (!t || t.length !== buf.length) throw new Error(`tensor ${name}: ${t ? `${t.length} values, expected ${buf.length}` : "missing"}`);
    buf.view.set(t);
  }
}
