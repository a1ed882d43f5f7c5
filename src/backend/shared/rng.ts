// xoshiro128** seeded by splitmix32, used by both backends (the js kernels
// step it; both seed their streams with it): the same algorithm and bits as
// assembly/rng.ts (see there for the source of the method). A state block
// is four consecutive entries of a Uint32Array starting at `o`.

/** splitmix32 output mixer (constants 0x21f0aaad, 0x735a2d97). */
export function splitmix32Mix(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Seeds s[o..o+3] from a 32-bit seed: s_i = mix(seed + (i + 1) * 0x9e3779b9). */
export function rngSeed(s: Uint32Array, o: number, seed: number): void {
  let x = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    s[o + i] = splitmix32Mix(x);
  }
  if ((s[o] | s[o + 1] | s[o + 2] | s[o + 3]) === 0) s[o] = 1;
}

/**
 * Next xoshiro128** output (u32 as a non-negative number); advances the state words s[o + w * stride],
 * w = 0..3: a block of four (stride 1) or lane o of a structure of arrays with `stride` lanes.
 */
export function rngNext(s: Uint32Array, o: number, stride = 1): number {
  const o1 = o + stride,
    o2 = o1 + stride,
    o3 = o2 + stride;
  const s1 = s[o1];
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const s2 = s[o2] ^ s[o];
  const s3 = s[o3] ^ s1;
  s[o1] = s1 ^ s2;
  s[o] = s[o] ^ s3;
  s[o2] = s2 ^ t;
  s[o3] = (s3 << 11) | (s3 >>> 21);
  return result;
}

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

/** Advances s[o..o+3] by 2^64 outputs (jump polynomial), for independent streams. */
export function rngJump(s: Uint32Array, o: number): void {
  let a = 0,
    b = 0,
    c = 0,
    d = 0;
  for (const j of JUMP) {
    for (let bit = 0; bit < 32; bit++) {
      if ((j >>> bit) & 1) {
        a ^= s[o];
        b ^= s[o + 1];
        c ^= s[o + 2];
        d ^= s[o + 3];
      }
      rngNext(s, o);
    }
  }
  s[o] = a;
  s[o + 1] = b;
  s[o + 2] = c;
  s[o + 3] = d;
}

/** Uniform in [0, 1) from one output: (x >>> 8) * 2^-24 (exact in f32). */
export function toUniform(x: number): number {
  return (x >>> 8) * 5.9604644775390625e-8;
}

/**
 * Seeds `count` independent streams as a structure of arrays: word w of
 * stream k at out[w * count + k] (so four consecutive streams fill one v128
 * per word). Stream k is the seed state jumped k times.
 */
export function seedStreams(out: Uint32Array, count: number, seed: number): void {
  const st = new Uint32Array(4);
  rngSeed(st, 0, seed);
  for (let k = 0; k < count; k++) {
    for (let w = 0; w < 4; w++) out[w * count + k] = st[w];
    rngJump(st, 0);
  }
}
