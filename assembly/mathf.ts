// Deterministic f32 exp and sampling-neuron firing thresholds, scalar and
// f32x4. Every operation is a single IEEE f32 op in a fixed order, so the
// js backend (src/backend/shared/mathf.ts, Math.fround after each op; its
// array kernels in src/backend/js/mathfKernels.ts) produces the same bits.
// Method: Cody-Waite range reduction x = k ln2 + r with |r| <= ln2/2,
// degree-6 Taylor polynomial in Horner form (relative error < 2e-7 on
// [-87, 88]), scaling by 2^k through the exponent bits.

// @ts-ignore: decorator
@lazy const EXP_LO: f32 = -87.0;
// @ts-ignore: decorator
@lazy const EXP_HI: f32 = 88.0;
// @ts-ignore: decorator
@lazy const LOG2E: f32 = 1.44269502162933349609375; // 0x3fb8aa3b
// @ts-ignore: decorator
@lazy const LN2_HI: f32 = 0.693145751953125; // 0x3f317200, exact in 16 bits so k*LN2_HI is exact
// @ts-ignore: decorator
@lazy const LN2_LO: f32 = 1.428606765330187045e-06; // 0x35bfbe8e
// @ts-ignore: decorator
@lazy const C2: f32 = 0.5;
// @ts-ignore: decorator
@lazy const C3: f32 = 0.16666667163372039794921875; // 1/6
// @ts-ignore: decorator
@lazy const C4: f32 = 0.041666667908430099487304688; // 1/24
// @ts-ignore: decorator
@lazy const C5: f32 = 0.008333333767950534820556641; // 1/120
// @ts-ignore: decorator
@lazy const C6: f32 = 0.001388888922519981861114502; // 1/720
// @ts-ignore: decorator
@lazy const TWO32: f32 = 4294967296.0;

/** exp(x) in f32, x clamped to [-87, 88]. */
// @ts-ignore: decorator
@inline export function expf(x: f32): f32 {
  x = min(max(x, EXP_LO), EXP_HI);
  const k = floor(x * LOG2E + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let p = r * C6 + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return p * reinterpret<f32>((<i32>k + 127) << 23);
}

/**
 * exp of four lanes, same operation order as `expf`. The clamp uses pmax(x, lo) = x < lo ? lo : x
 * and pmin(x, hi) = hi < x ? hi : x (one instruction each on x64, where min/max need a NaN and
 * signed-zero fix-up): equal to max/min for every x, since the bounds are not zero and a NaN x
 * stays NaN.
 */
// @ts-ignore: decorator
@inline export function expf4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const k = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI))), f32x4.mul(k, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(r, f32x4.splat(C6)), f32x4.splat(C5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/**
 * Firing probability of a sampling neuron, sigmoid(u - ln tRef) = 1 / (1 + tRef * exp(-u))
 * (arXiv:2503.02642, neuron model), in f32.
 */
// @ts-ignore: decorator
@inline export function fireProb(u: f32, tRef: f32): f32 {
  return <f32>1.0 / (<f32>1.0 + tRef * expf(-u));
}

/** Firing probabilities of four lanes, same arithmetic as `fireProb`. */
// @ts-ignore: decorator
@inline export function fireProb4(u: v128, tRef: f32): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), f32x4.mul(f32x4.splat(tRef), expf4(f32x4.neg(u)))));
}

/** Integer Bernoulli threshold T = min(2^32 - 1, floor(p * 2^32)): a draw x fires iff x < T. */
// @ts-ignore: decorator
@inline export function threshold(u: f32, tRef: f32): u32 {
  const s = fireProb(u, tRef) * TWO32;
  return s >= TWO32 ? 0xffffffff : <u32>s;
}

/** Thresholds of four lanes, same arithmetic as `threshold`. */
// @ts-ignore: decorator
@inline export function threshold4(u: v128, tRef: f32): v128 {
  return i32x4.trunc_sat_f32x4_u(f32x4.mul(fireProb4(u, tRef), f32x4.splat(TWO32)));
}

/** Writes exp(x[i]) for n values (SIMD main loop, scalar tail). */
export function expArray(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), expf4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), expf(load<f32>(x + (<usize>i << 2))));
}

/** Writes the Bernoulli thresholds of potentials u[i] for n neurons (SIMD main loop, scalar tail). */
export function thresholdArray(u: usize, out: usize, n: i32, tRef: f32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), threshold4(v128.load(u + (<usize>i << 2)), tRef));
  for (; i < n; i++) store<u32>(out + (<usize>i << 2), threshold(load<f32>(u + (<usize>i << 2)), tRef));
}
