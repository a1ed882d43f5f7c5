// The js backend's memory: plain typed arrays, freed by the garbage collector.
import type { Arena, Buf, DType, TypedArrayOf } from "../types.js";

const CTORS = {
  f32: Float32Array,
  f64: Float64Array,
  i32: Int32Array,
  u32: Uint32Array,
} as const;

export function makeTyped<D extends DType>(dtype: D, n: number): TypedArrayOf[D] {
  return new CTORS[dtype](n) as TypedArrayOf[D];
}

export function jsArena(): Arena {
  return {
    alloc<D extends DType>(dtype: D, n: number): Buf<D> {
      return { dtype, length: n, ptr: -1, view: makeTyped(dtype, n) };
    },
    from<D extends DType>(dtype: D, data: ArrayLike<number>): Buf<D> {
      const b = this.alloc(dtype, data.length);
      b.view.set(data);
      return b;
    },
    mark: () => 0,
    release: () => undefined,
  };
}
