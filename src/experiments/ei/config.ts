// Config schema and presets of the ei experiment: the E-I system of the
// Dale's-law analysis (arXiv:2503.02642; the authors' EI-system notebook;
// docs/models/ei-system.md). Weights are W[post, pre], named post_pre.
import { z } from "zod";
import { B, narrow, num, type Bound } from "../../config/numbers.js";

/** t_ref of the E-I system: its STDD histograms span a few t_ref. */
export const EI_T_REF = narrow(B.tRef, { max: 500, why: "refractory steps; the E-E spike-timing histograms span a few t_ref" });
/** tauSyn of the rectangular PSP (draws s+1 .. s+tauSyn-1 see it): at most t_ref + 1. */
export const EI_TAU_SYN = narrow(B.tauSyn, { max: 501, why: "rectangular PSP length parameter (at most t_ref max + 1)" });
/** Steps of one simulation (a fresh kernel run each). */
export const EI_STEPS = narrow(B.runSteps, {
  min: 1000,
  why: "steps of one simulation (one kernel run; at least 1000 for rates and histograms)",
});

/** Bounds of the config fields without a flag (for --help). */
export const EI_CONFIG_BOUNDS: [string, Bound][] = [
  ["weights.*, grid.min, .max, rateCurve.min, .max", B.weight],
  ["biases.*", B.bias],
  ["grid.step, rateCurve.step", B.gridStep],
  ["rateCurve.steps", EI_STEPS],
  ["window.tau", B.tau],
  ["window.aCausal, .aAnti", B.amplitude],
];

const weight = num(B.weight);
const bias = num(B.bias);
const range = z.strictObject({ min: weight, max: weight, step: num(B.gridStep) });

export const eiConfigSchema = z.strictObject({
  preset: z.string(),
  seed: num(B.seed),
  backend: z.enum(["wasm", "js"]),
  tRef: num(EI_T_REF),
  /** Rectangular PSP (the simulator's convention: 0 < t - t_spike < tauSyn). */
  tauSyn: num(EI_TAU_SYN),
  /** The six synapses (models/eiSystem.ts): e2_e1 = W21 (e1 -> e2), e1_e2 = W12 (e2 -> e1), the E -> I and I -> E weights. */
  weights: z.strictObject({ e2_e1: weight, e1_e2: weight, i1_e1: weight, i2_e2: weight, e2_i1: weight, e1_i2: weight }),
  biases: z.strictObject({ e1: bias, e2: bias, i1: bias, i2: bias }),
  /** Phase plane: W12 and W21 both on min, min + step, ..., max (the other weights as given); null: one simulation at `weights`. */
  grid: range.nullable(),
  /** Simulated steps per simulation (a fresh run each). */
  steps: num(EI_STEPS),
  /**
   * Rate of e2 against W21 (min..max by step, `steps` each): the E-I system with the reverse direction cut
   * (W12 = 0, i2 -> e1 = 0), and the direct system (no i1 -> e2) at the effective weight. null: none.
   */
  rateCurve: z.strictObject({ min: weight, max: weight, step: num(B.gridStep), steps: num(EI_STEPS) }).nullable(),
  /** SAL window on the first-order E-E pairs: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0); tau null = tRef. */
  window: z.strictObject({ tau: num(B.tau).nullable(), aCausal: num(B.amplitude), aAnti: num(B.amplitude) }),
});

export type EiConfig = z.output<typeof eiConfigSchema>;

const common = {
  seed: 1,
  backend: "wasm",
  tRef: 25,
  tauSyn: 25,
  grid: { min: 0, max: 2, step: 0.1 },
  steps: 2_000_000,
  rateCurve: { min: 0, max: 2, step: 0.25, steps: 500_000 },
  window: { tau: null, aCausal: -1, aAnti: 1 },
} as const;

export const EI_PRESETS: Record<string, Omit<EiConfig, "preset">> = {
  /**
   * The paper's figure: the E -> I, I -> E weights and the interneurons' biases drawn once with noise
   * (the notebook's numpy default_rng(97): normal(4, 0.2) twice, normal(-1, 0.1) twice, normal(-2, 0.2)
   * twice, in this order; the values below are those draws).
   */
  paper: {
    ...common,
    weights: {
      e2_e1: 0,
      e1_e2: 0,
      i1_e1: 3.947902433902573,
      i2_e2: 4.232002815689249,
      e2_i1: -1.0425905005723313,
      e1_i2: -1.0985005179806493,
    },
    biases: { e1: 0, e2: 0, i1: -2.2544347640904903, i2: -2.1838417195006405 },
  },
  /** The notebook's noise-free proof of principle: both paths equal (E -> I 4, I -> E -1, b_I -2). */
  symmetric: {
    ...common,
    weights: { e2_e1: 0, e1_e2: 0, i1_e1: 4, i2_e2: 4, e2_i1: -1, e1_i2: -1 },
    biases: { e1: 0, e2: 0, i1: -2, i2: -2 },
  },
};

export const EI_PRESET_NAMES = Object.keys(EI_PRESETS);
