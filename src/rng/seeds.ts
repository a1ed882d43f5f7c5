// TS-side randomness (docs/conventions.md#random-numbers): seedrandom derives
// independent named streams from the user's seed, one per purpose (target,
// init, amplitude noise, simulation, ...). Never share a stream between two
// purposes.
import seedrandom from "seedrandom";

/** The seedrandom PRNG of stream `name` under `seed`. */
function stream(seed: number, name: string): seedrandom.PRNG {
  return seedrandom(`spike-align:${seed}:${name}`);
}

/** A 32-bit sub-seed for stream `name` (e.g. the wasm simulation RNG seed). */
export function subSeed(seed: number, name: string): number {
  return stream(seed, name).int32() >>> 0;
}

export interface TsRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  /** Normal(mean, sd) by the Box-Muller transform. */
  normal(mean?: number, sd?: number): number;
  /** Normal(0, sd) truncated to [-cut*sd, cut*sd] by redrawing out-of-range samples. */
  truncNormal(sd: number, cut: number): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Beta(alpha, beta) via two gamma draws (Marsaglia-Tsang). */
  beta(alpha: number, beta: number): number;
}

export function tsRandom(seed: number, name: string): TsRandom {
  const r = stream(seed, name);
  let spare: number | null = null;
  const uniform = () => r.double();
  const normal = (mean = 0, sd = 1): number => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return mean + sd * z;
    }
    let u = 0;
    while (u === 0) u = uniform();
    const v = uniform();
    const rad = Math.sqrt(-2 * Math.log(u));
    spare = rad * Math.sin(2 * Math.PI * v);
    return mean + sd * rad * Math.cos(2 * Math.PI * v);
  };
  const gamma = (a: number): number => {
    if (a < 1) return gamma(a + 1) * Math.pow(uniform() || Number.MIN_VALUE, 1 / a);
    const d = a - 1 / 3,
      c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  };
  return {
    uniform,
    range: (lo, hi) => lo + (hi - lo) * uniform(),
    normal,
    truncNormal(sd, cut) {
      if (sd === 0) return 0;
      for (;;) {
        const x = normal(0, sd);
        if (Math.abs(x) <= cut * sd) return x;
      }
    },
    int: (n) => Math.floor(uniform() * n),
    beta(alpha, beta) {
      if (alpha === 1 && beta === 1) return uniform();
      const x = gamma(alpha),
        y = gamma(beta);
      return x / (x + y);
    },
  };
}
