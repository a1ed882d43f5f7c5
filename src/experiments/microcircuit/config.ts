// Config schema and presets of the microcircuit experiment
// (docs/models/microcircuit.md#parameters; arXiv:2503.02642, fig. 6). Paper
// presets keep the authors' quirks behind documented defaults (see `quirks`).
import { z } from "zod";
import { usage, UsageError } from "../../errors.js";
import { B, narrow, num, seedRangeProblem, vec, type Bound } from "../../config/numbers.js";
import { mcLayout } from "../../backend/layout.js";

export const FEEDBACKS = ["bp", "fa", "sal"] as const;
export type Feedback = (typeof FEEDBACKS)[number];

const rate = num(B.rate);
const amp = num(B.amplitude);
const tau = num(B.tau);
/** A range r > 0 of uniform draws U(-r, r) of weights. */
export const MC_RANGE = narrow(B.weightScale, {
  gt: true,
  name: "weight range",
  why: "weights drawn from U(-r, r): within the weight bound",
});
const range = (why: string) => num({ ...MC_RANGE, why });

/** The kernels count time in i32 with "never" = -1e9: a run (student or teacher) must stay below this many steps. */
export const MC_MAX_RUN_STEPS = 2 ** 31 - 1 - 1_000_000_000;
/** Boxcar window of the moving averages (steps); it costs 2 (n1 + n2) f32 per step of window. */
export const MC_WINDOW = narrow(B.runSteps, {
  max: 1_000_000,
  name: "window",
  why: "moving-average window in steps (memory: 8 (n1 + n2) bytes per step)",
});
/** Student and teacher pattern lengths. */
export const MC_PATTERN_STEPS = narrow(B.patternSteps, { max: 100_000_000 });

/** Bounds of the config fields that have no flag of their own (for --help). */
export const MC_CONFIG_BOUNDS: [string, Bound][] = [
  ["--dims (each layer)", B.layer],
  ["model.tRef", B.tRef],
  ["model.tauSyn", B.tauSyn],
  ["model.sizeMovingAverage", MC_WINDOW],
  ["model.lambdaApi, .lambdaApiSym", B.coupling],
  ["model.lambdaNudge", B.fraction],
  ["model.aCausal, .aAnti", B.amplitude],
  ["model.tauCausal, .tauAnti", B.tau],
  ["task.train, .validation", B.input],
  ["task.teacherW", B.weight],
  ["task.teacherBias, .studentBias", B.bias],
  ["task.teacherRange, .initRange", MC_RANGE],
  ["task.inputRange", narrow(B.input, { min: 0, gt: true })],
  ["task.nTrain, .nValidation", B.count],
  ["schedule.lenEpoch, .lenSymmetrization", B.count],
];

export const modelSchema = z.strictObject({
  tRef: num(B.tRef).describe("refractory period (steps); also the rate offset ln tRef"),
  tauSyn: num(B.tauSyn).describe("rectangular PSP length (steps)"),
  sizeMovingAverage: num(MC_WINDOW).describe("boxcar window of the moving averages (steps)"),
  lambdaApi: num(B.coupling),
  lambdaApiSym: num(B.coupling).describe("apical coupling during symmetrization patterns"),
  lambdaNudge: num(B.fraction),
  etaHidden: rate.describe("learning rate of W10"),
  etaOutput: rate.describe("learning rate of W21"),
  etaB: rate.describe("SAL learning rate of B12 (sal only)"),
  aCausal: amp,
  aAnti: amp,
  tauCausal: tau,
  tauAnti: tau,
});

export const scheduleSchema = z.strictObject({
  patternSteps: num(MC_PATTERN_STEPS).describe("steps per student pattern (authors: t_pattern * t_ref = 20000)"),
  learningLag: num(narrow(MC_PATTERN_STEPS, { min: 0 })).describe("steps per pattern without plasticity or output averaging"),
  teacherPatternSteps: z.strictObject({ bp: num(MC_PATTERN_STEPS), fa: num(MC_PATTERN_STEPS), sal: num(MC_PATTERN_STEPS) }),
  lenEpoch: num(B.count),
  lenSymmetrization: num(narrow(B.count, { min: 0 })),
});

export const taskSchema = z.strictObject({
  kind: z.enum(["paper", "random"]).describe("paper: the fixed 1-D inputs and teacher; random: drawn from the seed"),
  train: vec(B.input, 10_000).pipe(z.array(z.number()).min(1)).describe("paper task: training inputs (1-D)"),
  validation: vec(B.input, 10_000).pipe(z.array(z.number()).min(1)).describe("paper task: validation inputs (1-D)"),
  teacherW: num(B.weight).describe("paper task: teacher W10 = W21"),
  teacherRange: range("random task: teacher weights ~ U(-r, r)"),
  teacherBias: num(B.bias),
  nTrain: num(B.count),
  nValidation: num(B.count),
  inputRange: num(narrow(B.input, { min: 0, gt: true, why: "random task: inputs ~ U(-r, r)^n0" })),
  initRange: range("student W and B ~ U(-r, r)"),
  studentBias: num(B.bias),
});

export const quirksSchema = z.strictObject({
  nudgeDuringValidation: z.boolean().describe("authors: the output stays nudged during validation (loss ~ 0.16 x free loss)"),
  salNearestPairing: z
    .boolean()
    .describe(
      "authors (n_last_spks = 1): SAL pairs a spike with the most recent partner spike only, which drifts B12 with the " +
        "rate difference of hidden and output neurons; false pairs it with all earlier ones (exponential traces)",
    ),
});

/** Validation patterns of a task. */
function nValidation(c: { task: { kind: string; validation: number[]; nValidation: number } }): number {
  return c.task.kind === "paper" ? c.task.validation.length : c.task.nValidation;
}

/** Training inputs of a task. */
function nTrain(c: { task: { kind: string; train: number[]; nTrain: number } }): number {
  return c.task.kind === "paper" ? c.task.train.length : c.task.nTrain;
}

/** Steps of one student run (all epochs) and of one teacher run of condition `fb`. */
export function mcRunSteps(c: McConfigShape, fb: Feedback = "bp"): { student: number; teacher: number } {
  const s = c.schedule;
  return {
    student: c.epochs * (s.lenEpoch + nValidation(c)) * s.patternSteps,
    teacher: (nTrain(c) + nValidation(c)) * s.teacherPatternSteps[fb],
  };
}

const layer = num(B.layer);

export const microcircuitConfigSchema = z
  .strictObject({
    preset: z.string(),
    feedback: z.enum(["bp", "fa", "sal", "all"]),
    dims: z.tuple([layer, layer, layer]),
    epochs: num(B.epochs),
    seed: num(B.seed).nullable().describe("null: the paper's seed base + 1 of the condition"),
    seeds: num(B.count),
    teacherSeed: num(B.seed)
      .nullable()
      .describe(
        "simulation seed of the teacher; null: the authors' fixed seed of the condition (paper task, seed null)" +
          ", else derived from the run's seed",
      ),
    /** A checkpoint (checkpoint.json in --out) after every this many epochs of a run; 0 = never. */
    checkpointEvery: num(B.everyOrNever),
    model: modelSchema,
    schedule: scheduleSchema,
    task: taskSchema,
    quirks: quirksSchema,
  })
  .refine((c) => c.schedule.learningLag < c.schedule.patternSteps, {
    message: "schedule.learningLag must be smaller than schedule.patternSteps (patterns shorter than the learning lag)",
    path: ["schedule", "patternSteps"],
  })
  .refine((c) => c.schedule.lenSymmetrization < c.schedule.lenEpoch, {
    message: "schedule.lenSymmetrization must be smaller than schedule.lenEpoch",
    path: ["schedule", "lenSymmetrization"],
  })
  .refine((c) => c.task.kind === "random" || (c.dims[0] === 1 && c.dims[2] === 1), {
    message: "the paper task is 1-D in and out (dims 1,n1,1); for other sizes use --preset wide (task.kind random)",
    path: ["dims"],
  })
  .superRefine((c, ctx) => {
    if (c.seed !== null && c.seed + c.seeds - 1 > B.seed.max) {
      ctx.addIssue({ code: "custom", path: ["seeds"], message: seedRangeProblem(c.seed, c.seeds)! });
    }
    const fbs: Feedback[] = c.feedback === "all" ? [...FEEDBACKS] : [c.feedback];
    const steps = mcRunSteps(c);
    if (steps.student > MC_MAX_RUN_STEPS) {
      ctx.addIssue({
        code: "custom",
        path: ["epochs"],
        message:
          `a run of epochs x (lenEpoch + validation patterns) x patternSteps = ${steps.student} steps` +
          `; at most ${MC_MAX_RUN_STEPS} (the kernels count time in 32 bits)`,
      });
    }
    for (const fb of fbs) {
      const t = mcRunSteps(c, fb).teacher;
      if (t > MC_MAX_RUN_STEPS) {
        ctx.addIssue({
          code: "custom",
          path: ["schedule", "teacherPatternSteps", fb],
          message: `the teacher's run takes ${t} steps; at most ${MC_MAX_RUN_STEPS} (the kernels count time in 32 bits)`,
        });
        return;
      }
    }
  });

type McConfigShape = {
  epochs: number;
  schedule: { lenEpoch: number; patternSteps: number; teacherPatternSteps: Record<Feedback, number> };
  task: { kind: string; train: number[]; validation: number[]; nTrain: number; nValidation: number };
};

export type McConfig = z.output<typeof microcircuitConfigSchema>;

/** Seed bases of the authors' 20 runs per condition (weights-init seeds; run i uses base + i + 1). */
export const PAPER_SEED_BASE: Record<Feedback, number> = { sal: 355445, fa: 354535, bp: 375635 };
/** The authors' fixed teacher Poisson seeds per condition. */
export const PAPER_TEACHER_SEED: Record<Feedback, number> = { sal: 423433, fa: 423433, bp: 426534 };

const paper = {
  feedback: "sal",
  dims: [1, 1, 1],
  epochs: 150,
  seed: null,
  seeds: 1,
  teacherSeed: null,
  checkpointEvery: 0,
  model: {
    tRef: 10,
    tauSyn: 10,
    sizeMovingAverage: 2000,
    lambdaApi: 0.02,
    lambdaApiSym: 1.0,
    lambdaNudge: 0.6,
    etaHidden: 0.2,
    etaOutput: 0.003,
    etaB: 0.001,
    aCausal: -1,
    aAnti: 1,
    tauCausal: 10,
    tauAnti: 10,
  },
  schedule: {
    patternSteps: 20000,
    learningLag: 2000,
    teacherPatternSteps: { sal: 20000, fa: 200000, bp: 200000 },
    lenEpoch: 20,
    lenSymmetrization: 5,
  },
  task: {
    kind: "paper",
    train: [-3.0, -2.5, -2.0, -0.8, 0.8, 2.0, 2.5, 3.0],
    validation: [-2.7, -1.8, -0.5, 0.5, 1.8, 2.7],
    teacherW: 2.0,
    teacherRange: 2,
    teacherBias: -1,
    nTrain: 20,
    nValidation: 6,
    inputRange: 3,
    initRange: 3,
    studentBias: -1,
  },
  quirks: { nudgeDuringValidation: true, salNearestPairing: true },
};

export const MICROCIRCUIT_PRESETS: Record<string, unknown> = {
  paper,
  // a short SAL run whose B12 starts with the wrong sign (-1.22 vs W21 2.86) and flips within 5 epochs
  quick: { ...paper, epochs: 20, seed: 12 },
  // not a paper figure: the paper protocol on a 5-10-3 network, with SAL pairing all spike pairs
  // (the authors' nearest pairing drifts B12 with rate differences; see quirks.salNearestPairing)
  wide: {
    ...paper,
    dims: [5, 10, 3],
    seed: 1,
    task: { ...paper.task, kind: "random" },
    quirks: { ...paper.quirks, salNearestPairing: false },
  },
};

// ---- the authors' YAML layout (unibe-cns/sal-code: scripts/microcircuits/{sal,fa,bp}/*.yaml) ----

const AUTHOR_SECTIONS = [
  "network_properties",
  "student_initial_parameters",
  "student_simulation_settings",
  "teacher_initial_parameters",
  "teacher_simulation_settings",
  "u_input",
];

/** True when a config object uses the authors' layout (any of its top-level sections). */
export function isMicrocircuitAuthorLayout(raw: unknown): raw is Record<string, unknown> {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) && AUTHOR_SECTIONS.some((k) => k in raw);
}

function section(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const x = raw[key];
  if (x === undefined) return {};
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw usage(key, x, "a mapping");
  return x as Record<string, unknown>;
}

function allowOnly(o: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k))
      throw new UsageError(`config: unknown key '${where}${k}' in the authors' layout; allowed here: ${allowed.join(", ")}`);
}

/** A pair [a, b] that must hold one value twice (the authors give per-layer values our model shares). */
function same(x: unknown, field: string): number | undefined {
  if (x === undefined) return undefined;
  if (!Array.isArray(x) || x.length !== 2 || x[0] !== x[1] || typeof x[0] !== "number")
    throw usage(field, x, "two equal numbers (both layers share the value here)");
  return x[0];
}

/** [-r, r] of an init limit. */
function symmetricLimit(x: unknown, field: string): number | undefined {
  if (x === undefined) return undefined;
  const pair: unknown[] = Array.isArray(x) && x.length === 2 ? x : [];
  const [lo, hi] = pair;
  if (typeof lo !== "number" || typeof hi !== "number" || lo !== -hi || !(hi > 0)) throw usage(field, x, "[-r, r] with r > 0");
  return hi;
}

function mustBe(x: unknown, want: unknown, field: string, why: string): void {
  if (x !== undefined && x !== want) throw usage(field, x, `only ${String(want)} is supported (${why})`);
}

/**
 * Maps the authors' microcircuit YAML (network_properties, student_* and teacher_* sections, u_input)
 * onto our schema. The condition follows from the file: update_down false is BP, a feedback
 * learning rate (lr[0].down) above 0 is SAL, 0 is FA. Their seeds cannot reproduce numpy's
 * streams; weights_init_seed becomes our `seed` (from which every stream of the run is derived).
 * Recording options (recorded_quantities, record_all_spks, recorded_sample_length) only shape their
 * output files and are accepted and ignored. Unknown keys, and values our model does not have
 * (n_last_spks other than 1, per-layer biases that differ, ...), are errors naming the key.
 */
export function fromMicrocircuitAuthorLayout(raw: Record<string, unknown>): Record<string, unknown> {
  allowOnly(raw, AUTHOR_SECTIONS, "");
  const net = section(raw, "network_properties");
  allowOnly(
    net,
    [
      "dims",
      "lambda_api",
      "lambda_nudge",
      "learning_lag",
      "lr",
      "n_last_spks",
      "size_moving_average",
      "stdp_a_anticausal",
      "stdp_a_causal",
      "stdp_tau_anticausal",
      "stdp_tau_causal",
      "t_ref",
      "tau_syn",
    ],
    "network_properties.",
  );
  const out: Record<string, unknown> = {};
  const model: Record<string, unknown> = {},
    schedule: Record<string, unknown> = {},
    task: Record<string, unknown> = {},
    quirks: Record<string, unknown> = {};
  const set = (o: Record<string, unknown>, key: string, v: unknown) => {
    if (v !== undefined) o[key] = v;
  };
  set(out, "dims", net.dims);
  set(model, "lambdaApi", net.lambda_api);
  set(model, "lambdaNudge", net.lambda_nudge);
  set(schedule, "learningLag", net.learning_lag);
  set(model, "sizeMovingAverage", net.size_moving_average);
  set(model, "aAnti", net.stdp_a_anticausal);
  set(model, "aCausal", net.stdp_a_causal);
  set(model, "tauAnti", net.stdp_tau_anticausal);
  set(model, "tauCausal", net.stdp_tau_causal);
  set(model, "tRef", net.t_ref);
  set(model, "tauSyn", net.tau_syn);
  mustBe(net.n_last_spks, 1, "network_properties.n_last_spks", "the authors' nearest pairing; --sal-pairing all pairs every spike");
  if (net.n_last_spks === 1) quirks.salNearestPairing = true;
  let etaDown: unknown;
  if (net.lr !== undefined) {
    const lr = net.lr;
    if (!Array.isArray(lr) || lr.length !== 2 || lr.some((l) => l === null || typeof l !== "object"))
      throw usage("network_properties.lr", lr, "two mappings: [{ up, down }, { up }]");
    // two mappings (checked above)
    const [hidden, output] = lr as Record<string, unknown>[];
    allowOnly(hidden, ["up", "down"], "network_properties.lr[0].");
    allowOnly(output, ["up"], "network_properties.lr[1].");
    set(model, "etaHidden", hidden.up);
    set(model, "etaOutput", output.up);
    etaDown = hidden.down;
    if (typeof etaDown === "number" && etaDown > 0) set(model, "etaB", etaDown);
  }
  const tRef = typeof net.t_ref === "number" ? net.t_ref : 10;

  const si = section(raw, "student_initial_parameters");
  allowOnly(si, ["bias", "share_weights", "random_weights_init_limits"], "student_initial_parameters.");
  set(task, "studentBias", same(si.bias, "student_initial_parameters.bias"));
  mustBe(si.share_weights, false, "student_initial_parameters.share_weights", "the student's weights are drawn independently");
  if (si.random_weights_init_limits !== undefined) {
    const lim = section(si, "random_weights_init_limits");
    allowOnly(lim, ["up", "down"], "student_initial_parameters.random_weights_init_limits.");
    const up = symmetricLimit(lim.up, "student_initial_parameters.random_weights_init_limits.up");
    const down = symmetricLimit(lim.down, "student_initial_parameters.random_weights_init_limits.down");
    if (up !== undefined && down !== undefined && up !== down)
      throw usage(
        "student_initial_parameters.random_weights_init_limits.down",
        lim.down,
        `must equal up (${JSON.stringify(lim.up)}): W and B share one init range here`,
      );
    set(task, "initRange", up ?? down);
  }

  const ss = section(raw, "student_simulation_settings");
  allowOnly(
    ss,
    [
      "len_epoch",
      "len_symmetrization",
      "len_validation",
      "num_epochs",
      "poisson_seed",
      "weights_init_seed",
      "training_seed",
      "record_all_spks",
      "recorded_quantities",
      "recorded_sample_length",
      "set_sps",
      "shuffle_training",
      "shuffle_validation",
      "t_pattern",
      "update_down",
    ],
    "student_simulation_settings.",
  );
  set(schedule, "lenEpoch", ss.len_epoch);
  set(schedule, "lenSymmetrization", ss.len_symmetrization);
  set(out, "epochs", ss.num_epochs);
  set(out, "seed", ss.weights_init_seed);
  mustBe(ss.set_sps, true, "student_simulation_settings.set_sps", "the self-predicting copies W_IP = W21, W_PI = -B12");
  mustBe(ss.shuffle_training, true, "student_simulation_settings.shuffle_training", "training patterns are drawn with replacement");
  mustBe(ss.shuffle_validation, false, "student_simulation_settings.shuffle_validation", "validation runs in order");
  if (ss.t_pattern !== undefined) set(schedule, "patternSteps", Number(ss.t_pattern) * tRef);
  if (ss.update_down === false) out.feedback = "bp";
  else if (etaDown !== undefined) out.feedback = typeof etaDown === "number" && etaDown > 0 ? "sal" : "fa";

  const ti = section(raw, "teacher_initial_parameters");
  allowOnly(ti, ["bias", "weights"], "teacher_initial_parameters.");
  set(task, "teacherBias", same(ti.bias, "teacher_initial_parameters.bias"));
  if (ti.weights !== undefined) {
    const w = ti.weights;
    const ups = Array.isArray(w) ? w.map((l) => (l && typeof l === "object" ? (l as Record<string, unknown>).w_up : undefined)) : [];
    set(task, "teacherW", same(ups, "teacher_initial_parameters.weights[*].w_up"));
  }

  const ts = section(raw, "teacher_simulation_settings");
  allowOnly(
    ts,
    [
      "len_epoch",
      "len_validation",
      "num_epochs",
      "poisson_seed",
      "training_seed",
      "recorded_quantities",
      "shuffle_training",
      "shuffle_validation",
      "t_pattern",
    ],
    "teacher_simulation_settings.",
  );
  mustBe(ts.num_epochs, 1, "teacher_simulation_settings.num_epochs", "the teacher presents every input once");
  if (ts.t_pattern !== undefined) {
    const steps = Number(ts.t_pattern) * tRef;
    schedule.teacherPatternSteps = { bp: steps, fa: steps, sal: steps };
  }

  const ui = section(raw, "u_input");
  allowOnly(ui, ["training", "validation"], "u_input.");
  set(task, "train", ui.training);
  set(task, "validation", ui.validation);
  if (ui.training !== undefined || ui.validation !== undefined) task.kind = "paper";
  // len_validation and the teacher's len_epoch / len_validation count the inputs: they must agree
  const nVal = Array.isArray(ui.validation) ? ui.validation.length : undefined;
  for (const [field, v] of [
    ["student_simulation_settings.len_validation", ss.len_validation],
    ["teacher_simulation_settings.len_validation", ts.len_validation],
  ] as const)
    if (v !== undefined && nVal !== undefined && v !== nVal)
      throw usage(field, v, `must equal the number of u_input.validation values (${nVal})`);
  const nTrain = Array.isArray(ui.training) ? ui.training.length : undefined;
  if (ts.len_epoch !== undefined && nTrain !== undefined && ts.len_epoch !== nTrain)
    throw usage("teacher_simulation_settings.len_epoch", ts.len_epoch, `must equal the number of u_input.training values (${nTrain})`);

  for (const [key, o] of [
    ["model", model],
    ["schedule", schedule],
    ["task", task],
    ["quirks", quirks],
  ] as const)
    if (Object.keys(o).length) out[key] = o;
  return out;
}

// ---- resources: a rough estimate of memory and time, for refusing runs that will not fit ----

/**
 * Rough cost of a simulation step in ns on wasm, fitted on a 2-core EPYC VM (1-1-1: the v128 loop;
 * otherwise a per-step part, a part per neuron and one per synapse of the dense potential sums,
 * slower once the weights leave the cache). js is about 2.5 x slower.
 */
export function mcNsPerStep(dims: readonly [number, number, number], backend: "wasm" | "js"): number {
  const [n0, n1, n2] = dims;
  const N = n0 + n1 + 2 * n2,
    W = n1 * n0 + 4 * n1 * n2;
  const wasm = dims.every((d) => d === 1) ? 15 : 100 + 20 * N + (W * 20 > 1 << 20 ? 8 : 2.5) * W;
  return backend === "js" ? 2.5 * wasm : wasm;
}

export interface McEstimate {
  /** Peak memory: the teacher's and the student's state buffers plus the JS copies of the weights. */
  bytes: number;
  /** Of that, in the kernels' buffers (wasm linear memory on the wasm backend). */
  wasmBytes: number;
  /** The first run's teacher and first epoch. */
  firstEpochSeconds: number;
  /** The longest pattern (student or teacher). */
  patternSeconds: number;
}

/** Estimated memory and time of a config (see mcNsPerStep for the time model). */
export function microcircuitEstimate(cfg: McConfig, backend: "wasm" | "js"): McEstimate {
  const [n0, n1, n2] = cfg.dims;
  const L = mcLayout(n0, n1, n2, cfg.model.sizeMovingAverage);
  const net = 4 * L.f.size + 4 * L.i.size + 4 * L.u.size + 8 * L.d.size + 4 * L.c.size;
  const weights = n1 * n0 + 2 * n1 * n2;
  const wasmBytes = 2 * net;
  const bytes = wasmBytes + 5 * 8 * weights + 64 * 1024 * 1024;
  const first: Feedback = cfg.feedback === "all" ? FEEDBACKS[0] : cfg.feedback;
  const ns = mcNsPerStep(cfg.dims, backend);
  const s = cfg.schedule;
  const nVal = cfg.task.kind === "paper" ? cfg.task.validation.length : cfg.task.nValidation;
  const steps = mcRunSteps(cfg, first).teacher + (s.lenEpoch + nVal) * s.patternSteps;
  return {
    bytes,
    wasmBytes,
    firstEpochSeconds: (steps * ns) / 1e9,
    patternSeconds: (Math.max(s.patternSteps, s.teacherPatternSteps[first]) * ns) / 1e9,
  };
}
