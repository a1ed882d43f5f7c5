// Config schema and paper presets of the stdd experiment (arXiv:2503.02642
// Fig. 2c and 2e; spec/ssn.md section 5). Weights are W[post, pre].
import { z } from "zod";

const weight = z.number().min(-20).max(20);
const bias = z.number().min(-20).max(20);

export const stddConfigSchema = z.strictObject({
  preset: z.string(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  backend: z.enum(["wasm", "js"]),
  /** exact: Markov chain; mc: simulation histogram; both: both, with their total variation distance. */
  method: z.enum(["exact", "mc", "both"]),
  tRef: z.number().int().min(1).max(500),
  tauSyn: z.number().int().min(1).max(501),
  /** Time convention (CONVENTIONS.md): PSP seen by draws s+1 .. s+pspLength, earliest re-spike s+minIsi; null = ssn (tauSyn - 1, tRef + 1). stddc's is pspLength tRef - 1, minIsi tRef. */
  pspLength: z.number().int().min(0).max(1000).nullable(),
  minIsi: z.number().int().min(1).max(1001).nullable(),
  b0: bias,
  b1: bias,
  /** Weight pairs (W01 = 1 -> 0, W10 = 0 -> 1); ignored when `grid` is set. */
  pairs: z.array(z.strictObject({ W01: weight, W10: weight })).max(1000),
  /** Phase plane: both weights on min, min + step, ..., max. */
  grid: z.strictObject({ min: weight, max: weight, step: z.number().gt(0).max(40) }).nullable(),
  /** Counted Monte-Carlo steps per weight pair. */
  steps: z.number().int().min(1000).max(1e9),
  burnIn: z.number().int().min(0).max(1e9),
  /** Keep |dt| <= maxLag (stddc: t_max - 1); null keeps every lag. */
  maxLag: z.number().int().min(1).max(100000).nullable(),
  /** joint: the STDD sums to 1; halves: each half sums to 0.5 (stddc). */
  normalize: z.enum(["joint", "halves"]),
  /** SAL window: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0); tau null = tRef. */
  window: z.strictObject({ tau: z.number().gt(0).max(1e4).nullable(), aCausal: z.number().min(-1e3).max(1e3), aAnti: z.number().min(-1e3).max(1e3) }),
  /** STDD plots show |dt| <= plotLag. */
  plotLag: z.number().int().min(1).max(100000),
});

export type StddConfig = z.output<typeof stddConfigSchema>;

const common = {
  seed: 1,
  backend: "wasm",
  method: "exact",
  burnIn: 1000,
  pspLength: null,
  minIsi: null,
  normalize: "joint",
  window: { tau: null, aCausal: -1, aAnti: 1 },
} as const;

export const STDD_PRESETS: Record<string, Omit<StddConfig, "preset">> = {
  /** Fig. 2c: asymmetric excitatory and inhibitory pairs vs their symmetric means. */
  fig2c: {
    ...common,
    tRef: 50,
    tauSyn: 50,
    b0: -0.5,
    b1: -0.5,
    pairs: [
      { W01: 0.4, W10: 0.8 },
      { W01: 0.6, W10: 0.6 },
      { W01: -0.4, W10: -0.8 },
      { W01: -0.6, W10: -0.6 },
    ],
    grid: null,
    steps: 100_000_000,
    // the authors' stddc keeps lags up to t_max - 1 = 2 tRef + 1 and scales each half to 0.5
    maxLag: 101,
    normalize: "halves",
    plotLag: 150,
  },
  /** Fig. 2e: phase plane of the expected SAL update over W01, W10 in [-2, 2]. */
  fig2e: {
    ...common,
    tRef: 15,
    tauSyn: 15,
    b0: 0,
    b1: 0,
    pairs: [],
    grid: { min: -2, max: 2, step: 0.25 },
    steps: 1_000_000,
    // stddc with t_max = 2 tRef: lags up to 29, each half scaled to 0.5
    maxLag: 29,
    normalize: "halves",
    plotLag: 45,
  },
};

export const STDD_PRESET_NAMES = Object.keys(STDD_PRESETS);

/** Grid values min, min + step, ... <= max (rounded to the step's precision). */
export function gridValues(g: { min: number; max: number; step: number }): number[] {
  const n = Math.floor((g.max - g.min) / g.step + 1e-9) + 1;
  return Array.from({ length: n }, (_, i) => +(g.min + i * g.step).toPrecision(12));
}
