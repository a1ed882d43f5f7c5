// Checkpoints of a training run: one binary file (checkpoint.ckpt), written
// atomically by the caller. Layout: "SACK" (4 bytes), u32 little-endian
// header length, a JSON header padded with spaces to 4 bytes, then the f32
// data of every tensor in header order, little-endian. The header is a
// checkpoint of the common format (src/checkpoint/format.ts): the envelope
// { format, version, command: "train", backend }, the run's `state`
// { epoch, initial, metrics } and `tensors` [[name, length], ...].
//
// On resume the header is validated against a schema built from the run's
// config.json and the tensor list of the network that config builds (names
// and lengths), the epoch must lie inside the run and the metrics must be
// those of the epochs done, and every tensor's data must be finite; each
// problem names the field or the tensor.
import { z } from "zod";
import { checkpointSchema, envelope, intIn } from "../../checkpoint/format.js";
import type { Kernels } from "../../backend/index.js";
import { LayeredNet } from "../../models/layered/net.js";
import type { LayeredSpec } from "../../models/layered/spec.js";
import type { TrainConfig } from "./config.js";
import type { TrainState } from "./run.js";

export const TRAIN_CHECKPOINT_FILE = "checkpoint.ckpt";
const MAGIC = [0x53, 0x41, 0x43, 0x4b]; // "SACK"

export interface DecodedCheckpoint {
  /** The JSON header as read (validate it with trainCheckpointSchema). */
  header: Record<string, unknown>;
  state: TrainState;
  tensors: Map<string, Float32Array>;
}

/** The checkpoint of `state` and the net's state tensors (momentum, running statistics, learned B). */
export function encodeCheckpoint(state: TrainState, net: LayeredNet): Uint8Array {
  const tensors = net.stateTensors();
  const head = { ...envelope("train", net.k.name), state, tensors: tensors.map(([n, b]) => [n, b.length]) };
  const header = new TextEncoder().encode(JSON.stringify(head));
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

/**
 * Splits a checkpoint into its header and tensors; throws a plain Error describing what is wrong with
 * the layout (the caller names the file). The header's fields are not checked here.
 */
export function decodeCheckpoint(bytes: Uint8Array): DecodedCheckpoint {
  if (bytes.length < 8 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error("not a spike-align training checkpoint (bad magic)");
  const hl = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + hl > bytes.length) throw new Error(`truncated: the header says ${hl} bytes, the file has ${bytes.length - 8} after the magic`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hl)));
  } catch (err) {
    throw new Error(`the header is not valid JSON (${(err as Error).message.split("\n")[0]})`, { cause: err });
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw new Error("the header is not a JSON object");
  const h = header as Record<string, unknown>;
  const list = h.tensors;
  if (
    !Array.isArray(list) ||
    !list.every((t) => Array.isArray(t) && t.length === 2 && typeof t[0] === "string" && Number.isInteger(t[1]) && t[1] >= 0)
  ) {
    throw new Error("tensors: must be a list of [name, length] pairs");
  }
  const tensors = new Map<string, Float32Array>();
  let o = 8 + hl;
  for (const [name, len] of list as [string, number][]) {
    if (o + 4 * len > bytes.length) throw new Error(`truncated at tensor ${name}`);
    const t = new Float32Array(len); // a copy (bytes may be a Buffer, whose slice is a view)
    new Uint8Array(t.buffer).set(bytes.subarray(o, o + 4 * len));
    tensors.set(name, t);
    o += 4 * len;
  }
  if (o !== bytes.length) throw new Error(`${bytes.length - o} bytes after the last tensor`);
  return { header: h, state: h.state as TrainState, tensors };
}

/** Copies the checkpoint's tensors into the net; throws when names or sizes do not match. */
export function restoreNet(net: LayeredNet, ck: Pick<DecodedCheckpoint, "tensors">): void {
  const want = net.stateTensors();
  if (want.length !== ck.tensors.size) throw new Error(`the checkpoint has ${ck.tensors.size} tensors, this network ${want.length}`);
  for (const [name, buf] of want) {
    const t = ck.tensors.get(name);
    if (!t || t.length !== buf.length) throw new Error(`tensor ${name}: ${t ? `${t.length} values, expected ${buf.length}` : "missing"}`);
    buf.view.set(t);
  }
}

/** The names and lengths of the state tensors of the network `spec` builds (built briefly in `k`'s memory). */
export function stateTensorList(k: Kernels, spec: LayeredSpec, seed: number): [string, number][] {
  const mark = k.mark();
  try {
    return new LayeredNet(k, spec, seed, 1).stateTensors().map(([n, b]) => [n, b.length]);
  } finally {
    k.release(mark);
  }
}

/** A metric as JSON holds it: a number, or null where it was NaN. */
const metric = z.union([z.number(), z.null()]);
const finite = z.number().refine(Number.isFinite, { error: "must be a finite number" });
const percent = finite.refine((x) => x >= 0 && x <= 100, { error: "must be a percentage in [0, 100]" });

/**
 * The schema of a checkpoint's header for a run with config `cfg` whose network has the state tensors
 * `tensors` (stateTensorList) and `fcLayers` fully connected layers.
 */
export function trainCheckpointSchema(cfg: TrainConfig, tensors: [string, number][], fcLayers: number) {
  const layer = z.looseObject({ layer: z.string(), angleDeg: metric, corrcoef: metric, diffVar: metric });
  const fc = z.array(layer).length(fcLayers, { error: `must hold ${fcLayers} fc layers` });
  const row = z.looseObject({
    epoch: intIn(1, cfg.epochs, "an epoch of the run"),
    trainLoss: finite,
    trainAccuracy: percent,
    testLoss: metric,
    testAccuracy: percent,
    fc,
  });
  const list = z.array(z.tuple([z.string(), z.number()])).superRefine((got, ctx) => {
    if (got.length !== tensors.length)
      return void ctx.addIssue({
        code: "custom",
        message: `${got.length} tensors do not match config.json: its network has ${tensors.length}`,
      });
    const i = got.findIndex(([n, len], j) => n !== tensors[j][0] || len !== tensors[j][1]);
    if (i >= 0)
      ctx.addIssue({
        code: "custom",
        path: [i],
        message: `does not match config.json: its network has ${tensors[i][0]} of ${tensors[i][1]} values there`,
      });
  });
  return checkpointSchema("train", {
    state: z.strictObject({
      epoch: intIn(1, cfg.epochs, `epochs done: inside the run's ${cfg.epochs} epochs`),
      initial: fc,
      metrics: z.array(row),
    }),
    tensors: list,
  }).superRefine((ck, ctx) => {
    const got = ck.state.metrics.map((m) => m.epoch);
    if (got.length !== ck.state.epoch || got.some((e, i) => e !== i + 1)) {
      ctx.addIssue({
        code: "custom",
        path: ["state", "metrics"],
        message: `must hold the metrics of epochs 1..${ck.state.epoch}, one each`,
      });
    }
  });
}

export type TrainCheckpointHeader = z.output<ReturnType<typeof trainCheckpointSchema>>;

/** The first non-finite value of the checkpoint's tensors ("fc1.W[5] is NaN"), or null. */
export function firstNonFiniteTensor(tensors: Iterable<[string, Float32Array]>): string | null {
  for (const [name, t] of tensors) {
    const i = t.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) return `${name}[${i}] is ${t[i]}`;
  }
  return null;
}
