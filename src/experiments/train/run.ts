// `runTrain`: SGD epochs of a layered network with one feedback method, test
// evaluation and B-vs-W alignment of every fc layer
// (docs/models/deep-nets.md#training-loop,
// docs/models/alignment-metrics.md#feedback-against-forward-weights). Pure
// computation: data come in loaded, progress and checkpoints go out through
// hooks.
//
// Per epoch (docs/models/deep-nets.md#training-loop): [feedback phase
// (SAL/RDD) -> alignment] -> one SGD epoch over the shuffled, augmented
// training set -> test in eval mode -> [alignment, when there is no phase].
// Alignment is also measured once before the first epoch.
import type { Kernels } from "../../backend/index.js";
import { UsageError } from "../../errors.js";
import { METHODS } from "../../learning/feedback.js";
import type { FeedbackPhase, PhaseReport } from "../../learning/feedback.js";
import { LayeredNet } from "../../models/layered/net.js";
import type { FcLayer, ParamArray } from "../../models/layered/net.js";
import { layeredShapes } from "../../models/layered/spec.js";
import type { LayeredSpec } from "../../models/layered/spec.js";
import { layerAlignment } from "../../metrics/alignment.js";
import type { LayerAlignment } from "../../metrics/alignment.js";
import { BatchMaker, identityOrder } from "../../data/batches.js";
import type { LoadedData } from "../../data/datasets.js";
import type { ImageSet } from "../../data/images.js";
import { hiddenSizes } from "./config.js";
import type { TrainConfig } from "./config.js";
import { encodeCheckpoint } from "./checkpoint.js";
import { createRddPhase, createSalPhase } from "../../models/spikingPhases.js";
import type { SpikingPhase } from "../../models/spikingPhases.js";
import { runToEnd, type RunHooks } from "../types.js";

export interface LayerMetrics extends LayerAlignment {
  layer: string;
}

export interface EpochMetrics {
  /** 1-based; 0 is the alignment before training. */
  epoch: number;
  trainLoss: number;
  /** Percent. */
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  /** Alignment of B with W per fc layer (B := W for exact-BP layers). */
  fc: LayerMetrics[];
  /** Wall seconds of the SGD pass over the training set. */
  trainSeconds: number;
  /** Wall seconds of the whole epoch (phase, training, test, metrics). */
  seconds: number;
  phase?: PhaseReport;
}

export interface TrainState {
  /** Epochs completed. */
  epoch: number;
  initial: LayerMetrics[];
  metrics: EpochMetrics[];
}

/** A line of metrics.jsonl: the alignment before training (epoch 0), then one per epoch. */
export type TrainMetricsRow = EpochMetrics | { epoch: 0; fc: LayerMetrics[] };

/**
 * The shared run hooks (src/experiments/types.ts): progress in batches of the current epoch
 * (info: "epoch e/E, loss x"), metrics rows (epoch 0 only on a fresh run), and checkpoints
 * as encoded bytes (src/experiments/train/checkpoint.ts) every cfg.checkpointEvery epochs
 * and after the last one.
 */
export interface TrainHooks extends RunHooks<TrainMetricsRow, Uint8Array> {
  /** A feedback phase instead of the method's own (sal, rdd: src/models/spikingPhases.ts). */
  phase?: FeedbackPhase;
}

/** The final network, copied out of backend memory (runTrain frees the net's buffers before it returns). */
export interface TrainResult {
  state: TrainState;
  /** Final parameters with shapes (params/*.npy). */
  params: ParamArray[];
  /** Final W and B (null for exact-BP layers) of each fc layer. */
  fc: { name: string; W: Float32Array; B: Float32Array | null }[];
  /** Every state tensor by name, as a checkpoint holds them. */
  tensors: [string, Float32Array][];
}

export function layeredSpecFor(cfg: TrainConfig, set: Pick<ImageSet, "c" | "h" | "w">, classes = 10): LayeredSpec {
  return {
    arch: cfg.arch,
    input: { c: set.c, h: set.h, w: set.w },
    hidden: hiddenSizes(cfg),
    classes,
    method: cfg.method,
    convChannels: cfg.convChannels,
    fcWeightDecay: cfg.fcWeightDecay,
    kernel: 5,
    bnMomentum: cfg.bnMomentum,
    bnEps: cfg.bnEps,
  };
}

/** Alignment of each fc layer's B with its W (docs/models/alignment-metrics.md#feedback-against-forward-weights). */
export function fcAlignment(fcs: readonly FcLayer[]): LayerMetrics[] {
  return fcs.map((l) => ({ layer: l.name, ...layerAlignment((l.B ?? l.W).view, l.W.view) }));
}

/** Mean loss and accuracy (percent) of `set` in eval mode, in chunks of testBatch (at most the net's batch). */
export function evaluate(net: LayeredNet, set: ImageSet, maker: BatchMaker, testBatch: number): { loss: number; accuracy: number } {
  const order = identityOrder(set.n),
    chunk = Math.min(testBatch, net.maxBatch);
  let loss = 0,
    correct = 0;
  for (let s = 0; s < set.n; s += chunk) {
    const n = Math.min(chunk, set.n - s);
    maker.fill(order, s, n, net.input.view, net.labels.view, null);
    const r = net.evalBatch(n);
    loss += r.loss;
    correct += r.correct;
  }
  return { loss: loss / set.n, accuracy: (100 * correct) / set.n };
}

/** Checks that the config fits the data. */
export function checkTrainConfig(cfg: TrainConfig, data: LoadedData): void {
  const spec = layeredSpecFor(cfg, data.train);
  const shapes = layeredShapes(spec);
  if (typeof shapes === "string") throw new UsageError(`--arch ${cfg.arch}: ${shapes}`);
}

/** A spiking phase (src/models/spikingPhases.ts) as the train loop's FeedbackPhase: W, b, B in; new B written into the fc layers. */
export function spikingFeedbackPhase(phase: SpikingPhase): FeedbackPhase {
  return {
    beforeEpoch(_k, fcs) {
      const rep = phase.run(fcs.map((l) => ({ W: l.W.view, b: l.b.view, B: l.B!.view })));
      rep.B.forEach((B, i) => fcs[i].B!.view.set(B));
      const { B: _B, ...report } = rep;
      return report;
    },
  };
}

/** The SAL or RDD phase of `cfg` over the fc layer sizes (built inside the run's backend memory). */
function methodPhase(k: Kernels, cfg: TrainConfig, fcSizes: number[]): FeedbackPhase | undefined {
  const kind = METHODS[cfg.method].phase;
  if (kind === "sal") return spikingFeedbackPhase(createSalPhase(k, fcSizes, { ...cfg.sal, seed: cfg.seed }));
  if (kind === "rdd") return spikingFeedbackPhase(createRddPhase(k, fcSizes, { seconds: cfg.rdd.seconds, seed: cfg.seed }));
  return undefined;
}

/** A resumed run: the state of its checkpoint, and how to put the checkpoint's tensors into the net. */
export interface TrainResume {
  state: TrainState;
  restore(net: LayeredNet): void;
}

/**
 * Training a few epochs at a time: the net (fresh, or restored from `resume`) lives in backend
 * memory from the constructor to `dispose`; `advance(n)` runs the next n epochs. A fresh run
 * reports the alignment before training (epoch 0) from the constructor. Throws a UsageError when
 * the loss turns NaN or infinite (the last checkpoint stays as it was).
 */
export class TrainSession {
  readonly state: TrainState;
  private readonly mark: number;
  private readonly net: LayeredNet;
  private readonly feedbackPhase: FeedbackPhase | undefined;
  private readonly trainMaker: BatchMaker;
  private readonly testMaker: BatchMaker;
  private disposed = false;

  constructor(
    private readonly k: Kernels,
    readonly cfg: TrainConfig,
    private readonly data: LoadedData,
    private readonly hooks: TrainHooks = {},
    resume?: TrainResume,
  ) {
    checkTrainConfig(cfg, data);
    this.mark = k.mark();
    try {
      this.net = new LayeredNet(k, layeredSpecFor(cfg, data.train), cfg.seed, Math.max(cfg.batch, cfg.testBatch), cfg.doubleSoftmax);
      this.feedbackPhase = hooks.phase ?? methodPhase(k, cfg, this.net.shapes.fc);
      this.trainMaker = new BatchMaker(data.train, data.info);
      this.testMaker = new BatchMaker(data.test, data.info);
      if (resume) {
        resume.restore(this.net);
        this.state = structuredClone(resume.state);
      } else {
        this.state = { epoch: 0, initial: fcAlignment(this.net.fcs), metrics: [] };
        hooks.onMetrics?.({ epoch: 0, fc: this.state.initial });
      }
    } catch (err) {
      k.release(this.mark);
      throw err;
    }
  }

  get done(): boolean {
    return this.state.epoch >= this.cfg.epochs;
  }

  /** Runs the next `n` epochs (all that are left by default). */
  advance(n = Infinity): this {
    const end = Math.min(this.cfg.epochs, this.state.epoch + n);
    for (let e = this.state.epoch + 1; e <= end; e++) this.epoch(e);
    return this;
  }

  private epoch(e: number): void {
    const { k, cfg, data, hooks, net, state } = this;
    const nTrain = data.train.n,
      batches = Math.ceil(nTrain / cfg.batch);
    const t0 = performance.now();
    let phase: PhaseReport | undefined,
      fc: LayerMetrics[] | null = null;
    if (this.feedbackPhase) {
      phase = this.feedbackPhase.beforeEpoch(k, net.fcs, e);
      fc = fcAlignment(net.fcs);
    }
    const { order, aug } = this.trainMaker.epochStreams(cfg.seed, e, cfg.augment);
    const tTrain = performance.now();
    let loss = 0,
      correct = 0;
    for (let b = 0; b < batches; b++) {
      const s = b * cfg.batch,
        n = Math.min(cfg.batch, nTrain - s);
      this.trainMaker.fill(order, s, n, net.input.view, net.labels.view, aug);
      const r = net.trainBatch(n, cfg.lr, cfg.momentum);
      if (!Number.isFinite(r.loss))
        throw new UsageError(`training diverged: the loss is ${r.loss} at epoch ${e}, batch ${b + 1} (lr ${cfg.lr}); try a smaller --lr`);
      loss += r.loss;
      correct += r.correct;
      hooks.onProgress?.(b + 1, batches, `epoch ${e}/${cfg.epochs}, loss ${(loss / (s + n)).toFixed(4)}`);
    }
    const trainSeconds = (performance.now() - tTrain) / 1000;
    const test = evaluate(net, data.test, this.testMaker, cfg.testBatch);
    const m: EpochMetrics = {
      epoch: e,
      trainLoss: loss / nTrain,
      trainAccuracy: (100 * correct) / nTrain,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      fc: fc ?? fcAlignment(net.fcs),
      trainSeconds,
      seconds: 0,
    };
    if (phase) m.phase = phase;
    m.seconds = (performance.now() - t0) / 1000;
    state.metrics.push(m);
    state.epoch = e;
    hooks.onMetrics?.(m);
    if (cfg.checkpointEvery > 0 && hooks.onCheckpoint && (e % cfg.checkpointEvery === 0 || e === cfg.epochs))
      hooks.onCheckpoint(encodeCheckpoint(state, net));
  }

  /** The state so far and the net's parameters, copied out of backend memory. */
  result(): TrainResult {
    const net = this.net;
    return {
      state: this.state,
      params: net.parameterArrays(),
      fc: net.fcs.map((l) => ({ name: l.name, W: l.W.view.slice(), B: l.B ? l.B.view.slice() : null })),
      tensors: net.stateTensors().map(([n, b]) => [n, b.view.slice()]),
    };
  }

  /** Frees the net's backend memory; the session cannot advance afterwards. */
  dispose(): void {
    if (!this.disposed) this.k.release(this.mark);
    this.disposed = true;
  }
}

/**
 * Trains from a fresh net, or continues from `resume` (the net's tensors then come
 * from the checkpoint through `restore`). Throws a UsageError when the loss turns
 * NaN or infinite (the last checkpoint stays as it was).
 */
export function runTrain(k: Kernels, cfg: TrainConfig, data: LoadedData, hooks: TrainHooks = {}, resume?: TrainResume): TrainResult {
  return runToEnd(new TrainSession(k, cfg, data, hooks, resume));
}
