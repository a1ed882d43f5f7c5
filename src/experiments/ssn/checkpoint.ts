// The SSN checkpoint (src/checkpoint/format.ts for the format): the state a
// run continues from (SsnState of run.ts), checked against the run's config
// on resume: lengths follow dim, weights and biases lie within the clip
// bounds, the random streams are 32-bit words with no all-zero stream,
// the epoch lies inside the run and the step count and the metrics lines are
// exactly those of the epochs done.
import { z } from "zod";
import { checkpointSchema, intIn, numbers, rngWords } from "../../checkpoint/format.js";
import { B, narrow } from "../../config/numbers.js";
import type { SsnConfig } from "./config.js";

/** Validation epochs before epoch `e` < cfg.epochs (the last epoch, also a validation epoch, is not among them). */
function validationEpochs(cfg: SsnConfig, e: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < e; x += cfg.valStep) out.push(x);
  return out;
}

const finite = z.number().refine(Number.isFinite, { error: "must be a finite number" });

/** The schema of an ssn checkpoint for a run with config `cfg`. */
export function ssnCheckpointSchema(cfg: SsnConfig) {
  const n = cfg.dim,
    n4 = Math.ceil(n / 4) * 4;
  const row = z.looseObject({
    epoch: intIn(0, cfg.epochs - 1, "an epoch of the run"),
    steps: intIn(0, Number.MAX_SAFE_INTEGER, "steps so far"),
    dkl: finite.nullable(),
    asym: finite,
    W: z.array(numbers(n, B.weight)).length(n),
    b: numbers(n, B.bias),
    marginals: numbers(n, narrow(B.fraction, { name: "marginal" })),
    marginalErr: finite,
    corrErr: finite,
  });
  return checkpointSchema("ssn", {
    epoch: intIn(1, cfg.epochs - 1, `the next epoch to run: inside the run's ${cfg.epochs} epochs`),
    W: numbers(n * n, narrow(B.weight, { min: -cfg.maxW, max: cfg.maxW, why: "weights are clipped to maxW" })),
    b: numbers(n, narrow(B.bias, { min: -cfg.maxB, max: cfg.maxB, why: "biases are clipped to maxB" })),
    rng: rngWords(n4),
    steps: intIn(0, Number.MAX_SAFE_INTEGER, "steps so far"),
    simNs: finite.refine((x) => x >= 0, { error: "must be >= 0" }),
    metrics: z.array(row),
  }).superRefine((ck, ctx) => {
    const vals = validationEpochs(cfg, ck.epoch);
    const T = cfg.dur * cfg.tRef;
    const steps = T * (ck.epoch + vals.length * (cfg.valFactor - 1));
    if (ck.steps !== steps)
      ctx.addIssue({ code: "custom", path: ["steps"], message: `must be ${steps}, the steps of epochs 0..${ck.epoch - 1}` });
    const got = ck.metrics.map((m) => m.epoch);
    if (got.length !== vals.length || got.some((e, i) => e !== vals[i])) {
      const shown = vals.length > 6 ? `${vals.slice(0, 3).join(", ")}, ..., ${vals[vals.length - 1]}` : vals.join(", ");
      ctx.addIssue({ code: "custom", path: ["metrics"], message: `must hold the validation epochs ${shown} (one line each)` });
    }
  });
}

export type SsnCheckpoint = z.output<ReturnType<typeof ssnCheckpointSchema>>;
