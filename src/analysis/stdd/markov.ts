// Exact first-order STDD of two coupled sampling neurons by a Markov chain
// (docs/models/sal.md#exact-chain), in the simulator's time convention
// (PairParams pspLength / minIsi; ssn: PSP seen by draws s+1 .. s+tauSyn-1,
// earliest re-spike s+tRef+1). Pure TS, f64.
//
// State at the draw of step t: (a, c) = steps since the last spike of
// neuron 0 and of neuron 1, each in 1..M, M = max(minIsi, pspLength + 1)
// meaning "M or more" (a neuron that never spiked is at M). In step t:
//   neuron 0 may fire iff a >= minIsi, with p0 = sigma(b0 + W01 [1 <= c <= pspLength] - ln tRef),
//   neuron 1 may fire iff c >= minIsi, with p1 = sigma(b1 + W10 [1 <= a <= pspLength] - ln tRef),
// independently; a firing neuron goes to 1, a silent one to min(a + 1, M).
// So every state has at most 4 successors. With a PSP shape (PairParams
// `pspTable`, src/models/psp.ts) the indicator [1 <= c <= pspLength] becomes
// kappa(min(c, len)) and M = max(minIsi, len): the PSP is that of the
// partner's newest spike, as in the simulator.
//
// Rate of first-order pairs at lag dt = +d (0 fires at s, 1 is silent at s,
// nobody fires at s+1 .. s+d-1, 1 fires at s+d; 0 may fire at s+d too):
//   v_1 = sum_x pi(x) p0(x) (1 - p1(x)) delta(succ_10(x))
//         [+ pi(x) p0(x) p1(x) delta(succ_11(x)) with ties 'pair': 1 may fire at s too],
//   rate(d) = sum_y v_d(y) p1(y),   v_{d+1} = sum_y v_d(y) (1-p0)(1-p1) delta(succ_00(y)).
// dt = -d is the same with the neurons' roles swapped. This is exactly what
// the Monte-Carlo histogram counts (montecarlo.ts), including steps in which
// both neurons fire.
//
// Differences to the authors' stddc (unibe-cns/sal-code: stdd_calculator/src/stddc),
// see also docs/models/sal.md#time-convention-and-quirks: stddc lets a neuron
// fire again at s + t_ref (ours s + t_ref + 1); it folds the lag into the state and stops
// at t_max - 1 (we propagate until the unresolved mass is below `tol`); it
// conditions on every spike of the first neuron, including steps where both
// fire, and keeps propagating mass after both fire again; it normalises each
// half to 0.5 (here optional, see finalizeStdd).
import { timeConvention, type PairParams, type RawStdd } from "./stdd.js";
import { tableValue } from "../../models/psp.js";

export interface ChainOptions {
  /** Stop propagating a half when the unresolved mass is below tol times its start mass. */
  tol?: number;
  /** Hard cap on the lag (steps); mass left then is reported as `tail`. */
  maxSteps?: number;
}

/** sigma(u - ln tRef) = 1 / (1 + tRef e^{-u}) (arXiv:2503.02642, neuron model). */
export function fireProbF64(u: number, tRef: number): number {
  return 1 / (1 + tRef * Math.exp(-u));
}

/** The chain: per state its firing probabilities and 4 successors. */
export interface PairChain {
  M: number;
  size: number;
  p0: Float64Array;
  p1: Float64Array;
  /** Successor when nobody / only 0 / only 1 / both fire. */
  s00: Int32Array;
  s10: Int32Array;
  s01: Int32Array;
  s11: Int32Array;
}

export function buildChain(params: PairParams): PairChain {
  const { pspLength, minIsi } = timeConvention(params);
  const K = params.pspTable;
  if (!(minIsi >= 1) || !(K ? K.length >= 1 : pspLength >= 0))
    throw new Error(`bad time convention: minIsi ${minIsi}, pspLength ${pspLength}`);
  const M = K ? shapedChainSize(minIsi, K.length) : Math.max(minIsi, pspLength + 1);
  const size = M * M;
  const idx = (a: number, c: number) => (a - 1) * M + (c - 1);
  const adv = (a: number) => Math.min(a + 1, M);
  const chain: PairChain = {
    M,
    size,
    p0: new Float64Array(size),
    p1: new Float64Array(size),
    s00: new Int32Array(size),
    s10: new Int32Array(size),
    s01: new Int32Array(size),
    s11: new Int32Array(size),
  };
  // firing probabilities by the partner's lag 1..M: the PSP table's value, or the rectangle on or off
  const q0 = new Float64Array(M + 1),
    q1 = new Float64Array(M + 1);
  const rect0 = [fireProbF64(params.b0, params.tRef), fireProbF64(params.b0 + params.W01, params.tRef)];
  const rect1 = [fireProbF64(params.b1, params.tRef), fireProbF64(params.b1 + params.W10, params.tRef)];
  for (let d = 1; d <= M; d++) {
    if (K) {
      const k = tableValue(K, d);
      q0[d] = fireProbF64(params.b0 + params.W01 * k, params.tRef);
      q1[d] = fireProbF64(params.b1 + params.W10 * k, params.tRef);
    } else {
      q0[d] = rect0[d <= pspLength ? 1 : 0];
      q1[d] = rect1[d <= pspLength ? 1 : 0];
    }
  }
  for (let a = 1; a <= M; a++) {
    for (let c = 1; c <= M; c++) {
      const i = idx(a, c);
      chain.p0[i] = a >= minIsi ? q0[c] : 0;
      chain.p1[i] = c >= minIsi ? q1[a] : 0;
      chain.s00[i] = idx(adv(a), adv(c));
      chain.s10[i] = idx(1, adv(c));
      chain.s01[i] = idx(adv(a), 1);
      chain.s11[i] = idx(1, 1);
    }
  }
  return chain;
}

/** States per neuron of the chain of a PSP table of `len` lags: M = max(2, minIsi, len). */
export function shapedChainSize(minIsi: number, len: number): number {
  return Math.max(2, minIsi, len);
}

/** dst = src T (one step of the chain). */
function step(ch: PairChain, src: Float64Array, dst: Float64Array): void {
  dst.fill(0);
  for (let i = 0; i < ch.size; i++) {
    const m = src[i];
    if (m === 0) continue;
    const p0 = ch.p0[i],
      p1 = ch.p1[i];
    dst[ch.s00[i]] += m * (1 - p0) * (1 - p1);
    dst[ch.s10[i]] += m * p0 * (1 - p1);
    dst[ch.s01[i]] += m * (1 - p0) * p1;
    dst[ch.s11[i]] += m * p0 * p1;
  }
}

/**
 * Stationary distribution, exactly (no iteration): only states where some
 * neuron may fire ("random" states, a >= minIsi or c >= minIsi) branch; all
 * others advance deterministically. The chain watched only in the random
 * states (censored chain: each branch followed along its deterministic path
 * to the next random state) is solved with the GTH elimination (Grassmann,
 * Taksar & Heyman 1985; subtraction-free, so stable even for nearly
 * decomposable chains such as strongly coupled pairs), then the mass is
 * pushed along the deterministic paths to the other states.
 */
export function stationary(ch: PairChain, minIsi: number): { pi: Float64Array; residual: number } {
  const M = ch.M;
  const isRandom = (i: number) => Math.floor(i / M) + 1 >= minIsi || (i % M) + 1 >= minIsi;
  const R: number[] = [];
  const pos = new Int32Array(ch.size).fill(-1);
  for (let i = 0; i < ch.size; i++)
    if (isRandom(i)) {
      pos[i] = R.length;
      R.push(i);
    }
  const n = R.length;
  const hit = (y: number) => {
    while (pos[y] < 0) y = ch.s00[y];
    return y;
  };
  const P = new Float64Array(n * n);
  const branches = (i: number): [number, number][] => {
    const p0 = ch.p0[i],
      p1 = ch.p1[i];
    return [
      [ch.s00[i], (1 - p0) * (1 - p1)],
      [ch.s10[i], p0 * (1 - p1)],
      [ch.s01[i], (1 - p0) * p1],
      [ch.s11[i], p0 * p1],
    ];
  };
  for (let r = 0; r < n; r++) for (const [y, q] of branches(R[r])) if (q > 0) P[r * n + pos[hit(y)]] += q;
  const piR = gth(P, n);
  const pi = new Float64Array(ch.size);
  for (let r = 0; r < n; r++) {
    pi[R[r]] += piR[r];
    for (const [y0, q] of branches(R[r])) {
      if (!(q > 0)) continue;
      for (let y = y0; pos[y] < 0; y = ch.s00[y]) pi[y] += piR[r] * q;
    }
  }
  return normalised(ch, pi);
}

/** pi / sum(pi), with the residual |pi T - pi|_1 as a check of the solve. */
function normalised(ch: PairChain, pi: Float64Array): { pi: Float64Array; residual: number } {
  let total = 0;
  for (let i = 0; i < ch.size; i++) total += pi[i];
  for (let i = 0; i < ch.size; i++) pi[i] /= total;
  const next = new Float64Array(ch.size);
  step(ch, pi, next);
  let residual = 0;
  for (let i = 0; i < ch.size; i++) residual += Math.abs(next[i] - pi[i]);
  return { pi, residual };
}

/**
 * Stationary vector (unnormalised, x[0] = 1) of the n x n row-stochastic matrix P (row-major, overwritten)
 * by the GTH elimination (Grassmann, Taksar & Heyman 1985): states n-1 .. 1 eliminated, then back-substituted.
 */
function gth(P: Float64Array, n: number): Float64Array {
  for (let k = n - 1; k >= 1; k--) {
    let s = 0;
    for (let j = 0; j < k; j++) s += P[k * n + j];
    if (!(s > 0)) throw new Error("two-neuron chain is not irreducible (firing probabilities of exactly 0 or 1)");
    for (let i = 0; i < k; i++) P[i * n + k] /= s;
    for (let i = 0; i < k; i++) {
      const f = P[i * n + k];
      if (f === 0) continue;
      for (let j = 0; j < k; j++) P[i * n + j] += f * P[k * n + j];
    }
  }
  const x = new Float64Array(n);
  x[0] = 1;
  for (let k = 1; k < n; k++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += x[i] * P[i * n + k];
    x[k] = s;
  }
  return x;
}

/**
 * Stationary distribution through the post-spike states B = {a = 1 or c = 1} (2M - 1 of them):
 * between spikes the chain moves deterministically along the diagonal (a + 1, c + 1) (capped at
 * M), leaving it only into B, so the chain watched in B is built by following each diagonal path
 * once (at (M, M), which repeats itself, by the geometric sum), solved by GTH, and its mass pushed
 * back along the paths. Exact like `stationary`, at O(M^3) instead of O(R^3) for the R >= M^2 -
 * (minIsi - 1)^2 states where someone may fire: the solver of PSP shapes, whose chains are long.
 */
export function stationaryPostSpike(ch: PairChain): { pi: Float64Array; residual: number } {
  const M = ch.M;
  const B: number[] = [];
  const pos = new Int32Array(ch.size).fill(-1);
  for (let i = 0; i < ch.size; i++)
    if (i < M || i % M === 0) {
      pos[i] = B.length;
      B.push(i);
    }
  const n = B.length;
  const P = new Float64Array(n * n);
  const sat = ch.size - 1;
  // walks the diagonal path from x: visit(y, survival) for each state on it (the saturated state with
  // its geometric weight), exit(z, weight) for each way into B
  const walk = (x: number, visit: (y: number, w: number) => void, exit: (z: number, w: number) => void) => {
    let y = x,
      w = 1;
    for (;;) {
      const p0 = ch.p0[y],
        p1 = ch.p1[y];
      const stay = (1 - p0) * (1 - p1);
      // at (M, M) the path repeats: weights summed over the repetitions, 1 / (1 - stay), with
      // 1 - stay = p0 + p1 (1 - p0) written without cancellation
      const g = y === sat ? w / (p0 + p1 * (1 - p0)) : w;
      visit(y, g);
      exit(ch.s10[y], g * p0 * (1 - p1));
      exit(ch.s01[y], g * (1 - p0) * p1);
      exit(ch.s11[y], g * p0 * p1);
      if (y === sat) return;
      w *= stay;
      y = ch.s00[y];
    }
  };
  for (let r = 0; r < n; r++)
    walk(
      B[r],
      () => undefined,
      (z, q) => {
        P[r * n + pos[z]] += q;
      },
    );
  const piB = gth(P, n);
  const pi = new Float64Array(ch.size);
  for (let r = 0; r < n; r++)
    walk(
      B[r],
      (y, w) => {
        pi[y] += piB[r] * w;
      },
      () => undefined,
    );
  return normalised(ch, pi);
}

/** One half: pairs "first fires at s alone, second fires first at s + d". */
function half(
  ch: PairChain,
  pi: Float64Array,
  first: 0 | 1,
  tol: number,
  maxSteps: number,
  ties: boolean,
): { rates: Float64Array; tail: number } {
  const pf = first === 0 ? ch.p0 : ch.p1;
  const ps = first === 0 ? ch.p1 : ch.p0;
  const sAlone = first === 0 ? ch.s10 : ch.s01;
  let v = new Float64Array(ch.size);
  let w = new Float64Array(ch.size);
  let start = 0;
  for (let i = 0; i < ch.size; i++) {
    const m = pi[i] * pf[i] * (1 - ps[i]);
    v[sAlone[i]] += m;
    start += m;
  }
  if (ties) {
    // a step in which both fire starts a pair of each half (PairParams `ties` 'pair')
    for (let i = 0; i < ch.size; i++) {
      const m = pi[i] * pf[i] * ps[i];
      v[ch.s11[i]] += m;
      start += m;
    }
  }
  const rates: number[] = [0];
  let mass = start;
  for (let d = 1; d <= maxSteps && mass > tol * start; d++) {
    w.fill(0);
    let r = 0,
      left = 0;
    for (let i = 0; i < ch.size; i++) {
      const m = v[i];
      if (m === 0) continue;
      r += m * ps[i];
      const stay = m * (1 - ch.p0[i]) * (1 - ch.p1[i]);
      w[ch.s00[i]] += stay;
      left += stay;
    }
    rates.push(r);
    mass = left;
    [v, w] = [w, v];
  }
  // After M silent steps all surviving mass sits in the saturated state, where
  // it becomes a pair with probability ps / (1 - (1-p0)(1-p1)) in the end.
  const z = ch.size - 1;
  const stay = (1 - ch.p0[z]) * (1 - ch.p1[z]);
  const tail = rates.length - 1 >= ch.M && v[z] === mass && stay < 1 ? (mass * ps[z]) / (1 - stay) : mass;
  return { rates: Float64Array.from(rates), tail };
}

export interface ExactResult extends RawStdd {
  /** L1 norm of pi T - pi (check of the stationary solve). */
  residual: number;
  /** Steps in which both neurons fire, per step. */
  coincidenceRate: number;
}

/** Exact raw STDD (pair rates per step and lag) of the pair. */
export function exactRawStdd(params: PairParams, o: ChainOptions = {}): ExactResult {
  const ch = buildChain(params);
  const { pi, residual } = params.pspTable ? stationaryPostSpike(ch) : stationary(ch, timeConvention(params).minIsi);
  const tol = o.tol ?? 1e-13;
  const maxSteps = o.maxSteps ?? 100_000;
  const ties = params.ties === "pair";
  const r = half(ch, pi, 0, tol, maxSteps, ties);
  const l = half(ch, pi, 1, tol, maxSteps, ties);
  let rate0 = 0,
    rate1 = 0,
    both = 0;
  for (let i = 0; i < ch.size; i++) {
    rate0 += pi[i] * ch.p0[i];
    rate1 += pi[i] * ch.p1[i];
    both += pi[i] * ch.p0[i] * ch.p1[i];
  }
  return { right: r.rates, left: l.rates, steps: 1, rate0, rate1, tail: r.tail + l.tail, residual, coincidenceRate: both };
}
