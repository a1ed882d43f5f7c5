// The standalone SAL alignment run
// (docs/models/spiking-feedback.md#standalone-alignment-align): a layered
// network of sampling neurons with fixed random forward weights W and feedback
// B that learns by SAL alone, one B update per epoch; after every epoch the
// alignment of each B_l with W_{l+1}^T (in the deep net's layout: B_fc,l with
// W_l).
import type { Kernels } from "../../backend/index.js";
import { SalNet } from "../../models/salNet.js";
import { angleDeg, corrcoef, diffVar } from "../../metrics/alignment.js";
import { subSeed, tsRandom } from "../../rng/seeds.js";
import type { AlignConfig } from "./config.js";
import { type RunHooks, runToEnd } from "../types.js";

export interface AlignEpoch {
  epoch: number;
  /** per fc layer l (B_l vs W_{l+1}^T) */
  angleDeg: number[];
  corrcoef: number[];
  diffVar: number[];
  /** spikes per neuron per step in each population during the epoch (null before the first) */
  rates: number[] | null;
}

export interface AlignResult {
  epochs: AlignEpoch[];
  W: Float32Array[];
  B: Float32Array[];
  steps: number;
  seconds: number;
  nsPerStep: number;
}

/**
 * The authors' initialisation (PyTorch defaults of their GLM layers): W_l ~ U(+-1/sqrt(n_l)),
 * the feedback of population l, B_l (n_l x n_{l+1}), ~ U(+-1/sqrt(n_{l+1})), biases of population p ~ U(+-1/sqrt(n_p)).
 * Returned in the deep net's layout (W_l and B_fc,l = B_l^T both n_{l+1} x n_l).
 */
export function alignInit(layers: number[], seed: number) {
  const r = tsRandom(seed, "align-init");
  const W: Float32Array[] = [],
    B: Float32Array[] = [],
    b: Float32Array[] = [];
  for (let l = 0; l < layers.length - 1; l++) {
    const nIn = layers[l],
      nOut = layers[l + 1];
    const bw = 1 / Math.sqrt(nIn),
      bb = 1 / Math.sqrt(nOut);
    W.push(Float32Array.from({ length: nOut * nIn }, () => r.range(-bw, bw)));
    B.push(Float32Array.from({ length: nOut * nIn }, () => r.range(-bb, bb)));
  }
  for (const n of layers) b.push(Float32Array.from({ length: n }, () => r.range(-1 / Math.sqrt(n), 1 / Math.sqrt(n))));
  return { W, B, b };
}

/**
 * The alignment run on backend `k`, a chunk of epochs at a time (a page or a worker drives it without
 * blocking; `runAlign` runs it to the end). Epoch 0's metrics (before learning) are recorded on
 * construction; every epoch runs the network, updates B and records the metrics.
 */
export class AlignSession {
  readonly epochs: AlignEpoch[] = [];
  /** Epochs done. */
  epoch = 0;
  /** Wall seconds inside the network's run and update. */
  seconds = 0;
  private readonly mark: number;
  private readonly net: SalNet;
  private readonly W: Float32Array[];

  constructor(
    private readonly k: Kernels,
    readonly cfg: AlignConfig,
    private readonly hooks: RunHooks<AlignEpoch> = {},
  ) {
    this.mark = k.mark();
    try {
      const { W, B, b } = alignInit(cfg.layers, cfg.seed);
      this.W = W;
      this.net = new SalNet(
        k,
        { layers: cfg.layers, batch: cfg.batch, tRef: cfg.tRef, windowLength: cfg.bufferLength * cfg.tRef },
        subSeed(cfg.seed, "align-sim"),
      );
      this.net.setInputBias(b[0]);
      this.net.setLayers(W.map((w, l) => ({ W: w, B: B[l], b: b[l + 1] })));
    } catch (err) {
      k.release(this.mark);
      throw err;
    }
    this.record(0, null);
  }

  get done(): boolean {
    return this.epoch >= this.cfg.epochs;
  }

  /** Simulated steps so far (per copy). */
  get steps(): number {
    return this.epoch * this.cfg.stepsPerEpoch;
  }

  private record(epoch: number, rates: number[] | null): void {
    const { W, net, cfg, hooks } = this;
    const m: AlignEpoch = { epoch, angleDeg: [], corrcoef: [], diffVar: [], rates };
    for (let l = 0; l < W.length; l++) {
      const Bl = net.feedback(l);
      m.angleDeg.push(angleDeg(Bl, W[l]));
      m.corrcoef.push(corrcoef(Bl, W[l]));
      m.diffVar.push(diffVar(Bl, W[l]));
    }
    this.epochs.push(m);
    hooks.onMetrics?.(m);
    if (epoch > 0) hooks.onProgress?.(epoch, cfg.epochs, `angle ${m.angleDeg.map((a) => a.toFixed(1)).join(" / ")}`);
  }

  /** Runs the next `epochs` epochs (all that are left by default). */
  advance(epochs = Infinity): this {
    const { net, cfg } = this;
    const end = Math.min(cfg.epochs, this.epoch + epochs);
    for (let e = this.epoch + 1; e <= end; e++) {
      const s0 = net.spikeCounts(),
        t0 = performance.now();
      net.run(cfg.stepsPerEpoch);
      net.update(cfg.salLr);
      this.seconds += (performance.now() - t0) / 1000;
      const s1 = net.spikeCounts();
      this.epoch = e;
      this.record(
        e,
        cfg.layers.map((n, p) => (s1[p] - s0[p]) / (n * cfg.batch * cfg.stepsPerEpoch)),
      );
    }
    return this;
  }

  /** The run so far (the feedback matrices are copies). */
  result(): AlignResult {
    const steps = this.steps;
    return {
      epochs: [...this.epochs],
      W: this.W,
      B: this.W.map((_, l) => this.net.feedback(l)),
      steps,
      seconds: this.seconds,
      nsPerStep: (this.seconds * 1e9) / Math.max(1, steps),
    };
  }

  /** Frees the network's backend memory; the session cannot advance afterwards. */
  dispose(): void {
    this.k.release(this.mark);
  }
}

/** The run: metrics after every epoch (epoch 0 = before learning) through `hooks.onMetrics`, progress in epochs. */
export function runAlign(k: Kernels, cfg: AlignConfig, hooks: RunHooks<AlignEpoch> = {}): AlignResult {
  return runToEnd(new AlignSession(k, cfg, hooks));
}
