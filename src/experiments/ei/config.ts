// Config schema and presets of the ei experiment: the E-I system of the
// Dale's-law analysis (arXiv:2503.02642; the authors' EI-system notebook;
// spec/ssn.md section 4 "eisystem"). Weights are W[post, pre], named post_pre.
import { z } from "zod";

const weight = z.number().min(-20).max(20);
const bias = z.number().min(-20).max(20);
const range = z.strictObject({ min: weight, max: weight, step: z.number().gt(0).max(40) });

export const eiConfigSchema = z.strictObject({
  preset: z.string(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  backend: z.enum(["wasm", "js"]),
  tRef: z.number().int().min(1).max(500),
  /** Rectangular PSP (the simulator's convention: 0 < t - t_spike < tauSyn). */
  tauSyn: z.number().int().min(1).max(501),
  /** The six synapses (models/eiSystem.ts): e2_e1 = W21 (e1 -> e2), e1_e2 = W12 (e2 -> e1), the E -> I and I -> E weights. */
  weights: z.strictObject({ e2_e1: weight, e1_e2: weight, i1_e1: weight, i2_e2: weight, e2_i1: weight, e1_i2: weight }),
  biases: z.strictObject({ e1: bias, e2: bias, i1: bias, i2: bias }),
  /** Phase plane: W12 and W21 both on min, min + step, ..., max (the other weights as given); null: one simulation at `weights`. */
  grid: range.nullable(),
  /** Simulated steps per simulation (a fresh run each). */
  steps: z.number().int().min(1000).max(2 ** 30 - 1),
  /**
   * Rate of e2 against W21 (min..max by step, `steps` each): the E-I system with the reverse direction cut
   * (W12 = 0, i2 -> e1 = 0), and the direct system (no i1 -> e2) at the effective weight. null: none.
   */
  rateCurve: z.strictObject({ min: weight, max: weight, step: z.number().gt(0).max(40), steps: z.number().int().min(1000).max(2 ** 30 - 1) }).nullable(),
  /** SAL window on the first-order E-E pairs: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0); tau null = tRef. */
  window: z.strictObject({ tau: z.number().gt(0).max(1e4).nullable(), aCausal: z.number().min(-1e3).max(1e3), aAnti: z.number().min(-1e3).max(1e3) }),
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
    weights: { e2_e1: 0, e1_e2: 0, i1_e1: 3.947902433902573, i2_e2: 4.232002815689249, e2_i1: -1.0425905005723313, e1_i2: -1.0985005179806493 },
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
