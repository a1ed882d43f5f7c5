// The inference comparison (spec/deepnets.md section 7): for one fixed random
// W (n x n, out x in) and one random initial B, SAL (a two-population SAL
// network), RDD (two LIF populations, the lower one driven) and STDWI (the
// authors' LIF toy) each learn B from spiking activity; the alignment of B
// with W is recorded over simulated time.
import type { Kernels } from "../../backend/index.js";
import { SalNet } from "../../models/salNet.js";
import { RddNet } from "../../models/rddNet.js";
import { StdwiNet } from "../../models/stdwiNet.js";
import { angleDeg, corrcoef } from "../../metrics/alignment.js";
import { subSeed, tsRandom } from "../../rng/seeds.js";
import type { InferConfig, InferMethod } from "./config.js";
import type { RunHooks } from "../types.js";

export interface CurvePoint {
  method: InferMethod;
  /** simulated seconds */
  time: number;
  angleDeg: number;
  corrcoef: number;
}

export interface MethodResult {
  method: InferMethod;
  /** final estimate, W's layout (out x in) */
  B: Float32Array;
  curve: CurvePoint[];
  steps: number;
  /** wall seconds of the method */
  seconds: number;
  /** mean firing rate (Hz) of the input and output populations */
  rates: { input: number; output: number };
}

export interface InferResult {
  W: Float32Array;
  B0: Float32Array;
  methods: MethodResult[];
  seconds: number;
}

/** Hooks of an infer run: curve points as metrics, progress in simulated seconds over all methods. */
type InferHooks = RunHooks<CurvePoint>;

/** Hooks of one method: its curve points and its own progress (simulated seconds). */
interface MethodHooks {
  point(p: CurvePoint): void;
  progress(method: InferMethod, time: number): void;
}

/** The toy's W and initial B: both U(+-sqrt(3/n)), n x n (the notebook's Kaiming-uniform draw). */
export function inferWeights(n: number, seed: number): { W: Float32Array; B0: Float32Array } {
  const r = tsRandom(seed, "infer-weights"), bound = Math.sqrt(3 / n);
  const W = Float32Array.from({ length: n * n }, () => r.range(-bound, bound));
  const B0 = Float32Array.from({ length: n * n }, () => r.range(-bound, bound));
  return { W, B0 };
}

const point = (method: InferMethod, time: number, B: ArrayLike<number>, W: ArrayLike<number>): CurvePoint => ({ method, time, angleDeg: angleDeg(B, W), corrcoef: corrcoef(B, W) });

function runSal(k: Kernels, cfg: InferConfig, W: Float32Array, B0: Float32Array, hooks: MethodHooks): MethodResult {
  const s = cfg.sal, n = cfg.n;
  const net = new SalNet(k, { layers: [n, n], batch: s.batch, tRef: s.tRef, windowLength: s.bufferLength * s.tRef }, subSeed(cfg.seed, "infer-sal-sim"));
  // the authors' SALNetBase draws both biases U(+-1/sqrt(n)); W and B are then replaced by the toy's
  const r = tsRandom(cfg.seed, "infer-sal-bias"), bb = 1 / Math.sqrt(n);
  net.setInputBias(Array.from({ length: n }, () => r.range(-bb, bb)));
  net.setLayers([{ W, B: B0, b: Array.from({ length: n }, () => r.range(-bb, bb)) }]);
  const secondsPerUpdate = (s.stepsPerUpdate * s.batch * s.stepMs) / 1000;
  const updates = Math.max(1, Math.round(cfg.seconds / secondsPerUpdate));
  const curve: CurvePoint[] = [], add = (p: CurvePoint) => { curve.push(p); hooks.point(p); };
  add(point("sal", 0, B0, W));
  const t0 = performance.now();
  for (let u = 1; u <= updates; u++) {
    net.run(s.stepsPerUpdate);
    net.update(s.salLr);
    add(point("sal", u * secondsPerUpdate, net.feedback(0), W));
    hooks.progress("sal", u * secondsPerUpdate);
  }
  const seconds = (performance.now() - t0) / 1000, steps = updates * s.stepsPerUpdate;
  const sp = net.spikeCounts(), simS = (steps * s.batch * s.stepMs) / 1000;
  return { method: "sal", B: net.feedback(0), curve, steps, seconds, rates: { input: sp[0] / n / simS, output: sp[1] / n / simS } };
}

function runRdd(k: Kernels, cfg: InferConfig, W: Float32Array, B0: Float32Array, hooks: MethodHooks): MethodResult {
  const n = cfg.n;
  const net = new RddNet(k, [n, n], { updateEvery: cfg.rdd.updateEvery }, subSeed(cfg.seed, "infer-rdd-sim"));
  net.setForward(0, W);
  net.setFeedbackFc(0, B0);
  net.resetPhase();
  net.drive(0);
  const steps = Math.round(cfg.seconds / net.c.dt), every = cfg.rdd.updateEvery;
  const curve: CurvePoint[] = [], add = (p: CurvePoint) => { curve.push(p); hooks.point(p); };
  add(point("rdd", 0, B0, W));
  const t0 = performance.now();
  const s0 = net.spikeTotals();
  for (let i = 0; i < steps;) {
    const end = Math.min(steps, (Math.floor(i / every) + 1) * every);
    net.run(end - i);
    i = end;
    if (i % every === 0) {
      net.updateFeedback();
      add(point("rdd", i * net.c.dt, net.feedbackFc(0), W));
    }
    hooks.progress("rdd", i * net.c.dt);
  }
  const seconds = (performance.now() - t0) / 1000, simS = steps * net.c.dt, s1 = net.spikeTotals();
  return { method: "rdd", B: net.feedbackFc(0), curve, steps, seconds, rates: { input: (s1[0] - s0[0]) / n / simS, output: (s1[1] - s0[1]) / n / simS } };
}

function runStdwi(k: Kernels, cfg: InferConfig, W: Float32Array, B0: Float32Array, hooks: MethodHooks): MethodResult {
  const n = cfg.n;
  const net = new StdwiNet(k, n, n, { eta: cfg.stdwi.eta, decay: cfg.stdwi.decay, seconds: cfg.seconds }, subSeed(cfg.seed, "infer-stdwi-sim"));
  net.setForward(W);
  net.setFeedback(B0);
  const perSecond = Math.round(1000 / net.c.dt), total = Math.round(cfg.seconds * perSecond);
  const curve: CurvePoint[] = [], add = (p: CurvePoint) => { curve.push(p); hooks.point(p); };
  add(point("stdwi", 0, B0, W));
  const t0 = performance.now();
  for (let i = 0; i < total;) {
    const end = Math.min(total, i + perSecond);
    net.run(end - i);
    i = end;
    add(point("stdwi", i / perSecond, net.feedback(), W));
    hooks.progress("stdwi", i / perSecond);
  }
  const seconds = (performance.now() - t0) / 1000, sc = net.spikeCounts(), simS = total / perSecond;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return { method: "stdwi", B: net.feedback(), curve, steps: total, seconds, rates: { input: sum(sc.input) / n / simS, output: sum(sc.output) / n / simS } };
}

/** Simulated seconds of all methods of a run (the unit of its progress). */
export function inferTotal(cfg: InferConfig): number {
  return (cfg.method === "all" ? 3 : 1) * cfg.seconds;
}

/** The run: every curve point through `hooks.onMetrics`, progress in simulated seconds over all methods. */
export function runInfer(k: Kernels, cfg: InferConfig, hooks: InferHooks = {}): InferResult {
  const { W, B0 } = inferWeights(cfg.n, cfg.seed);
  const methods: InferMethod[] = cfg.method === "all" ? ["sal", "rdd", "stdwi"] : [cfg.method];
  const t0 = performance.now();
  const out: MethodResult[] = [];
  const total = inferTotal(cfg);
  const mh = (index: number): MethodHooks => ({
    point: (p) => hooks.onMetrics?.(p),
    progress: (m, time) => hooks.onProgress?.(index * cfg.seconds + time, total, m),
  });
  for (const [index, m] of methods.entries()) {
    const mark = k.mark();
    try {
      const h = mh(index);
      out.push(m === "sal" ? runSal(k, cfg, W, B0, h) : m === "rdd" ? runRdd(k, cfg, W, B0, h) : runStdwi(k, cfg, W, B0, h));
    } finally {
      k.release(mark);
    }
  }
  return { W, B0, methods: out, seconds: (performance.now() - t0) / 1000 };
}
