// Spiking dendritic cortical microcircuit (docs/models/microcircuit.md; arXiv:2503.02642, fig. 6):
// one call runs one pattern presentation. Mirrors src/backend/js/microcircuitKernels.ts
// operation by operation (same f32 op order, same f64 sums, same RNG draws), so both
// backends give identical spike trains and weights for the same seed.
//
// State: four caller-owned buffers, layout in src/backend/layout.ts (`mcLayout`; slots, flags and
// the 1-1-1 offsets come from there through the generated assembly/layout.generated.ts):
//   F f32: params MC_P | W10 | W21 | B12 | WIP | WPI | b1 | b2 | x | tgt | u (all neurons) | vapi1
//          | stage [u1 | vbas1 | vbas2 | u2 | free2] | ring [win][Q] | traces (MC_FLAG.salAll)
//   I i32: header MC_H | last spike time per neuron | PSP on/off per neuron
//   U u32: one xoshiro128** stream per neuron, word w of neuron q at w N + q
//   D f64: running sums of the moving averages | acc u2 | acc free output | acc count
// and a cache buffer C (u32) that each call initialises: the threshold brackets (MC_BRACKET),
// laid out per loop as described there.
// Neurons in population order input (n0), hidden P (n1), interneurons (n2), output (n2).
// Time convention (docs/conventions.md#time-conventions, microcircuit row): PSP on for 0 <= t - t_spike < tauSyn;
// a neuron may spike again at t_spike + tRef.
//
// The file in order: the rules in f32 and the phases of a step, named as the js twin names
// them (forwardDelta, hiddenPotential, salNearestDelta, ...; movingAverageStep, forwardLayer,
// salNearest, salTraces, accumulate), so the two read side by side; the general loop
// `runGeneral`, which runs them; then the 1-1-1 loop `loop111` and the lane forms of its phases
// (bracketFires4, forwardRule111, salNearest111), which call the same rule pieces. Every helper
// is @inline: each loop compiles to one function, as written out. Steps are numbered as in the
// js twin (spec order): 1 drawSpikes, 2 potentials, 3 movingAverages, 4 forwardRule, 5 SAL,
// 6 accumulateOutput.
import { rngNextStrided } from "./rng";
import { expf, fireProb, fireProb4, threshold, threshold4 } from "./mathf";
import { MC_BRACKET, MC_FLAG, MC_H, MC_NEVER, MC_P, MC111_C, MC111_D, MC111_F, MC111_I } from "./layout.generated";

// flag bits, header and parameter slots, and the 1-1-1 offsets: src/backend/layout.ts
const NUDGE = MC_FLAG.nudge, FORWARD = MC_FLAG.forward, SAL = MC_FLAG.sal, BPCOPY = MC_FLAG.bpCopy, SALALL = MC_FLAG.salAll;
// dirty bits: which potentials must be recomputed from their inputs
// @ts-ignore: decorator
@lazy const DH: i32 = 1;
// @ts-ignore: decorator
@lazy const DI: i32 = 2;
// @ts-ignore: decorator
@lazy const DO: i32 = 4;

// @ts-ignore: decorator
@inline function f32at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function setf32(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function i32at(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function seti32(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function f64at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function setf64(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
/** Byte address of f32 element i of the buffer at p. */
// @ts-ignore: decorator
@inline function at4(p: usize, i: i32): usize { return p + (<usize>i << 2); }

// ---------------------------------------------------------------------------
// The rules in f32 (the js twin's names; each mirrors a function of src/learning/)

/** eta (p(mu) - p(mb + b)): the error factor of the forward rule. */
// @ts-ignore: decorator
@inline function forwardDelta(eta: f32, mu: f32, mb: f32, b: f32, tRef: f32): f32 {
  return eta * (fireProb(mu, tRef) - fireProb(mb + b, tRef));
}

/** A moving average as the rules read it: f64 boxcar sum / count, rounded to f32. */
// @ts-ignore: decorator
@inline function movingMean(sum: f64, cnt: f64): f32 {
  return <f32>(sum / cnt);
}

/** u1 = (b1 + v_bas) + lambda_api v_api. */
// @ts-ignore: decorator
@inline function hiddenPotential(b: f32, basal: f32, apical: f32, lamApi: f32): f32 {
  return (b + basal) + lamApi * apical;
}

/** b + v_bas: the un-nudged output soma (and the interneuron, a copy of the output's free drive). */
// @ts-ignore: decorator
@inline function outputFree(b: f32, basal: f32): f32 {
  return b + basal;
}

/** (u_tgt - mean v_bas) - b2: the term lambda_nudge scales in the nudged output soma. */
// @ts-ignore: decorator
@inline function nudgeTerm(tgt: f32, basalMean: f32, b: f32): f32 {
  return (tgt - basalMean) - b;
}

/** (b2 + v_bas) + lambda_nudge ((u_tgt - mean v_bas) - b2), mean v_bas over the steps before t. */
// @ts-ignore: decorator
@inline function outputNudged(b: f32, basal: f32, tgt: f32, basalMean: f32, lamNudge: f32): f32 {
  return outputFree(b, basal) + lamNudge * nudgeTerm(tgt, basalMean, b);
}

/**
 * The copies of one pair (hidden P i, output k) after W21 changed: BP's feedback B12[i, k] <- W21[k, i]
 * when `bp`, then the self-predicting W_IP[k, i] <- W21[k, i], W_PI[i, k] <- -B12[i, k]; ki = k n1 + i,
 * ik = i n2 + k (W21, W_IP n2 x n1; B12, W_PI n1 x n2).
 */
// @ts-ignore: decorator
@inline function selfPredictingCopy(W21: usize, B12: usize, WIP: usize, WPI: usize, ki: i32, ik: i32, bp: bool): void {
  if (bp) setf32(B12, ik, f32at(W21, ki));
  setf32(WIP, ki, f32at(W21, ki));
  setf32(WPI, ik, -f32at(B12, ik));
}

/** selfPredictingCopy of every pair (the js twin's BP copy and selfPredictingCopies). */
// @ts-ignore: decorator
@inline function selfPredictingCopies(W21: usize, B12: usize, WIP: usize, WPI: usize, n1: i32, n2: i32, bp: bool): void {
  for (let i = 0; i < n1; i++) for (let k = 0; k < n2; k++) selfPredictingCopy(W21, B12, WIP, WPI, k * n1 + i, i * n2 + k, bp);
}

/** etaA e^{-dt/tau}: the change of B12 from one nearest-partner pair at distance dt > 0. */
// @ts-ignore: decorator
@inline function salNearestDelta(dt: i32, etaA: f32, tau: f32): f32 {
  return etaA * expf(-(<f32>dt / tau));
}

/**
 * One nearest-partner pair of SAL at step t: the B12 element at w gains salNearestDelta if the
 * partner's last spike tPartner lies before t (a coincident one, dt = 0, gives nothing; MC_NEVER:
 * no spike yet). Returns whether it changed.
 */
// @ts-ignore: decorator
@inline function salNearestPair(w: usize, t: i32, tPartner: i32, etaA: f32, tau: f32): bool {
  const dt = t - tPartner;
  if (dt > 0 && tPartner != MC_NEVER) {
    store<f32>(w, load<f32>(w) + salNearestDelta(dt, etaA, tau));
    return true;
  }
  return false;
}

/** e^{-1/tau}: the per-step decay of a SAL trace. */
// @ts-ignore: decorator
@inline function salTraceDecay(tau: f32): f32 {
  return expf(-(<f32>1.0 / tau));
}

/** etaA x: the change of B12 when one side fires and the partner's trace is x > 0. */
// @ts-ignore: decorator
@inline function salTraceDelta(x: f32, etaA: f32): f32 {
  return etaA * x;
}

/**
 * Weight w[i] if PSP flag s[j] (0 or 1) is on, else +0, without a branch. Adding +0 leaves every
 * sum the general loop forms unchanged: they start at +0, and a sum is -0 only if both terms are,
 * so the masked sums equal the conditional ones.
 */
// @ts-ignore: decorator
@inline function gated(w: usize, i: i32, s: usize, j: i32): f32 {
  return reinterpret<f32>(load<i32>(w + (<usize>i << 2)) & -i32at(s, j));
}

/** Sum of the n weights at w whose presynaptic PSP (flags at s) is on, in f32, in order j = 0..n-1. */
// @ts-ignore: decorator
@inline function gatedSum(w: usize, s: usize, n: i32): f32 {
  let acc: f32 = 0;
  for (let j = 0; j < n; j++) acc += gated(w, j, s, j);
  return acc;
}

// ---------------------------------------------------------------------------
// The phases of the general loop

/** Empties the bracket cache: bounds lo0 | hi0 | lo1 | hi1 of the N neurons as (+inf, -inf), which contain no u. */
// @ts-ignore: decorator
@inline function emptyBrackets(brk: usize, N: i32): void {
  for (let q = 0; q < 4 * N; q++) store<f32>(brk + (<usize>q << 2), (q / N) % 2 == 0 ? Infinity : -Infinity);
}

/** How many of the n neurons with last spike times at tl spiked at step s. */
// @ts-ignore: decorator
@inline function spikedAt(tl: usize, n: i32, s: i32): i32 {
  let count = 0;
  for (let j = 0; j < n; j++) if (i32at(tl, j) == s) count++;
  return count;
}

/**
 * 1. Whether a non-refractory neuron with potential u fires on draw x: x < T(u), T = threshold
 * (monotone in u), decided against the cached thresholds at the ends of a bracket around u and
 * against T(u) itself only when x falls between them. pb, pt: the neuron's bracket bounds and
 * their thresholds in slots lo0 | hi0 | lo1 | hi1, sN bytes apart; the most recent bracket in
 * slot 0, the previous one in slot 1; a u outside both gets a new one of half-width MC_BRACKET.
 */
// @ts-ignore: decorator
@inline function bracketFires(u: f32, x: u32, pb: usize, pt: usize, sN: usize, tRef: f32): bool {
  let lo: u32, hi: u32;
  if (u >= load<f32>(pb) && u <= load<f32>(pb + sN)) {
    lo = load<u32>(pt); hi = load<u32>(pt + sN);
  } else {
    const l1 = load<f32>(pb + 2 * sN), h1 = load<f32>(pb + 3 * sN);
    const hit1 = u >= l1 && u <= h1;
    let nl: f32, nh: f32;
    if (hit1) {
      nl = l1; nh = h1; lo = load<u32>(pt + 2 * sN); hi = load<u32>(pt + 3 * sN);
    } else {
      nl = u - MC_BRACKET; nh = u + MC_BRACKET; lo = threshold(nl, tRef); hi = threshold(nh, tRef);
    }
    // most recent bracket in slot 0, the previous one in slot 1
    store<f32>(pb + 2 * sN, load<f32>(pb)); store<f32>(pb + 3 * sN, load<f32>(pb + sN));
    store<u32>(pt + 2 * sN, load<u32>(pt)); store<u32>(pt + 3 * sN, load<u32>(pt + sN));
    store<f32>(pb, nl); store<f32>(pb + sN, nh); store<u32>(pt, lo); store<u32>(pt + sN, hi);
  }
  return x < lo ? true : x >= hi ? false : x < threshold(u, tRef);
}

/**
 * 3. One step of the boxcar moving averages (never reset between patterns) of the Q stage values:
 * per quantity s = (s - the value leaving the ring, once it is full) + the new value, which
 * replaces the oldest one in the ring row `row`. The ring is [win][Q], so one step's values are
 * adjacent; Q = 2 n1 + 2 n2 is even, so two quantities per f64x2 lane pair.
 */
// @ts-ignore: decorator
@inline function movingAverageStep(stage: usize, sum: usize, row: usize, Q: i32, full: bool): void {
  if (full) {
    for (let q = 0; q < Q; q += 2) {
      const a = <usize>q << 2, b = <usize>q << 3;
      const nv = v128.load64_zero(stage + a), ov = v128.load64_zero(row + a);
      v128.store(sum + b, f64x2.add(f64x2.sub(v128.load(sum + b), f64x2.promote_low_f32x4(ov)), f64x2.promote_low_f32x4(nv)));
      v128.store64_lane(row + a, nv, 0);
    }
  } else {
    for (let q = 0; q < Q; q += 2) {
      const a = <usize>q << 2, b = <usize>q << 3;
      const nv = v128.load64_zero(stage + a);
      v128.store(sum + b, f64x2.add(v128.load(sum + b), f64x2.promote_low_f32x4(nv)));
      v128.store64_lane(row + a, nv, 0);
    }
  }
}

/**
 * 4. forwardDelta of n neurons into out: mu_i = su[i] / cnt and mb_i = sb[i] / cnt (f64 sums,
 * rounded to f32), bias b[i]; four neurons per pass, each lane the scalar op sequence, then a
 * scalar tail.
 */
function forwardDeltas(su: usize, sb: usize, b: usize, out: usize, n: i32, eta: f32, cnt: f64, tRef: f32): void {
  const c = f64x2.splat(cnt);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const pu = su + (<usize>i << 3), pb = sb + (<usize>i << 3);
    const mu = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(v128.load(pu), c)),
                                 f32x4.demote_f64x2_zero(f64x2.div(v128.load(pu, 16), c)), 0, 1, 4, 5);
    const mb = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.div(v128.load(pb), c)),
                                 f32x4.demote_f64x2_zero(f64x2.div(v128.load(pb, 16), c)), 0, 1, 4, 5);
    const d = f32x4.sub(fireProb4(mu, tRef), fireProb4(f32x4.add(mb, v128.load(b + (<usize>i << 2))), tRef));
    v128.store(out + (<usize>i << 2), f32x4.mul(f32x4.splat(eta), d));
  }
  for (; i < n; i++) setf32(out, i, forwardDelta(eta, movingMean(f64at(su, i), cnt), movingMean(f64at(sb, i), cnt), f32at(b, i), tRef));
}

/**
 * 4. Forward rule of one layer: W[i, j] += forwardDelta of post neuron i (moving averages at
 * sumSoma, sumBasal over cnt steps, bias b) for every presynaptic neuron j whose last spike
 * (at tlPre) is at t-1; the nPost deltas go through the scratch dsc.
 */
// @ts-ignore: decorator
@inline function forwardLayer(t: i32, cnt: f64, W: usize, nPost: i32, nPre: i32, tlPre: usize, sumSoma: usize, sumBasal: usize,
                              b: usize, eta: f32, tRef: f32, dsc: usize): void {
  forwardDeltas(sumSoma, sumBasal, b, dsc, nPost, eta, cnt, tRef);
  for (let i = 0; i < nPost; i++) {
    const d = f32at(dsc, i);
    for (let j = 0; j < nPre; j++) if (i32at(tlPre, j) == t - 1) setf32(W, i * nPre + j, f32at(W, i * nPre + j) + d);
  }
}

/**
 * 5. SAL, nearest partner spike, on B12[i, k] (post = hidden P i, pre = output k) at step t: a
 * hidden neuron that fires pairs with each output's last spike (eta_B A_c, tau_c), an output that
 * fires with each hidden neuron's (eta_B A_a, tau_a). newHid, newOut: the spikes of step t per
 * population. Returns the dirty bits.
 */
// @ts-ignore: decorator
@inline function salNearest(B12: usize, tl1: usize, tl2: usize, n1: i32, n2: i32, t: i32, newHid: i32, newOut: i32,
                            etaAC: f32, tauC: f32, etaAA: f32, tauA: f32): i32 {
  let dirty = 0;
  if (newHid != 0) {
    for (let i = 0; i < n1; i++) {
      if (i32at(tl1, i) != t) continue;
      for (let k = 0; k < n2; k++) if (salNearestPair(at4(B12, i * n2 + k), t, i32at(tl2, k), etaAC, tauC)) dirty = DH;
    }
  }
  if (newOut != 0) {
    for (let k = 0; k < n2; k++) {
      if (i32at(tl2, k) != t) continue;
      for (let i = 0; i < n1; i++) if (salNearestPair(at4(B12, i * n2 + k), t, i32at(tl1, i), etaAA, tauA)) dirty = DH;
    }
  }
  return dirty;
}

/**
 * 5'. SAL, all earlier partner spikes, through traces (MC_FLAG.salAll; every step): decay every
 * trace (trH of the hidden P by decA, trO of the outputs by decC), pair the spikes of step t with
 * the partners' traces, then add the spikes of t to their own traces. Returns the dirty bits.
 */
// @ts-ignore: decorator
@inline function salTraces(B12: usize, trH: usize, trO: usize, tl1: usize, tl2: usize, n1: i32, n2: i32, t: i32, newHid: i32,
                           newOut: i32, etaAC: f32, etaAA: f32, decA: f32, decC: f32): i32 {
  let dirty = 0;
  for (let i = 0; i < n1; i++) setf32(trH, i, f32at(trH, i) * decA);
  for (let k = 0; k < n2; k++) setf32(trO, k, f32at(trO, k) * decC);
  if (newHid != 0) {
    for (let i = 0; i < n1; i++) {
      if (i32at(tl1, i) != t) continue;
      for (let k = 0; k < n2; k++) {
        const e = f32at(trO, k);
        if (e > 0) { setf32(B12, i * n2 + k, f32at(B12, i * n2 + k) + salTraceDelta(e, etaAC)); dirty = DH; }
      }
    }
  }
  if (newOut != 0) {
    for (let k = 0; k < n2; k++) {
      if (i32at(tl2, k) != t) continue;
      for (let i = 0; i < n1; i++) {
        const e = f32at(trH, i);
        if (e > 0) { setf32(B12, i * n2 + k, f32at(B12, i * n2 + k) + salTraceDelta(e, etaAA)); dirty = DH; }
      }
    }
  }
  for (let i = 0; i < n1; i++) if (i32at(tl1, i) == t) setf32(trH, i, f32at(trH, i) + <f32>1.0);
  for (let k = 0; k < n2; k++) if (i32at(tl2, k) == t) setf32(trO, k, f32at(trO, k) + <f32>1.0);
  return dirty;
}

/** 6. acc[k] += v[k] (f64 += f32) for the n values at v, n even, two per f64x2. */
// @ts-ignore: decorator
@inline function accumulate(acc: usize, v: usize, n: i32): void {
  for (let k = 0; k < n; k += 2) {
    const a = <usize>k << 2, b = <usize>k << 3;
    v128.store(acc + b, f64x2.add(v128.load(acc + b), f64x2.promote_low_f32x4(v128.load64_zero(v + a))));
  }
}

/** The count of accumulated steps at accCount (adding 1.0 per step is exact, so one addition is the same). */
// @ts-ignore: decorator
@inline function countAccumulated(accCount: usize, nSteps: i32, lag: i32): void {
  if (nSteps > lag) store<f64>(accCount, load<f64>(accCount) + <f64>(nSteps - (lag > 0 ? lag : 0)));
}

/** Time step, ring position and ring count back into the header. */
// @ts-ignore: decorator
@inline function storeClock(I: usize, t: i32, pos: i32, cnt: i32): void {
  seti32(I, MC_H.t, t);
  seti32(I, MC_H.ringPos, pos);
  seti32(I, MC_H.ringCount, cnt);
}

// ---------------------------------------------------------------------------
// The general loop

/**
 * The general loop: any dims, any flags; the phases above in the js twin's order. A potential is
 * recomputed (densely, so with the same result) only when a PSP or a weight it reads changed; the
 * `dirty` bits say which.
 */
function runGeneral(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32, flags: i32): void {
  const n0 = i32at(I, MC_H.n0), n1 = i32at(I, MC_H.n1), n2 = i32at(I, MC_H.n2), win = i32at(I, MC_H.win);
  let t = i32at(I, MC_H.t), pos = i32at(I, MC_H.ringPos), cnt = i32at(I, MC_H.ringCount);
  const tRefSteps = i32at(I, MC_H.tRef), tauSyn = i32at(I, MC_H.tauSyn);
  const lamApi = f32at(F, MC_P.lambdaApi), lamNudge = f32at(F, MC_P.lambdaNudge);
  const eta1 = f32at(F, MC_P.eta1), eta2 = f32at(F, MC_P.eta2), etaB = f32at(F, MC_P.etaB);
  const aC = f32at(F, MC_P.aCausal), aA = f32at(F, MC_P.aAnti), tauC = f32at(F, MC_P.tauCausal), tauA = f32at(F, MC_P.tauAnti);
  const tRef = f32at(F, MC_P.tRef);
  const N = n0 + n1 + 2 * n2, Q = 2 * n1 + 2 * n2;
  // f32 offsets (elements): the sequence of mcLayout in src/backend/layout.ts
  let o = MC_P.size;
  const W10 = F + (<usize>o << 2); o += n1 * n0;
  const W21 = F + (<usize>o << 2); o += n2 * n1;
  const B12 = F + (<usize>o << 2); o += n1 * n2;
  const WIP = F + (<usize>o << 2); o += n2 * n1;
  const WPI = F + (<usize>o << 2); o += n1 * n2;
  const b1 = F + (<usize>o << 2); o += n1;
  const b2 = F + (<usize>o << 2); o += n2;
  const x = F + (<usize>o << 2); o += n0;
  const tgt = F + (<usize>o << 2); o += n2;
  const u0 = F + (<usize>o << 2); o += n0;
  const u1 = F + (<usize>o << 2); o += n1;
  const uI = F + (<usize>o << 2); o += n2;
  const u2 = F + (<usize>o << 2); o += n2;
  const vapi1 = F + (<usize>o << 2); o += n1;
  // stage: the Q moving-average inputs u1 | vbas1 | vbas2 | u2, then free2 = b2 + vbas2,
  // so [u2 | free2] lines up with D[accU2 | accFree]
  const stage = F + (<usize>o << 2); o += Q + n2;
  const su1 = stage, vbas1 = stage + (<usize>n1 << 2), vbas2 = stage + (<usize>(2 * n1) << 2);
  const su2 = vbas2 + (<usize>n2 << 2), free2 = su2 + (<usize>n2 << 2);
  const ring = F + (<usize>o << 2); o += Q * win;
  const trH = F + (<usize>o << 2), trO = trH + (<usize>n1 << 2);
  const tl = I + (<usize>MC_H.size << 2), sp = tl + (<usize>N << 2);
  const tl1 = tl + (<usize>n0 << 2), tlI = tl1 + (<usize>n1 << 2), tl2 = tlI + (<usize>n2 << 2);
  const s0 = sp, s1 = sp + (<usize>n0 << 2), sI = s1 + (<usize>n1 << 2), s2 = sI + (<usize>n2 << 2);
  // per-neuron structures of arrays (mcLayout): rng words, and in the cache C the bracket bounds
  // lo0 | hi0 | lo1 | hi1 and their thresholds, sN bytes apart (the brackets start empty), then
  // scratch for the forward rule's per-neuron updates
  const sN = <usize>N << 2;
  const st = U, brk = C, thr = C + 4 * sN, dsc = C + 8 * sN;
  emptyBrackets(brk, N);
  // D: sums u1 | vbas1 | vbas2 | u2 of the moving averages, then the output accumulators
  const sum = D, accU2 = D + (<usize>Q << 3), accFree = accU2 + (<usize>n2 << 3), accCount = accFree + (<usize>n2 << 3);
  const sumVbas1 = sum + (<usize>n1 << 3), sumVbas2 = sum + (<usize>(2 * n1) << 3), sumU2 = sum + (<usize>(2 * n1 + n2) << 3);
  const nudge = (flags & NUDGE) != 0, fwd = (flags & FORWARD) != 0, sal = (flags & SAL) != 0, bp = (flags & BPCOPY) != 0;
  const salAll = sal && (flags & SALALL) != 0, salNear = sal && !salAll;
  const decA = salTraceDecay(tauA), decC = salTraceDecay(tauC);

  let dirty = DH | DI | DO;
  let copyPending = true;
  const etaAC = etaB * aC, etaAA = etaB * aA;
  // spikes of the input / hidden P populations at step t-1 (forward rule), of hidden P / output P at t (SAL)
  let prevIn = spikedAt(tl, n0, t - 1), prevHid = spikedAt(tl1, n1, t - 1);
  const nIn = n0, nInHid = n0 + n1, nOutStart = n0 + n1 + n2;

  for (let step = 0; step < nSteps; step++) {
    // 1. drawSpikes: every neuron draws from its own stream every step (refractory or not, as the
    //    authors' code); a non-refractory one fires as bracketFires decides; then the rectangular
    //    PSP onsets/offsets mark the potentials they feed
    let curIn = 0, curHid = 0, curOut = 0;
    for (let q = 0; q < N; q++) {
      const p = tl + (<usize>q << 2);
      let last = load<i32>(p);
      // neuron q's stream: word w at rng + w N + q
      const draw = rngNextStrided(st + (<usize>q << 2), sN);
      if (t - last >= tRefSteps && bracketFires(f32at(u0, q), draw, brk + (<usize>q << 2), thr + (<usize>q << 2), sN, tRef)) {
        // a spike at t also ends the "spiked at t-1" of this neuron (only possible if tRef <= 1)
        const was = last == t - 1 ? 1 : 0;
        store<i32>(p, t); last = t;
        if (q < nIn) { curIn++; prevIn -= was; } else if (q < nInHid) { curHid++; prevHid -= was; } else if (q >= nOutStart) curOut++;
      }
      const on: i32 = t - last < tauSyn ? 1 : 0;
      if (on != i32at(sp, q)) {
        seti32(sp, q, on);
        // inputs, interneurons and outputs feed the hidden P; hidden P feed interneurons and outputs
        dirty |= q < n0 ? DH : q < n0 + n1 ? DO | DI : DH;
      }
    }
    // 2. potentials, recomputed densely where an input PSP or a weight changed
    if (step == 0) for (let j = 0; j < n0; j++) setf32(u0, j, f32at(x, j)); // x is constant within a call
    if (dirty & DH) {
      for (let i = 0; i < n1; i++) {
        const basal = gatedSum(at4(W10, i * n0), s0, n0);
        const apical = gatedSum(at4(B12, i * n2), s2, n2) + gatedSum(at4(WPI, i * n2), sI, n2);
        const u = hiddenPotential(f32at(b1, i), basal, apical, lamApi);
        setf32(vbas1, i, basal);
        setf32(vapi1, i, apical);
        setf32(u1, i, u);
        setf32(su1, i, u);
      }
    }
    if (dirty & DI) for (let k = 0; k < n2; k++) setf32(uI, k, outputFree(f32at(b2, k), gatedSum(at4(WIP, k * n1), s1, n1)));
    if (dirty & DO) {
      for (let k = 0; k < n2; k++) {
        const basal = gatedSum(at4(W21, k * n1), s1, n1);
        setf32(vbas2, k, basal);
        setf32(free2, k, outputFree(f32at(b2, k), basal));
      }
    }
    if (nudge || (dirty & DO)) {
      for (let k = 0; k < n2; k++) {
        // nudging uses the basal average of the steps before t (authors' order)
        const u = nudge
          ? outputNudged(f32at(b2, k), f32at(vbas2, k), f32at(tgt, k), movingMean(f64at(sumVbas2, k), <f64>cnt), lamNudge)
          : outputFree(f32at(b2, k), f32at(vbas2, k));
        setf32(u2, k, u);
        setf32(su2, k, u);
      }
    }
    dirty = 0;
    // 3. movingAverages over the last `win` steps; the ring row `pos` holds the oldest values
    const full = cnt == win;
    movingAverageStep(stage, sum, ring + ((<usize>pos * <usize>Q) << 2), Q, full);
    pos++;
    if (pos == win) pos = 0;
    if (!full) cnt++;
    const dcnt = <f64>cnt;
    const plastic = step >= lag;
    // 4. forwardRule (Urbanczik-Senn), presynaptic spikes of step t-1 (authors' one-step delay);
    //    then, when W21 changed (or at the first forward step of the call), the copies
    if (plastic && fwd) {
      let changed = copyPending;
      copyPending = false;
      if (prevIn != 0) {
        forwardLayer(t, dcnt, W10, n1, n0, tl, sum, sumVbas1, b1, eta1, tRef, dsc);
        dirty |= DH;
      }
      if (prevHid != 0) {
        forwardLayer(t, dcnt, W21, n2, n1, tl1, sumU2, sumVbas2, b2, eta2, tRef, dsc);
        dirty |= DO;
        changed = true;
      }
      if (changed) {
        selfPredictingCopies(W21, B12, WIP, WPI, n1, n2, bp);
        dirty |= DH | DI;
      }
    }
    // 5. SAL on B12 (post = hidden P, pre = output P)
    if (salNear && (curHid != 0 || curOut != 0)) dirty |= salNearest(B12, tl1, tl2, n1, n2, t, curHid, curOut, etaAC, tauC, etaAA, tauA);
    if (salAll) dirty |= salTraces(B12, trH, trO, tl1, tl2, n1, n2, t, curHid, curOut, etaAC, etaAA, decA, decC);
    // 6. accumulateOutput: the output potential (nudged) and the free basal prediction b2 + vbas2
    //    ([u2 | free2] of the stage onto D[accU2 | accFree])
    if (plastic) accumulate(accU2, su2, 2 * n2);
    prevIn = curIn; prevHid = curHid;
    t++;
  }
  countAccumulated(accCount, nSteps, lag);
  storeClock(I, t, pos, cnt);
}

// ---------------------------------------------------------------------------
// The 1-1-1 loop

/**
 * mcRunPattern for dims 1-1-1 (the paper's size): the same operations in the same order as the
 * general loop above, the state held in locals during the call. The four neurons (input x, hidden
 * h, interneuron i, output o) are the four lanes of every vector: rng words, steps since the last
 * spike, PSP states, potentials, bracket bounds and thresholds, so the draws and spike decisions
 * of a step are a few v128 operations without data-dependent branches except the rare bracket
 * misses and in-bracket draws.
 *
 * Bracket cache: a potential is a function of the PSP states of the neuron's inputs (x: none;
 * h: x, i, o; i and o: h) plus slowly moving weights and nudging, so the brackets are kept per
 * PSP pattern and a step loads those of the current one: no search, and the decision does not
 * wait for the potentials (they only confirm the bracket). C holds 16 rows, one per pattern
 * (s_x, s_h, s_i, s_o) as bits 0..3, each lo | hi | T(lo) | T(hi) of the four lanes (64 bytes);
 * then the loop's constant and gate vectors (MC111_C in src/backend/layout.ts).
 */
function run111(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32, flags: i32): void {
  // one function per phase of the paper's protocol (training, symmetrization, validation), the
  // flags constant in each: V8 does not unswitch loops, and a copy that carries only what its
  // phase uses leaves more registers to the rest; other combinations run with variable flags
  if (flags == (NUDGE | FORWARD)) train111(F, I, U, D, C, nSteps, lag);
  else if (flags == (NUDGE | SAL)) sym111(F, I, U, D, C, nSteps, lag);
  else if (flags == NUDGE) nudged111(F, I, U, D, C, nSteps, lag);
  else loop111(F, I, U, D, C, nSteps, lag, (flags & NUDGE) != 0, (flags & FORWARD) != 0, (flags & SAL) != 0, (flags & BPCOPY) != 0);
}

/** run111 with the training flags (nudged, forward rule). */
function train111(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32): void {
  loop111(F, I, U, D, C, nSteps, lag, true, true, false, false);
}

/** run111 with the symmetrization flags (nudged, SAL). */
function sym111(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32): void {
  loop111(F, I, U, D, C, nSteps, lag, true, false, true, false);
}

/** run111 with the validation flags (nudged, no plasticity). */
function nudged111(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32): void {
  loop111(F, I, U, D, C, nSteps, lag, true, false, false, false);
}

/** Basal gate vector of run111: (-0, 0 + W10, 0 + WIP, 0 + W21). */
// @ts-ignore: decorator
@inline function gates(w10: f32, wip: f32, w21: f32): v128 {
  return f32x4.replace_lane(f32x4.add(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(w10), 2, wip), 3, w21), f32x4.splat(0)), 0, -0.0);
}

/** Apical gate vector of run111: (0, 0, 0 + WPI, 0 + B12). */
// @ts-ignore: decorator
@inline function gatesApical(wpi: f32, b12: f32): v128 {
  return f32x4.add(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(0), 2, wpi), 3, b12), f32x4.splat(0));
}

/** Both gate vectors of run111 from the weights in F, into the cache slots vWB, vWA. */
// @ts-ignore: decorator
@inline function storeGates(F: usize, vWB: usize, vWA: usize): void {
  v128.store(vWB, gates(f32at(F, MC111_F.W10), f32at(F, MC111_F.WIP), f32at(F, MC111_F.W21)));
  v128.store(vWA, gatesApical(f32at(F, MC111_F.WPI), f32at(F, MC111_F.B12)));
}

/** Empties the 16 bracket rows of run111 (lo = +inf > hi = -inf). */
// @ts-ignore: decorator
@inline function emptyBrackets111(C: usize): void {
  for (let r: usize = 0; r < 16; r++) {
    const row = C + ((<usize>MC111_C.rows + r * <usize>MC111_C.rowWords) << 2);
    v128.store(row, f32x4.splat(Infinity), MC111_C.lo << 2);
    v128.store(row, f32x4.splat(-Infinity), MC111_C.hi << 2);
  }
}

/**
 * 1. bracketFires of the four lanes at once, against the bracket row row4 of the current PSP
 * pattern: draws xs and the cached thresholds carry their sign bit flipped, so signed lane
 * compares order them as unsigned. A `ready` (non-refractory) lane whose u lies outside its
 * bracket gets a new one around u; x < T(lo) fires, x >= T(hi) does not; in between (rare) the
 * exact threshold T(u) decides. Returns the lane mask of the spikes.
 */
// @ts-ignore: decorator
@inline function bracketFires4(row4: usize, uv: v128, xs: v128, ready: v128, tRef: f32): v128 {
  let BL = v128.load(row4, MC111_C.lo << 2), BH = v128.load(row4, MC111_C.hi << 2);
  let TL = v128.load(row4, MC111_C.thrLo << 2), TH = v128.load(row4, MC111_C.thrHi << 2);
  const miss = v128.andnot(ready, v128.and(f32x4.ge(uv, BL), f32x4.le(uv, BH)));
  if (v128.any_true(miss)) {
    const fl = f32x4.sub(uv, f32x4.splat(MC_BRACKET)), fh = f32x4.add(uv, f32x4.splat(MC_BRACKET));
    BL = v128.bitselect(fl, BL, miss); BH = v128.bitselect(fh, BH, miss);
    TL = v128.bitselect(v128.xor(threshold4(fl, tRef), i32x4.splat(0x80000000)), TL, miss);
    TH = v128.bitselect(v128.xor(threshold4(fh, tRef), i32x4.splat(0x80000000)), TH, miss);
    v128.store(row4, BL, MC111_C.lo << 2); v128.store(row4, BH, MC111_C.hi << 2);
    v128.store(row4, TL, MC111_C.thrLo << 2); v128.store(row4, TH, MC111_C.thrHi << 2);
  }
  const below = i32x4.lt_s(xs, TL);
  let fire = v128.and(ready, below);
  const between = v128.andnot(v128.and(ready, i32x4.lt_s(xs, TH)), below);
  if (v128.any_true(between)) {
    fire = v128.or(fire, v128.and(between, i32x4.lt_s(xs, v128.xor(threshold4(uv, tRef), i32x4.splat(0x80000000)))));
  }
  return fire;
}

/**
 * 4. forwardRule of run111 when the input or the hidden neuron spiked at step t-1 (prevFired
 * bits 1, 2) or the copies are due (`copies`): forwardLayer of both layers, the firing
 * probabilities of (mu1, mb1 + b1, mu2, mb2 + b2) in one f32x4 pass (the averages u1, vbas1, u2,
 * vbas2 from the f64 sums SU = (u1, u2), SV = (vbas1, vbas2) over cnt steps, rounded to f32;
 * biases vBias added as the scalar rule does, x + -0 = x; each lane the scalar fireProb's op
 * sequence); then selfPredictingCopy if W21 changed, and the gate vectors anew.
 */
// @ts-ignore: decorator
@inline function forwardRule111(F: usize, SU: v128, SV: v128, cnt: i32, prevFired: i32, copies: bool, bp: bool, eta1: f32, eta2: f32,
                                tRef: f32, vBias: usize, vWB: usize, vWA: usize): void {
  let changed = copies;
  if (changed || (prevFired & 3) != 0) {
    const cntv = f64x2.splat(<f64>cnt);
    const mu = f32x4.demote_f64x2_zero(f64x2.div(SU, cntv)), mb = f32x4.demote_f64x2_zero(f64x2.div(SV, cntv));
    const p = fireProb4(f32x4.add(v128.shuffle<f32>(mu, mb, 0, 4, 1, 5), v128.load(vBias)), tRef);
    if (prevFired & 1) setf32(F, MC111_F.W10, f32at(F, MC111_F.W10) + eta1 * (f32x4.extract_lane(p, 0) - f32x4.extract_lane(p, 1)));
    if (prevFired & 2) {
      setf32(F, MC111_F.W21, f32at(F, MC111_F.W21) + eta2 * (f32x4.extract_lane(p, 2) - f32x4.extract_lane(p, 3)));
      changed = true;
    }
    if (changed) selfPredictingCopy(at4(F, MC111_F.W21), at4(F, MC111_F.B12), at4(F, MC111_F.WIP), at4(F, MC111_F.WPI), 0, 0, bp);
    storeGates(F, vWB, vWA);
  }
}

/**
 * 5. salNearest of run111 at step t: the hidden neuron (fired bit 2) pairs with the output's last
 * spike, the output (bit 8) with the hidden neuron's; `age` holds the steps since each lane's last
 * spike. Then the apical gate vector anew.
 */
// @ts-ignore: decorator
@inline function salNearest111(F: usize, t: i32, fired: i32, age: v128, etaAC: f32, tauC: f32, etaAA: f32, tauA: f32, vWA: usize): void {
  const B12 = at4(F, MC111_F.B12);
  if (fired & 2) salNearestPair(B12, t, t - i32x4.extract_lane(age, 3), etaAC, tauC);
  if (fired & 8) salNearestPair(B12, t, t - i32x4.extract_lane(age, 1), etaAA, tauA);
  v128.store(vWA, gatesApical(f32at(F, MC111_F.WPI), f32at(F, MC111_F.B12)));
}

/** The loop of run111 for fixed flags (inlined with constants by run111). */
// @ts-ignore: decorator
@inline function loop111(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32, nudge: bool, fwd: bool, sal: bool,
                         bp: bool): void {
  const win = i32at(I, MC_H.win);
  let t = i32at(I, MC_H.t), pos = i32at(I, MC_H.ringPos), cnt = i32at(I, MC_H.ringCount);
  const tRefSteps = i32at(I, MC_H.tRef), tauSyn = i32at(I, MC_H.tauSyn);
  const lamApi = f32at(F, MC_P.lambdaApi), lamNudge = f32at(F, MC_P.lambdaNudge);
  const eta1 = f32at(F, MC_P.eta1), eta2 = f32at(F, MC_P.eta2), etaB = f32at(F, MC_P.etaB);
  const aC = f32at(F, MC_P.aCausal), aA = f32at(F, MC_P.aAnti), tauC = f32at(F, MC_P.tauCausal), tauA = f32at(F, MC_P.tauAnti);
  const tRef = f32at(F, MC_P.tRef);
  // f32 element offsets MC111_F (mcLayout(1, 1, 1, win).f): the weights W10 W21 B12 WIP WPI stay in
  // F during the call (only the rare plasticity branches touch them); potentials from u0 (x, h, i, o),
  // stage (u1 | vbas1 | vbas2 | u2 | free2), ring [win][4]
  const b1 = f32at(F, MC111_F.b1), b2 = f32at(F, MC111_F.b2), xin = f32at(F, MC111_F.x), tgt = f32at(F, MC111_F.tgt);
  const stage = F + (<usize>MC111_F.stage << 2), ring = F + (<usize>MC111_F.ring << 2);
  emptyBrackets111(C);
  // rng words of the four streams at U[0..15] (word w of the four lanes at 4w), last spike times
  // and PSP states of the four neurons at I[MC111_I.tl], I[MC111_I.s]
  let R0 = v128.load(U), R1 = v128.load(U, 16), R2 = v128.load(U, 32), R3 = v128.load(U, 48);
  // steps since the last spike (t - last; MC_NEVER stays far beyond any window), PSP states as lane masks
  let age = i32x4.sub(i32x4.splat(t), v128.load(I + (<usize>MC111_I.tl << 2))), S = i32x4.neg(v128.load(I + (<usize>MC111_I.s << 2)));
  let uv = v128.load(F + (<usize>MC111_F.u0 << 2)); // potentials ux | uh | ui | uo
  // potentials as lanes (x, h, i, o), each an exact f32 op sequence of the general loop:
  //   T1 = base + (PSP-gated basal weight)  = (x + -0, b1 + vb, b2 + WIP s_h, b2 + W21 s_h)
  //   uv = T1 + lam * V, V = (-0, vapi, -0, nudging term), lam = (1, lamApi, 1, lamNudge)
  // where x + -0 = x; the basal vectors hold 0 + w (+0 for -0, as the general loop's sums from 0)
  // (these vectors sit in C after the bracket rows and are loaded where used: V8 has too few
  //  registers for everything the loop carries and would spill them anyway)
  const vBase = C + (<usize>MC111_C.base << 2), vLam = C + (<usize>MC111_C.lambda << 2);
  const vWB = C + (<usize>MC111_C.gatesBasal << 2), vWA = C + (<usize>MC111_C.gatesApical << 2), vBias = C + (<usize>MC111_C.bias << 2);
  v128.store(vBias, f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(-0.0), 1, b1), 3, b2));
  v128.store(vBase, f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(xin), 1, b1), 2, b2), 3, b2));
  v128.store(vLam, f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(1), 1, lamApi), 3, nudge ? lamNudge : <f32>1));
  storeGates(F, vWB, vWA);
  // boxcar sums D[sum..sum+3] = u1 | vbas1 | vbas2 | u2 as two f64x2 (vbas1, vbas2) and (u1, u2);
  // lanes do the scalar loop's operations; accumulated outputs D[accU2], D[accFree] = u2 | free2
  const sums = D + (<usize>MC111_D.sum << 3), acc = D + (<usize>MC111_D.accU2 << 3);
  const D03 = v128.load(sums), D47 = v128.load(sums, 16);
  let SV = v128.shuffle<f64>(D03, D47, 1, 2), SU = v128.shuffle<f64>(D03, D47, 0, 3);
  let A = v128.load(acc);
  const etaAC = etaB * aC, etaAA = etaB * aA;
  let copyPending = true;
  // spikes of step t-1 as lane bits (input 1, hidden 2, interneuron 4, output 8), for the forward rule
  let prevFired = i32x4.bitmask(i32x4.eq(age, i32x4.splat(1)));
  for (let step = 0; step < nSteps; step++) {
    // 1. drawSpikes: one xoshiro128** step of all four streams (every neuron draws every step);
    //    the state words stay in v128 locals for the whole call, so the step (rngNextStrided's
    //    lane form) is written out here
    const m5 = i32x4.add(i32x4.shl(R1, 2), R1);
    const rot = v128.or(i32x4.shl(m5, 7), i32x4.shr_u(m5, 25));
    // draws with the sign bit flipped, so signed lane compares order them as unsigned
    const xs = v128.xor(i32x4.add(i32x4.shl(rot, 3), rot), i32x4.splat(0x80000000));
    const c2 = v128.xor(R2, R0), d2 = v128.xor(R3, R1);
    R2 = v128.xor(c2, i32x4.shl(R1, 9));
    R0 = v128.xor(R0, d2);
    R1 = v128.xor(R1, c2);
    R3 = v128.or(i32x4.shl(d2, 11), i32x4.shr_u(d2, 21));
    // the brackets of the PSP pattern the potentials uv were computed from (lane bits of S)
    const row4 = C + ((<usize>MC111_C.rows + <usize>i32x4.bitmask(S) * <usize>MC111_C.rowWords) << 2);
    const ready = i32x4.gt_s(age, i32x4.splat(tRefSteps - 1)); // t - last >= tRef
    const fire = bracketFires4(row4, uv, xs, ready, tRef);
    age = v128.andnot(age, fire);
    S = i32x4.lt_s(age, i32x4.splat(tauSyn));
    const fired = i32x4.bitmask(fire);
    // 2. potentials, recomputed every step without branches (a pure function of the PSP states
    //    and weights, so the values equal the general loop's event-driven recomputation)
    const basal = v128.and(v128.shuffle<i32>(S, i32x4.splat(-1), 4, 0, 1, 1), v128.load(vWB)); // (-0, vb, WIP s_h, vbas2)
    const T1 = f32x4.add(v128.load(vBase), basal);
    const apical = v128.and(S, v128.load(vWA)); // (0, 0, WPI s_i, B12 s_o)
    const vapi = f32x4.add(v128.shuffle<f32>(apical, apical, 0, 3, 0, 0), v128.shuffle<f32>(apical, apical, 0, 2, 0, 0));
    let tail = f32x4.splat(-0.0);
    // nudging uses the basal average of the steps before t (authors' order)
    if (nudge) tail = f32x4.replace_lane(tail, 3, nudgeTerm(tgt, movingMean(f64x2.extract_lane(SV, 1), <f64>cnt), b2));
    const V = v128.shuffle<f32>(vapi, tail, 4, 1, 6, 7);
    uv = f32x4.add(T1, f32x4.mul(v128.load(vLam), V));
    // 3. movingAverages of u1 | vbas1 | vbas2 | u2 (one f32x4 ring row per step, also the stage),
    //    summed as the pairs (vbas1, vbas2) and (u1, u2): the nudged uo reads the vbas2 sum of
    //    step t-1, so the vbas sums stay apart from the one uo feeds (no chain across steps)
    const row = ring + ((<usize>pos) << 4);
    const nvb = v128.shuffle<f32>(basal, basal, 1, 3, 1, 3), nu = v128.shuffle<f32>(uv, uv, 1, 3, 1, 3);
    if (cnt == win) {
      const ov = v128.load(row);
      SV = f64x2.add(f64x2.sub(SV, f64x2.promote_low_f32x4(v128.shuffle<f32>(ov, ov, 1, 2, 1, 2))), f64x2.promote_low_f32x4(nvb));
      SU = f64x2.add(f64x2.sub(SU, f64x2.promote_low_f32x4(v128.shuffle<f32>(ov, ov, 0, 3, 0, 3))), f64x2.promote_low_f32x4(nu));
    } else {
      SV = f64x2.add(SV, f64x2.promote_low_f32x4(nvb));
      SU = f64x2.add(SU, f64x2.promote_low_f32x4(nu));
      cnt++;
    }
    const nv = v128.shuffle<f32>(uv, basal, 1, 5, 7, 3);
    v128.store(row, nv);
    v128.store(stage, nv);
    setf32(F, MC111_F.vapi1, f32x4.extract_lane(vapi, 1));
    pos++;
    if (pos == win) pos = 0;
    const plastic = step >= lag;
    // 4. forwardRule (presynaptic spikes of step t-1)
    if (plastic && fwd) {
      forwardRule111(F, SU, SV, cnt, prevFired, copyPending, bp, eta1, eta2, tRef, vBias, vWB, vWA);
      copyPending = false;
    }
    // 5. SAL (nearest partner spike)
    if (sal && (fired & 10) != 0) salNearest111(F, t, fired, age, etaAC, tauC, etaAA, tauA, vWA);
    // 6. accumulateOutput (u2, free2 = T1's output lane)
    if (plastic) A = f64x2.add(A, f64x2.promote_low_f32x4(v128.shuffle<f32>(uv, T1, 3, 7, 3, 7)));
    prevFired = fired;
    age = i32x4.add(age, i32x4.splat(1));
    t++;
  }
  countAccumulated(D + (<usize>MC111_D.accCount << 3), nSteps, lag);
  v128.store(F + (<usize>MC111_F.u0 << 2), uv);
  setf32(F, MC111_F.free2, outputFree(b2, f32at(F, MC111_F.vbas2)));
  v128.store(U, R0); v128.store(U, R1, 16); v128.store(U, R2, 32); v128.store(U, R3, 48);
  v128.store(I + (<usize>MC111_I.tl << 2), i32x4.sub(i32x4.splat(t), age));
  v128.store(I + (<usize>MC111_I.s << 2), i32x4.neg(S)); // masks back to 0 / 1
  v128.store(sums, v128.shuffle<f64>(SU, SV, 0, 2)); v128.store(sums, v128.shuffle<f64>(SV, SU, 1, 3), 16); v128.store(acc, A);
  storeClock(I, t, pos, cnt);
}

/**
 * Runs one pattern of `nSteps` steps of the microcircuit; `flags` are MC_FLAG bits (nudge, forward
 * rule, SAL, BP copy, SAL with all pairs); plasticity and output accumulation from step `lag`.
 * Dims 1-1-1 without all-pairs SAL take the specialised loop, everything else the general one.
 */
export function mcRunPattern(F: usize, I: usize, U: usize, D: usize, C: usize, nSteps: i32, lag: i32, flags: i32): void {
  const is111 = i32at(I, MC_H.n0) == 1 && i32at(I, MC_H.n1) == 1 && i32at(I, MC_H.n2) == 1;
  if (is111 && (flags & SALALL) == 0) run111(F, I, U, D, C, nSteps, lag, flags);
  else runGeneral(F, I, U, D, C, nSteps, lag, flags);
}
