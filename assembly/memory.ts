// Linear-memory arena. TS owns layout: it asks for blocks with `alloc` and
// frees them all at once with `release(mark)`. No GC, no per-object headers,
// nothing allocated by the kernels themselves. The TS side of this arena is
// `wasmArena` in src/backend/wasm/instance.ts; the js backend's is
// src/backend/js/arena.ts (plain typed arrays).

const ALIGN: usize = 16; // v128 loads/stores stay aligned

// @ts-ignore: decorator
@lazy let top: usize = (__heap_base + ALIGN - 1) & ~(ALIGN - 1);

/** Returns a 16-byte aligned block of `bytes` bytes, growing memory as needed; zero-filled. */
export function alloc(bytes: usize): usize {
  const ptr = top;
  const end = (ptr + bytes + ALIGN - 1) & ~(ALIGN - 1);
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(max(pages, memory.size())) < 0 && memory.grow(pages) < 0) unreachable();
  }
  memory.fill(ptr, 0, end - ptr);
  top = end;
  return ptr;
}

/** Current arena top: pass it to `release` to free everything allocated after it. */
export function mark(): usize {
  return top;
}

/** Frees every block allocated after `m` (a value returned by `mark`). */
export function release(m: usize): void {
  if (m >= ((__heap_base + ALIGN - 1) & ~(ALIGN - 1)) && m <= top) top = m;
}
