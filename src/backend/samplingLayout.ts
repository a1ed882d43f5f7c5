// Backend-independent part of the sampling-network family: the memory layout
// of a network (allocated through the backend's arena, so the same buffers
// are typed-array views on js and wasm linear memory on wasm), seeding,
// restart and clear. Only `samplingRun` differs between the backends
// (src/backend/js/samplingKernels.ts, assembly/sampling.ts).
//
// Layout (n4 = n rounded up to a multiple of 4; lanes n..n4-1 are padding
// that never fires):
//   WT     f32 n x n4   transposed weights, WT[pre * n4 + post] (a PSP onset adds one contiguous column)
//   u      f32 n4       potentials b + W psp (resynchronised to b when no PSP is active)
//   thr    u32 n4       cached Bernoulli thresholds (0 while refractory and on padding lanes)
//   valid  u32 n4       0xffffffff on real neurons, 0 on padding
//   rng    u32 4 x n4   xoshiro128** states, structure of arrays: word w of lane k at rng[w * n4 + k]
//   last   i32 n4       time of the newest spike (NEVER before the first one)
//   onT, offT, refT i32 n  pending PSP onset / PSP end / refractory end times (INF: none)
//   on     i32 n        PSP active flag
//   hisT   i32 n x cap  ring buffer of each neuron's newest `cap` spike times (for STDP pairing)
//   hisN   i32 n        spikes pushed into the ring since the restart
//   spk    u32 n4       scratch: spike masks of the current step
//   per STDP rule: K (f64 length) kernel table K[d] for d = |dt|, aC, aA (f32 n x n), S (f64 n x n)
//   hdr    i32 64       scalars and (wasm) byte offsets of the above, read by assembly/sampling.ts
//
// Random streams: neuron (lane) k draws from the state obtained by seeding
// with splitmix32(seed) and jumping k times (2^64 outputs each), one output
// per step, every step, refractory or not.
import type { Arena, Buf, F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import type { SamplingNet, SamplingNetSpec, StdpRuleSpec } from "./sampling.js";
import { rngJump, rngSeed } from "./js/rng.js";
import { threshold } from "./js/mathf.js";

/** Time of "no spike yet" and "no pending event". Runs are limited to MAX_TIME steps per restart. */
export const NEVER = -(2 ** 30);
export const INF = 0x7fffffff;
export const MAX_TIME = 2 ** 30 - 1;
export const MAX_RULES = 2;

/** Header slots (i32); assembly/sampling.ts repeats these numbers. */
export const H = {
  n: 0, n4: 1, t: 2, pspLength: 3, minIsi: 4, sampleEvery: 5, onLength: 6, recCap: 7,
  recN: 8, recOverflow: 9, nRules: 10, tRefBits: 11, nextEv: 12, nextSample: 13, cap: 14, nActive: 15,
  // byte offsets (wasm only)
  W: 16, b: 17, WT: 18, u: 19, thr: 20, valid: 21, rng: 22, last: 23, onT: 24, offT: 25, refT: 26,
  on: 27, hisT: 28, hisN: 29, spk: 30, count: 31, hist: 32, recT: 33, recI: 34,
  /** rule r occupies RULE0 + r * RULE_SLOTS: length, N (pairs per partner), countZero, K, aC, aA, S */
  RULE0: 40, RULE_SLOTS: 8,
} as const;

export interface RuleBufs {
  readonly length: number;
  readonly N: number;
  readonly countZero: boolean;
  readonly K: F64Buf;
  readonly aC: F32Buf;
  readonly aA: F32Buf;
  readonly S: F64Buf;
}

/** A sampling network's buffers; the object handed out as `SamplingNet`. */
export class SamplingState implements SamplingNet {
  readonly n: number;
  readonly n4: number;
  readonly cap: number;
  readonly W: F32Buf;
  readonly b: F32Buf;
  readonly WT: F32Buf;
  readonly u: F32Buf;
  readonly thresholds: U32Buf;
  readonly valid: U32Buf;
  readonly rng: U32Buf;
  readonly last: I32Buf;
  readonly onT: I32Buf;
  readonly offT: I32Buf;
  readonly refT: I32Buf;
  readonly on: I32Buf;
  readonly hisT: I32Buf;
  readonly hisN: I32Buf;
  readonly spk: U32Buf;
  readonly spikeCount: F64Buf;
  readonly hist: F64Buf | null;
  readonly recTime: I32Buf | null;
  readonly recId: I32Buf | null;
  readonly rules: RuleBufs[];
  readonly stdpSum: F64Buf[];
  readonly hdr: I32Buf;

  constructor(readonly spec: SamplingNetSpec, arena: Arena, seed: number) {
    validateSpec(spec);
    const n = (this.n = spec.n);
    const n4 = (this.n4 = (n + 3) & ~3);
    this.cap = Math.max(1, ...spec.stdp.map((r) => pairsPerPartner(r, spec.minIsi)));
    this.W = arena.alloc("f32", n * n);
    this.b = arena.alloc("f32", n);
    this.WT = arena.alloc("f32", n * n4);
    this.u = arena.alloc("f32", n4);
    this.thresholds = arena.alloc("u32", n4);
    this.valid = arena.alloc("u32", n4);
    this.rng = arena.alloc("u32", 4 * n4);
    this.last = arena.alloc("i32", n4);
    this.onT = arena.alloc("i32", n);
    this.offT = arena.alloc("i32", n);
    this.refT = arena.alloc("i32", n);
    this.on = arena.alloc("i32", n);
    this.hisT = arena.alloc("i32", n * this.cap);
    this.hisN = arena.alloc("i32", n);
    this.spk = arena.alloc("u32", n4);
    this.spikeCount = arena.alloc("f64", n);
    this.hist = spec.sampleEvery > 0 ? arena.alloc("f64", 2 ** n) : null;
    this.recTime = spec.recordCapacity > 0 ? arena.alloc("i32", spec.recordCapacity) : null;
    this.recId = spec.recordCapacity > 0 ? arena.alloc("i32", spec.recordCapacity) : null;
    this.rules = spec.stdp.map((r) => {
      const K = arena.from("f64", kernelTable(r));
      const aC = arena.from("f32", r.aCausal);
      const aA = arena.from("f32", r.aAnti);
      const S = arena.alloc("f64", n * n);
      return { length: r.length, N: pairsPerPartner(r, spec.minIsi), countZero: r.countZero, K, aC, aA, S };
    });
    this.stdpSum = this.rules.map((r) => r.S);
    this.hdr = arena.alloc("i32", 64);

    const v = this.valid.view;
    for (let k = 0; k < n; k++) v[k] = 0xffffffff;
    // stream k = seed state jumped k times; stored as structure of arrays
    const st = new Uint32Array(4);
    rngSeed(st, 0, seed);
    const rv = this.rng.view;
    for (let k = 0; k < n4; k++) {
      for (let w = 0; w < 4; w++) rv[w * n4 + k] = st[w];
      rngJump(st, 0);
    }
    const h = this.hdr.view;
    h[H.n] = n; h[H.n4] = n4; h[H.pspLength] = spec.pspLength; h[H.minIsi] = spec.minIsi;
    h[H.sampleEvery] = spec.sampleEvery; h[H.onLength] = spec.onLength; h[H.recCap] = spec.recordCapacity;
    h[H.nRules] = this.rules.length; h[H.cap] = this.cap;
    h[H.tRefBits] = new Int32Array(new Float32Array([spec.tRef]).buffer)[0];
    const p = (b: Buf | null): number => (b === null ? 0 : b.ptr);
    h[H.W] = p(this.W); h[H.b] = p(this.b); h[H.WT] = p(this.WT); h[H.u] = p(this.u); h[H.thr] = p(this.thresholds);
    h[H.valid] = p(this.valid); h[H.rng] = p(this.rng); h[H.last] = p(this.last); h[H.onT] = p(this.onT);
    h[H.offT] = p(this.offT); h[H.refT] = p(this.refT); h[H.on] = p(this.on); h[H.hisT] = p(this.hisT);
    h[H.hisN] = p(this.hisN); h[H.spk] = p(this.spk); h[H.count] = p(this.spikeCount); h[H.hist] = p(this.hist);
    h[H.recT] = p(this.recTime); h[H.recI] = p(this.recId);
    this.rules.forEach((r, i) => {
      const o = H.RULE0 + i * H.RULE_SLOTS;
      h[o] = r.length; h[o + 1] = r.N; h[o + 2] = r.countZero ? 1 : 0;
      h[o + 3] = p(r.K); h[o + 4] = p(r.aC); h[o + 5] = p(r.aA); h[o + 6] = p(r.S);
    });
    this.restart();
  }

  recorded(): number {
    return this.hdr.view[H.recN];
  }
  recordOverflow(): boolean {
    return this.hdr.view[H.recOverflow] !== 0;
  }
  time(): number {
    return this.hdr.view[H.t];
  }

  /** t = 0, no PSPs, nobody refractory; copies W into WT and recomputes u = b and the thresholds. */
  restart(): void {
    const { n, n4 } = this;
    const h = this.hdr.view;
    const W = this.W.view, WT = this.WT.view, b = this.b.view, u = this.u.view, thr = this.thresholds.view;
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(b[k])) throw new RangeError(`sampling: b[${k}] is ${b[k]}; must be finite`);
      for (let j = 0; j < n; j++) {
        const w = W[k * n + j];
        if (!Number.isFinite(w)) throw new RangeError(`sampling: W[${k},${j}] is ${w}; must be finite`);
        WT[j * n4 + k] = w;
      }
    }
    u.fill(0);
    thr.fill(0);
    for (let k = 0; k < n; k++) {
      u[k] = b[k];
      thr[k] = threshold(b[k], this.spec.tRef);
    }
    this.last.view.fill(NEVER);
    this.onT.view.fill(INF);
    this.offT.view.fill(INF);
    this.refT.view.fill(INF);
    this.on.view.fill(0);
    this.hisN.view.fill(0);
    h[H.t] = 0;
    h[H.nextEv] = INF;
    h[H.nextSample] = this.spec.sampleEvery > 0 ? 0 : INF;
    h[H.nActive] = 0;
  }

  clear(): void {
    this.spikeCount.view.fill(0);
    for (const r of this.rules) r.S.view.fill(0);
    this.hist?.view.fill(0);
    const h = this.hdr.view;
    h[H.recN] = 0;
    h[H.recOverflow] = 0;
  }

  /** Throws unless `steps` more steps keep t within MAX_TIME. */
  checkSteps(steps: number): void {
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`samplingRun: steps ${steps}; must be an integer >= 0`);
    if (this.time() + steps > MAX_TIME) throw new RangeError(`samplingRun: t would exceed ${MAX_TIME}; call samplingRestart`);
  }
}

/** Spikes of one partner a rule pairs with: nearest 1, lastN N, all: every spike within the cut-off. */
export function pairsPerPartner(r: StdpRuleSpec, minIsi: number): number {
  if (r.pairing === "nearest") return 1;
  if (r.pairing === "lastN") return Math.max(1, r.lastN ?? 1);
  return Math.ceil(r.length / Math.max(1, minIsi)) + 1;
}

/** K[d] for d = |dt| = 0 .. length-1: exponential e^{-d/tau}, triangular max(0, 1 - d/tau). Computed once in f64 and shared by both backends. */
export function kernelTable(r: StdpRuleSpec): Float64Array {
  const K = new Float64Array(Math.max(1, r.length));
  for (let d = 0; d < r.length; d++) K[d] = r.shape === "exponential" ? Math.exp(-d / r.tau) : Math.max(0, 1 - d / r.tau);
  return K;
}

function validateSpec(s: SamplingNetSpec): void {
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new RangeError(`sampling: ${name} is ${v}; must be an integer >= ${min}`);
  };
  int("n", s.n, 1);
  if (!(s.tRef > 0) || !Number.isFinite(s.tRef)) throw new RangeError(`sampling: tRef is ${s.tRef}; must be > 0`);
  int("pspLength", s.pspLength, 0);
  int("minIsi", s.minIsi, 1);
  int("sampleEvery", s.sampleEvery, 0);
  int("onLength", s.onLength, 0);
  int("recordCapacity", s.recordCapacity, 0);
  if (s.sampleEvery > 0 && s.n > 20) throw new RangeError(`sampling: n is ${s.n}; state histograms need n <= 20`);
  if (s.stdp.length > MAX_RULES) throw new RangeError(`sampling: ${s.stdp.length} STDP rules; at most ${MAX_RULES}`);
  s.stdp.forEach((r, i) => {
    int(`stdp[${i}].length`, r.length, 0);
    if (!(r.tau > 0)) throw new RangeError(`sampling: stdp[${i}].tau is ${r.tau}; must be > 0`);
    if (r.pairing === "lastN") int(`stdp[${i}].lastN`, r.lastN ?? 0, 1);
    if (r.aCausal.length !== s.n * s.n || r.aAnti.length !== s.n * s.n)
      throw new RangeError(`sampling: stdp[${i}] amplitudes must have n*n = ${s.n * s.n} entries`);
  });
}
