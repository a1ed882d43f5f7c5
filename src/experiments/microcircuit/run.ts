// Student-teacher regression with the spiking microcircuit
// (docs/models/microcircuit.md#task-and-schedule,
// docs/models/microcircuit.md#metrics): teacher targets from simulating the
// spiking teacher, then epochs of training, symmetrization (SAL phase) and
// validation patterns.
import type { Kernels } from "../../backend/index.js";
import { Microcircuit } from "../../models/microcircuit.js";
import type { McParams, McSnapshot, McWeights } from "../../models/microcircuit.js";
import { subSeed, tsRandom } from "../../rng/seeds.js";
import { FEEDBACKS, PAPER_SEED_BASE, PAPER_TEACHER_SEED } from "./config.js";
import type { Feedback, McConfig } from "./config.js";
import { alignment } from "./metrics.js";
import type { RunHooks } from "../types.js";

export interface EpochMetrics {
  feedback: Feedback;
  seed: number;
  epoch: number;
  /** the spec's loss: mean over validation patterns of sum_k (u2 - tgt)^2 / n2, output nudged (quirk) */
  validationLoss: number;
  /** the same with the un-nudged output prediction b2 + v_bas */
  freeLoss: number;
  angleDeg: number[];
  corrcoef: number[];
  signConcordance: number[];
  weights: { W10: number; W21: number; B12: number } | null;
}

export interface RunResult {
  feedback: Feedback;
  seed: number;
  epochs: EpochMetrics[];
  targets: { train: number[][]; validation: number[][] };
  teacher: McWeights;
  steps: number;
  seconds: number;
}

/** The seed a run uses: the given one, or the paper's base + 1 of the condition. */
export function runSeed(cfg: McConfig, feedback: Feedback, index: number): number {
  return (cfg.seed ?? PAPER_SEED_BASE[feedback] + 1) + index;
}

export function modelParams(cfg: McConfig, feedback: Feedback): McParams {
  const m = cfg.model;
  return {
    dims: cfg.dims,
    tRef: m.tRef,
    tauSyn: m.tauSyn,
    sizeMovingAverage: m.sizeMovingAverage,
    lambdaApi: m.lambdaApi,
    lambdaNudge: m.lambdaNudge,
    eta1: m.etaHidden,
    eta2: m.etaOutput,
    etaB: feedback === "sal" ? m.etaB : 0,
    aCausal: m.aCausal,
    aAnti: m.aAnti,
    tauCausal: m.tauCausal,
    tauAnti: m.tauAnti,
  };
}

const matrix = (rows: number, cols: number, draw: () => number) => Array.from({ length: rows }, () => Array.from({ length: cols }, draw));

/** Inputs and teacher weights of the task (random task: drawn from the seed's "task" stream). */
export function makeTask(cfg: McConfig, seed: number): { train: number[][]; validation: number[][]; teacher: McWeights } {
  const [n0, n1, n2] = cfg.dims,
    t = cfg.task;
  if (t.kind === "paper") {
    return {
      train: t.train.map((x) => [x]),
      validation: t.validation.map((x) => [x]),
      teacher: {
        W10: matrix(n1, n0, () => t.teacherW),
        W21: matrix(n2, n1, () => t.teacherW),
        B12: matrix(n1, n2, () => 0),
        b1: Array<number>(n1).fill(t.teacherBias),
        b2: Array<number>(n2).fill(t.teacherBias),
      },
    };
  }
  const r = tsRandom(seed, "microcircuit-task");
  const teacher: McWeights = {
    W10: matrix(n1, n0, () => r.range(-t.teacherRange, t.teacherRange)),
    W21: matrix(n2, n1, () => r.range(-t.teacherRange, t.teacherRange)),
    B12: matrix(n1, n2, () => 0),
    b1: Array<number>(n1).fill(t.teacherBias),
    b2: Array<number>(n2).fill(t.teacherBias),
  };
  const train = matrix(t.nTrain, n0, () => r.range(-t.inputRange, t.inputRange));
  const validation = matrix(t.nValidation, n0, () => r.range(-t.inputRange, t.inputRange));
  return { train, validation, teacher };
}

/** Student initial weights: W10, B12, W21 ~ U(-r, r) in this order (authors' order), fixed biases. */
export function studentInit(cfg: McConfig, seed: number): McWeights {
  const [n0, n1, n2] = cfg.dims,
    r = cfg.task.initRange,
    b = cfg.task.studentBias;
  const g = tsRandom(seed, "microcircuit-init");
  const W10 = matrix(n1, n0, () => g.range(-r, r));
  const B12 = matrix(n1, n2, () => g.range(-r, r));
  const W21 = matrix(n2, n1, () => g.range(-r, r));
  return { W10, W21, B12, b1: Array<number>(n1).fill(b), b2: Array<number>(n2).fill(b) };
}

const sqErr = (a: number[], b: number[]) => a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0) / a.length;

/** A run of one condition and seed that has done `epoch` epochs: everything needed to continue it. */
export interface McRunState {
  feedback: Feedback;
  seed: number;
  /** Epochs done (0: only the teacher and the initial metrics). */
  epoch: number;
  /** Metrics of epochs 0..epoch. */
  epochs: EpochMetrics[];
  targets: { train: number[][]; validation: number[][] };
  teacher: McWeights;
  steps: number;
  seconds: number;
  /** Uniform draws taken from the pattern-order stream (lenEpoch per epoch). */
  orderDraws: number;
  /** The student network's state buffers. */
  net: McSnapshot;
}

/** A checkpoint of a whole microcircuit experiment: the runs done, and the one in progress. */
export interface McCheckpointState {
  /** Index of the condition (in conditionsOf order) and of the seed of the run in progress. */
  condition: number;
  seedIndex: number;
  /** The finished runs, in the order they ran. */
  done: RunResult[];
  current: McRunState;
}

export interface ConditionHooks {
  onMetrics?(m: EpochMetrics): void;
  /** After every pattern (teacher or student). */
  onPattern?(): void;
  /** After every epoch e; `snapshot` captures the run's state. */
  onEpoch?(e: number, snapshot: () => McRunState): void;
}

/** One full run (teacher + student) of one condition and seed; `onMetrics` gets every epoch's metrics (epoch 0 = before learning). */
export function runCondition(
  k: Kernels,
  cfg: McConfig,
  feedback: Feedback,
  seed: number,
  hooks: ConditionHooks = {},
  resume?: McRunState,
): RunResult {
  const s = cfg.schedule;
  const mark = k.mark();
  const t0 = performance.now();
  let steps = resume?.steps ?? 0;
  const priorSeconds = resume?.seconds ?? 0;
  try {
    const task = makeTask(cfg, seed);
    let trainTgt: number[][], valTgt: number[][];
    if (resume) {
      ({ train: trainTgt, validation: valTgt } = resume.targets);
    } else {
      // teacher: fixed weights, no plasticity, no nudging; target = mean u2 after the learning lag
      const teacherSeed =
        cfg.teacherSeed ??
        (cfg.task.kind === "paper" && cfg.seed === null ? PAPER_TEACHER_SEED[feedback] : subSeed(seed, "microcircuit-teacher-sim"));
      const teacher = new Microcircuit(k, modelParams(cfg, feedback), teacherSeed);
      teacher.setWeights(task.teacher);
      const tSteps = s.teacherPatternSteps[feedback];
      const target = (xs: number[][]) =>
        xs.map((x) => {
          steps += tSteps;
          const u2 = teacher.runPattern(x, { target: null, steps: tSteps, lag: s.learningLag }).u2;
          hooks.onPattern?.();
          return u2;
        });
      trainTgt = target(task.train);
      valTgt = target(task.validation);
    }

    const net = new Microcircuit(k, modelParams(cfg, feedback), subSeed(seed, "microcircuit-sim"));
    const order = tsRandom(seed, "microcircuit-order");
    let draws = 0;
    if (resume) {
      net.restore(resume.net);
      for (; draws < resume.orderDraws; draws++) order.uniform();
    } else {
      net.setWeights(studentInit(cfg, seed));
      if (feedback === "bp") {
        net.copyBackprop();
        net.copySelfPredicting();
      }
    }
    const lenTrain = s.lenEpoch - s.lenSymmetrization;
    const out: EpochMetrics[] = resume ? [...resume.epochs] : [];
    const record = (epoch: number, vl: number, fl: number) => {
      const w = net.weights();
      const a = alignment(w.B12, w.W21);
      const one = cfg.dims.every((d) => d === 1);
      const m: EpochMetrics = {
        feedback,
        seed,
        epoch,
        validationLoss: vl,
        freeLoss: fl,
        angleDeg: [a.angleDeg],
        corrcoef: [a.corrcoef],
        signConcordance: [a.signConcordance],
        weights: one ? { W10: w.W10[0][0], W21: w.W21[0][0], B12: w.B12[0][0] } : null,
      };
      out.push(m);
      hooks.onMetrics?.(m);
    };
    const snapshot = (epoch: number) => (): McRunState => ({
      feedback,
      seed,
      epoch,
      epochs: [...out],
      targets: { train: trainTgt, validation: valTgt },
      teacher: task.teacher,
      steps,
      seconds: priorSeconds + (performance.now() - t0) / 1000,
      orderDraws: draws,
      net: net.snapshot(),
    });
    if (!resume) {
      record(0, NaN, NaN);
      hooks.onEpoch?.(0, snapshot(0));
    }
    const P = { steps: s.patternSteps, lag: s.learningLag };
    for (let e = (resume?.epoch ?? 0) + 1; e <= cfg.epochs; e++) {
      for (let pIdx = 0; pIdx < s.lenEpoch; pIdx++) {
        const i = order.int(task.train.length); // with replacement
        draws++;
        if (pIdx < lenTrain) {
          net.runPattern(task.train[i], { ...P, target: trainTgt[i], forward: true, bpCopy: feedback === "bp" });
        } else {
          net.setLambdaApi(cfg.model.lambdaApiSym);
          net.cutInterneurons();
          net.runPattern(task.train[i], { ...P, target: trainTgt[i], sal: feedback === "sal", salAllPairs: !cfg.quirks.salNearestPairing });
          net.setLambdaApi(cfg.model.lambdaApi);
          net.copySelfPredicting();
        }
        hooks.onPattern?.();
      }
      let vl = 0,
        fl = 0;
      for (let v = 0; v < task.validation.length; v++) {
        const r = net.runPattern(task.validation[v], { ...P, target: cfg.quirks.nudgeDuringValidation ? valTgt[v] : null });
        vl += sqErr(r.u2, valTgt[v]);
        fl += sqErr(r.free, valTgt[v]);
        hooks.onPattern?.();
      }
      steps += (s.lenEpoch + task.validation.length) * s.patternSteps;
      record(e, vl / task.validation.length, fl / task.validation.length);
      hooks.onEpoch?.(e, snapshot(e));
    }
    return {
      feedback,
      seed,
      epochs: out,
      targets: { train: trainTgt, validation: valTgt },
      teacher: task.teacher,
      steps,
      seconds: priorSeconds + (performance.now() - t0) / 1000,
    };
  } finally {
    k.release(mark);
  }
}

/** The runs of an experiment by feedback condition, in the order bp, fa, sal (those the config asks for). */
export type MicrocircuitResult = Map<Feedback, RunResult[]>;

/** The conditions a config runs. */
export function conditionsOf(cfg: McConfig): Feedback[] {
  return cfg.feedback === "all" ? [...FEEDBACKS] : [cfg.feedback];
}

/** Patterns of one run (the teacher's, then the student's), up to epoch `epochs`: the unit of progress. */
export function patternsOfRun(cfg: McConfig, epochs = cfg.epochs): number {
  const nTrain = cfg.task.kind === "paper" ? cfg.task.train.length : cfg.task.nTrain;
  const nVal = cfg.task.kind === "paper" ? cfg.task.validation.length : cfg.task.nValidation;
  return nTrain + nVal + epochs * (cfg.schedule.lenEpoch + nVal);
}

/** Patterns of the whole experiment (every condition and seed). */
export function totalPatterns(cfg: McConfig): number {
  return conditionsOf(cfg).length * cfg.seeds * patternsOfRun(cfg);
}

/** The hooks of a microcircuit experiment: progress per pattern, metrics per epoch, checkpoints every `checkpointEvery` epochs. */
export type MicrocircuitHooks = RunHooks<EpochMetrics, McCheckpointState>;

/**
 * Runs every condition of the config (`feedback`, or all three) for `seeds` seeds each, or continues
 * from `resume`; progress counts patterns over all runs. A checkpoint is taken after every
 * `checkpointEvery`-th epoch of a run, except after the experiment's very last epoch.
 */
export function runMicrocircuit(k: Kernels, cfg: McConfig, hooks: MicrocircuitHooks = {}, resume?: McCheckpointState): MicrocircuitResult {
  const conds = conditionsOf(cfg);
  const total = totalPatterns(cfg);
  const byFeedback: MicrocircuitResult = new Map();
  const done: RunResult[] = [];
  let patterns = 0;
  let info = "";
  for (let c = 0; c < conds.length; c++) {
    const fb = conds[c];
    const runs: RunResult[] = [];
    for (let i = 0; i < cfg.seeds; i++) {
      const seed = runSeed(cfg, fb, i);
      const before = resume && (c < resume.condition || (c === resume.condition && i < resume.seedIndex));
      if (before) {
        const r = resume.done[done.length];
        runs.push(r);
        done.push(r);
        patterns += patternsOfRun(cfg);
        continue;
      }
      const cont = resume && c === resume.condition && i === resume.seedIndex ? resume.current : undefined;
      if (cont) patterns += patternsOfRun(cfg, cont.epoch);
      const last = c === conds.length - 1 && i === cfg.seeds - 1;
      const r = runCondition(
        k,
        cfg,
        fb,
        seed,
        {
          onMetrics: (m) => {
            hooks.onMetrics?.(m);
            if (m.epoch > 0)
              info =
                `${fb} seed ${seed} epoch ${m.epoch}/${cfg.epochs} loss ${m.validationLoss.toExponential(2)}` +
                ` angle ${m.angleDeg[0].toFixed(1)}`;
          },
          onPattern: () => hooks.onProgress?.(++patterns, total, info),
          onEpoch: (e, snap) => {
            const every = cfg.checkpointEvery;
            if (!hooks.onCheckpoint || every <= 0 || e === 0 || e % every !== 0 || (last && e === cfg.epochs)) return;
            hooks.onCheckpoint({ condition: c, seedIndex: i, done: [...done], current: snap() });
          },
        },
        cont,
      );
      runs.push(r);
      done.push(r);
    }
    byFeedback.set(fb, runs);
  }
  return byFeedback;
}
