// The microcircuit checkpoint (src/checkpoint/format.ts for the format): the
// runs finished so far and the run in progress (McCheckpointState of
// run.ts), checked against the config on resume: the position lies inside
// the experiment, the finished runs are those of the positions before it,
// metrics lines number one per epoch, the student's four state buffers
// F (f32), I (i32), U (u32: one xoshiro128** stream per neuron) and D (f64)
// have the layout of the config's dims and window with finite values, a
// header that matches the config and no all-zero random stream, and the
// pattern-order stream has been drawn lenEpoch times per epoch.
import { z } from "zod";
import { checkpointSchema, intIn, tensor } from "../../checkpoint/format.js";
import { mcLayout, MC_H, MC_NEVER } from "../../backend/layout.js";
import { conditionsOf, runSeed } from "./run.js";
import { FEEDBACKS, MC_MAX_RUN_STEPS, type McConfig } from "./config.js";

/** A number in JSON, where NaN was written as null (e.g. the loss before learning). */
const numOrNaN = z.union([z.number().refine(Number.isFinite, { error: "must be finite or null" }), z.null()]).transform((v) => v ?? NaN);
const finite = z.number().refine(Number.isFinite, { error: "must be a finite number" });

function matrix(rows: number, cols: number) {
  return z.array(z.array(finite).length(cols, { error: `must have ${cols} values` })).length(rows, { error: `must have ${rows} rows` });
}

/** The schema of a microcircuit checkpoint for a run with config `cfg`. */
export function microcircuitCheckpointSchema(cfg: McConfig) {
  const [n0, n1, n2] = cfg.dims;
  const L = mcLayout(n0, n1, n2, cfg.model.sizeMovingAverage);
  const conds = conditionsOf(cfg);
  const nTrain = cfg.task.kind === "paper" ? cfg.task.train.length : cfg.task.nTrain;
  const nVal = cfg.task.kind === "paper" ? cfg.task.validation.length : cfg.task.nValidation;
  const feedback = z.enum(FEEDBACKS);
  const metrics = z.strictObject({
    feedback,
    seed: intIn(0, 2 ** 32 - 1, "a seed"),
    epoch: intIn(0, cfg.epochs, "an epoch of the run"),
    validationLoss: numOrNaN,
    freeLoss: numOrNaN,
    angleDeg: z.array(numOrNaN).length(1),
    corrcoef: z.array(numOrNaN).length(1),
    signConcordance: z.array(numOrNaN).length(1),
    weights: z.strictObject({ W10: finite, W21: finite, B12: finite }).nullable(),
  });
  const weights = z.strictObject({
    W10: matrix(n1, n0),
    W21: matrix(n2, n1),
    B12: matrix(n1, n2),
    b1: z.array(finite).length(n1),
    b2: z.array(finite).length(n2),
  });
  const targets = z.strictObject({ train: matrix(nTrain, n2), validation: matrix(nVal, n2) });
  const run = {
    feedback,
    seed: intIn(0, 2 ** 32 - 1, "a seed"),
    epochs: z.array(metrics),
    targets,
    teacher: weights,
    steps: intIn(0, Number.MAX_SAFE_INTEGER, "steps so far"),
    seconds: finite.refine((x) => x >= 0, { error: "must be >= 0" }),
  };
  const net = z.strictObject({
    F: tensor("f32", L.f.size),
    I: tensor("i32", L.i.size),
    U: tensor("u32", L.u.size, { rngLanes: L.N }),
    D: tensor("f64", L.d.size),
  });
  const current = z.strictObject({
    ...run,
    epoch: intIn(0, cfg.epochs, `epochs done: 0..${cfg.epochs}`),
    orderDraws: intIn(0, Number.MAX_SAFE_INTEGER, "draws"),
    net,
  });
  return checkpointSchema("microcircuit", {
    condition: intIn(0, conds.length - 1, `a condition index (${conds.join(", ")})`),
    seedIndex: intIn(0, cfg.seeds - 1, `a seed index (${cfg.seeds} seeds)`),
    done: z.array(z.strictObject(run)),
    current,
  }).superRefine((ck, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const want = ck.condition * cfg.seeds + ck.seedIndex;
    if (ck.done.length !== want)
      return issue(["done"], `must hold the ${want} runs before condition ${ck.condition}, seed index ${ck.seedIndex}`);
    const runs = [...ck.done, ck.current];
    for (let j = 0; j < runs.length; j++) {
      const fb = conds[Math.floor(j / cfg.seeds)],
        seed = runSeed(cfg, fb, j % cfg.seeds);
      const at = j < ck.done.length ? ["done", j] : ["current"];
      const r = runs[j];
      if (r.feedback !== fb || r.seed !== seed)
        return issue(at, `must be the run of ${fb} seed ${seed} (got ${r.feedback} seed ${r.seed})`);
      const epochs = j < ck.done.length ? cfg.epochs : ck.current.epoch;
      if (r.epochs.length !== epochs + 1 || r.epochs.some((m, e) => m.epoch !== e || m.feedback !== fb || m.seed !== seed)) {
        return issue([...at, "epochs"], `must hold the metrics of epochs 0..${epochs} of ${fb} seed ${seed}, one each`);
      }
    }
    const c = ck.current;
    if (c.orderDraws !== c.epoch * cfg.schedule.lenEpoch)
      issue(["current", "orderDraws"], `must be ${c.epoch * cfg.schedule.lenEpoch} (lenEpoch x epochs done)`);
    const I = c.net.I;
    const header: [string, number, number][] = [
      ["n0", MC_H.n0, n0],
      ["n1", MC_H.n1, n1],
      ["n2", MC_H.n2, n2],
      ["win", MC_H.win, cfg.model.sizeMovingAverage],
      ["tRef", MC_H.tRef, cfg.model.tRef],
      ["tauSyn", MC_H.tauSyn, cfg.model.tauSyn],
    ];
    for (const [name, slot, v] of header)
      if (I[slot] !== v) return issue(["current", "net", "I"], `header ${name} is ${I[slot]}; the config has ${v}`);
    const t = I[MC_H.t];
    if (!(t >= 0 && t <= MC_MAX_RUN_STEPS)) return issue(["current", "net", "I"], `time ${t} is outside 0..${MC_MAX_RUN_STEPS}`);
    const win = cfg.model.sizeMovingAverage;
    if (!(I[MC_H.ringPos] >= 0 && I[MC_H.ringPos] < win) || !(I[MC_H.ringCount] >= 1 && I[MC_H.ringCount] <= win)) {
      return issue(
        ["current", "net", "I"],
        `moving-average position ${I[MC_H.ringPos]} / count ${I[MC_H.ringCount]} outside the window of ${win}`,
      );
    }
    for (let q = 0; q < L.N; q++) {
      const tl = I[L.i.tl + q],
        s = I[L.i.s + q];
      if (!(tl === MC_NEVER || (tl >= 0 && tl < t)))
        return issue(["current", "net", "I"], `last spike time of neuron ${q} is ${tl}; must be before ${t} or never`);
      if (s !== 0 && s !== 1) return issue(["current", "net", "I"], `PSP state of neuron ${q} is ${s}; must be 0 or 1`);
    }
  });
}

export type McCheckpoint = z.output<ReturnType<typeof microcircuitCheckpointSchema>>;
