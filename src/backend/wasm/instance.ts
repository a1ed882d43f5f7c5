// Loads the SIMD wasm module and owns its linear memory. Views onto memory
// are cached and rebuilt when memory grows (growth detaches the old buffer).
import { instantiate } from "@assemblyscript/loader";
import type { Arena, Buf, DType, TypedArrayOf } from "../types.js";
import * as layout from "../layout.js";
import { fromBase64 } from "../../io/base64.js";
import type { WasmExports } from "./exports.generated.js";

export type { WasmExports };

/** The hash of src/backend/layout.ts that a wasm binary must have been built from. */
export const LAYOUT_HASH = layout.hashLayout(layout.layoutEntries(layout));

export interface WasmContext {
  readonly exports: WasmExports;
  readonly memory: WebAssembly.Memory;
}

const BYTES: Record<DType, number> = { f32: 4, f64: 8, i32: 4, u32: 4 };

/** Instantiates the module from `binary`, or from the embedded release build. */
export async function loadWasm(binary?: BufferSource): Promise<WasmContext> {
  const bytes = binary ?? fromBase64((await import("./binary.generated.js")).RELEASE_WASM_BASE64);
  const { exports } = await instantiate<WasmExports>(bytes, {});
  const built = exports.layoutHash() >>> 0;
  if (built !== LAYOUT_HASH)
    throw new Error(
      `wasm: the binary was built from another buffer layout (hash ${built}, this code has ${LAYOUT_HASH})` +
        `; rebuild it with \`npm run build\``,
    );
  return { exports, memory: exports.memory };
}

class WasmBuf<D extends DType> implements Buf<D> {
  private cached: TypedArrayOf[D];
  constructor(
    private readonly ctx: WasmContext,
    readonly dtype: D,
    readonly length: number,
    readonly ptr: number,
  ) {
    this.cached = this.make();
  }
  private make(): TypedArrayOf[D] {
    const buf = this.ctx.memory.buffer;
    const n = this.length,
      p = this.ptr;
    switch (this.dtype) {
      case "f32":
        return new Float32Array(buf, p, n) as TypedArrayOf[D];
      case "f64":
        return new Float64Array(buf, p, n) as TypedArrayOf[D];
      case "i32":
        return new Int32Array(buf, p, n) as TypedArrayOf[D];
      default:
        return new Uint32Array(buf, p, n) as TypedArrayOf[D];
    }
  }
  get view(): TypedArrayOf[D] {
    if (this.cached.buffer !== this.ctx.memory.buffer) this.cached = this.make();
    return this.cached;
  }
}

export function wasmArena(ctx: WasmContext): Arena {
  const ex = ctx.exports;
  return {
    alloc<D extends DType>(dtype: D, n: number): Buf<D> {
      if (!Number.isInteger(n) || n < 0) throw new RangeError(`alloc: bad length ${n}`);
      const ptr = ex.alloc(Math.max(1, n) * BYTES[dtype]) >>> 0;
      return new WasmBuf(ctx, dtype, n, ptr);
    },
    from<D extends DType>(dtype: D, data: ArrayLike<number>): Buf<D> {
      const b = this.alloc(dtype, data.length);
      b.view.set(data);
      return b;
    },
    mark: () => ex.mark() >>> 0,
    release: (m: number) => ex.release(m),
  };
}
