// Kernel family: recurrent networks of sampling neurons (arXiv:2503.02642,
// neuron model; docs/models/sampling-network.md#the-sampling-neuron), event-driven, with STDP accumulation
// and binary-state sampling. One call advances a whole run of many steps.
//
// Time convention (docs/conventions.md#time-conventions): a spike at step s makes the neuron's PSP
// active in the potentials used for the draws at steps s+1 .. s+pspLength,
// and the neuron may spike again at s+minIsi at the earliest. The ssn/stdd/
// pair presets use pspLength = tauSyn - 1 and minIsi = tRef + 1.
//
// Changes since the first contract (all additive): the population kernel
// (`PopulationNet`, `populationCreate`, `populationSetPotentials`,
// `populationRun`); PSP shapes (`psp`: a table of the PSP's value per lag,
// run by a separate loop; without it the rectangle of `pspLength` as before). `thresholds` has n4 = ceil(n/4)*4 entries (padding 0).
// Random streams: neuron k draws one output per step from the state seeded
// from `seed` and jumped k times (src/backend/samplingState.ts).
// Runs are limited to 2^30 - 1 steps between restarts. After a run,
// `thresholds` (and the internal potentials) are those for the draws at
// time(): 0 while refractory. STDP pairs of the 'all' pairing are the
// partner spikes within the cut-off `length`. Both backends give identical
// spike trains, STDP sums and histograms for the same seed.
import type { F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import type { StdpRuleSpec } from "./stdpRule.js";

export interface SamplingNetSpec {
  n: number;
  /** Refractory time constant; also the ln tRef offset of the firing probability. */
  tRef: number;
  /** Draw steps after a spike during which its PSP is active (ssn: tauSyn - 1). */
  pspLength: number;
  /** Earliest next spike of a neuron that spiked at s is s + minIsi (ssn: tRef + 1). */
  minIsi: number;
  /** STDP rules accumulated during runs (0, 1 or 2; e.g. [ws, sal]). */
  stdp: StdpRuleSpec[];
  /**
   * Binary-state sampling: every `sampleEvery` steps from step 0 a state z (z_k = 1 iff s < t <= s + onLength for k's last
   * spike s) is histogrammed over 2^n states (neuron 0 = most significant bit). 0 disables. Needs n <= 20.
   */
  sampleEvery: number;
  /** State "on" duration after a spike for the histogram (ssn: tRef). */
  onLength: number;
  /** Capacity of the spike record (times and ids); 0 disables recording. */
  recordCapacity: number;
  /**
   * PSP shape (src/models/psp.ts `pspTable`), null or absent for the rectangle of `pspLength`: the
   * draws at s + d after a spike of j at s see W[:, j] psp[d - 1] for d = 1 .. psp.length, and
   * psp[psp.length - 1] at every later lag; a neuron's PSP is that of its newest spike. Potentials
   * are u = b + sum_j W[:, j] kappa_j, summed in ascending j in f32, recomputed at every step in
   * which some kappa_j changes or a neuron leaves its refractory period.
   */
  psp?: Float32Array | null;
}

/** A network's state and outputs in backend memory. Write W and b through their views before a run. */
export interface SamplingNet {
  readonly spec: SamplingNetSpec;
  /**
   * The random streams' state words (4 per lane, structure of arrays). Between runs, copy its view to checkpoint and write
   * it back to resume.
   */
  readonly rng: U32Buf;
  /** Weights, n x n [post, pre], row-major. */
  readonly W: F32Buf;
  readonly b: F32Buf;
  /** Spikes per neuron since the last `samplingClear`. */
  readonly spikeCount: F64Buf;
  /** One n x n [post, pre] matrix per STDP rule, sums since the last `samplingClear`. */
  readonly stdpSum: F64Buf[];
  /** 2^n state counts since the last `samplingClear` (null if sampling is off). */
  readonly hist: F64Buf | null;
  /** Spike record: times and ids in order (within a step, ascending id); `recorded()` entries are valid. */
  readonly recTime: I32Buf | null;
  readonly recId: I32Buf | null;
  /** Number of valid spike-record entries (recording stops silently at capacity; check `recordOverflow()`). */
  recorded(): number;
  recordOverflow(): boolean;
  /** Simulation time (steps since the last `samplingRestart`). */
  time(): number;
  /** Per-neuron Bernoulli thresholds for the draws at time() (0 while refractory; n4 entries). */
  readonly thresholds: U32Buf;
  /**
   * Debugging and tests: a copy of the potentials u = b + W psp the kernel holds for the draws at
   * time() (n entries). The kernel keeps them in its own buffers; nothing depends on reading them.
   */
  debugPotentials(): Float32Array;
}

/** n independent sampling neurons with fixed potentials and absolute refractoriness (no recurrent weights). */
export interface PopulationNet {
  readonly n: number;
  /** Potentials (set through `populationSetPotentials`). */
  readonly u: F32Buf;
  /** Spikes per neuron, accumulated over all runs (zero it through the view). */
  readonly spikeCount: F64Buf;
  readonly thresholds: U32Buf;
  /** Steps simulated so far. */
  time(): number;
}

export interface SamplingKernels {
  /** Allocates a network in backend memory; its RNG is seeded from `seed` (one independent stream per neuron). */
  samplingCreate(spec: SamplingNetSpec, seed: number): SamplingNet;
  /** Starts a fresh run at t = 0: no PSPs, nobody refractory; the RNG stream continues. Call after changing W or b. */
  samplingRestart(net: SamplingNet): void;
  /** Zeroes spike counts, STDP sums, histogram and spike record. */
  samplingClear(net: SamplingNet): void;
  /** Advances the run by `steps` steps in one call. */
  samplingRun(net: SamplingNet, steps: number): void;
  /** Allocates a population of n neurons (stream k = seed jumped k times); a neuron that spiked at s may spike again at s + minIsi. */
  populationCreate(n: number, tRef: number, minIsi: number, seed: number): PopulationNet;
  /** Sets the n potentials (fixed firing probabilities sigmoid(u - ln tRef)). */
  populationSetPotentials(p: PopulationNet, u: ArrayLike<number>): void;
  /** Advances the population by `steps` steps (each neuron draws once per step), adding spikes to `spikeCount`. */
  populationRun(p: PopulationNet, steps: number): void;
}
