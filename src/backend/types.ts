// The Kernels seam (docs/architecture.md#the-kernels-seam): one interface, two
// backends (wasm, js). Models allocate their state through the backend
// (`alloc`) and pass the buffers to kernels; they never touch the wasm heap or
// know which backend runs them. Each kernel family declares its interface in
// its own file and is listed once here; src/backend/js/index.ts and
// src/backend/wasm/index.ts register the implementations.
import type { RngKernels } from "./rng.js";
import type { MathfKernels } from "./mathf.js";
import type { SamplingKernels } from "./sampling.js";
import type { LinalgKernels } from "./linalg.js";
import type { MicrocircuitKernels } from "./microcircuit.js";
import type { NnKernels } from "./nn.js";
import type { SalNetKernels } from "./salnet.js";
import type { RddKernels } from "./rdd.js";
import type { StdwiKernels } from "./stdwi.js";

export type BackendName = "wasm" | "js";

export interface TypedArrayOf {
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  u32: Uint32Array;
}
export type DType = keyof TypedArrayOf;

/** A block of backend memory. `view` is live: re-read it after any call that may allocate. */
export interface Buf<D extends DType = DType> {
  readonly dtype: D;
  readonly length: number;
  /** Byte offset in wasm memory (wasm backend); -1 on the js backend. */
  readonly ptr: number;
  readonly view: TypedArrayOf[D];
}

export type F32Buf = Buf<"f32">;
export type F64Buf = Buf<"f64">;
export type I32Buf = Buf<"i32">;
export type U32Buf = Buf<"u32">;

export interface Arena {
  /** A zero-filled buffer of `n` elements. */
  alloc<D extends DType>(dtype: D, n: number): Buf<D>;
  /** Copies `data` into a new buffer. */
  from<D extends DType>(dtype: D, data: ArrayLike<number>): Buf<D>;
  /** A mark to pass to `release`. */
  mark(): number;
  /** Frees every buffer allocated after `m`; their views must not be used afterwards. */
  release(m: number): void;
}

export interface Kernels
  extends
    Arena,
    RngKernels,
    MathfKernels,
    SamplingKernels,
    LinalgKernels,
    MicrocircuitKernels,
    SalNetKernels,
    RddKernels,
    StdwiKernels,
    NnKernels {
  readonly name: BackendName;
}
