// Config schema and presets of `spike-align train`
// (docs/models/deep-nets.md#parameters): the deep-net training runs with
// non-spiking feedback methods and with the spiking SAL and RDD phases. Numbers
// take their bounds from src/config/numbers.ts; `trainEstimate` says what a
// config needs (memory, time of the first epoch) so the CLI can refuse what
// will not fit.
import { z } from "zod";
import { METHOD_NAMES, METHODS } from "../../learning/feedback.js";
import { DATASET_NAMES } from "../../data/info.js";
import { DEFAULT_HIDDEN, layeredShapes, type Arch } from "../../models/layered/spec.js";
import { salnetBytes, salnetNsPerStep } from "../../models/salNetCost.js";
import { SALNET_MAX_POPS } from "../../backend/salnet.js";
import { RDD_MAX_POPS } from "../../backend/rdd.js";
import { B, MAX_RUN_STEPS, narrow, num, type Bound } from "../../config/numbers.js";

/** Hidden fc layers: at most 16. */
export const MAX_HIDDEN_LAYERS = 16;
/** Conv layers: at most 4. */
export const MAX_CONV_LAYERS = 4;

/** The SAL phase's settings. */
export const TRAIN_SAL = {
  tRef: narrow(B.tRef, { max: 1000, why: "refractory steps of the SAL phase's neurons" }),
  lenEpoch: narrow(B.runSteps, {
    name: "iteration length",
    why: "a SAL iteration in units of tRef (lenEpoch x tRef steps: one kernel run)",
  }),
  nIterations: narrow(B.count, { name: "iterations", why: "B updates per SAL phase" }),
  batch: narrow(B.copies, { max: 1024 }),
} satisfies Record<string, Bound>;
/** Simulated seconds of an RDD phase, in steps of 1 ms. */
export const TRAIN_RDD_SECONDS = narrow(B.simSeconds, {
  min: 0.1,
  why: "simulated seconds per RDD phase, in steps of 1 ms (at least 100 steps)",
});

/** Batch norm: the running statistics move by this fraction per batch. */
export const TRAIN_BN_MOMENTUM = narrow(B.fraction, {
  name: "BN momentum",
  why: "batch norm's running statistics move by this fraction per batch",
});

/** Bounds of the config fields without a flag (for --help). */
export const TRAIN_CONFIG_BOUNDS: [string, Bound][] = [
  ["convChannels (each)", B.channels],
  ["sal.tRef", TRAIN_SAL.tRef],
  ["sal.lenEpoch", TRAIN_SAL.lenEpoch],
  ["sal.nIterations", TRAIN_SAL.nIterations],
  ["sal.salLr", B.rate],
  ["sal.batch", TRAIN_SAL.batch],
  ["sal.bufferLength", B.window],
  ["rdd.seconds", TRAIN_RDD_SECONDS],
  ["bnMomentum", TRAIN_BN_MOMENTUM],
  ["bnEps", B.bnEps],
];

export const trainConfigSchema = z
  .strictObject({
    preset: z.string(),
    dataset: z.enum(DATASET_NAMES),
    data: z
      .string()
      .min(1, { error: "an empty string is not a directory" })
      .optional()
      .describe("data directory (default: the dataset's; fmnist: /usr/share/datasets/fashion-mnist)"),
    arch: z.enum(["conv", "mlp"]),
    method: z.enum(METHOD_NAMES),
    hidden: z
      .array(num(B.fcSize))
      .min(1)
      .max(MAX_HIDDEN_LAYERS)
      .optional()
      .describe("hidden fc sizes (default conv 384,192; mlp 1024,384,192)"),
    epochs: num(B.epochs),
    batch: num(B.batch).describe("training batch (shuffled)"),
    testBatch: num(B.batch).describe("evaluation batch (eval mode: does not change results)"),
    lr: num(B.sgdRate),
    momentum: num(B.momentum),
    seed: num(B.seed),
    augment: z.boolean().describe("the authors' training augmentation (flips; random crops for 32x32 sets)"),
    doubleSoftmax: z.boolean().describe("authors: CrossEntropyLoss applied to the softmax output"),
    trainSubset: num(B.samples).optional().describe("use only the first N training samples"),
    testSubset: num(B.samples).optional().describe("use only the first N test samples"),
    checkpointEvery: num(B.everyOrNever).describe("write checkpoint.ckpt every N epochs (0 = never)"),
    convChannels: z
      .array(num(B.channels))
      .min(1)
      .max(MAX_CONV_LAYERS)
      .describe("output channels of the conv layers (paper: 64, 64; 5x5 kernels)"),
    fcWeightDecay: num(B.weightDecay)
      .optional()
      .describe("weight decay of fc W (and of a learned B); default the method's (kp 0.001, else 0)"),
    sal: z
      .strictObject({
        tRef: num(TRAIN_SAL.tRef),
        lenEpoch: num(TRAIN_SAL.lenEpoch).describe("SAL iteration length in units of tRef"),
        nIterations: num(TRAIN_SAL.nIterations).describe("B updates per phase"),
        salLr: num(B.rate),
        batch: num(TRAIN_SAL.batch).describe("independent copies of the spiking network"),
        bufferLength: num(B.window).describe("STDP window in units of tRef"),
      })
      .describe("the SAL phase before every epoch (method sal; docs/models/spiking-feedback.md#the-sal-phase)"),
    rdd: z.strictObject({
      seconds: num(TRAIN_RDD_SECONDS).describe("simulated seconds per RDD phase (docs/models/spiking-feedback.md#rdd)"),
    }),
    bnMomentum: num(TRAIN_BN_MOMENTUM),
    bnEps: num(B.bnEps),
  })
  .superRefine((c, ctx) => {
    const kind = METHODS[c.method].phase;
    if (!kind) return;
    // a spiking phase's network has one population per fc layer size
    const pops = hiddenSizes(c).length + 2,
      max = kind === "sal" ? SALNET_MAX_POPS : RDD_MAX_POPS;
    if (pops > max)
      ctx.addIssue({
        code: "custom",
        path: ["hidden"],
        message:
          `has ${pops - 2} layers; the ${kind.toUpperCase()} phase's network holds at most ${max} populations` +
          ` (${max - 2} hidden layers)`,
      });
    if (kind !== "sal") return;
    // the SAL phase's network keeps its clock across epochs
    const phase = c.sal.lenEpoch * c.sal.tRef;
    if (phase > MAX_RUN_STEPS)
      ctx.addIssue({
        code: "custom",
        path: ["sal", "lenEpoch"],
        message: `lenEpoch x tRef is ${phase} steps; one SAL iteration is one kernel run of at most ${MAX_RUN_STEPS} (2^30-1) steps`,
      });
    else if (c.epochs * c.sal.nIterations * phase > MAX_RUN_STEPS) {
      ctx.addIssue({
        code: "custom",
        path: ["epochs"],
        message:
          `${c.epochs} epochs of ${c.sal.nIterations * phase}-step SAL phases` +
          ` exceed the ${MAX_RUN_STEPS} (2^30-1) steps the phase's network counts`,
      });
    }
  });

export type TrainConfig = z.output<typeof trainConfigSchema>;

const PAPER: Omit<TrainConfig, "preset"> = {
  dataset: "fmnist",
  arch: "conv",
  method: "bp",
  epochs: 100,
  batch: 128,
  testBatch: 256,
  lr: 0.01,
  momentum: 0.9,
  seed: 0,
  augment: true,
  doubleSoftmax: true,
  checkpointEvery: 0,
  convChannels: [64, 64],
  sal: { tRef: 10, lenEpoch: 200, nIterations: 5, salLr: 0.04, batch: 32, bufferLength: 2 },
  rdd: { seconds: 90 },
  bnMomentum: 0.1,
  bnEps: 1e-5,
};

/** paper: the authors' exp_settings.yaml (100 epochs of the conv net); quick: the MLP for 2 epochs. */
export const TRAIN_PRESETS: Record<string, Omit<TrainConfig, "preset">> = {
  paper: PAPER,
  quick: { ...PAPER, arch: "mlp", epochs: 2 },
};

export function hiddenSizes(cfg: { arch: string; hidden?: number[] }): number[] {
  return cfg.hidden ?? DEFAULT_HIDDEN[cfg.arch as Arch];
}

// ---- resources: a rough estimate of memory and time, for refusing runs that will not fit ----

/** What the estimate needs to know of the data. */
export interface TrainDataShape {
  c: number;
  h: number;
  w: number;
  nTrain: number;
  nTest: number;
}

/** Multiply-adds and memory of the layers (from layeredShapes). */
function layerCosts(cfg: TrainConfig, d: TrainDataShape) {
  const shapes = layeredShapes({
    arch: cfg.arch,
    input: { c: d.c, h: d.h, w: d.w },
    hidden: hiddenSizes(cfg),
    classes: 10,
    method: cfg.method,
    convChannels: cfg.convChannels,
    kernel: 5,
    bnMomentum: 0,
    bnEps: 1,
  });
  if (typeof shapes === "string") return null;
  const N = Math.max(cfg.batch, cfg.testBatch);
  let macs = 0,
    params = 0,
    acts = N * d.c * d.h * d.w,
    cols = 0;
  for (const s of shapes.convs) {
    const fan = s.cin * s.ks * s.ks,
      plane = s.oh * s.ow;
    macs += s.cout * fan * plane;
    params += s.cout * fan;
    acts += N * (3 * s.cout * plane + 2 * s.cout * s.ph * s.pw + s.cin * s.h * s.w);
    cols = Math.max(cols, fan * plane);
  }
  let syn = 0;
  for (let i = 0; i + 1 < shapes.fc.length; i++) {
    const nIn = shapes.fc[i],
      nOut = shapes.fc[i + 1];
    syn += nIn * nOut;
    acts += N * (3 * nOut + nIn);
  }
  macs += syn;
  params += syn;
  return { fc: shapes.fc, macs, params, syn, floats: 5 * params + acts + 2 * cols };
}

/** Rough SGD throughput (multiply-adds x 2 per second), measured on a 2-core EPYC VM shared with other work. */
const FLOPS = { wasm: 15e9, js: 1e9 };

export interface TrainEstimate {
  bytes: number;
  wasmBytes: number;
  /** The first epoch: its feedback phase, the SGD pass and the test pass. */
  firstEpochSeconds: number;
  /** One SGD batch. */
  batchSeconds: number;
  /** Of the first epoch, the spiking phase (0 without one). */
  phaseSeconds: number;
}

/**
 * Memory (the network's buffers, gradients, momentum and feedback in the kernels' memory, the JS copies
 * of the final parameters and the checkpoint, the data) and time of the first epoch (forward and
 * backward are 3 x 2 flops per multiply-add of the forward pass; the SAL or RDD phase from its
 * network's size). Null when the layers do not fit the input (run.ts says why).
 */
export function trainEstimate(cfg: TrainConfig, d: TrainDataShape, backend: "wasm" | "js"): TrainEstimate | null {
  const c = layerCosts(cfg, d);
  if (!c) return null;
  const kind = METHODS[cfg.method].phase;
  let phaseBytes = 0,
    phaseSeconds = 0;
  if (kind === "sal") {
    const s = cfg.sal;
    phaseBytes = salnetBytes(c.fc, s.batch, s.tRef, s.bufferLength * s.tRef);
    phaseSeconds = (s.nIterations * s.lenEpoch * s.tRef * salnetNsPerStep(c.fc, s.batch, backend)) / 1e9;
  } else if (kind === "rdd") {
    // the RDD network: forward weights, fit coefficients and estimates (about 52 bytes per synapse); ~0.06 ns per synapse and step
    phaseBytes = 52 * c.syn;
    const ns = 1000 + 0.06 * c.syn + 10 * c.fc.reduce((a, n) => a + n, 0);
    phaseSeconds = ((cfg.rdd.seconds / 0.001) * (backend === "js" ? 10 : 1) * ns) / 1e9;
  }
  const wasmBytes = 4 * c.floats + phaseBytes;
  const bytes = wasmBytes + 4 * 6 * c.params + (d.nTrain + d.nTest) * d.c * d.h * d.w + 64 * 1024 * 1024;
  const rate = FLOPS[backend];
  const batchSeconds = (6 * c.macs * cfg.batch) / rate;
  const sgd = (6 * c.macs * d.nTrain) / rate,
    test = (2 * c.macs * d.nTest) / rate;
  return { bytes, wasmBytes, firstEpochSeconds: phaseSeconds + sgd + test, batchSeconds, phaseSeconds };
}
