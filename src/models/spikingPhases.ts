// The spiking feedback-learning phases of deep-net training
// (docs/models/spiking-feedback.md#the-sal-phase,
// docs/models/spiking-feedback.md#rdd; the schedule:
// docs/models/deep-nets.md#training-loop): one SAL (or RDD) phase before every
// SGD epoch reads the fully connected layers' forward weights (and biases) and
// returns new feedback matrices. This is the API the `train` command calls for
// `--method sal|rdd`:
//
//   const phase = createSalPhase(k, [1024, 384, 192, 10], { seed });   // once per run
//   for (each epoch) {
//     const rep = phase.run(fcLayers.map((l) => ({ W: l.W, b: l.b, B: l.B })));
//     rep.B.forEach((B, l) => fcLayers[l].B.set(B));                   // the new feedback, W's layout
//     log({ seconds: rep.seconds, steps: rep.steps, ... });
//   }
//
// W_l and B_l are both out x in (n_{l+1} x n_l), row-major, like the deep
// net's fc weight and fb_weight; b_l has n_{l+1} entries. The phase keeps its
// network between calls, as the authors' code does: the SAL network's state
// (potentials, spikes, refractoriness, random streams) and its input
// population's bias (drawn once) are never reset; the RDD network's fit
// coefficients, discontinuity estimates and feedback scale persist (its
// voltages and windows restart every phase).
import type { Kernels } from "../backend/index.js";
import { SalNet } from "./salNet.js";
import { RddNet } from "./rddNet.js";
import { subSeed, tsRandom } from "../rng/seeds.js";
import type { RddConstants } from "../learning/rdd.js";

/** One fully connected layer as the phases see it (out x in = n_{l+1} x n_l). */
export interface FcParams {
  W: ArrayLike<number>;
  /** bias (n_{l+1}); SAL uses it, RDD ignores it */
  b?: ArrayLike<number>;
  /** current feedback, W's layout */
  B: ArrayLike<number>;
}

export interface SpikingPhaseReport {
  method: "sal" | "rdd";
  /** the new feedback matrices, W's layout, one per fc layer */
  B: Float32Array[];
  /** simulated steps of this phase (all copies advance together: a SAL step is one step of every copy) */
  steps: number;
  /** wall seconds of the phase (simulation and updates) */
  seconds: number;
  nsPerStep: number;
  /** phases run so far, this one included */
  phase: number;
  /** mean spikes per neuron per step in each population (SAL) or B entries set from estimates per layer (RDD) */
  [key: string]: unknown;
}

export interface SpikingPhase {
  readonly method: "sal" | "rdd";
  readonly layers: readonly number[];
  /** Runs one phase on the given fc layers (their W, b and current B) and returns the new B's. */
  run(fc: FcParams[]): SpikingPhaseReport;
}

/** The deep-net SAL phase's settings (docs/models/spiking-feedback.md#the-sal-phase, the authors' yaml's `sal_params`). */
export interface SalPhaseOptions {
  tRef: number;
  /** iteration length in units of tRef (iteration = lenEpoch * tRef steps) */
  lenEpoch: number;
  /** iterations (B updates) per phase */
  nIterations: number;
  salLr: number;
  /** independent copies */
  batch: number;
  /** STDP window length in units of tRef */
  bufferLength: number;
  seed: number;
}

export const SAL_PHASE_DEFAULTS: SalPhaseOptions = {
  tRef: 10,
  lenEpoch: 200,
  nIterations: 5,
  salLr: 0.04,
  batch: 32,
  bufferLength: 2,
  seed: 0,
};

/** The deep-net RDD phase's settings (docs/models/spiking-feedback.md#rdd). */
export interface RddPhaseOptions {
  /** simulated seconds per phase, split evenly over driving populations 0..P-2 */
  seconds: number;
  seed: number;
  /** the network's constants (defaults: the authors'); `updateEvery` = steps between B updates */
  constants: Partial<RddConstants>;
}

export const RDD_PHASE_DEFAULTS: RddPhaseOptions = { seconds: 90, seed: 0, constants: {} };

function checkFc(layers: readonly number[], fc: FcParams[], needBias: boolean): void {
  if (fc.length !== layers.length - 1) throw new RangeError(`phase: ${fc.length} fc layers given; the network has ${layers.length - 1}`);
  fc.forEach((f, l) => {
    const size = layers[l] * layers[l + 1];
    if (f.W.length !== size || f.B.length !== size)
      throw new RangeError(
        `phase: fc layer ${l} has W ${f.W.length}, B ${f.B.length} entries; expected ${layers[l + 1]} x ${layers[l]} = ${size}`,
      );
    if (needBias && f.b && f.b.length !== layers[l + 1])
      throw new RangeError(`phase: fc layer ${l} has ${f.b.length} biases; expected ${layers[l + 1]}`);
  });
}

/**
 * The SAL phase: a layered network of sampling neurons over the fc layers (population sizes `layers`,
 * e.g. [F, 384, 192, 10]), `batch` copies. Each run copies W, b and B in, simulates nIterations
 * iterations of lenEpoch * tRef steps with a B update after each, and returns the B's.
 */
export function createSalPhase(k: Kernels, layers: readonly number[], opts: Partial<SalPhaseOptions> = {}): SpikingPhase {
  const o: SalPhaseOptions = { ...SAL_PHASE_DEFAULTS, ...opts };
  for (const key of ["tRef", "lenEpoch", "nIterations", "batch", "bufferLength"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`SAL phase: ${key} ${o[key]}; must be an integer >= 1`);
  }
  if (!Number.isFinite(o.salLr)) throw new RangeError(`SAL phase: salLr ${o.salLr}; must be finite`);
  const net = new SalNet(
    k,
    { layers: [...layers], batch: o.batch, tRef: o.tRef, windowLength: o.bufferLength * o.tRef },
    subSeed(o.seed, "sal-phase-sim"),
  );
  // the input population's bias is not part of the deep net: drawn once, U(+-1/sqrt(F)), kept (spec quirk)
  const r = tsRandom(o.seed, "sal-phase-input-bias"),
    bound = 1 / Math.sqrt(layers[0]);
  net.setInputBias(Array.from({ length: layers[0] }, () => r.range(-bound, bound)));
  let phase = 0;
  return {
    method: "sal",
    layers,
    run(fc) {
      checkFc(layers, fc, true);
      const t0 = performance.now();
      net.setLayers(fc.map((f) => ({ W: f.W, b: f.b, B: f.B })));
      const steps = o.lenEpoch * o.tRef,
        spikes0 = net.spikeCounts();
      for (let it = 0; it < o.nIterations; it++) {
        net.run(steps);
        net.update(o.salLr);
      }
      const spikes1 = net.spikeCounts();
      const seconds = (performance.now() - t0) / 1000,
        total = steps * o.nIterations;
      phase++;
      return {
        method: "sal",
        B: fc.map((_, l) => net.feedback(l)),
        steps: total,
        seconds,
        nsPerStep: (seconds * 1e9) / total,
        phase,
        rates: layers.map((n, p) => (spikes1[p] - spikes0[p]) / (n * o.batch * total)),
      };
    },
  };
}

/**
 * The RDD phase: the LIF network over the fc layers; each run restarts voltages and windows, copies the
 * rescaled W and the current B in, drives populations 0..P-2 in turn for seconds / (P-1) each, sets
 * B from the discontinuity estimates every `updateEvery` steps, and returns the B's.
 */
export function createRddPhase(k: Kernels, layers: readonly number[], opts: Partial<RddPhaseOptions> = {}): SpikingPhase {
  const o: RddPhaseOptions = { ...RDD_PHASE_DEFAULTS, ...opts, constants: { ...RDD_PHASE_DEFAULTS.constants, ...opts.constants } };
  const net = new RddNet(k, [...layers], o.constants, subSeed(o.seed, "rdd-phase-sim"));
  const stepsPerPhase = Math.round(o.seconds / net.c.dt);
  if (!(stepsPerPhase >= layers.length - 1))
    throw new RangeError(`RDD phase: seconds ${o.seconds}; too short for ${layers.length - 1} driven populations`);
  let phase = 0;
  return {
    method: "rdd",
    layers,
    run(fc) {
      checkFc(layers, fc, false);
      const t0 = performance.now();
      net.resetPhase();
      fc.forEach((f, l) => {
        net.setForward(l, f.W);
        net.setFeedbackFc(l, f.B);
      });
      const set = runRddSchedule(net, stepsPerPhase);
      const seconds = (performance.now() - t0) / 1000;
      phase++;
      return {
        method: "rdd",
        B: fc.map((_, l) => net.feedbackFc(l)),
        steps: stepsPerPhase,
        seconds,
        nsPerStep: (seconds * 1e9) / stepsPerPhase,
        phase,
        estimated: set,
      };
    },
  };
}

/**
 * The driving schedule of one RDD phase (the authors' train_rdd): population d = floor(i / (steps / (P-1)))
 * is driven at step i; after every `updateEvery` steps of the phase, B is set from the estimates.
 * Returns the fraction of each layer's B entries that the estimates have set.
 */
export function runRddSchedule(net: RddNet, steps: number): number[] {
  const P = net.P,
    seg = steps / (P - 1),
    every = net.c.updateEvery;
  let i = 0,
    driven = -1;
  while (i < steps) {
    const d = Math.min(P - 2, Math.floor(i / seg));
    if (d !== driven) {
      net.drive(d);
      driven = d;
    }
    const nextSwitch = d < P - 2 ? Math.ceil((d + 1) * seg) : steps;
    const nextUpdate = (Math.floor(i / every) + 1) * every;
    const end = Math.min(nextSwitch, nextUpdate, steps);
    net.run(end - i);
    i = end;
    if (i % every === 0) net.updateFeedback();
  }
  net.drive(-1);
  return net.B.map((_, l) => {
    const beta = net.beta(l);
    return beta.reduce((s, b) => s + (b !== 0 ? 1 : 0), 0) / beta.length;
  });
}
