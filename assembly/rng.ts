// Random numbers shared bit-for-bit with src/backend/shared/rng.ts (the js
// backend's generator; its array kernels in src/backend/js/rngKernels.ts).
// xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", arXiv:1805.01407): 32-bit state words s0..s3, output
// rotl(s1 * 5, 7) * 9. Seeding: four outputs of splitmix32.
// A state block is 4 consecutive u32 at `st`.

// @ts-ignore: decorator
@inline export function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 step: advances `x` by the golden-ratio increment and mixes it (hash constants 0x21f0aaad, 0x735a2d97). */
// @ts-ignore: decorator
@inline export function splitmix32Mix(x: u32): u32 {
  let z = x;
  z = (z ^ (z >>> 16)) * 0x21f0aaad;
  z = (z ^ (z >>> 15)) * 0x735a2d97;
  return z ^ (z >>> 15);
}

/** Seeds the state block at `st` from a 32-bit seed: s_i = mix(seed + (i + 1) * 0x9e3779b9). */
export function rngSeed(st: usize, seed: u32): void {
  let x = seed;
  for (let i: usize = 0; i < 4; i++) {
    x += 0x9e3779b9;
    store<u32>(st + (i << 2), splitmix32Mix(x));
  }
  // xoshiro must not start from the all-zero state
  if ((load<u32>(st) | load<u32>(st, 4) | load<u32>(st, 8) | load<u32>(st, 12)) == 0) store<u32>(st, 1);
}

/** Returns the next xoshiro128** output and advances the state at `st`. */
// @ts-ignore: decorator
@inline export function rngNext(st: usize): u32 {
  return rngNextStrided(st, 4);
}

/**
 * rngNext for a state whose four words lie `stride` bytes apart: lane q of a structure of arrays
 * (word w of lane q at st + w stride), as the network kernels keep one stream per neuron. Loops that
 * step four lanes at once keep the words in v128 locals instead (a helper cannot return them).
 */
// @ts-ignore: decorator
@inline export function rngNextStrided(st: usize, stride: usize): u32 {
  let s0 = load<u32>(st), s1 = load<u32>(st + stride), s2 = load<u32>(st + 2 * stride), s3 = load<u32>(st + 3 * stride);
  const result = rotl(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl(s3, 11);
  store<u32>(st, s0);
  store<u32>(st + stride, s1);
  store<u32>(st + 2 * stride, s2);
  store<u32>(st + 3 * stride, s3);
  return result;
}

/** Advances the state at `st` by 2^64 outputs (the generator's jump polynomial), for independent streams. */
export function rngJump(st: usize): void {
  let a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0;
  for (let i = 0; i < 4; i++) {
    const j: u32 = i == 0 ? 0x8764000b : i == 1 ? 0xf542d2d3 : i == 2 ? 0x6fa035c3 : 0x77f2db5b;
    for (let bit: u32 = 0; bit < 32; bit++) {
      if (j & (<u32>1 << bit)) {
        a ^= load<u32>(st); b ^= load<u32>(st, 4); c ^= load<u32>(st, 8); d ^= load<u32>(st, 12);
      }
      rngNext(st);
    }
  }
  store<u32>(st, a); store<u32>(st, b, 4); store<u32>(st, c, 8); store<u32>(st, d, 12);
}

/** Writes `n` raw u32 outputs to `out`. */
export function rngFillU32(st: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<u32>(out + (<usize>i << 2), rngNext(st));
}

/** Writes `n` uniforms in [0, 1) as f32, (x >>> 8) * 2^-24, to `out`. */
export function rngFillUniform(st: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>(rngNext(st) >>> 8) * 5.9604644775390625e-8);
}
