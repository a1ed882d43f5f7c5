// Backend-independent part of the sampling-network family: the memory layout
// of a network (allocated through the backend's arena, so the same buffers
// are typed-array views on js and wasm linear memory on wasm), seeding,
// restart and clear. Only `samplingRun` differs between the backends
// (src/backend/js/samplingKernels.ts, assembly/sampling.ts).
//
// Layout (n4 = n rounded up to a multiple of 4; lanes n..n4-1 are padding
// that never fires):
//   WT     f32 n x n4   transposed weights, WT[pre * n4 + post] (a PSP onset adds one contiguous column)
//   u      f32 n4       potentials b + W psp (column mode: resynchronised to b when no PSP is active)
//   thr    u32 n4       cached Bernoulli thresholds (0 while refractory and on padding lanes)
//   valid  u32 n4       0xffffffff on real neurons, 0 on padding
//   rng    u32 4 x n4   xoshiro128** states, structure of arrays: word w of lane k at rng[w * n4 + k]
//   last   i32 n4       time of the newest spike (SAMPLING_NEVER before the first one)
//   offQT/offQI, refQT/refQI  FIFO queues (time, neuron) of pending PSP ends and refractory ends;
//          both are pushed in time order, so each queue stays sorted
//   on     i32 n        PSP active flag
//   table mode (n <= SAMPLING_TABLE_MAX_N): the potentials and thresholds of all 2^n PSP patterns,
//     uTab f32 2^n x n4, thrTab u32 2^n x n4, built at restart:
//     u(mask) = (((b + W[:, j1]) + W[:, j2]) + ...) for the active presynaptic j1 < j2 < ...
//     (exact, no drift; an event only swaps the pattern). Column mode (larger n):
//     u += W[:, j] at a spike of j, u -= W[:, j] at its PSP end, thresholds recomputed once per event step.
//   hisT   i32 n x cap  ring buffer of each neuron's newest `cap` spike times (for STDP pairing)
//   hisN   i32 n        spikes pushed into the ring since the restart
//   spk    u32 n4       scratch: spike masks of the current step
//   log    i32 2 x SAMPLING_LOG_CAP  (table mode, wasm only) spiking steps of the loop not yet counted and
//          paired, as (t, lane bit mask); handled in order when full and at the end of a run
//   per STDP rule: K (f64 length) kernel table K[d] for d = |dt|, aC, aA (f32 n x n), S (f64 n x n)
//   shaped PSPs (spec `psp`; neither table mode nor the PSP queues are used then):
//     pspK f32 len  kappa for lags 1..len (later lags keep the last entry)
//     base f32 n4   b padded with zeros to n4 lanes
//     kap  f32 n    scratch: kappa_j of each presynaptic neuron at the current step
//   hdr    i32          scalars and (wasm) byte offsets of the above: slots SAMPLING_H and SAMPLING_RULE
//          of src/backend/layout.ts, read by assembly/sampling.ts through the generated layout
//
// Random streams: neuron (lane) k draws from the state obtained by seeding
// with splitmix32(seed) and jumping k times (2^64 outputs each), one output
// per step, every step, refractory or not.
import type { Arena, Buf, F32Buf, F64Buf, I32Buf, U32Buf } from "./types.js";
import type { SamplingNet, SamplingNetSpec, StdpRuleSpec } from "./sampling.js";
import { seedStreams } from "./shared/rng.js";
import { threshold } from "./shared/mathf.js";
import {
  SAMPLING_H as H,
  SAMPLING_INF,
  SAMPLING_LOG_CAP,
  SAMPLING_MAX_RULES as MAX_RULES,
  SAMPLING_NEVER,
  SAMPLING_PSP_MAX,
  SAMPLING_RULE,
  SAMPLING_TABLE_MAX_N,
} from "./layout.js";

/** Runs are limited to MAX_TIME steps per restart. */
export const MAX_TIME = 2 ** 30 - 1;

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
  readonly offQT: I32Buf;
  readonly offQI: I32Buf;
  readonly refQT: I32Buf;
  readonly refQI: I32Buf;
  readonly table: boolean;
  readonly uTab: F32Buf | null;
  readonly thrTab: U32Buf | null;
  readonly on: I32Buf;
  readonly hisT: I32Buf;
  readonly hisN: I32Buf;
  readonly spk: U32Buf;
  /** scratch: presynaptic ids whose columns one pass adds or subtracts (wasm column mode) */
  readonly cols: I32Buf;
  readonly log: I32Buf | null;
  readonly spikeCount: F64Buf;
  readonly hist: F64Buf | null;
  readonly recTime: I32Buf | null;
  readonly recId: I32Buf | null;
  readonly rules: RuleBufs[];
  readonly stdpSum: F64Buf[];
  readonly hdr: I32Buf;
  /** Shaped PSPs (spec `psp`): the table, the padded biases and the kappa scratch; null for the rectangle. */
  readonly psp: { readonly K: F32Buf; readonly base: F32Buf; readonly kap: F32Buf } | null;

  constructor(
    readonly spec: SamplingNetSpec,
    arena: Arena,
    seed: number,
    private readonly buildTable: (s: SamplingState) => void = buildTableJs,
  ) {
    validateSpec(spec);
    const n = (this.n = spec.n);
    const n4 = (this.n4 = (n + 3) & ~3);
    // ring and queue capacities are powers of two (indices wrap with a bit mask)
    this.cap = pow2(Math.max(1, ...spec.stdp.map((r) => pairsPerPartner(r, spec.minIsi))));
    this.W = arena.alloc("f32", n * n);
    this.b = arena.alloc("f32", n);
    this.WT = arena.alloc("f32", n * n4);
    this.u = arena.alloc("f32", n4);
    this.thresholds = arena.alloc("u32", n4);
    this.valid = arena.alloc("u32", n4);
    this.rng = arena.alloc("u32", 4 * n4);
    this.last = arena.alloc("i32", n4);
    // a neuron has at most ceil((pspLength + 1) / minIsi) + 1 pending PSP ends and one refractory end
    const offCap = pow2(n * (Math.ceil((spec.pspLength + 1) / spec.minIsi) + 1));
    this.offQT = arena.alloc("i32", offCap);
    this.offQI = arena.alloc("i32", offCap);
    this.refQT = arena.alloc("i32", pow2(n + 1));
    this.refQI = arena.alloc("i32", pow2(n + 1));
    const shaped = spec.psp != null;
    this.table = n <= SAMPLING_TABLE_MAX_N && !shaped;
    this.uTab = this.table ? arena.alloc("f32", (1 << n) * n4) : null;
    this.thrTab = this.table ? arena.alloc("u32", (1 << n) * n4) : null;
    this.on = arena.alloc("i32", n);
    this.hisT = arena.alloc("i32", n * this.cap);
    this.hisN = arena.alloc("i32", n);
    this.spk = arena.alloc("u32", n4);
    this.cols = arena.alloc("i32", n + 1);
    this.log = this.table ? arena.alloc("i32", 2 * SAMPLING_LOG_CAP) : null;
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
    this.psp = shaped ? { K: arena.from("f32", spec.psp!), base: arena.alloc("f32", n4), kap: arena.alloc("f32", n) } : null;
    this.hdr = arena.alloc("i32", H.size);

    const v = this.valid.view;
    for (let k = 0; k < n; k++) v[k] = 0xffffffff;
    seedStreams(this.rng.view, n4, seed);
    const h = this.hdr.view;
    h[H.n] = n;
    h[H.n4] = n4;
    h[H.pspLength] = spec.pspLength;
    h[H.minIsi] = spec.minIsi;
    h[H.sampleEvery] = spec.sampleEvery;
    h[H.onLength] = spec.onLength;
    h[H.recCap] = spec.recordCapacity;
    h[H.nRules] = this.rules.length;
    h[H.cap] = this.cap;
    h[H.tRefBits] = new Int32Array(new Float32Array([spec.tRef]).buffer)[0];
    const p = (b: Buf | null): number => (b === null ? 0 : b.ptr);
    h[H.b] = p(this.b);
    h[H.WT] = p(this.WT);
    h[H.u] = p(this.u);
    h[H.thr] = p(this.thresholds);
    h[H.valid] = p(this.valid);
    h[H.rng] = p(this.rng);
    h[H.last] = p(this.last);
    h[H.offQT] = p(this.offQT);
    h[H.offQI] = p(this.offQI);
    h[H.refQT] = p(this.refQT);
    h[H.refQI] = p(this.refQI);
    h[H.offCap] = this.offQT.length;
    h[H.refCap] = this.refQT.length;
    h[H.table] = this.table ? 1 : 0;
    h[H.thrTab] = p(this.thrTab);
    h[H.uTab] = p(this.uTab);
    h[H.on] = p(this.on);
    h[H.hisT] = p(this.hisT);
    h[H.hisN] = p(this.hisN);
    h[H.spk] = p(this.spk);
    h[H.count] = p(this.spikeCount);
    h[H.hist] = p(this.hist);
    h[H.recT] = p(this.recTime);
    h[H.recI] = p(this.recId);
    h[H.cols] = p(this.cols);
    h[H.log] = p(this.log);
    h[H.logCap] = this.log === null ? 0 : SAMPLING_LOG_CAP;
    h[H.shaped] = shaped ? 1 : 0;
    if (this.psp) {
      h[H.pspK] = p(this.psp.K);
      h[H.pspLen] = this.psp.K.length;
      h[H.base] = p(this.psp.base);
      h[H.kap] = p(this.psp.kap);
    }
    this.rules.forEach((r, i) => {
      const o = H.rule0 + i * H.ruleSlots,
        R = SAMPLING_RULE;
      h[o + R.length] = r.length;
      h[o + R.N] = r.N;
      h[o + R.countZero] = r.countZero ? 1 : 0;
      h[o + R.K] = p(r.K);
      h[o + R.aC] = p(r.aC);
      h[o + R.aA] = p(r.aA);
      h[o + R.S] = p(r.S);
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
  debugPotentials(): Float32Array {
    return this.u.view.slice(0, this.n);
  }

  /** t = 0, no PSPs, nobody refractory; copies W into WT and recomputes u = b and the thresholds. */
  restart(): void {
    const { n, n4 } = this;
    const h = this.hdr.view;
    const W = this.W.view,
      WT = this.WT.view,
      b = this.b.view,
      u = this.u.view,
      thr = this.thresholds.view;
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
    const tRef = this.spec.tRef;
    for (let k = 0; k < n; k++) {
      u[k] = b[k];
      thr[k] = threshold(b[k], tRef);
    }
    if (this.table) this.buildTable(this);
    this.last.view.fill(SAMPLING_NEVER);
    if (this.psp) {
      const base = this.psp.base.view;
      base.fill(0);
      base.set(b);
      shapedPotentials(this, 0);
    }
    this.on.view.fill(0);
    this.hisN.view.fill(0);
    h[H.t] = 0;
    h[H.offHead] = 0;
    h[H.offTail] = 0;
    h[H.refHead] = 0;
    h[H.refTail] = 0;
    h[H.mask] = 0;
    h[H.dirty] = 0;
    h[H.nextStop] = this.spec.sampleEvery > 0 ? 0 : SAMPLING_INF;
    h[H.nextSample] = this.spec.sampleEvery > 0 ? 0 : SAMPLING_INF;
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

/** The network's state, checked to be one that samplingCreate made. */
export function samplingState(net: SamplingNet): SamplingState {
  if (!(net instanceof SamplingState)) throw new TypeError("sampling: not a network created by samplingCreate");
  return net;
}

/**
 * Fills uTab/thrTab (table mode): pattern m = m' + its highest bit j has u(m) = u(m') + W[:, j],
 * so the columns of a pattern are added in ascending j. Padding lanes stay 0.
 */
export function buildTableJs(s: SamplingState): void {
  const { n, n4 } = s;
  const uT = s.uTab!.view,
    tT = s.thrTab!.view,
    WT = s.WT.view,
    b = s.b.view;
  const tRef = s.spec.tRef;
  for (let k = 0; k < n; k++) {
    uT[k] = b[k];
    tT[k] = threshold(b[k], tRef);
  }
  for (let m = 1; m < 1 << n; m++) {
    const j = 31 - Math.clz32(m);
    const src = (m ^ (1 << j)) * n4,
      dst = m * n4;
    for (let k = 0; k < n; k++) {
      uT[dst + k] = uT[src + k] + WT[j * n4 + k];
      tT[dst + k] = threshold(uT[dst + k], tRef);
    }
  }
}

const f = Math.fround;

/**
 * Shaped PSPs: potentials u = b + sum_j W[:, j] kappa_j in ascending j (each term and sum rounded to
 * f32; kappa_j = psp[min(t - last_j, len) - 1], terms with kappa_j = 0 skipped) and thresholds for the
 * draws at t (0 while refractory and on padding lanes). Returns the next refractory end after t
 * (SAMPLING_INF if none). assembly/sampling.ts `shapedPotentials` does the same operations.
 */
export function shapedPotentials(s: SamplingState, t: number): number {
  const { n, n4 } = s;
  const K = s.psp!.K.view,
    kap = s.psp!.kap.view,
    base = s.psp!.base.view;
  const WT = s.WT.view,
    u = s.u.view,
    thr = s.thresholds.view,
    last = s.last.view,
    valid = s.valid.view;
  const len = K.length,
    minIsi = s.spec.minIsi,
    tRef = s.spec.tRef;
  for (let j = 0; j < n; j++) kap[j] = K[Math.min(t - last[j], len) - 1];
  for (let k = 0; k < n4; k++) {
    let acc = base[k];
    for (let j = 0; j < n; j++) if (kap[j] !== 0) acc = f(acc + f(WT[j * n4 + k] * kap[j]));
    u[k] = acc;
    thr[k] = valid[k] !== 0 && t - last[k] >= minIsi ? threshold(acc, tRef) : 0;
  }
  let next = SAMPLING_INF;
  for (let k = 0; k < n; k++) {
    const r = last[k] + minIsi;
    if (r > t && r < next) next = r;
  }
  return next;
}

function pow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** Spikes of one partner a rule pairs with: nearest 1, lastN N, all: every spike within the cut-off. */
export function pairsPerPartner(r: StdpRuleSpec, minIsi: number): number {
  if (r.pairing === "nearest") return 1;
  if (r.pairing === "lastN") return Math.max(1, r.lastN ?? 1);
  return Math.ceil(r.length / Math.max(1, minIsi)) + 1;
}

/**
 * K[d] for d = |dt| = 0 .. length-1: exponential e^{-d/tau}, triangular max(0, 1 - d/tau). Computed once in f64 and shared
 * by both backends.
 */
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
  if (s.psp != null) {
    if (!(s.psp instanceof Float32Array) || s.psp.length < 1 || s.psp.length > SAMPLING_PSP_MAX)
      throw new RangeError(`sampling: psp must be a Float32Array of 1 .. ${SAMPLING_PSP_MAX} lags`);
    s.psp.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new RangeError(`sampling: psp[${i}] is ${v}; must be finite`);
    });
  }
  if (s.stdp.length > MAX_RULES) throw new RangeError(`sampling: ${s.stdp.length} STDP rules; at most ${MAX_RULES}`);
  s.stdp.forEach((r, i) => {
    int(`stdp[${i}].length`, r.length, 0);
    if (!(r.tau > 0)) throw new RangeError(`sampling: stdp[${i}].tau is ${r.tau}; must be > 0`);
    if (r.pairing === "lastN") int(`stdp[${i}].lastN`, r.lastN ?? 0, 1);
    if (r.aCausal.length !== s.n * s.n || r.aAnti.length !== s.n * s.n)
      throw new RangeError(`sampling: stdp[${i}] amplitudes must have n*n = ${s.n * s.n} entries`);
  });
}
