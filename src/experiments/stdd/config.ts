// Config schema and paper presets of the stdd experiment (arXiv:2503.02642
// Fig. 2c and 2e; spec/ssn.md section 5). Weights are W[post, pre].
import { z } from "zod";
import { B, narrow, num, type Bound } from "../../config/numbers.js";

const weight = num(B.weight);
const bias = num(B.bias);

/** The exact chain has (t_ref + 1)^2 states and runs for seconds to minutes per pair at t_ref 200-500. */
export const STDD_T_REF = narrow(B.tRef, { max: 500, why: "the exact Markov chain has about (t_ref + 1)^2 states" });
export const STDD_TAU_SYN = narrow(B.tauSyn, { max: 501, why: "PSP length in steps (exact chain: at most t_ref + 1)" });
/** Lags are kept up to this (and plotted up to plotLag). */
export const STDD_LAG = narrow(B.count, { max: 100_000, name: "lag", why: "steps between the two neurons' spikes" });
export const STDD_STEPS = narrow(B.runSteps, { min: 1000, why: "steps of the Monte-Carlo run (one kernel run with burnIn: at most 2^30-1)" });
export const STDD_BURN_IN = narrow(B.lagSteps, { why: "steps before counting (steps + burnIn <= 2^30-1)" });

/** Bounds of the config fields that have no flag of their own (for --help). */
export const STDD_CONFIG_BOUNDS: [string, Bound][] = [
  ["pairs[].W01, .W10, grid.min, .max", B.weight],
  ["grid.step", narrow(B.weightScale, { max: 40, gt: true, name: "grid step", why: "spacing of the phase-plane grid (at most 201 points per axis)" })],
  ["window.aCausal, .aAnti", B.amplitude],
  ["plotLag", STDD_LAG],
];

export const stddConfigSchema = z.strictObject({
  preset: z.string(),
  seed: num(B.seed),
  backend: z.enum(["wasm", "js"]),
  /** exact: Markov chain; mc: simulation histogram; both: both, with their total variation distance. */
  method: z.enum(["exact", "mc", "both"]),
  tRef: num(STDD_T_REF),
  tauSyn: num(STDD_TAU_SYN),
  /** Time convention (CONVENTIONS.md): PSP seen by draws s+1 .. s+pspLength, earliest re-spike s+minIsi; null = ssn (tauSyn - 1, tRef + 1). stddc's is pspLength tRef - 1, minIsi tRef. */
  pspLength: num(narrow(B.tauSyn, { min: 0, max: 1000, name: "PSP length" })).nullable(),
  minIsi: num(narrow(B.tRef, { max: 1001, name: "min ISI" })).nullable(),
  b0: bias,
  b1: bias,
  /** Weight pairs (W01 = 1 -> 0, W10 = 0 -> 1); ignored when `grid` is set. */
  pairs: z.array(z.strictObject({ W01: weight, W10: weight })).max(1000),
  /** Phase plane: both weights on min, min + step, ..., max. */
  grid: z.strictObject({ min: weight, max: weight, step: num(STDD_CONFIG_BOUNDS[1][1]) }).nullable(),
  /** Counted Monte-Carlo steps per weight pair. */
  steps: num(STDD_STEPS),
  burnIn: num(STDD_BURN_IN),
  /** Keep |dt| <= maxLag (stddc: t_max - 1); null keeps every lag. */
  maxLag: num(STDD_LAG).nullable(),
  /** joint: the STDD sums to 1; halves: each half sums to 0.5 (stddc). */
  normalize: z.enum(["joint", "halves"]),
  /** SAL window: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0); tau null = tRef. */
  window: z.strictObject({ tau: num(B.tau).nullable(), aCausal: num(B.amplitude), aAnti: num(B.amplitude) }),
  /** STDD plots show |dt| <= plotLag. */
  plotLag: num(STDD_LAG),
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
