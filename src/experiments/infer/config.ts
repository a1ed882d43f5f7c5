// Config schema and presets of the inference comparison
// (docs/models/spiking-feedback.md#the-inference-comparison-infer;
// arXiv:2503.02642, the scatter figure): SAL, RDD and STDWI each infer B for a
// fixed random 50 -> 50 W from spiking activity, 100 s each.
import { z } from "zod";
import { B, MAX_RUN_STEPS, narrow, num, type Bound } from "../../config/numbers.js";

export const INFER_METHODS = ["sal", "rdd", "stdwi"] as const;
export type InferMethod = (typeof INFER_METHODS)[number];

/** Neurons per population: two at least (a correlation needs more than one entry of B). */
export const INFER_N = narrow(B.population, { min: 2, max: 4096, name: "neurons", why: "neurons per population; B is n x n" });

/** Bounds of the config fields without a flag (for --help). */
export const INFER_CONFIG_BOUNDS: [string, Bound][] = [
  ["sal.tRef", B.tRef],
  ["sal.bufferLength", B.window],
  ["sal.salLr, stdwi.eta", B.rate],
  ["sal.batch", B.copies],
  ["sal.stepsPerUpdate, rdd.updateEvery", B.runSteps],
  ["sal.stepMs", B.stepMs],
  ["stdwi.decay", narrow(B.rate, { name: "decay", why: "relative decay of B per update" })],
];

export const inferConfigSchema = z
  .strictObject({
    preset: z.string(),
    method: z.enum(["sal", "rdd", "stdwi", "all"]),
    n: num(INFER_N).describe("neurons per population (input and output)"),
    seconds: num(B.simSeconds).describe("simulated seconds per method"),
    seed: num(B.seed),
    sal: z.strictObject({
      tRef: num(B.tRef).describe("refractory steps (= 1 ms: a step is 0.1 ms)"),
      bufferLength: num(B.window),
      salLr: num(B.rate),
      batch: num(B.copies),
      stepsPerUpdate: num(B.runSteps).describe("steps per B update; stepsPerUpdate * batch steps of 0.1 ms = 1 s"),
      stepMs: num(B.stepMs).describe("simulated time of one step of one copy (ms)"),
    }),
    rdd: z.strictObject({
      updateEvery: num(B.runSteps).describe("steps (1 ms) between B updates from the estimates (10 s)"),
    }),
    stdwi: z.strictObject({
      eta: num(B.rate),
      decay: num(narrow(B.rate, { name: "decay", why: "relative decay of B per update" })),
    }),
  })
  .refine((c) => inferSalSteps(c) <= MAX_RUN_STEPS, {
    // the SAL network is never reset: its clock counts every step of the run
    message:
      `seconds / (sal.stepsPerUpdate x sal.batch x sal.stepMs / 1000) updates of sal.stepsPerUpdate steps` +
      ` must stay <= ${MAX_RUN_STEPS} (2^30-1) steps, the SAL network's clock`,
    path: ["seconds"],
  });

/** Steps of the SAL method (the same count as run.ts: whole updates, at least one). */
export function inferSalSteps(c: Pick<InferConfigInput, "seconds" | "sal">): number {
  const s = c.sal,
    secondsPerUpdate = (s.stepsPerUpdate * s.batch * s.stepMs) / 1000;
  return Math.max(1, Math.round(c.seconds / secondsPerUpdate)) * s.stepsPerUpdate;
}

interface InferConfigInput {
  seconds: number;
  sal: { stepsPerUpdate: number; batch: number; stepMs: number };
}

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
