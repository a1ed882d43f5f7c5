// Monte-Carlo STDD: simulate the neuron pair through the Kernels seam (the
// sampling kernel family, either backend) and histogram the first-order
// spike-time differences. For each spike of neuron X at step t, the partner
// Y's last spike L_Y (strictly before t) is paired with it if it is more
// recent than X's own previous spike (or, with ties 'pair', as recent: then a
// step in which both fired starts a pair for each); dt = t1 - t0 (stdd.ts).
// Spikes of both neurons in one step give no dt = 0 entry; each may still
// pair with the partner's earlier spike. markov.ts computes the exact law of
// this histogram.
import type { Arena } from "../../backend/types.js";
import type { SamplingKernels, SamplingNetSpec } from "../../backend/sampling.js";
import { timeConvention, type PairParams, type RawStdd, type Ties } from "./stdd.js";

/** Incremental first-order pair histogram over a time-ordered spike record. */
export class PairHistogram {
  right: number[] = [0];
  left: number[] = [0];
  spikes0 = 0;
  spikes1 = 0;
  private last0 = -Infinity;
  private last1 = -Infinity;

  /** `ties`: does a step in which both neurons fired start a pair for each (stdd.ts `Ties`)? */
  constructor(private readonly ties: Ties = "skip") {}

  private static bump(h: number[], d: number): void {
    while (h.length <= d) h.push(0);
    h[d]++;
  }

  /** Feeds one step's spikes; `count` false only updates the last spike times (burn-in). */
  step(t: number, spike0: boolean, spike1: boolean, count = true): void {
    if (count) {
      const tie = this.ties === "pair" && this.last0 === this.last1 && this.last0 > -Infinity;
      if (spike1 && (this.last0 > this.last1 || tie)) PairHistogram.bump(this.right, t - this.last0);
      if (spike0 && (this.last1 > this.last0 || tie)) PairHistogram.bump(this.left, t - this.last1);
      if (spike0) this.spikes0++;
      if (spike1) this.spikes1++;
    }
    if (spike0) this.last0 = t;
    if (spike1) this.last1 = t;
  }

  /** Feeds a spike record (times ascending; within a step, ascending id). */
  feed(time: ArrayLike<number>, id: ArrayLike<number>, n: number, count = true): void {
    let i = 0;
    while (i < n) {
      const t = time[i];
      let s0 = false,
        s1 = false;
      for (; i < n && time[i] === t; i++) {
        if (id[i] === 0) s0 = true;
        else s1 = true;
      }
      this.step(t, s0, s1, count);
    }
  }

  raw(steps: number): RawStdd {
    return {
      right: Float64Array.from(this.right),
      left: Float64Array.from(this.left),
      steps,
      rate0: this.spikes0 / steps,
      rate1: this.spikes1 / steps,
      tail: 0,
    };
  }
}

export interface MonteCarloOptions {
  steps: number;
  /** Steps simulated before counting (they only set the last spike times). */
  burnIn: number;
  seed: number;
  /** Steps per kernel call (the spike record is read and cleared after each). */
  chunk?: number;
  /** Called after each chunk with the steps counted so far. */
  onChunk?: (done: number) => void;
}

export type PairKernels = Arena & SamplingKernels;

/** Simulates the pair for burnIn + steps steps and returns the raw first-order pair counts. */
export function monteCarloRawStdd(k: PairKernels, params: PairParams, o: MonteCarloOptions): RawStdd {
  const { pspLength, minIsi } = timeConvention(params);
  const chunk = Math.max(1, Math.min(o.chunk ?? 1 << 20, o.steps + o.burnIn));
  // at most one spike per neuron per minIsi steps
  const capacity = 2 * (Math.ceil(chunk / minIsi) + 2);
  const spec: SamplingNetSpec = {
    n: 2,
    tRef: params.tRef,
    pspLength,
    minIsi,
    stdp: [],
    sampleEvery: 0,
    onLength: params.tRef,
    recordCapacity: capacity,
    psp: params.pspTable ? Float32Array.from(params.pspTable) : null,
  };
  const mark = k.mark();
  try {
    const net = k.samplingCreate(spec, o.seed);
    const W = net.W.view;
    W[0] = 0;
    W[1] = params.W01; // W[post 0, pre 1]
    W[2] = params.W10; // W[post 1, pre 0]
    W[3] = 0;
    net.b.view[0] = params.b0;
    net.b.view[1] = params.b1;
    k.samplingRestart(net);
    const hist = new PairHistogram(params.ties);
    const total = o.burnIn + o.steps;
    for (let done = 0; done < total;) {
      const n = Math.min(chunk, total - done);
      k.samplingClear(net);
      k.samplingRun(net, n);
      if (net.recordOverflow()) throw new Error(`spike record overflow (capacity ${capacity} for ${n} steps)`);
      const m = net.recorded();
      const time = net.recTime!.view,
        id = net.recId!.view;
      if (done >= o.burnIn) hist.feed(time, id, m, true);
      else {
        // split the record at the end of the burn-in
        let j = 0;
        while (j < m && time[j] < o.burnIn) j++;
        hist.feed(time, id, j, false);
        hist.feed(time.subarray(j, m), id.subarray(j, m), m - j, true);
      }
      done += n;
      o.onChunk?.(Math.max(0, done - o.burnIn));
    }
    return hist.raw(o.steps);
  } finally {
    k.release(mark);
  }
}
