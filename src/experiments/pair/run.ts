// The SAL principle on two neurons (arXiv:2503.02642, Fig. 2d;
// docs/models/sal.md#pair-learning-fig-2d): two coupled sampling neurons with
// asymmetric weights learn with the anti-symmetric SAL window only. Each epoch
// is a fresh run of `stepsPerEpoch` steps with the current weights; the SAL
// sums S of that run (exponential window, causal -1 / anti-causal +1,
// tau = t_ref, pairing with the partner's last 10 spikes) update
// W += lr * S * t_ref / T. Both weights plastic: they meet at their common
// mean; with one frozen, the other moves to it.
import type { Kernels } from "../../backend/index.js";
import type { SamplingNet } from "../../backend/sampling.js";
import { salWeightStep } from "../../learning/sal.js";
import { runSleep, samplingNetSpec, stdpRule } from "../../models/samplingNet.js";
import { subSeed } from "../../rng/seeds.js";
import { type RunHooks, runToEnd } from "../types.js";
import type { PairConfig } from "./config.js";

export interface PairResult {
  /** W01 and W10 before epoch 0 and after every epoch (epochs + 1 values). */
  W01: Float64Array;
  W10: Float64Array;
  /** Mean spikes per epoch of neuron 0 and 1. */
  rate: [number, number];
  steps: number;
  nsPerStep: number;
}

/** The weights after one epoch: a line of metrics.jsonl. */
export interface PairEpoch {
  epoch: number;
  W01: number;
  W10: number;
}

/**
 * The pair experiment on backend `k`, a chunk of epochs at a time. Weights are kept in f64 here
 * and handed to the kernel as f32 at the start of every epoch; each epoch's SAL sums move the
 * plastic ones (`salWeightStep`).
 */
export class PairSession {
  /** W01 and W10 before epoch 0 and after every epoch done so far. */
  readonly W01: Float64Array;
  readonly W10: Float64Array;
  epoch = 0;
  private readonly net: SamplingNet;
  private readonly mark: number;
  private readonly rate: number;
  private simNs = 0;
  private spikes0 = 0;
  private spikes1 = 0;

  constructor(
    private readonly k: Kernels,
    readonly cfg: PairConfig,
    private readonly hooks: RunHooks<PairEpoch> = {},
  ) {
    const T = cfg.stepsPerEpoch,
      n = 2;
    const amplitudes = { causal: new Float32Array(n * n).fill(cfg.stdp.aCausal), anti: new Float32Array(n * n).fill(cfg.stdp.aAnti) };
    const rule = stdpRule(cfg.stdp.shape, cfg.stdp.tau, amplitudes, {
      length: cfg.stdp.length > 0 ? cfg.stdp.length : T,
      pairing: cfg.stdp.pairing,
      lastN: cfg.stdp.lastN,
    });
    this.mark = k.mark();
    this.net = k.samplingCreate(samplingNetSpec({ n, tRef: cfg.tRef, tauSyn: cfg.tauSyn, stdp: [rule] }), subSeed(cfg.seed, "pair.sim"));
    this.W01 = new Float64Array(cfg.epochs + 1);
    this.W10 = new Float64Array(cfg.epochs + 1);
    this.W01[0] = cfg.W[0][1];
    this.W10[0] = cfg.W[1][0];
    // dW = lr S t_ref / T, the rate and the normalisation folded into one factor
    this.rate = (cfg.lr * cfg.tRef) / T;
  }

  get done(): boolean {
    return this.epoch >= this.cfg.epochs;
  }

  /** Runs the next `epochs` epochs (all that are left by default). */
  advance(epochs = Infinity): this {
    const { k, cfg, net, hooks } = this;
    const end = Math.min(cfg.epochs, this.epoch + epochs);
    for (let e = this.epoch; e < end; e++) {
      let w01 = this.W01[e],
        w10 = this.W10[e];
      this.simNs += runSleep(k, net, [cfg.W[0][0], w01, w10, cfg.W[1][1]], cfg.b, cfg.stepsPerEpoch);
      const S = net.stdpSum[0].view;
      this.spikes0 += net.spikeCount.view[0];
      this.spikes1 += net.spikeCount.view[1];
      if (cfg.freeze !== "01") w01 = salWeightStep(w01, S[1], this.rate);
      if (cfg.freeze !== "10") w10 = salWeightStep(w10, S[2], this.rate);
      this.W01[e + 1] = w01;
      this.W10[e + 1] = w10;
      this.epoch = e + 1;
      hooks.onMetrics?.({ epoch: e + 1, W01: w01, W10: w10 });
      hooks.onProgress?.(e + 1, cfg.epochs);
    }
    return this;
  }

  /** The run so far (the curves up to the current epoch). */
  result(): PairResult {
    const E = this.epoch;
    const steps = E * this.cfg.stepsPerEpoch;
    return {
      W01: this.W01.slice(0, E + 1),
      W10: this.W10.slice(0, E + 1),
      rate: [this.spikes0 / Math.max(1, E), this.spikes1 / Math.max(1, E)],
      steps,
      nsPerStep: this.simNs / Math.max(1, steps),
    };
  }

  /** Frees the network's backend memory. */
  dispose(): void {
    this.k.release(this.mark);
  }
}

/** Runs the pair experiment on backend `k` to its last epoch. */
export function runPair(k: Kernels, cfg: PairConfig, hooks: RunHooks<PairEpoch> = {}): PairResult {
  return runToEnd(new PairSession(k, cfg, hooks));
}
