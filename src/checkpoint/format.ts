// The checkpoint format (schemas only; reading and writing, which need
// Node's fs, are in files.ts beside it; this file runs in a browser too).
// A checkpoint is one JSON object:
//   { "format": "spike-align-checkpoint", "version": 1, "command": "ssn",
//     "backend": "wasm", ...the command's state fields }
// Numbers are plain JSON numbers; large buffers are tensors
//   { "dtype": "f32" | "f64" | "i32" | "u32", "length": n, "base64": "..." }
// (little-endian bytes), decoded to typed arrays. Every command describes
// its state fields with a zod schema built from the run's config (so that
// lengths must match dim, epochs must lie inside the run, ...), using the
// helpers here: non-finite values, random-stream states of zeros, wrong
// lengths and types are errors naming the field.
import { z } from "zod";
import { fromBase64, toBase64 } from "../io/base64.js";
import { checkNumber, type Bound } from "../config/numbers.js";

export const CHECKPOINT_FORMAT = "spike-align-checkpoint";
export const CHECKPOINT_VERSION = 1;

export type DType = "f32" | "f64" | "i32" | "u32";
type Typed = { f32: Float32Array; f64: Float64Array; i32: Int32Array; u32: Uint32Array };
const CTORS = { f32: Float32Array, f64: Float64Array, i32: Int32Array, u32: Uint32Array } as const;

/** The fields every checkpoint has, for `command`. */
export function envelopeShape(command: string) {
  return {
    format: z.literal(CHECKPOINT_FORMAT, { error: `must be "${CHECKPOINT_FORMAT}"` }),
    version: z.literal(CHECKPOINT_VERSION, {
      error: `must be ${CHECKPOINT_VERSION} (this build reads checkpoint version ${CHECKPOINT_VERSION})`,
    }),
    command: z.literal(command, { error: `must be "${command}" (a checkpoint of another command)` }),
    backend: z.enum(["wasm", "js"]),
  };
}

/** A checkpoint schema: the envelope plus the command's state fields (unknown keys are errors). */
export function checkpointSchema<S extends z.ZodRawShape>(command: string, state: S) {
  return z.strictObject({ ...envelopeShape(command), ...state });
}

/** The envelope fields of a checkpoint of `command` around `state`. */
export function envelope(command: string, backend: string): { format: string; version: number; command: string; backend: string } {
  return { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, command, backend };
}

/** A bounded integer (epochs, steps, positions). */
export function intIn(min: number, max: number, what: string): z.ZodType<number> {
  return z.custom<number>((x) => Number.isInteger(x) && (x as number) >= min && (x as number) <= max, {
    error: `must be an integer in [${min}, ${max}] (${what})`,
  });
}

/** A list of exactly n numbers within `b` (finite). */
export function numbers(n: number, b: Bound): z.ZodType<number[]> {
  return z.array(z.unknown()).superRefine((xs, ctx) => {
    if (xs.length !== n) return void ctx.addIssue({ code: "custom", message: `has ${xs.length} values; must have ${n}` });
    const i = xs.findIndex((x) => checkNumber(x, b) !== null);
    if (i >= 0) ctx.addIssue({ code: "custom", path: [i], message: checkNumber(xs[i], b)! });
  }) as unknown as z.ZodType<number[]>;
}

/**
 * xoshiro128** states of `lanes` streams, 4 u32 words each, laid out word-major (word w of lane k at
 * w * lanes + k): integers in [0, 2^32 - 1], no lane all zero (a zero state only ever yields zeros).
 */
export function rngWords(lanes: number): z.ZodType<number[]> {
  return z.array(z.unknown()).superRefine((xs, ctx) => {
    if (xs.length !== 4 * lanes)
      return void ctx.addIssue({ code: "custom", message: `has ${xs.length} words; must have ${4 * lanes} (4 per stream)` });
    const i = xs.findIndex((x) => !(Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffffffff));
    if (i >= 0) return void ctx.addIssue({ code: "custom", path: [i], message: "must be an integer in [0, 4294967295] (a 32-bit word)" });
    zeroLaneIssue(ctx, xs as number[], lanes);
  }) as unknown as z.ZodType<number[]>;
}

function zeroLaneIssue(ctx: z.RefinementCtx, w: ArrayLike<number>, lanes: number, path: (string | number)[] = []): void {
  for (let k = 0; k < lanes; k++) {
    if (w[k] === 0 && w[lanes + k] === 0 && w[2 * lanes + k] === 0 && w[3 * lanes + k] === 0) {
      ctx.addIssue({ code: "custom", path, message: `stream ${k} is all zeros (a xoshiro128** state must not be zero)` });
      return;
    }
  }
}

/** Encodes a typed array as a checkpoint tensor. */
export function encodeTensor(a: Float32Array | Float64Array | Int32Array | Uint32Array): { dtype: DType; length: number; base64: string } {
  const dtype: DType = a instanceof Float32Array ? "f32" : a instanceof Float64Array ? "f64" : a instanceof Int32Array ? "i32" : "u32";
  return { dtype, length: a.length, base64: toBase64(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) };
}

export interface TensorRules {
  /** f32 / f64: every value finite (default true). */
  finite?: boolean;
  /** u32 xoshiro128** streams, word-major: no lane all zero. */
  rngLanes?: number;
}

/** A tensor of `dtype` with exactly `length` elements, decoded to its typed array and checked by `rules`. */
export function tensor<D extends DType>(dtype: D, length: number, rules: TensorRules = {}): z.ZodType<Typed[D]> {
  return z.unknown().transform((t, ctx): Typed[D] => {
    const o = t as { dtype?: unknown; length?: unknown; base64?: unknown } | null;
    if (o === null || typeof o !== "object" || Array.isArray(o)) {
      ctx.addIssue({ code: "custom", message: `must be a tensor { dtype: "${dtype}", length: ${length}, base64 }` });
      return z.NEVER;
    }
    if (o.dtype !== dtype) {
      ctx.addIssue({ code: "custom", path: ["dtype"], message: `must be "${dtype}"` });
      return z.NEVER;
    }
    if (o.length !== length) {
      ctx.addIssue({ code: "custom", path: ["length"], message: `must be ${length}` });
      return z.NEVER;
    }
    if (typeof o.base64 !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(o.base64)) {
      ctx.addIssue({ code: "custom", path: ["base64"], message: "must be a base64 string" });
      return z.NEVER;
    }
    const bytes = fromBase64(o.base64);
    const C = CTORS[dtype];
    if (bytes.length !== length * C.BYTES_PER_ELEMENT) {
      ctx.addIssue({ code: "custom", path: ["base64"], message: `holds ${bytes.length} bytes; must hold ${length * C.BYTES_PER_ELEMENT}` });
      return z.NEVER;
    }
    const a = new C(length) as Typed[D];
    new Uint8Array(a.buffer).set(bytes);
    if ((dtype === "f32" || dtype === "f64") && rules.finite !== false) {
      const i = (a as Float32Array).findIndex((v) => !Number.isFinite(v));
      if (i >= 0) {
        ctx.addIssue({ code: "custom", message: `element ${i} is ${(a as Float32Array)[i]}; must be finite` });
        return z.NEVER;
      }
    }
    if (rules.rngLanes !== undefined) zeroLaneIssue(ctx, a, rules.rngLanes);
    return a;
  });
}
