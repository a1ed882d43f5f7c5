// The inference comparison
// (docs/models/spiking-feedback.md#the-inference-comparison-infer): for one
// fixed random W (n x n, out x in) and one random initial B, SAL (a
// two-population SAL network), RDD (two LIF populations, the lower one driven)
// and STDWI (the authors' LIF toy) each learn B from spiking activity; the
// alignment of B with W is recorded over simulated time.
import type { Kernels } from "../../backend/index.js";
import { SalNet } from "../../models/salNet.js";
import { RddNet } from "../../models/rddNet.js";
import { StdwiNet } from "../../models/stdwiNet.js";
import { angleDeg, corrcoef } from "../../metrics/alignment.js";
import { subSeed, tsRandom } from "../../rng/seeds.js";
import type { InferConfig, InferMethod } from "./config.js";
import { type RunHooks, runToEnd } from "../types.js";

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

/**
 * One method's run, a natural chunk at a time: SAL one B update, RDD one update window, STDWI one
 * simulated second. `step` adds the chunk's curve point (if it ends at one) through `add`.
 */
interface MethodRun {
  readonly method: InferMethod;
  /** Simulated seconds done. */
  readonly time: number;
  /** Steps done. */
  readonly steps: number;
  readonly done: boolean;
  step(): void;
  result(): MethodResult;
}

type AddPoint = (p: CurvePoint) => void;

/** The toy's W and initial B: both U(+-sqrt(3/n)), n x n (the notebook's Kaiming-uniform draw). */
export function inferWeights(n: number, seed: number): { W: Float32Array; B0: Float32Array } {
  const r = tsRandom(seed, "infer-weights"),
    bound = Math.sqrt(3 / n);
  const W = Float32Array.from({ length: n * n }, () => r.range(-bound, bound));
  const B0 = Float32Array.from({ length: n * n }, () => r.range(-bound, bound));
  return { W, B0 };
}

const point = (method: InferMethod, time: number, B: ArrayLike<number>, W: ArrayLike<number>): CurvePoint => ({
  method,
  time,
  angleDeg: angleDeg(B, W),
  corrcoef: corrcoef(B, W),
});

/** Records a method's curve and wall time; `chunk` runs one natural chunk. */
function methodRun(
  method: InferMethod,
  add: AddPoint,
  m: {
    time: () => number;
    steps: () => number;
    done: () => boolean;
    chunk: (add: AddPoint) => void;
    finish: (curve: CurvePoint[], seconds: number) => MethodResult;
  },
  first: CurvePoint,
): MethodRun {
  const curve: CurvePoint[] = [];
  const push = (p: CurvePoint) => {
    curve.push(p);
    add(p);
  };
  let seconds = 0;
  push(first);
  return {
    method,
    get time() {
      return m.time();
    },
    get steps() {
      return m.steps();
    },
    get done() {
      return m.done();
    },
    step() {
      const t0 = performance.now();
      m.chunk(push);
      seconds += (performance.now() - t0) / 1000;
    },
    result: () => m.finish([...curve], seconds),
  };
}

function salRun(k: Kernels, cfg: InferConfig, W: Float32Array, B0: Float32Array, add: AddPoint): MethodRun {
  const s = cfg.sal,
    n = cfg.n;
  const net = new SalNet(
    k,
    { layers: [n, n], batch: s.batch, tRef: s.tRef, windowLength: s.bufferLength * s.tRef },
    subSeed(cfg.seed, "infer-sal-sim"),
  );
  // the authors' SALNetBase draws both biases U(+-1/sqrt(n)); W and B are then replaced by the toy's
  const r = tsRandom(cfg.seed, "infer-sal-bias"),
    bb = 1 / Math.sqrt(n);
  net.setInputBias(Array.from({ length: n }, () => r.range(-bb, bb)));
  net.setLayers([{ W, B: B0, b: Array.from({ length: n }, () => r.range(-bb, bb)) }]);
  const secondsPerUpdate = (s.stepsPerUpdate * s.batch * s.stepMs) / 1000;
  const updates = Math.max(1, Math.round(cfg.seconds / secondsPerUpdate));
  let u = 0;
  return methodRun(
    "sal",
    add,
    {
      time: () => u * secondsPerUpdate,
      steps: () => u * s.stepsPerUpdate,
      done: () => u >= updates,
      chunk: (push) => {
        net.run(s.stepsPerUpdate);
        net.update(s.salLr);
        u++;
        push(point("sal", u * secondsPerUpdate, net.feedback(0), W));
      },
      finish: (curve, seconds) => {
        const steps = u * s.stepsPerUpdate,
          sp = net.spikeCounts(),
          simS = (steps * s.batch * s.stepMs) / 1000;
        return { method: "sal", B: net.feedback(0), curve, steps, seconds, rates: { input: sp[0] / n / simS, output: sp[1] / n / simS } };
      },
    },
    point("sal", 0, B0, W),
  );
}

function rddRun(k: Kernels, cfg: InferConfig, W: Float32Array, B0: Float32Array, add: AddPoint): MethodRun {
  const n = cfg.n;
  const net = new RddNet(k, [n, n], { updateEvery: cfg.rdd.updateEvery }, subSeed(cfg.seed, "infer-rdd-sim"));
  net.setForward(0, W);
  net.setFeedbackFc(0, B0);
  net.resetPhase();
  net.drive(0);
  const steps = Math.round(cfg.seconds / net.c.dt),
    every = cfg.rdd.updateEvery;
  const s0 = net.spikeTotals();
  let i = 0;
  return methodRun(
    "rdd",
    add,
    {
      time: () => i * net.c.dt,
      steps: () => i,
      done: () => i >= steps,
      chunk: (push) => {
        const end = Math.min(steps, (Math.floor(i / every) + 1) * every);
        net.run(end - i);
        i = end;
        if (i % every === 0) {
          net.updateFeedback();
          push(point("rdd", i * net.c.dt, net.feedbackFc(0), W));
        }
      },
      finish: (curve, seconds) => {
        const simS = i * net.c.dt,
          s1 = net.spikeTotals();
        return {
          method: "rdd",
          B: net.feedbackFc(0),
          curve,
          steps: i,
          seconds,
          rates: { input: (s1[0] - s0[0]) / n / simS, output: (s1[1] - s0[1]) / n / simS },
        };
      },
    },
    point("rdd", 0, B0, W),
  );
}

function stdwiRun(k: Kernels, cfg: InferConfig, W: Float32Array, B0: Float32Array, add: AddPoint): MethodRun {
  const n = cfg.n;
  const net = new StdwiNet(
    k,
    n,
    n,
    { eta: cfg.stdwi.eta, decay: cfg.stdwi.decay, seconds: cfg.seconds },
    subSeed(cfg.seed, "infer-stdwi-sim"),
  );
  net.setForward(W);
  net.setFeedback(B0);
  const perSecond = Math.round(1000 / net.c.dt),
    total = Math.round(cfg.seconds * perSecond);
  let i = 0;
  return methodRun(
    "stdwi",
    add,
    {
      time: () => i / perSecond,
      steps: () => i,
      done: () => i >= total,
      chunk: (push) => {
        const end = Math.min(total, i + perSecond);
        net.run(end - i);
        i = end;
        push(point("stdwi", i / perSecond, net.feedback(), W));
      },
      finish: (curve, seconds) => {
        const sc = net.spikeCounts(),
          simS = i / perSecond;
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        return {
          method: "stdwi",
          B: net.feedback(),
          curve,
          steps: i,
          seconds,
          rates: { input: sum(sc.input) / n / simS, output: sum(sc.output) / n / simS },
        };
      },
    },
    point("stdwi", 0, B0, W),
  );
}

const METHOD_RUNS = { sal: salRun, rdd: rddRun, stdwi: stdwiRun };

/** Simulated seconds of all methods of a run (the unit of its progress). */
export function inferTotal(cfg: InferConfig): number {
  return (cfg.method === "all" ? 3 : 1) * cfg.seconds;
}

/**
 * The inference comparison on backend `k`, a chunk of simulated seconds at a time (a page or a worker
 * drives it without blocking; `runInfer` runs it to the end). The methods run one after another, each
 * in its own backend memory, freed when it ends.
 */
export class InferSession {
  readonly W: Float32Array;
  readonly B0: Float32Array;
  readonly methods: InferMethod[];
  /** The methods that have ended. */
  readonly finished: MethodResult[] = [];
  private current: MethodRun | null = null;
  private mark = 0;
  private wall = 0;
  /** Simulated seconds of the methods that have ended. */
  private finishedTime = 0;

  constructor(
    private readonly k: Kernels,
    readonly cfg: InferConfig,
    private readonly hooks: InferHooks = {},
  ) {
    const t0 = performance.now();
    ({ W: this.W, B0: this.B0 } = inferWeights(cfg.n, cfg.seed));
    this.methods = cfg.method === "all" ? ["sal", "rdd", "stdwi"] : [cfg.method];
    this.start();
    this.wall += (performance.now() - t0) / 1000;
  }

  private start(): void {
    const index = this.finished.length;
    if (index >= this.methods.length) return;
    this.mark = this.k.mark();
    try {
      this.current = METHOD_RUNS[this.methods[index]](this.k, this.cfg, this.W, this.B0, (p) => this.hooks.onMetrics?.(p));
    } catch (err) {
      this.k.release(this.mark);
      throw err;
    }
  }

  get done(): boolean {
    return this.finished.length >= this.methods.length;
  }

  /** Simulated seconds done over all methods (the unit of `advance`). */
  get position(): number {
    return this.finishedTime + (this.current?.time ?? 0);
  }

  /** Steps done over all methods. */
  get steps(): number {
    return this.finished.reduce((s, m) => s + m.steps, 0) + (this.current?.steps ?? 0);
  }

  /** Runs whole chunks (a SAL update, an RDD window, a STDWI second) until `seconds` more simulated seconds are done or the run ends. */
  advance(seconds = Infinity): this {
    const t0 = performance.now();
    const target = this.position + seconds;
    while (this.current && this.position < target) {
      const cur = this.current,
        index = this.finished.length;
      cur.step();
      this.hooks.onProgress?.(index * this.cfg.seconds + cur.time, inferTotal(this.cfg), cur.method);
      if (cur.done) {
        this.finished.push(cur.result());
        this.finishedTime += cur.time;
        this.current = null;
        this.k.release(this.mark);
        this.start();
      }
    }
    this.wall += (performance.now() - t0) / 1000;
    return this;
  }

  /** The methods that have ended, and the wall seconds so far. */
  result(): InferResult {
    return { W: this.W, B0: this.B0, methods: [...this.finished], seconds: this.wall };
  }

  /** Frees the running method's backend memory. */
  dispose(): void {
    if (this.current) this.k.release(this.mark);
    this.current = null;
  }
}

/** The run: every curve point through `hooks.onMetrics`, progress in simulated seconds over all methods. */
export function runInfer(k: Kernels, cfg: InferConfig, hooks: InferHooks = {}): InferResult {
  return runToEnd(new InferSession(k, cfg, hooks));
}
