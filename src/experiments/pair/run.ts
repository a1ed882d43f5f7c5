// The SAL principle on two neurons (arXiv:2503.02642, Fig. 2d; spec/ssn.md
// section 5): two coupled sampling neurons with asymmetric weights learn
// with the anti-symmetric SAL window only. Each epoch is a fresh run of
// `stepsPerEpoch` steps with the current weights; the SAL sums S of that run
// (exponential window, causal -1 / anti-causal +1, tau = t_ref, pairing with
// the partner's last 10 spikes) update W += lr * S * t_ref / T. Both weights
// plastic: they meet at their common mean; with one frozen, the other moves
// to it.
import type { Kernels } from "../../backend/index.js";
import { salWeightStep } from "../../learning/sal.js";
import { runSleep, samplingNetSpec, stdpRule } from "../../models/samplingNet.js";
import { subSeed } from "../../rng/seeds.js";
import type { RunHooks } from "../types.js";
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
 * Runs the pair experiment on backend `k`. Weights are kept in f64 here and handed to the kernel as
 * f32 at the start of every epoch; each epoch's SAL sums move the plastic ones (`salWeightStep`).
 */
export function runPair(k: Kernels, cfg: PairConfig, hooks: RunHooks<PairEpoch> = {}): PairResult {
  const T = cfg.stepsPerEpoch;
  const n = 2;
  const amplitudes = { causal: new Float32Array(n * n).fill(cfg.stdp.aCausal), anti: new Float32Array(n * n).fill(cfg.stdp.aAnti) };
  const rule = stdpRule(cfg.stdp.shape, cfg.stdp.tau, amplitudes, {
    length: cfg.stdp.length > 0 ? cfg.stdp.length : T, pairing: cfg.stdp.pairing, lastN: cfg.stdp.lastN,
  });
  const mark = k.mark();
  try {
    const net = k.samplingCreate(samplingNetSpec({ n, tRef: cfg.tRef, tauSyn: cfg.tauSyn, stdp: [rule] }), subSeed(cfg.seed, "pair.sim"));
    let w01 = cfg.W[0][1], w10 = cfg.W[1][0];
    const W01 = new Float64Array(cfg.epochs + 1), W10 = new Float64Array(cfg.epochs + 1);
    W01[0] = w01;
    W10[0] = w10;
    // dW = lr S t_ref / T, the rate and the normalisation folded into one factor
    const rate = (cfg.lr * cfg.tRef) / T;
    let simNs = 0, spikes0 = 0, spikes1 = 0;
    for (let e = 0; e < cfg.epochs; e++) {
      simNs += runSleep(k, net, [cfg.W[0][0], w01, w10, cfg.W[1][1]], cfg.b, T);
      const S = net.stdpSum[0].view;
      spikes0 += net.spikeCount.view[0];
      spikes1 += net.spikeCount.view[1];
      if (cfg.freeze !== "01") w01 = salWeightStep(w01, S[1], rate);
      if (cfg.freeze !== "10") w10 = salWeightStep(w10, S[2], rate);
      W01[e + 1] = w01;
      W10[e + 1] = w10;
      hooks.onMetrics?.({ epoch: e + 1, W01: w01, W10: w10 });
      hooks.onProgress?.(e + 1, cfg.epochs);
    }
    const steps = cfg.epochs * T;
    return { W01, W10, rate: [spikes0 / cfg.epochs, spikes1 / cfg.epochs], steps, nsPerStep: simNs / steps };
  } finally {
    k.release(mark);
  }
}
