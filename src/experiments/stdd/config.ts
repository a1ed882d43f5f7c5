// Config schema and paper presets of the stdd experiment (arXiv:2503.02642
// Fig. 2c and 2e, and the non-rectangular PSP figure;
// docs/models/sal.md#stdd-parameters). Weights are W[post, pre].
import { z } from "zod";
import { B, narrow, num, type Bound } from "../../config/numbers.js";
import { PSP_SHAPES } from "../../models/psp.js";

export { gridValues } from "../../analysis/stdd/phase.js";

const weight = num(B.weight);
const bias = num(B.bias);

/** The exact chain has (t_ref + 1)^2 states and runs for seconds to minutes per pair at t_ref 200-500. */
export const STDD_T_REF = narrow(B.tRef, { max: 500, why: "the exact Markov chain has about (t_ref + 1)^2 states" });
export const STDD_TAU_SYN = narrow(B.tau, {
  max: 501,
  name: "tau_syn",
  why: "the PSP's time constant in steps (rect: its length, an integer; exact chain: at most t_ref + 1)",
});
export const STDD_PSP_LENGTH = narrow(B.tauSyn, { min: 0, max: 4000, name: "PSP length", why: "lags the PSP covers, in steps" });
export const STDD_MIN_ISI = narrow(B.tRef, { max: 1001, name: "min ISI", why: "earliest re-spike, in steps" });
/** Lags are kept up to this (and plotted up to plotLag). */
export const STDD_LAG = narrow(B.count, { max: 100_000, name: "lag", why: "steps between the two neurons' spikes" });
export const STDD_STEPS = narrow(B.runSteps, {
  min: 1000,
  why: "steps of the Monte-Carlo run (one kernel run with burnIn: at most 2^30-1)",
});
export const STDD_BURN_IN = narrow(B.lagSteps, { why: "steps before counting (steps + burnIn <= 2^30-1)" });

/** Bounds of the config fields that have no flag of their own (for --help). */
export const STDD_CONFIG_BOUNDS: [string, Bound][] = [
  ["pairs[].W01, .W10, grid.min, .max", B.weight],
  [
    "grid.step",
    narrow(B.weightScale, { max: 40, gt: true, name: "grid step", why: "spacing of the phase-plane grid (at most 201 points per axis)" }),
  ],
  ["window.aCausal, .aAnti", B.amplitude],
  ["plotLag", STDD_LAG],
];

/** One PSP shape of a bias sweep: its name in the outputs, the shape and tauSyn = tauSynFactor * tRef. */
const sweepShape = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "lowercase letters, digits and '-', starting with a letter, at most 32"),
  psp: z.enum(PSP_SHAPES),
  tauSynFactor: num(narrow(B.tau, { max: 100, f32: false, name: "tau_syn factor", why: "tau_syn = factor x t_ref" })),
});

export const stddConfigSchema = z.strictObject({
  preset: z.string(),
  seed: num(B.seed),
  backend: z.enum(["wasm", "js"]),
  /** exact: Markov chain; mc: simulation histogram; both: both, with their total variation distance. */
  method: z.enum(["exact", "mc", "both"]),
  tRef: num(STDD_T_REF),
  /** PSP shape (src/models/psp.ts): rect (the simulator's rectangle), alpha, exp, cutoff, tail. */
  psp: z.enum(PSP_SHAPES),
  /** The shape's time constant; for rect the rectangle's length parameter (an integer). */
  tauSyn: num(STDD_TAU_SYN),
  /**
   * Whose defaults fill the null fields below: ssn (the simulator: minIsi tRef + 1, ties skip,
   * shaped PSPs end where they fall below 1e-3 of their peak) or stddc (the authors' STDD
   * calculator: minIsi tRef, ties pair, shaped PSPs held at kappa(maxLag), its state cap
   * t_max - 1); see docs/models/sal.md#time-convention-and-quirks and docs/models/psp.md#the-table.
   */
  convention: z.enum(["ssn", "stddc"]),
  /** rect: PSP seen by draws s+1 .. s+pspLength (null: tauSyn - 1); other shapes: lags the PSP table covers (null: the convention's). */
  pspLength: num(STDD_PSP_LENGTH).nullable(),
  /** Other shapes: after pspLength the PSP is zero or keeps kappa(pspLength) until the next spike (null: the convention's). */
  pspTail: z.enum(["zero", "hold"]).nullable(),
  /** Earliest re-spike s + minIsi (null: the convention's). */
  minIsi: num(STDD_MIN_ISI).nullable(),
  /** A step in which both neurons fired: skip (no pair with either spike) or pair (null: the convention's; stdd.ts `Ties`). */
  ties: z.enum(["skip", "pair"]).nullable(),
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
  /**
   * Bias sweep (preset psp-shapes; exact method): for every shape and every pair (b0, b1) of `biases`,
   * the phase plane on `grid`, its nullcline and the nullcline's relative deviation from the diagonal
   * (phase.ts `relativeNullclineDeviation`); `psp`, `tauSyn`, `b0`, `b1` and `pairs` are not used.
   * `examples`: exact STDDs of each shape at other tRef / maxLag for a few bias pairs.
   */
  sweep: z
    .strictObject({
      biases: z.array(bias).min(1).max(101),
      shapes: z.array(sweepShape).min(1).max(8),
      /**
       * Before the nullcline is sought, the field is resampled on this many points per axis by cubic splines (0: linear
       * between grid points).
       */
      upscale: num(narrow(B.count, { min: 0, max: 1000, name: "upscale" })),
      examples: z.strictObject({
        tRef: num(STDD_T_REF),
        maxLag: num(STDD_LAG).nullable(),
        W01: weight,
        W10: weight,
        biases: z.array(z.tuple([bias, bias])).max(16),
      }),
    })
    .nullable(),
});

export type StddConfig = z.output<typeof stddConfigSchema>;

const common = {
  seed: 1,
  backend: "wasm",
  method: "exact",
  burnIn: 1000,
  psp: "rect",
  convention: "ssn",
  pspLength: null,
  pspTail: null,
  minIsi: null,
  ties: null,
  normalize: "joint",
  window: { tau: null, aCausal: -1, aAnti: 1 },
  sweep: null,
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
  /**
   * The non-rectangular PSP figure (the authors' psp_shapes notebook): rect, alpha with tauSyn = tRef/3
   * and tRef/2; tRef 10, t_max 20, weights on 10 points in [-1.5, 1.5], biases -1 .. 1 step 0.25, their
   * calculator's conventions; example STDDs at tRef 30, t_max 60, W 1 / 1.
   */
  "psp-shapes": {
    ...common,
    convention: "stddc",
    tRef: 10,
    tauSyn: 10,
    b0: 0,
    b1: 0,
    pairs: [],
    grid: { min: -1.5, max: 1.5, step: 1 / 3 },
    steps: 1_000_000,
    maxLag: 19,
    normalize: "halves",
    plotLag: 59,
    sweep: {
      biases: [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1],
      shapes: [
        { name: "rect", psp: "rect", tauSynFactor: 1 },
        { name: "alpha-short", psp: "alpha", tauSynFactor: 1 / 3 },
        { name: "alpha-long", psp: "alpha", tauSynFactor: 1 / 2 },
      ],
      upscale: 100,
      examples: {
        tRef: 30,
        maxLag: 59,
        W01: 1,
        W10: 1,
        biases: [
          [-0.25, 0.75],
          [0.25, 0.25],
          [0.75, -0.25],
        ],
      },
    },
  },
};

export const STDD_PRESET_NAMES = Object.keys(STDD_PRESETS);
