// Config schema and presets of the inference comparison (spec/deepnets.md
// section 7; arXiv:2503.02642, the scatter figure): SAL, RDD and STDWI each
// infer B for a fixed random 50 -> 50 W from spiking activity, 100 s each.
import { z } from "zod";

export const INFER_METHODS = ["sal", "rdd", "stdwi"] as const;
export type InferMethod = (typeof INFER_METHODS)[number];

const posInt = z.number().int().positive();
const pos = z.number().finite().positive();

export const inferConfigSchema = z.strictObject({
  preset: z.string(),
  method: z.enum(["sal", "rdd", "stdwi", "all"]),
  n: posInt.max(4096).describe("neurons per population (input and output)"),
  seconds: pos.max(1e5).describe("simulated seconds per method"),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  sal: z.strictObject({
    tRef: posInt.max(10_000).describe("refractory steps (= 1 ms: a step is 0.1 ms)"),
    bufferLength: posInt.max(2),
    salLr: z.number().finite(),
    batch: posInt.max(4096),
    stepsPerUpdate: posInt.describe("steps per B update; stepsPerUpdate * batch steps of 0.1 ms = 1 s"),
    stepMs: pos.describe("simulated time of one step of one copy (ms)"),
  }),
  rdd: z.strictObject({
    updateEvery: posInt.describe("steps (1 ms) between B updates from the estimates (10 s)"),
  }),
  stdwi: z.strictObject({
    eta: z.number().finite(),
    decay: z.number().finite(),
  }),
});

export type InferConfig = z.output<typeof inferConfigSchema>;

const paper = {
  method: "all",
  n: 50,
  seconds: 100,
  seed: 43,
  // SALNetBase([50, 50]): t_ref 10 steps of 0.1 ms, sal_lr 0.05, batch 8, 1250 steps (x 8 copies = 1 s) per update
  sal: { tRef: 10, bufferLength: 2, salLr: 0.05, batch: 8, stepsPerUpdate: 1250, stepMs: 0.1 },
  // RDDNetBase([50, 50]) driving population 0, B from the estimates every 10 s of cumulative time
  rdd: { updateEvery: 10_000 },
  stdwi: { eta: 0.02, decay: 0.1 },
};

export const INFER_PRESETS: Record<string, unknown> = {
  /** the authors' Fig. 7 notebook: 100 s per method */
  paper,
  /** 10 s per method */
  quick: { ...paper, seconds: 10 },
};
