// js reference of the microcircuit kernel family: the spiking dendritic
// cortical microcircuit with Urbanczik-Senn forward learning and SAL on the
// feedback weights (docs/models/microcircuit.md; arXiv:2503.02642, fig. 6). One
// call of `mcRunPattern` simulates one pattern presentation.
//
// This is the readable form of the algorithm that assembly/microcircuit.ts
// runs with SIMD (`runGeneral`, and `run111` for dims 1-1-1): the same f32
// operations in the same order (Math.fround at each), the same f64 sums and
// the same RNG draws, so both backends give the same bits for the same seed
// (test/conformance/microcircuit.test.ts compares them exactly). The
// assembly file names its phases and rule pieces as this file does
// (movingAverageStep, forwardLayer, salNearest, salTraces, accumulate,
// forwardDelta, hiddenPotential, ...; its bracketFires is the spike decision
// written out in drawSpikes here), so the two read side by side.
//
// One step t, in the order of docs/models/microcircuit.md#neuron-dynamics (its last sentence):
//   1. drawSpikes        every neuron draws from its own stream; a non-refractory one
//                        fires iff x < T(u of step t-1); its rectangular PSP is on
//                        while 0 <= t - t_spike < tauSyn
//   2. potentials        hidden P, interneurons, output (nudged towards the target)
//   3. movingAverages    boxcar means over the last `win` steps of u1, vbas1, vbas2, u2
//   4. forwardRule       Urbanczik-Senn on W10, W21 with the presynaptic spikes of
//                        step t-1, then the self-predicting copies
//   5. salNearest        SAL on B12, nearest partner spike (MC_FLAG.sal), or
//      salTraces         all earlier partner spikes through traces (MC_FLAG.salAll)
//   6. accumulateOutput  sums of u2 and b2 + vbas2 for the pattern's mean output
// Forward plasticity and output accumulation run from step `lag` of the call
// on; SAL runs the whole pattern (as the authors' code). A potential is
// recomputed (densely, so with the same result) only when a PSP or a weight it
// reads has changed; the `dirty` bits say which.
//
// Steps 1-3 and 6 run every step and sit in mcRunPattern's loop as named
// sections: a call per step to a function V8 does not inline cost 8-17 % of
// the js speed at dims 1-1-1 (measured with the epoch protocol). Steps 4 and 5
// run only on spikes and are functions. The rules' arithmetic is written once,
// as small f32 functions named after the src/learning/ functions they mirror
// (the backend may not import from learning/, which sits above it), called by
// the steps; test/microcircuit/rules.test.ts holds each to its original bit
// for bit.
import type { MicrocircuitKernels, McState } from "../microcircuit.js";
import { MC_BRACKET, MC_FLAG, MC_H, MC_NEVER, MC_P, mcLayout } from "../layout.js";
import { expf, fireProb, threshold } from "../shared/mathf.js";
import { rngNext } from "../shared/rng.js";

const f = Math.fround;
const BRACKET = f(MC_BRACKET);

// dirty bits: which potentials must be recomputed from their inputs
const DIRTY_HIDDEN = 1,
  DIRTY_INTER = 2,
  DIRTY_OUTPUT = 4;

// ---------------------------------------------------------------------------
// The rules in f32 (each mirrors a function of src/learning/)

/** eta (p(mu) - p(mb + b)): the error factor of the forward rule. Mirrors learning/urbanczikSenn.ts forwardDelta. */
export function forwardDelta(eta: number, meanSoma: number, meanBasal: number, bias: number, tRef: number): number {
  return f(eta * f(fireProb(meanSoma, tRef) - fireProb(f(meanBasal + bias), tRef)));
}

/** A moving average as the rules read it: f64 boxcar sum / count, rounded to f32. Mirrors learning/urbanczikSenn.ts movingMean. */
export function movingMean(sum: number, count: number): number {
  return f(sum / count);
}

/** u1 = (b1 + v_bas) + lambda_api v_api. Mirrors learning/urbanczikSenn.ts hiddenPotential. */
export function hiddenPotential(bias: number, basal: number, apical: number, lambdaApi: number): number {
  return f(f(bias + basal) + f(lambdaApi * apical));
}

/**
 * b + v_bas: the un-nudged output soma (and the interneuron, a copy of the output's free drive).
 * Mirrors learning/urbanczikSenn.ts outputPotential without a target.
 */
export function outputFree(bias: number, basal: number): number {
  return f(bias + basal);
}

/**
 * (b2 + v_bas) + lambda_nudge ((u_tgt - mean v_bas) - b2), mean v_bas over the steps before t.
 * Mirrors learning/urbanczikSenn.ts outputPotential with a target.
 */
export function outputNudged(bias: number, basal: number, target: number, basalMean: number, lambdaNudge: number): number {
  return f(outputFree(bias, basal) + f(lambdaNudge * f(f(target - basalMean) - bias)));
}

/**
 * W_IP <- W21, W_PI <- -B12 inside F (element offsets of W21 n2 x n1, B12 n1 x n2, WIP, WPI).
 * Mirrors learning/urbanczikSenn.ts selfPredictingCopies.
 */
export function selfPredictingCopies(F: Float32Array, W21: number, B12: number, WIP: number, WPI: number, n1: number, n2: number): void {
  for (let i = 0; i < n1; i++) {
    for (let k = 0; k < n2; k++) {
      F[WIP + k * n1 + i] = F[W21 + k * n1 + i];
      F[WPI + i * n2 + k] = -F[B12 + i * n2 + k];
    }
  }
}

/** etaA e^{-d/tau}: the change of B12 from one nearest-partner pair at distance d > 0. Mirrors learning/sal.ts salNearestDelta. */
export function salNearestDelta(d: number, etaA: number, tau: number): number {
  return f(etaA * expf(-f(f(d) / tau)));
}

/** e^{-1/tau}: the per-step decay of a SAL trace. Mirrors learning/sal.ts salTraceDecay. */
export function salTraceDecay(tau: number): number {
  return expf(-f(1 / tau));
}

/**
 * etaA x: the change of B12 when one side fires and the partner's trace is x (0 for an empty trace). Mirrors
 * learning/sal.ts salTraceDelta.
 */
export function salTraceDelta(x: number, etaA: number): number {
  return x > 0 ? f(etaA * x) : 0;
}

/** Sum of the n weights F[w + j] whose presynaptic PSP I[psp + j] is on, in f32, in order j = 0..n-1. */
function gatedSum(F: Float32Array, w: number, I: Int32Array, psp: number, n: number): number {
  let acc = 0;
  for (let j = 0; j < n; j++) if (I[psp + j]) acc = f(acc + F[w + j]);
  return acc;
}

// ---------------------------------------------------------------------------
// What one call reads

/** Views, sizes, parameters, flags and offsets of one call, read once by name. */
interface Ctx {
  F: Float32Array;
  I: Int32Array;
  U: Uint32Array;
  D: Float64Array;
  /** the bracket cache: thresholds (C) and, at the bracket offsets, f32 bounds (Cf) */
  C: Uint32Array;
  Cf: Float32Array;
  n0: number;
  n1: number;
  n2: number;
  N: number;
  Q: number;
  win: number;
  // parameters (MC_H, MC_P)
  tRefSteps: number;
  tauSyn: number;
  tRef: number;
  lambdaApi: number;
  lambdaNudge: number;
  eta1: number;
  eta2: number;
  tauCausal: number;
  tauAnti: number;
  /** eta_B A_c (hidden fires after output) and eta_B A_a (output fires after hidden) */
  etaCausal: number;
  etaAnti: number;
  /** per-step decays of the hidden traces (tauAnti) and of the output traces (tauCausal) */
  decayHidden: number;
  decayOutput: number;
  // flags (MC_FLAG)
  nudge: boolean;
  forward: boolean;
  bpCopy: boolean;
  salNear: boolean;
  salAll: boolean;
  // offsets into F (mcLayout(...).f)
  W10: number;
  W21: number;
  B12: number;
  WIP: number;
  WPI: number;
  b1: number;
  b2: number;
  x: number;
  tgt: number;
  u0: number;
  u1: number;
  uI: number;
  u2: number;
  vapi1: number;
  /** the moving-average inputs u1 | vbas1 | vbas2 | u2, then free2 = b2 + vbas2 */
  stage: number;
  vbas1: number;
  vbas2: number;
  stageU2: number;
  free2: number;
  ring: number;
  traceHidden: number;
  traceOutput: number;
  // offsets into I: last spike time and PSP state per neuron (population order input, hidden P, interneurons, output)
  tl: number;
  tlHidden: number;
  tlOutput: number;
  psp: number;
  pspIn: number;
  pspHidden: number;
  pspInter: number;
  pspOutput: number;
  // offsets into U, C and D
  rng: number;
  brk: number;
  thr: number;
  sumU1: number;
  sumVbas1: number;
  sumVbas2: number;
  sumU2: number;
  accU2: number;
  accCount: number;
  /** the self-predicting copies are due at the first forward step of a call */
  copyPending: boolean;
}

function readContext(st: McState, flags: number): Ctx {
  const F = st.F.view,
    I = st.I.view,
    C = st.C.view;
  const L = mcLayout(I[MC_H.n0], I[MC_H.n1], I[MC_H.n2], I[MC_H.win]);
  const { n0, n1, n2, N, Q } = L;
  const tauCausal = F[MC_P.tauCausal],
    tauAnti = F[MC_P.tauAnti],
    etaB = F[MC_P.etaB];
  const sal = (flags & MC_FLAG.sal) !== 0,
    salAll = sal && (flags & MC_FLAG.salAll) !== 0;
  const tl = L.i.tl,
    psp = L.i.s,
    sum = L.d.sum;
  return {
    F,
    I,
    U: st.U.view,
    D: st.D.view,
    C,
    Cf: new Float32Array(C.buffer, C.byteOffset, C.length),
    n0,
    n1,
    n2,
    N,
    Q,
    win: L.win,
    tRefSteps: I[MC_H.tRef],
    tauSyn: I[MC_H.tauSyn],
    tRef: F[MC_P.tRef],
    lambdaApi: F[MC_P.lambdaApi],
    lambdaNudge: F[MC_P.lambdaNudge],
    eta1: F[MC_P.eta1],
    eta2: F[MC_P.eta2],
    tauCausal,
    tauAnti,
    etaCausal: f(etaB * F[MC_P.aCausal]),
    etaAnti: f(etaB * F[MC_P.aAnti]),
    decayHidden: salTraceDecay(tauAnti),
    decayOutput: salTraceDecay(tauCausal),
    nudge: (flags & MC_FLAG.nudge) !== 0,
    forward: (flags & MC_FLAG.forward) !== 0,
    bpCopy: (flags & MC_FLAG.bpCopy) !== 0,
    salNear: sal && !salAll,
    salAll,
    W10: L.f.W10,
    W21: L.f.W21,
    B12: L.f.B12,
    WIP: L.f.WIP,
    WPI: L.f.WPI,
    b1: L.f.b1,
    b2: L.f.b2,
    x: L.f.x,
    tgt: L.f.tgt,
    u0: L.f.u0,
    u1: L.f.u1,
    uI: L.f.uI,
    u2: L.f.u2,
    vapi1: L.f.vapi1,
    stage: L.f.stage,
    vbas1: L.f.vbas1,
    vbas2: L.f.vbas2,
    stageU2: L.f.vbas2 + n2,
    free2: L.f.free2,
    ring: L.f.ring,
    traceHidden: L.f.tr,
    traceOutput: L.f.tr + n1,
    tl,
    tlHidden: tl + n0,
    tlOutput: tl + n0 + n1 + n2,
    psp,
    pspIn: psp,
    pspHidden: psp + n0,
    pspInter: psp + n0 + n1,
    pspOutput: psp + n0 + n1 + n2,
    rng: L.u.rng,
    brk: L.c.brk,
    thr: L.c.thr,
    sumU1: sum,
    sumVbas1: sum + n1,
    sumVbas2: sum + 2 * n1,
    sumU2: sum + 2 * n1 + n2,
    accU2: L.d.accU2,
    accCount: L.d.accCount,
    copyPending: true,
  };
}

/** How many of the n neurons with last spike times I[tl + j] spiked at step s. */
function spikedAt(I: Int32Array, tl: number, n: number, s: number): number {
  let count = 0;
  for (let j = 0; j < n; j++) if (I[tl + j] === s) count++;
  return count;
}

/** Empties the bracket cache: bounds lo0 | hi0 | lo1 | hi1 as (+inf, -inf), which contain no u. */
function emptyBrackets(c: Ctx): void {
  const { Cf, brk, N } = c;
  for (let k = 0; k < 4; k++) Cf.fill(k % 2 === 0 ? Infinity : -Infinity, brk + k * N, brk + (k + 1) * N);
}

// ---------------------------------------------------------------------------
// The steps that run on spikes

/**
 * Forward rule of one layer: W[i, j] += eta (p(mean u_i) - p(mean v_bas,i + b_i)) for every
 * presynaptic neuron j whose last spike is at t-1.
 */
function forwardLayer(
  c: Ctx,
  t: number,
  count: number,
  W: number,
  nPost: number,
  nPre: number,
  tlPre: number,
  sumSoma: number,
  sumBasal: number,
  b: number,
  eta: number,
): void {
  const { F, D, I, tRef } = c;
  for (let i = 0; i < nPost; i++) {
    const d = forwardDelta(eta, movingMean(D[sumSoma + i], count), movingMean(D[sumBasal + i], count), F[b + i], tRef);
    for (let j = 0; j < nPre; j++) if (I[tlPre + j] === t - 1) F[W + i * nPre + j] = f(F[W + i * nPre + j] + d);
  }
}

/**
 * 4. Urbanczik-Senn forward rule (docs/models/microcircuit.md#forward-learning-urbanczik-senn) on W10 and W21, with `spikesIn` input and
 * `spikesHidden` hidden P neurons whose last spike is at t-1 (the authors' one-step delay) and the
 * moving averages over `count` steps; then, when W21 changed (or at the first forward step of the
 * call), BP's B12 <- W21^T and the self-predicting copies W_IP <- W21, W_PI <- -B12.
 * Returns the dirty bits of the potentials whose weights changed.
 */
function forwardRule(c: Ctx, t: number, count: number, spikesIn: number, spikesHidden: number): number {
  const { F, n0, n1, n2, W21, B12 } = c;
  let dirty = 0,
    changed = c.copyPending;
  c.copyPending = false;
  if (spikesIn !== 0) {
    forwardLayer(c, t, count, c.W10, n1, n0, c.tl, c.sumU1, c.sumVbas1, c.b1, c.eta1);
    dirty |= DIRTY_HIDDEN;
  }
  if (spikesHidden !== 0) {
    forwardLayer(c, t, count, W21, n2, n1, c.tlHidden, c.sumU2, c.sumVbas2, c.b2, c.eta2);
    dirty |= DIRTY_OUTPUT;
    changed = true;
  }
  if (changed) {
    if (c.bpCopy) for (let i = 0; i < n1; i++) for (let k = 0; k < n2; k++) F[B12 + i * n2 + k] = F[W21 + k * n1 + i];
    selfPredictingCopies(F, W21, B12, c.WIP, c.WPI, n1, n2);
    dirty |= DIRTY_HIDDEN | DIRTY_INTER;
  }
  return dirty;
}

/**
 * 5. SAL, nearest partner spike (docs/models/microcircuit.md#feedback-learning-bp-fa-sal), on B12[i, k] (post = hidden P i, pre = output k)
 * at step t: hidden i fires after output k's last spike at distance d > 0: += eta_B A_c e^{-d/tau_c};
 * output k fires after hidden i's last spike: += eta_B A_a e^{-d/tau_a}; d = 0 gives 0.
 * `newHidden`, `newOutput`: the spikes of step t per population. Returns the dirty bits.
 */
function salNearest(c: Ctx, t: number, newHidden: number, newOutput: number): number {
  const { F, I, n1, n2, B12, tlHidden, tlOutput } = c;
  let dirty = 0;
  if (newHidden !== 0) {
    for (let i = 0; i < n1; i++) {
      if (I[tlHidden + i] !== t) continue;
      for (let k = 0; k < n2; k++) {
        const tk = I[tlOutput + k],
          d = t - tk;
        if (d > 0 && tk !== MC_NEVER) {
          F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + salNearestDelta(d, c.etaCausal, c.tauCausal));
          dirty = DIRTY_HIDDEN;
        }
      }
    }
  }
  if (newOutput !== 0) {
    for (let k = 0; k < n2; k++) {
      if (I[tlOutput + k] !== t) continue;
      for (let i = 0; i < n1; i++) {
        const ti = I[tlHidden + i],
          d = t - ti;
        if (d > 0 && ti !== MC_NEVER) {
          F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + salNearestDelta(d, c.etaAnti, c.tauAnti));
          dirty = DIRTY_HIDDEN;
        }
      }
    }
  }
  return dirty;
}

/**
 * 5'. SAL, all earlier partner spikes, through traces (this project's MC_FLAG.salAll; every step):
 * decay every trace, pair the spikes of step t with the partners' traces (the windows of
 * salNearest), then add the spikes of t to their own traces. Returns the dirty bits.
 */
function salTraces(c: Ctx, t: number, newHidden: number, newOutput: number): number {
  const { F, I, n1, n2, B12, tlHidden, tlOutput, traceHidden, traceOutput } = c;
  let dirty = 0;
  for (let i = 0; i < n1; i++) F[traceHidden + i] = f(F[traceHidden + i] * c.decayHidden);
  for (let k = 0; k < n2; k++) F[traceOutput + k] = f(F[traceOutput + k] * c.decayOutput);
  if (newHidden !== 0) {
    for (let i = 0; i < n1; i++) {
      if (I[tlHidden + i] !== t) continue;
      for (let k = 0; k < n2; k++) {
        const x = F[traceOutput + k];
        if (x > 0) {
          F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + salTraceDelta(x, c.etaCausal));
          dirty = DIRTY_HIDDEN;
        }
      }
    }
  }
  if (newOutput !== 0) {
    for (let k = 0; k < n2; k++) {
      if (I[tlOutput + k] !== t) continue;
      for (let i = 0; i < n1; i++) {
        const x = F[traceHidden + i];
        if (x > 0) {
          F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + salTraceDelta(x, c.etaAnti));
          dirty = DIRTY_HIDDEN;
        }
      }
    }
  }
  for (let i = 0; i < n1; i++) if (I[tlHidden + i] === t) F[traceHidden + i] = f(F[traceHidden + i] + 1);
  for (let k = 0; k < n2; k++) if (I[tlOutput + k] === t) F[traceOutput + k] = f(F[traceOutput + k] + 1);
  return dirty;
}

// ---------------------------------------------------------------------------
// Small pieces of the every-step sections (V8 inlines these)

/**
 * 3. One step of the boxcar moving averages, never reset between patterns: for each quantity q,
 * the running f64 sum s = (s - the value leaving the ring, once it is full) + the new value v, and
 * v replaces the oldest value in the ring row.
 */
function movingAverageStep(F: Float32Array, D: Float64Array, stage: number, sum: number, row: number, Q: number, full: boolean): void {
  for (let q = 0; q < Q; q++) {
    const v = F[stage + q];
    let s = D[sum + q];
    if (full) s -= F[row + q];
    s += v;
    D[sum + q] = s;
    F[row + q] = v;
  }
}

/** 6. D[acc + k] += F[v + k] for k < n (the f64 sums of the pattern's output). */
function accumulate(D: Float64Array, acc: number, F: Float32Array, v: number, n: number): void {
  for (let k = 0; k < n; k++) D[acc + k] += F[v + k];
}

// ---------------------------------------------------------------------------
// The kernel

function mcRunPattern(st: McState, nSteps: number, lag: number, flags: number): void {
  const c = readContext(st, flags);
  emptyBrackets(c);
  const { F, I, U, D, C, Cf, N, Q, n0, n1, n2, win, tRefSteps, tauSyn, tRef, lambdaApi, lambdaNudge, nudge } = c;
  const { W10, W21, B12, WIP, WPI, b1, b2, tgt, u0, u1, uI, u2, vapi1, stage, vbas1, vbas2, stageU2, free2, ring } = c;
  const { tl, psp, pspIn, pspHidden, pspInter, pspOutput, rng, brk, thr, sumU1, sumVbas2, accU2 } = c;
  const endIn = n0,
    endHidden = n0 + n1,
    startOutput = n0 + n1 + n2;
  let t = I[MC_H.t],
    pos = I[MC_H.ringPos],
    count = I[MC_H.ringCount];
  let dirty = DIRTY_HIDDEN | DIRTY_INTER | DIRTY_OUTPUT;
  // input / hidden P neurons whose last spike is at t-1: the forward rule's presynaptic spikes
  let spikesIn = spikedAt(I, tl, n0, t - 1),
    spikesHidden = spikedAt(I, c.tlHidden, n1, t - 1);

  for (let step = 0; step < nSteps; step++) {
    // 1. drawSpikes: every neuron draws one output of its own stream (refractory or not, as the
    //    authors' code); one whose last spike is at least tRef steps back fires iff x < T(u),
    //    T = threshold (monotone in u), decided against the thresholds at the ends of u's
    //    bracket and against T(u) itself only when T(lo) <= x < T(hi) (the assembly twin's
    //    bracketFires). Brackets: the most recent in cache slot 0, the previous one in slot 1;
    //    a u outside both gets a new one of half-width MC_BRACKET. Then the PSP (on while
    //    0 <= t - t_spike < tauSyn), and where it turned on or off, the potentials it feeds are
    //    marked.
    let newIn = 0,
      newHidden = 0,
      newOutput = 0;
    for (let q = 0; q < N; q++) {
      const x = rngNext(U, rng + q, N);
      if (t - I[tl + q] >= tRefSteps) {
        const u = F[u0 + q];
        const pb = brk + q,
          pt = thr + q;
        if (!(u >= Cf[pb] && u <= Cf[pb + N])) {
          const l1 = Cf[pb + 2 * N],
            h1 = Cf[pb + 3 * N];
          let lo: number, hi: number, tLo: number, tHi: number;
          if (u >= l1 && u <= h1) {
            lo = l1;
            hi = h1;
            tLo = C[pt + 2 * N];
            tHi = C[pt + 3 * N];
          } else {
            lo = f(u - BRACKET);
            hi = f(u + BRACKET);
            tLo = threshold(lo, tRef);
            tHi = threshold(hi, tRef);
          }
          Cf[pb + 2 * N] = Cf[pb];
          Cf[pb + 3 * N] = Cf[pb + N];
          C[pt + 2 * N] = C[pt];
          C[pt + 3 * N] = C[pt + N];
          Cf[pb] = lo;
          Cf[pb + N] = hi;
          C[pt] = tLo;
          C[pt + N] = tHi;
        }
        if (x < C[pt] || (x < C[pt + N] && x < threshold(u, tRef))) {
          // a spike at t also ends the "spiked at t-1" of this neuron (only possible if tRef <= 1)
          const was = I[tl + q] === t - 1 ? 1 : 0;
          I[tl + q] = t;
          if (q < endIn) {
            newIn++;
            spikesIn -= was;
          } else if (q < endHidden) {
            newHidden++;
            spikesHidden -= was;
          } else if (q >= startOutput) newOutput++;
        }
      }
      const on = t - I[tl + q] < tauSyn ? 1 : 0;
      if (on !== I[psp + q]) {
        I[psp + q] = on;
        // inputs, interneurons and outputs feed the hidden P; hidden P feed interneurons and outputs
        dirty |= q < endIn ? DIRTY_HIDDEN : q < endHidden ? DIRTY_OUTPUT | DIRTY_INTER : DIRTY_HIDDEN;
      }
    }

    // 2. potentials of step t (docs/models/microcircuit.md#neuron-dynamics): inputs clamped to the pattern; hidden P
    //    v_bas = W10 s_in, v_api = B12 s_out + W_PI s_inn; interneurons b2 + W_IP s_hid; output
    //    v_bas = W21 s_hid, soma nudged with the basal average of the steps before t
    if (step === 0) for (let j = 0; j < n0; j++) F[u0 + j] = F[c.x + j];
    if (dirty & DIRTY_HIDDEN) {
      for (let i = 0; i < n1; i++) {
        const basal = gatedSum(F, W10 + i * n0, I, pspIn, n0);
        const apical = f(gatedSum(F, B12 + i * n2, I, pspOutput, n2) + gatedSum(F, WPI + i * n2, I, pspInter, n2));
        const u = hiddenPotential(F[b1 + i], basal, apical, lambdaApi);
        F[vbas1 + i] = basal;
        F[vapi1 + i] = apical;
        F[u1 + i] = u;
        F[stage + i] = u;
      }
    }
    if (dirty & DIRTY_INTER) for (let k = 0; k < n2; k++) F[uI + k] = outputFree(F[b2 + k], gatedSum(F, WIP + k * n1, I, pspHidden, n1));
    if (dirty & DIRTY_OUTPUT) {
      for (let k = 0; k < n2; k++) {
        const basal = gatedSum(F, W21 + k * n1, I, pspHidden, n1);
        F[vbas2 + k] = basal;
        F[free2 + k] = outputFree(F[b2 + k], basal);
      }
    }
    if (nudge || dirty & DIRTY_OUTPUT) {
      for (let k = 0; k < n2; k++) {
        const u = nudge
          ? outputNudged(F[b2 + k], F[vbas2 + k], F[tgt + k], movingMean(D[sumVbas2 + k], count), lambdaNudge)
          : outputFree(F[b2 + k], F[vbas2 + k]);
        F[u2 + k] = u;
        F[stageU2 + k] = u;
      }
    }
    dirty = 0;

    // 3. movingAverages: the ring is [win][Q], row `pos` holds the oldest values
    const full = count === win;
    movingAverageStep(F, D, stage, sumU1, ring + pos * Q, Q, full);
    pos = pos + 1 === win ? 0 : pos + 1;
    if (!full) count++;

    const plastic = step >= lag;
    // 4. forwardRule, when an input or hidden P neuron spiked at t-1 (or the copies are due)
    if (plastic && c.forward && (spikesIn !== 0 || spikesHidden !== 0 || c.copyPending))
      dirty |= forwardRule(c, t, count, spikesIn, spikesHidden);
    // 5. SAL on B12
    if (c.salNear && (newHidden !== 0 || newOutput !== 0)) dirty |= salNearest(c, t, newHidden, newOutput);
    if (c.salAll) dirty |= salTraces(c, t, newHidden, newOutput);
    // 6. accumulateOutput: [u2 | free2] of the stage onto D[accU2 | accFree]
    if (plastic) accumulate(D, accU2, F, stageU2, 2 * n2);

    spikesIn = newIn;
    spikesHidden = newHidden;
    t++;
  }
  // the count of accumulated steps (adding 1.0 per step is exact, so one addition is the same)
  if (nSteps > lag) D[c.accCount] += nSteps - (lag > 0 ? lag : 0);
  I[MC_H.t] = t;
  I[MC_H.ringPos] = pos;
  I[MC_H.ringCount] = count;
}

export const microcircuitKernels: MicrocircuitKernels = { mcRunPattern };
