// The SAL principle on two neurons (arXiv:2503.02642, Fig. 2d; spec/ssn.md
// section 5): two coupled sampling neurons with asymmetric weights learn
// with the anti-symmetric SAL window only. Each epoch is a fresh run of
// `stepsPerEpoch` steps with the current weights; the SAL sums S of that run
// (exponential window, causal -1 / anti-causal +1, tau = t_ref, pairing with
// the partner's last 10 spikes) update W += lr * S * t_ref / T. Both weights
// plastic: they meet at their common mean; with one frozen, the other moves
// to it.
import { z } from "zod";
import type { Kernels } from "../backend/index.js";
import type { StdpRuleSpec } from "../backend/sampling.js";
import { subSeed } from "../rng/seeds.js";

const finite = z.number().finite();

export const pairConfigSchema = z.strictObject({
  preset: z.string(),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  /** Initial weights W[post][pre]; W[0][1] is the synapse from neuron 1 to neuron 0. */
  W: z.tuple([z.tuple([finite, finite]), z.tuple([finite, finite])]),
  b: z.tuple([finite, finite]),
  tRef: z.number().int().min(1).max(10_000),
  tauSyn: z.number().int().min(1).max(10_000),
  epochs: z.number().int().min(1).max(10_000_000),
  stepsPerEpoch: z.number().int().min(1).max(100_000_000),
  lr: finite,
  stdp: z.strictObject({
    shape: z.enum(["exponential", "triangular"]),
    tau: z.number().finite().positive(),
    aCausal: finite,
    aAnti: finite,
    pairing: z.enum(["nearest", "lastN", "all"]),
    lastN: z.number().int().min(1).max(1000),
    /** Kernel cut-off in steps; 0 = none (the whole epoch). */
    length: z.number().int().min(0),
  }),
  /** Which weight keeps its initial value: "01" = W[0][1], "10" = W[1][0], "none". */
  freeze: z.enum(["none", "01", "10"]),
});
export type PairConfig = z.output<typeof pairConfigSchema>;

const FIG2D: Omit<PairConfig, "preset"> = {
  seed: 45,
  W: [[0, 1.5], [0.5, 0]],
  b: [-0.5, -0.2],
  tRef: 25,
  tauSyn: 25,
  epochs: 1500,
  stepsPerEpoch: 1500,
  lr: 0.03,
  stdp: { shape: "exponential", tau: 25, aCausal: -1, aAnti: 1, pairing: "lastN", lastN: 10, length: 0 },
  freeze: "none",
};

export const PAIR_PRESETS: Record<string, Omit<PairConfig, "preset">> = {
  fig2d: FIG2D,
  /** Fig. 2d's second run: W[0][1] frozen, W[1][0] climbs to it. */
  "fig2d-frozen": { ...FIG2D, freeze: "01" },
  /** A short run for checks (300 epochs). */
  quick: { ...FIG2D, epochs: 300 },
};

export interface PairResult {
  /** W01 and W10 before epoch 0 and after every epoch (epochs + 1 values). */
  W01: Float64Array;
  W10: Float64Array;
  /** Mean spikes per epoch of neuron 0 and 1. */
  rate: [number, number];
  steps: number;
  nsPerStep: number;
}

/**
 * Runs the pair experiment on backend `k`. `onEpoch(e)` is called after each epoch (progress).
 * Weights are kept in f64 here and handed to the kernel as f32 at the start of every epoch.
 */
export function runPair(k: Kernels, cfg: PairConfig, onEpoch?: (epoch: number) => void): PairResult {
  const T = cfg.stepsPerEpoch;
  const n = 2;
  const length = cfg.stdp.length > 0 ? cfg.stdp.length : T;
  const rule: StdpRuleSpec = {
    shape: cfg.stdp.shape,
    tau: cfg.stdp.tau,
    length,
    pairing: cfg.stdp.pairing,
    lastN: cfg.stdp.lastN,
    countZero: false,
    aCausal: new Float32Array(n * n).fill(cfg.stdp.aCausal),
    aAnti: new Float32Array(n * n).fill(cfg.stdp.aAnti),
  };
  const mark = k.mark();
  try {
    const net = k.samplingCreate(
      { n, tRef: cfg.tRef, pspLength: cfg.tauSyn - 1, minIsi: cfg.tRef + 1, stdp: [rule], sampleEvery: 0, onLength: cfg.tRef, recordCapacity: 0 },
      subSeed(cfg.seed, "pair.sim"),
    );
    net.b.view.set(cfg.b);
    let w01 = cfg.W[0][1], w10 = cfg.W[1][0];
    const W01 = new Float64Array(cfg.epochs + 1), W10 = new Float64Array(cfg.epochs + 1);
    W01[0] = w01;
    W10[0] = w10;
    const scale = (cfg.lr * cfg.tRef) / T;
    let simMs = 0, spikes0 = 0, spikes1 = 0;
    for (let e = 0; e < cfg.epochs; e++) {
      const W = net.W.view;
      W[0] = cfg.W[0][0];
      W[1] = w01;
      W[2] = w10;
      W[3] = cfg.W[1][1];
      const t0 = performance.now();
      k.samplingRestart(net);
      k.samplingRun(net, T);
      simMs += performance.now() - t0;
      const S = net.stdpSum[0].view;
      spikes0 += net.spikeCount.view[0];
      spikes1 += net.spikeCount.view[1];
      if (cfg.freeze !== "01") w01 += scale * S[1];
      if (cfg.freeze !== "10") w10 += scale * S[2];
      k.samplingClear(net);
      W01[e + 1] = w01;
      W10[e + 1] = w10;
      onEpoch?.(e + 1);
    }
    const steps = cfg.epochs * T;
    return { W01, W10, rate: [spikes0 / cfg.epochs, spikes1 / cfg.epochs], steps, nsPerStep: (simMs * 1e6) / steps };
  } finally {
    k.release(mark);
  }
}
