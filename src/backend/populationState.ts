// Backend-independent part of the population kernel: n independent sampling
// neurons with fixed potentials (no recurrent weights), refractory for
// minIsi - 1 steps after a spike, one draw per neuron per step from stream k
// (the seed state jumped k times, as in samplingState.ts).
//   thr u32 n4, rng u32 4 x n4 (structure of arrays), last i32 n4, count f64 n4, hdr i32 (slots POP_H of layout.ts)
import type { Arena, F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import type { PopulationNet } from "./sampling.js";
import { seedStreams } from "./shared/rng.js";
import { threshold } from "./shared/mathf.js";
import { MAX_TIME } from "./samplingState.js";
import { POP_H, SAMPLING_NEVER } from "./layout.js";

export class PopulationState implements PopulationNet {
  readonly n4: number;
  readonly u: F32Buf;
  readonly thresholds: U32Buf;
  readonly rng: U32Buf;
  readonly last: I32Buf;
  readonly spikeCount: F64Buf;
  readonly hdr: I32Buf;

  constructor(
    readonly n: number,
    readonly tRef: number,
    readonly minIsi: number,
    arena: Arena,
    seed: number,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`population: n is ${n}; must be an integer >= 1`);
    if (!Number.isInteger(minIsi) || minIsi < 1) throw new RangeError(`population: minIsi is ${minIsi}; must be an integer >= 1`);
    if (!(tRef > 0)) throw new RangeError(`population: tRef is ${tRef}; must be > 0`);
    const n4 = (this.n4 = (n + 3) & ~3);
    this.u = arena.alloc("f32", n4);
    this.thresholds = arena.alloc("u32", n4);
    this.rng = arena.alloc("u32", 4 * n4);
    this.last = arena.alloc("i32", n4);
    this.spikeCount = arena.alloc("f64", n4);
    this.hdr = arena.alloc("i32", POP_H.size);
    seedStreams(this.rng.view, n4, seed);
    this.last.view.fill(SAMPLING_NEVER);
    const h = this.hdr.view;
    h[POP_H.n] = n;
    h[POP_H.n4] = n4;
    h[POP_H.minIsi] = minIsi;
    h[POP_H.thr] = this.thresholds.ptr;
    h[POP_H.rng] = this.rng.ptr;
    h[POP_H.last] = this.last.ptr;
    h[POP_H.count] = this.spikeCount.ptr;
  }

  /** Sets the potentials (length n) and their thresholds. */
  setPotentials(u: ArrayLike<number>): void {
    if (u.length !== this.n) throw new RangeError(`population: ${u.length} potentials for ${this.n} neurons`);
    const uv = this.u.view,
      thr = this.thresholds.view;
    for (let k = 0; k < this.n; k++) {
      uv[k] = u[k];
      thr[k] = threshold(uv[k], this.tRef);
    }
  }

  time(): number {
    return this.hdr.view[POP_H.t];
  }

  checkSteps(steps: number): void {
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`populationRun: steps ${steps}; must be an integer >= 0`);
    if (this.time() + steps > MAX_TIME) throw new RangeError(`populationRun: t would exceed ${MAX_TIME}`);
  }
}

/** The population's state, checked to be one that populationCreate made. */
export function populationState(p: PopulationNet): PopulationState {
  if (!(p instanceof PopulationState)) throw new TypeError("population: not a population created by populationCreate");
  return p;
}
