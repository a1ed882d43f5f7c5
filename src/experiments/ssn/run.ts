// The SSN learning loop (docs/models/sampling-network.md#wake-sleep-learning):
// every epoch is a fresh sleep run of the sampling network with the current
// weights (one kernel call); its spike counts and STDP sums give the Hebbian
// (Boltzmann) gradient against the exact target statistics, plus the SAL term;
// the weights are clipped. Validation epochs run valFactor times longer and
// record DKL, ASYM, W, b and the sampled distribution.
import type { Kernels } from "../../backend/index.js";
import type { SamplingNet } from "../../backend/sampling.js";
import { runSleep, samplingNetSpec, stdpRule } from "../../models/samplingNet.js";
import { subSeed } from "../../rng/seeds.js";
import type { SsnConfig } from "./config.js";
import { asym, buildProblem, dkl, type Problem } from "./problem.js";
import { type RunHooks, runToEnd } from "../types.js";
import { boltzmannBiasStep, boltzmannWeightStep, clip, sleepCoactivation, sleepMarginal } from "../../learning/boltzmann.js";
import { salWeightStep } from "../../learning/sal.js";

/** Largest dim with an exact state histogram and DKL (2^20 states). */
export const MAX_EXACT_DIM = 20;

export interface SsnMetrics {
  epoch: number;
  /** Simulated steps so far, this epoch included. */
  steps: number;
  /** DKL(p* || q) of this epoch's sampled distribution, or null when DKL is off. */
  dkl: number | null;
  asym: number;
  W: number[][];
  b: number[];
  /** Marginals p(z_k = 1) sampled in this epoch (spike rate x tRef). */
  marginals: number[];
  /** Mean |p(z_k = 1) - m*_k| over neurons (sampled vs target marginals). */
  marginalErr: number;
  /** Mean |E[z_k z_j] - C*_kj| over ordered pairs k != j (sampled from the ws STDP overlap vs target). */
  corrErr: number;
  /** The sampled pairwise coactivations E[z_k z_j] (diagonal 0); only when DKL is off (large dim), in its place. */
  coactivation?: number[][];
  /** The sampled distribution q over 2^dim states (dim <= 8 only, to keep metrics.jsonl small). */
  q?: number[];
  /** Without DKL (dim > 20): pairwise correlations of the binary states, from the symmetric STDP overlap. */
  correlations?: number[][];
}

/** Everything needed to continue a run: a checkpoint. */
export interface SsnState {
  /** Next epoch to run. */
  epoch: number;
  W: number[];
  b: number[];
  /** The kernel's random-stream words. */
  rng: number[];
  steps: number;
  /** Nanoseconds spent inside the simulation kernel so far. */
  simNs: number;
  metrics: SsnMetrics[];
}

/** The hooks of an SSN run: progress per epoch, metrics per validation epoch, checkpoints every `checkpointEvery` epochs. */
export type SsnHooks = RunHooks<SsnMetrics, SsnState>;

export interface SsnResult {
  state: SsnState;
  /** The learning problem (target, initial weights, amplitudes, target statistics). */
  problem: Problem;
  /** The last validation epoch's sampled distribution (null without DKL). */
  q: Float64Array | null;
  dklOn: boolean;
}

function toRows(W: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, k) => Array.from(W.subarray(k * n, k * n + n)));
}

/** Creates the network of a config on backend `k` (ws rule, and the SAL rule when SAL is on). */
export function createSsnNet(k: Kernels, cfg: SsnConfig, prob: Problem, dklOn: boolean): SamplingNet {
  const stdp = [stdpRule("triangular", cfg.tRef, prob.ws)];
  if (cfg.sal) stdp.push(stdpRule("triangular", cfg.tRef, prob.sal));
  const sampleEvery = dklOn ? Math.max(1, Math.floor(cfg.tRef / 2)) : 0;
  return k.samplingCreate(
    samplingNetSpec({ n: cfg.dim, tRef: cfg.tRef, tauSyn: cfg.tauSyn, stdp, sampleEvery }),
    subSeed(cfg.seeds.sim, "ssn-sim"),
  );
}

/**
 * Target statistics for dims too large to enumerate: estimated by the sampling network itself at
 * the target weights (unit ws amplitudes; coactivation from the triangular STDP overlap).
 */
export function sampledTargetStats(k: Kernels, cfg: SsnConfig, prob: Problem, steps: number): { m: Float64Array; C: Float64Array } {
  const n = cfg.dim;
  const unit = { causal: new Float32Array(n * n).fill(1), anti: new Float32Array(n * n).fill(1) };
  const mark = k.mark();
  const net = k.samplingCreate(
    samplingNetSpec({ n, tRef: cfg.tRef, tauSyn: cfg.tauSyn, stdp: [stdpRule("triangular", cfg.tRef, unit)] }),
    subSeed(cfg.seeds.distr, "ssn-target-sampling"),
  );
  runSleep(k, net, prob.targetW, prob.targetB, steps);
  const m = Float64Array.from(net.spikeCount.view.subarray(0, n), (c) => (c / steps) * cfg.tRef);
  const C = Float64Array.from(net.stdpSum[0].view.subarray(0, n * n), (s) => (s * cfg.tRef) / steps);
  for (let i = 0; i < n; i++) C[i * n + i] = 0;
  k.release(mark);
  return { m, C };
}

/**
 * Pearson correlations of the binary states z_k, z_j from the marginals and the coactivation
 * estimate S_ws * t_ref / T (exact for unit ws amplitudes; approximate under amplitude noise).
 */
function correlations(Sws: Float64Array, m: Float64Array, scale: number, n: number): number[][] {
  return Array.from({ length: n }, (_, k) =>
    Array.from({ length: n }, (_, j) => {
      if (k === j) return 1;
      const v = m[k] * (1 - m[k]) * m[j] * (1 - m[j]);
      return v > 0 ? (Sws[k * n + j] * scale - m[k] * m[j]) / Math.sqrt(v) : 0;
    }),
  );
}

/**
 * A run of config `cfg` on backend `k` that advances a chunk of epochs at a time (a page or a
 * worker drives it without blocking; `runSsn` runs it to the end). Epoch e is a validation epoch
 * when e is a multiple of valStep and at the last epoch, so the final metrics are those of the
 * final weights. Continues from `resume` (a checkpoint) if given.
 */
export class SsnSession {
  readonly problem: Problem;
  readonly dklOn: boolean;
  readonly state: SsnState;
  private readonly net: SamplingNet;
  private readonly W: Float64Array;
  private readonly b: Float64Array;
  private readonly m: Float64Array;
  private readonly C: Float64Array;
  private q: Float64Array | null = null;
  private lastInfo = "";
  private readonly mark: number;

  constructor(
    private readonly k: Kernels,
    readonly cfg: SsnConfig,
    private readonly hooks: SsnHooks = {},
    resume?: SsnState,
  ) {
    this.mark = k.mark();
    const n = cfg.dim;
    const prob = (this.problem = buildProblem(cfg, n <= MAX_EXACT_DIM));
    this.dklOn = cfg.dkl === "on" || (cfg.dkl === "auto" && n <= MAX_EXACT_DIM);
    let m = prob.marginals,
      C = prob.coactivation;
    if (!m || !C) ({ m, C } = sampledTargetStats(k, cfg, prob, cfg.dur * cfg.tRef * cfg.valFactor));
    this.m = m;
    this.C = C;
    this.net = createSsnNet(k, cfg, prob, this.dklOn);
    this.W = Float64Array.from(resume?.W ?? prob.initW);
    this.b = Float64Array.from(resume?.b ?? prob.initB);
    if (resume) this.net.rng.view.set(resume.rng);
    this.state = resume
      ? { ...resume, metrics: [...resume.metrics] }
      : { epoch: 0, W: [], b: [], rng: [], steps: 0, simNs: 0, metrics: [] };
  }

  /** All epochs done. */
  get done(): boolean {
    return this.state.epoch >= this.cfg.epochs;
  }

  /** Runs the next `epochs` epochs (all that are left by default). */
  advance(epochs = Infinity): this {
    const { k, cfg, net, W, b, m, C, state, hooks, problem: prob, dklOn } = this;
    const n = cfg.dim;
    const T = cfg.dur * cfg.tRef;
    const end = Math.min(cfg.epochs, state.epoch + epochs);
    for (let e = state.epoch; e < end; e++) {
      const val = e % cfg.valStep === 0 || e === cfg.epochs - 1;
      const steps = val ? T * cfg.valFactor : T;
      state.simNs += runSleep(k, net, W, b, steps);
      state.steps += steps;
      const scale = cfg.tRef / steps;
      const counts = net.spikeCount.view;
      const rate = Float64Array.from({ length: n }, (_, i) => sleepMarginal(counts[i], cfg.tRef, steps));
      if (val) {
        let d: number | null = null;
        if (dklOn) {
          const h = net.hist!.view;
          let total = 0;
          for (let s = 0; s < h.length; s++) total += h[s];
          this.q = Float64Array.from(h, (c) => c / total);
          d = prob.p ? dkl(prob.p, this.q) : null;
        }
        const Sv = net.stdpSum[0].view;
        const coact = new Float64Array(n * n);
        let mErr = 0,
          cErr = 0;
        for (let i = 0; i < n; i++) {
          mErr += Math.abs(rate[i] - m[i]);
          for (let j = 0; j < n; j++)
            if (i !== j) cErr += Math.abs((coact[i * n + j] = sleepCoactivation(Sv[i * n + j], scale)) - C[i * n + j]);
        }
        const rec: SsnMetrics = {
          epoch: e,
          steps: state.steps,
          dkl: d,
          asym: asym(W, n),
          W: toRows(W, n),
          b: Array.from(b),
          marginals: Array.from(rate),
          marginalErr: mErr / n,
          corrErr: n > 1 ? cErr / (n * (n - 1)) : 0,
        };
        if (!dklOn) rec.coactivation = toRows(coact, n);
        if (this.q && n <= 8) rec.q = Array.from(this.q);
        if (!dklOn) rec.correlations = correlations(net.stdpSum[0].view, rate, scale, n);
        state.metrics.push(rec);
        hooks.onMetrics?.(rec);
        this.lastInfo = d === null ? `asym ${rec.asym.toFixed(4)}` : `dkl ${d.toFixed(4)} asym ${rec.asym.toFixed(4)}`;
      }
      // the Hebbian (Boltzmann) step, plus the SAL step on the same spikes, then clipping
      const Sws = net.stdpSum[0].view;
      const Ssal = cfg.sal ? net.stdpSum[1].view : null;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (i === j) continue;
          const ij = i * n + j;
          let w = boltzmannWeightStep(W[ij], C[ij], Sws[ij], scale, cfg.lr.weight);
          if (Ssal) w = salWeightStep(w, Ssal[ij], cfg.salRate, scale);
          W[ij] = clip(w, cfg.maxW);
        }
        b[i] = clip(boltzmannBiasStep(b[i], m[i], rate[i], cfg.lr.bias), cfg.maxB);
      }
      state.epoch = e + 1;
      hooks.onProgress?.(state.epoch, cfg.epochs, this.lastInfo);
      if (cfg.checkpointEvery > 0 && state.epoch % cfg.checkpointEvery === 0 && state.epoch < cfg.epochs && hooks.onCheckpoint) {
        this.snapshot();
        hooks.onCheckpoint(state);
      }
    }
    return this;
  }

  /** The weights, biases and random streams into `state` (a checkpoint). */
  private snapshot(): void {
    this.state.W = Array.from(this.W);
    this.state.b = Array.from(this.b);
    this.state.rng = Array.from(this.net.rng.view);
  }

  /** The run so far: state (a checkpoint), the problem, the last sampled distribution. */
  result(): SsnResult {
    this.snapshot();
    return { state: this.state, problem: this.problem, q: this.q, dklOn: this.dklOn };
  }

  /** Frees the network's backend memory; the session cannot advance afterwards. */
  dispose(): void {
    this.k.release(this.mark);
  }
}

/** Runs (or continues, from `resume`) the learning of config `cfg` on backend `k` to its last epoch. */
export function runSsn(k: Kernels, cfg: SsnConfig, hooks: SsnHooks = {}, resume?: SsnState): SsnResult {
  return runToEnd(new SsnSession(k, cfg, hooks, resume));
}
