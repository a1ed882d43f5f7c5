// Helpers the network kernels share to read their i32 headers (slot numbers
// from assembly/layout.generated.ts) and to turn element offsets into byte
// addresses. No js twin: the js kernels index their Int32Array headers with
// the same slot names from src/backend/layout.ts.

/** Header slot `slot` of the i32 buffer at I. */
// @ts-ignore: decorator
@inline export function hget(I: usize, slot: i32): i32 {
  return load<i32>(I + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline export function hset(I: usize, slot: i32, v: i32): void {
  store<i32>(I + (<usize>slot << 2), v);
}
/** An f32 parameter stored as its bit pattern in slot `slot`. */
// @ts-ignore: decorator
@inline export function hf32(I: usize, slot: i32): f32 {
  return reinterpret<f32>(hget(I, slot));
}
/** Slot `slot` of population p, whose slots start at first + p * stride. */
// @ts-ignore: decorator
@inline export function pslot(I: usize, first: i32, stride: i32, p: i32, slot: i32): i32 {
  return hget(I, first + p * stride + slot);
}
/** Byte address of element `off` of a buffer of 4-byte (a4) or 8-byte (a8) elements at `base`. */
// @ts-ignore: decorator
@inline export function a4(base: usize, off: i32): usize {
  return base + (<usize>off << 2);
}
// @ts-ignore: decorator
@inline export function a8(base: usize, off: i32): usize {
  return base + (<usize>off << 3);
}
