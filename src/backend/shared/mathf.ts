// Deterministic f32 exp and firing thresholds, used by both backends (the
// js kernels, and the thresholds both compute in TS at restart): the same
// operations in the same order as assembly/mathf.ts, each rounded to f32 with Math.fround, so
// both backends give identical bits (f64 evaluation of one f32 +,-,*,/
// followed by rounding to f32 is correctly rounded).
const f = Math.fround;
const EXP_LO = f(-87.0);
const EXP_HI = f(88.0);
const LOG2E = f(1.44269502162933349609375);
const LN2_HI = f(0.693145751953125);
const LN2_LO = f(1.428606765330187045e-6);
const C3 = f(0.16666667163372039794921875);
const C4 = f(0.041666667908430099487304688);
const C5 = f(0.008333333767950534820556641);
const C6 = f(0.001388888922519981861114502);
const TWO32 = 4294967296;

/** exp(x) in f32, x clamped to [-87, 88]; bit-identical to the wasm `expf`. */
export function expf(x: number): number {
  x = Math.min(Math.max(f(x), EXP_LO), EXP_HI);
  const k = Math.floor(f(f(x * LOG2E) + 0.5));
  const r = f(f(x - f(k * LN2_HI)) - f(k * LN2_LO));
  let p = f(f(r * C6) + C5);
  p = f(f(p * r) + C4);
  p = f(f(p * r) + C3);
  p = f(f(p * r) + 0.5);
  p = f(f(p * r) + 1);
  p = f(f(p * r) + 1);
  return f(p * 2 ** k);
}

/** sigmoid(u - ln tRef) = 1 / (1 + tRef * exp(-u)) in f32 (arXiv:2503.02642, neuron model). */
export function fireProb(u: number, tRef: number): number {
  return f(1 / f(1 + f(f(tRef) * expf(-u))));
}

/** Integer Bernoulli threshold T = min(2^32 - 1, floor(p * 2^32)); a draw x fires iff x < T. */
export function threshold(u: number, tRef: number): number {
  const s = fireProb(u, tRef) * TWO32;
  return s >= TWO32 ? 0xffffffff : Math.floor(s);
}
