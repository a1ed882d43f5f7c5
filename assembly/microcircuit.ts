// Spiking dendritic cortical microcircuit (spec/microcircuits.md; arXiv:2503.02642, fig. 6):
// one call runs one pattern presentation. Mirrors src/backend/js/microcircuitKernels.ts
// operation by operation (same f32 op order, same f64 sums, same RNG draws), so both
// backends give identical spike trains and weights for the same seed.
//
// State: four caller-owned buffers, layout in src/backend/microcircuit.ts (`mcLayout`):
//   F f32: params P[16] | W10 | W21 | B12 | WIP | WPI | b1 | b2 | x | tgt | u (all neurons) | brackets 4N | vapi1
//          | stage [u1 | vbas1 | vbas2 | u2 | free2] | ring [win][Q]
//   I i32: header H[16] | last spike time per neuron | PSP on/off per neuron
//   U u32: rng state[4] | thresholds of the two brackets per neuron (4N)
//   D f64: running sums of the moving averages | acc u2 | acc free output | acc count
// Neurons in population order input (n0), hidden P (n1), interneurons (n2), output (n2).
// Time convention (CONVENTIONS.md, microcircuit row): PSP on for 0 <= t - t_spike < tauSyn;
// a neuron may spike again at t_spike + tRef.
import { rotl } from "./rng";
import { expf, fireProb, threshold } from "./mathf";

// @ts-ignore: decorator
@lazy const NEVER: i32 = -1000000000;
// @ts-ignore: decorator
@lazy const BRACKET: f32 = 0.05; // MC_BRACKET
// @ts-ignore: decorator
@lazy const NUDGE: i32 = 1;
// @ts-ignore: decorator
@lazy const FORWARD: i32 = 2;
// @ts-ignore: decorator
@lazy const SAL: i32 = 4;
// @ts-ignore: decorator
@lazy const BPCOPY: i32 = 8;
// @ts-ignore: decorator
@lazy const SALALL: i32 = 16;
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


/** Fires iff x < T(u), decided against the cached bracket thresholds of the neuron at pb / pt (see mcRunPattern). */
// @ts-ignore: decorator
@inline function decide(pb: usize, pt: usize, u: f32, x: u32, tRef: f32): bool {
  let lo: u32, hi: u32;
  if (u >= load<f32>(pb) && u <= load<f32>(pb, 4)) {
    lo = load<u32>(pt); hi = load<u32>(pt, 4);
  } else {
    const l1 = load<f32>(pb, 8), h1 = load<f32>(pb, 12);
    let nl: f32, nh: f32;
    if (u >= l1 && u <= h1) {
      nl = l1; nh = h1; lo = load<u32>(pt, 8); hi = load<u32>(pt, 12);
    } else {
      nl = u - BRACKET; nh = u + BRACKET; lo = threshold(nl, tRef); hi = threshold(nh, tRef);
    }
    store<f32>(pb, load<f32>(pb), 8); store<f32>(pb, load<f32>(pb, 4), 12);
    store<u32>(pt, load<u32>(pt), 8); store<u32>(pt, load<u32>(pt, 4), 12);
    store<f32>(pb, nl); store<f32>(pb, nh, 4); store<u32>(pt, lo); store<u32>(pt, hi, 4);
  }
  let fire = x < lo;
  if (x >= lo && x < hi) fire = x < threshold(u, tRef);
  return fire;
}

/**
 * mcRunPattern for dims 1-1-1 (the paper's size): the same operations in the same order as the
 * general loop below, with the whole state held in locals during the call (no per-neuron loops,
 * index arithmetic or state loads/stores per step). Neurons: input x, hidden h, interneuron i, output o.
 */
function run111(F: usize, I: usize, U: usize, D: usize, nSteps: i32, lag: i32, flags: i32): void {
  const win = i32at(I, 3);
  let t = i32at(I, 4), pos = i32at(I, 5), cnt = i32at(I, 6);
  const tRefSteps = i32at(I, 7), tauSyn = i32at(I, 8);
  const lamApi = f32at(F, 0), lamNudge = f32at(F, 1), eta1 = f32at(F, 2), eta2 = f32at(F, 3), etaB = f32at(F, 4);
  const aC = f32at(F, 5), aA = f32at(F, 6), tauC = f32at(F, 7), tauA = f32at(F, 8), tRef = f32at(F, 9);
  // f32 element offsets of mcLayout(1, 1, 1, win)
  let W10 = f32at(F, 16), W21 = f32at(F, 17), B12 = f32at(F, 18), WIP = f32at(F, 19), WPI = f32at(F, 20);
  const b1 = f32at(F, 21), b2 = f32at(F, 22), xin = f32at(F, 23), tgt = f32at(F, 24);
  let ux = f32at(F, 25), uh = f32at(F, 26), ui = f32at(F, 27), uo = f32at(F, 28);
  const brk = F + (29 << 2);
  let vapi1 = f32at(F, 45);
  // stage 46..50: u1 | vbas1 | vbas2 | u2 | free2; ring from 51, [win][4]
  let vbas1 = f32at(F, 47), vbas2 = f32at(F, 48), free2 = f32at(F, 50);
  const ring = F + (51 << 2);
  let l0 = i32at(I, 16), l1 = i32at(I, 17), l2 = i32at(I, 18), l3 = i32at(I, 19);
  let s0 = i32at(I, 20), s1 = i32at(I, 21), s2 = i32at(I, 22), s3 = i32at(I, 23);
  const st = U, thr = U + 16;
  let r0 = load<u32>(st), r1 = load<u32>(st, 4), r2 = load<u32>(st, 8), r3 = load<u32>(st, 12);
  // boxcar sums as two f64x2 (u1, vbas1 | vbas2, u2); lanes do the scalar loop's operations
  let SA = v128.load(D), SB = v128.load(D, 16);
  let A0 = f64at(D, 4), A1 = f64at(D, 5);
  const nudge = (flags & NUDGE) != 0, fwd = (flags & FORWARD) != 0, sal = (flags & SAL) != 0, bp = (flags & BPCOPY) != 0;
  const etaAC = etaB * aC, etaAA = etaB * aA;
  let copyPending = true;
  for (let step = 0; step < nSteps; step++) {
    // 1-2. spikes (input, hidden, interneuron, output) and PSP onsets/offsets
    if (t - l0 >= tRefSteps) {
      const x = rotl(r1 * 5, 7) * 9;
      const sh = r1 << 9;
      r2 ^= r0; r3 ^= r1; r1 ^= r2; r0 ^= r3; r2 ^= sh; r3 = rotl(r3, 11);
      l0 = select<i32>(t, l0, decide(brk + 0, thr + 0, ux, x, tRef));
    }
    s0 = <i32>(t - l0 < tauSyn);
    if (t - l1 >= tRefSteps) {
      const x = rotl(r1 * 5, 7) * 9;
      const sh = r1 << 9;
      r2 ^= r0; r3 ^= r1; r1 ^= r2; r0 ^= r3; r2 ^= sh; r3 = rotl(r3, 11);
      l1 = select<i32>(t, l1, decide(brk + 16, thr + 16, uh, x, tRef));
    }
    s1 = <i32>(t - l1 < tauSyn);
    if (t - l2 >= tRefSteps) {
      const x = rotl(r1 * 5, 7) * 9;
      const sh = r1 << 9;
      r2 ^= r0; r3 ^= r1; r1 ^= r2; r0 ^= r3; r2 ^= sh; r3 = rotl(r3, 11);
      l2 = select<i32>(t, l2, decide(brk + 32, thr + 32, ui, x, tRef));
    }
    s2 = <i32>(t - l2 < tauSyn);
    if (t - l3 >= tRefSteps) {
      const x = rotl(r1 * 5, 7) * 9;
      const sh = r1 << 9;
      r2 ^= r0; r3 ^= r1; r1 ^= r2; r0 ^= r3; r2 ^= sh; r3 = rotl(r3, 11);
      l3 = select<i32>(t, l3, decide(brk + 48, thr + 48, uo, x, tRef));
    }
    s3 = <i32>(t - l3 < tauSyn);
    // 3. potentials, recomputed every step without branches (a pure function of the PSP states
    //    and weights, so the values equal the general loop's event-driven recomputation)
    ux = xin;
    const zero: f32 = 0;
    const vb = select<f32>(zero + W10, zero, s0 != 0);
    vapi1 = select<f32>(zero + B12, zero, s3 != 0) + select<f32>(zero + WPI, zero, s2 != 0);
    vbas1 = vb;
    uh = (b1 + vb) + lamApi * vapi1;
    ui = b2 + select<f32>(zero + WIP, zero, s1 != 0);
    vbas2 = select<f32>(zero + W21, zero, s1 != 0);
    free2 = b2 + vbas2;
    if (nudge) {
      const mean = <f32>(f64x2.extract_lane(SB, 0) / <f64>cnt);
      uo = (b2 + vbas2) + lamNudge * ((tgt - mean) - b2);
    } else {
      uo = b2 + vbas2;
    }
    // 4. moving averages, quantities u1 | vbas1 | vbas2 | u2: one f32x4 ring row per step
    const row = ring + ((<usize>pos) << 4);
    const nv = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(uh), 1, vbas1), 2, vbas2), 3, uo);
    const nvh = v128.shuffle<f32>(nv, nv, 2, 3, 0, 1);
    if (cnt == win) {
      const ov = v128.load(row);
      const ovh = v128.shuffle<f32>(ov, ov, 2, 3, 0, 1);
      SA = f64x2.add(f64x2.sub(SA, f64x2.promote_low_f32x4(ov)), f64x2.promote_low_f32x4(nv));
      SB = f64x2.add(f64x2.sub(SB, f64x2.promote_low_f32x4(ovh)), f64x2.promote_low_f32x4(nvh));
    } else {
      SA = f64x2.add(SA, f64x2.promote_low_f32x4(nv));
      SB = f64x2.add(SB, f64x2.promote_low_f32x4(nvh));
      cnt++;
    }
    v128.store(row, nv);
    pos++;
    if (pos == win) pos = 0;
    const plastic = step >= lag;
    // 5. forward rule (presynaptic spikes of step t-1)
    if (plastic && fwd) {
      let changed = copyPending;
      copyPending = false;
      const dcnt = <f64>cnt;
      if (l0 == t - 1) {
        const mu = <f32>(f64x2.extract_lane(SA, 0) / dcnt), mb = <f32>(f64x2.extract_lane(SA, 1) / dcnt);
        W10 = W10 + eta1 * (fireProb(mu, tRef) - fireProb(mb + b1, tRef));
      }
      if (l1 == t - 1) {
        const mu = <f32>(f64x2.extract_lane(SB, 1) / dcnt), mb = <f32>(f64x2.extract_lane(SB, 0) / dcnt);
        W21 = W21 + eta2 * (fireProb(mu, tRef) - fireProb(mb + b2, tRef));
        changed = true;
      }
      if (changed) {
        if (bp) B12 = W21;
        WIP = W21;
        WPI = -B12;
      }
    }
    // 6. SAL
    if (sal) {
      if (l1 == t) {
        const dt = t - l3;
        if (dt > 0 && l3 != NEVER) { B12 = B12 + etaAC * expf(-(<f32>dt / tauC)); }
      }
      if (l3 == t) {
        const dt = t - l1;
        if (dt > 0 && l1 != NEVER) { B12 = B12 + etaAA * expf(-(<f32>dt / tauA)); }
      }
    }
    // 7. output accumulation
    if (plastic) { A0 += <f64>uo; A1 += <f64>free2; }
    t++;
  }
  if (nSteps > lag) setf64(D, 6, f64at(D, 6) + <f64>(nSteps - (lag > 0 ? lag : 0)));
  setf32(F, 16, W10); setf32(F, 17, W21); setf32(F, 18, B12); setf32(F, 19, WIP); setf32(F, 20, WPI);
  setf32(F, 25, ux); setf32(F, 26, uh); setf32(F, 27, ui); setf32(F, 28, uo);
  setf32(F, 45, vapi1);
  setf32(F, 46, uh); setf32(F, 47, vbas1); setf32(F, 48, vbas2); setf32(F, 49, uo); setf32(F, 50, free2);
  seti32(I, 16, l0); seti32(I, 17, l1); seti32(I, 18, l2); seti32(I, 19, l3);
  seti32(I, 20, s0); seti32(I, 21, s1); seti32(I, 22, s2); seti32(I, 23, s3);
  store<u32>(st, r0); store<u32>(st, r1, 4); store<u32>(st, r2, 8); store<u32>(st, r3, 12);
  v128.store(D, SA); v128.store(D, SB, 16); setf64(D, 4, A0); setf64(D, 5, A1);
  seti32(I, 4, t);
  seti32(I, 5, pos);
  seti32(I, 6, cnt);
}

/** Runs one pattern of `nSteps` steps of the microcircuit (flags: 1 nudge, 2 forward rule, 4 SAL, 8 BP copy); plasticity and output accumulation from step `lag`. */
export function mcRunPattern(F: usize, I: usize, U: usize, D: usize, nSteps: i32, lag: i32, flags: i32): void {
  const n0 = i32at(I, 0), n1 = i32at(I, 1), n2 = i32at(I, 2), win = i32at(I, 3);
  if (n0 == 1 && n1 == 1 && n2 == 1 && (flags & SALALL) == 0) { run111(F, I, U, D, nSteps, lag, flags); return; }
  let t = i32at(I, 4), pos = i32at(I, 5), cnt = i32at(I, 6);
  const tRefSteps = i32at(I, 7), tauSyn = i32at(I, 8);
  const lamApi = f32at(F, 0), lamNudge = f32at(F, 1), eta1 = f32at(F, 2), eta2 = f32at(F, 3), etaB = f32at(F, 4);
  const aC = f32at(F, 5), aA = f32at(F, 6), tauC = f32at(F, 7), tauA = f32at(F, 8), tRef = f32at(F, 9);
  const N = n0 + n1 + 2 * n2, Q = 2 * n1 + 2 * n2;
  // f32 offsets (elements), identical to mcLayout
  let o = 16;
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
  const brk = F + (<usize>o << 2); o += 4 * N;
  const vapi1 = F + (<usize>o << 2); o += n1;
  // stage: the Q moving-average inputs u1 | vbas1 | vbas2 | u2, then free2 = b2 + vbas2,
  // so [u2 | free2] lines up with D[accU2 | accFree]
  const stage = F + (<usize>o << 2); o += Q + n2;
  const su1 = stage, vbas1 = stage + (<usize>n1 << 2), vbas2 = stage + (<usize>(2 * n1) << 2);
  const su2 = vbas2 + (<usize>n2 << 2), free2 = su2 + (<usize>n2 << 2);
  const ring = F + (<usize>o << 2); o += Q * win;
  const trH = F + (<usize>o << 2), trO = trH + (<usize>n1 << 2);
  const tl = I + 64, sp = I + 64 + (<usize>N << 2);
  const tl1 = tl + (<usize>n0 << 2), tlI = tl1 + (<usize>n1 << 2), tl2 = tlI + (<usize>n2 << 2);
  const s0 = sp, s1 = sp + (<usize>n0 << 2), sI = s1 + (<usize>n1 << 2), s2 = sI + (<usize>n2 << 2);
  const st = U, thr = U + 16;
  const sum = D, accU2 = D + (<usize>Q << 3), accFree = accU2 + (<usize>n2 << 3), accCount = accFree + (<usize>n2 << 3);
  const nudge = (flags & NUDGE) != 0, fwd = (flags & FORWARD) != 0, sal = (flags & SAL) != 0, bp = (flags & BPCOPY) != 0;
  const salAll = sal && (flags & SALALL) != 0, salNear = sal && !salAll;
  const decA = expf(-(<f32>1.0 / tauA)), decC = expf(-(<f32>1.0 / tauC));

  let dirty = DH | DI | DO;
  let r0 = load<u32>(st), r1 = load<u32>(st, 4), r2 = load<u32>(st, 8), r3 = load<u32>(st, 12);
  let copyPending = true;
  const etaAC = etaB * aC, etaAA = etaB * aA;
  // spikes of the input / hidden P populations at step t-1 (forward rule), of hidden P / output P at t (SAL)
  let prevIn = 0, prevHid = 0;
  for (let j = 0; j < n0; j++) if (i32at(tl, j) == t - 1) prevIn++;
  for (let j = 0; j < n1; j++) if (i32at(tl1, j) == t - 1) prevHid++;
  const nIn = n0, nInHid = n0 + n1, nOutStart = n0 + n1 + n2;

  for (let step = 0; step < nSteps; step++) {
    // 1. spikes of all populations from the potentials of step t-1 (one draw per non-refractory
    //    neuron), decided against cached thresholds at the ends of a bracket around u (threshold
    //    is monotone in u) and against the exact threshold only when x falls between them;
    // 2. rectangular PSP onsets/offsets mark the potentials they feed
    let curIn = 0, curHid = 0, curOut = 0;
    for (let q = 0; q < N; q++) {
      const p = tl + (<usize>q << 2);
      let last = load<i32>(p);
      if (t - last >= tRefSteps) {
        // xoshiro128** step on register copies of the state (same outputs as rngNext)
        const x = rotl(r1 * 5, 7) * 9;
        const sh = r1 << 9;
        r2 ^= r0; r3 ^= r1; r1 ^= r2; r0 ^= r3; r2 ^= sh; r3 = rotl(r3, 11);
        const u = f32at(u0, q);
        const pb = brk + (<usize>q << 4), pt = thr + (<usize>q << 4);
        let lo: u32, hi: u32;
        if (u >= load<f32>(pb) && u <= load<f32>(pb, 4)) {
          lo = load<u32>(pt); hi = load<u32>(pt, 4);
        } else {
          const l1 = load<f32>(pb, 8), h1 = load<f32>(pb, 12);
          const hit1 = u >= l1 && u <= h1;
          let nl: f32, nh: f32;
          if (hit1) {
            nl = l1; nh = h1; lo = load<u32>(pt, 8); hi = load<u32>(pt, 12);
          } else {
            nl = u - BRACKET; nh = u + BRACKET; lo = threshold(nl, tRef); hi = threshold(nh, tRef);
          }
          // most recent bracket in slot 0, the previous one in slot 1
          store<f32>(pb, load<f32>(pb), 8); store<f32>(pb, load<f32>(pb, 4), 12);
          store<u32>(pt, load<u32>(pt), 8); store<u32>(pt, load<u32>(pt, 4), 12);
          store<f32>(pb, nl); store<f32>(pb, nh, 4); store<u32>(pt, lo); store<u32>(pt, hi, 4);
        }
        const fire = x < lo ? true : x >= hi ? false : x < threshold(u, tRef);
        if (fire) {
          // a spike at t also ends the "spiked at t-1" of this neuron (only possible if tRef <= 1)
          const was = last == t - 1 ? 1 : 0;
          store<i32>(p, t); last = t;
          if (q < nIn) { curIn++; prevIn -= was; } else if (q < nInHid) { curHid++; prevHid -= was; } else if (q >= nOutStart) curOut++;
        }
      }
      const on: i32 = t - last < tauSyn ? 1 : 0;
      if (on != i32at(sp, q)) {
        seti32(sp, q, on);
        dirty |= q < n0 ? DH : q < n0 + n1 ? DO | DI : DH;
      }
    }
    // 3. potentials, recomputed densely where an input PSP or a weight changed
    if (step == 0) for (let j = 0; j < n0; j++) setf32(u0, j, f32at(x, j)); // x is constant within a call
    if (dirty & DH) {
      for (let i = 0; i < n1; i++) {
        let vb: f32 = 0;
        for (let j = 0; j < n0; j++) if (i32at(s0, j)) vb += f32at(W10, i * n0 + j);
        let va: f32 = 0;
        for (let k = 0; k < n2; k++) if (i32at(s2, k)) va += f32at(B12, i * n2 + k);
        let vi: f32 = 0;
        for (let k = 0; k < n2; k++) if (i32at(sI, k)) vi += f32at(WPI, i * n2 + k);
        const vapi = va + vi;
        const u = (f32at(b1, i) + vb) + lamApi * vapi;
        setf32(vbas1, i, vb);
        setf32(vapi1, i, vapi);
        setf32(u1, i, u);
        setf32(su1, i, u);
      }
    }
    if (dirty & DI) {
      for (let k = 0; k < n2; k++) {
        let acc: f32 = 0;
        for (let j = 0; j < n1; j++) if (i32at(s1, j)) acc += f32at(WIP, k * n1 + j);
        const u = f32at(b2, k) + acc;
        setf32(uI, k, u);
      }
    }
    if (dirty & DO) {
      for (let k = 0; k < n2; k++) {
        let acc: f32 = 0;
        for (let j = 0; j < n1; j++) if (i32at(s1, j)) acc += f32at(W21, k * n1 + j);
        setf32(vbas2, k, acc);
        setf32(free2, k, f32at(b2, k) + acc);
      }
    }
    if (nudge || (dirty & DO)) {
      const qv = 2 * n1;
      for (let k = 0; k < n2; k++) {
        const bk = f32at(b2, k), vb = f32at(vbas2, k);
        let u = bk + vb;
        if (nudge) {
          // nudging uses the basal average of the steps before t (authors' order)
          const mean = <f32>(f64at(sum, qv + k) / <f64>cnt);
          u = u + lamNudge * ((f32at(tgt, k) - mean) - bk);
        }
        setf32(u2, k, u);
        setf32(su2, k, u);
      }
    }
    dirty = 0;
    // 4. boxcar moving averages (never reset between patterns)
    const full = cnt == win;
    // the ring is [win][Q]: one step's values are adjacent; Q = 2 n1 + 2 n2 is even, so two
    // quantities per f64x2 lane pair: s = (s - old) + new per quantity, as the scalar order
    const row = ring + ((<usize>pos * <usize>Q) << 2);
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
    pos++;
    if (pos == win) pos = 0;
    if (!full) cnt++;
    const dcnt = <f64>cnt;
    const plastic = step >= lag;
    // 5. forward Urbanczik-Senn rule, presynaptic spikes of step t-1 (authors' one-step delay)
    if (plastic && fwd) {
      let changed = copyPending;
      copyPending = false;
      if (prevIn != 0) {
        for (let i = 0; i < n1; i++) {
          const mu = <f32>(f64at(sum, i) / dcnt), mb = <f32>(f64at(sum, n1 + i) / dcnt);
          const d = eta1 * (fireProb(mu, tRef) - fireProb(mb + f32at(b1, i), tRef));
          for (let j = 0; j < n0; j++) if (i32at(tl, j) == t - 1) setf32(W10, i * n0 + j, f32at(W10, i * n0 + j) + d);
        }
        dirty |= DH;
      }
      if (prevHid != 0) {
        for (let k = 0; k < n2; k++) {
          const mu = <f32>(f64at(sum, 2 * n1 + n2 + k) / dcnt), mb = <f32>(f64at(sum, 2 * n1 + k) / dcnt);
          const d = eta2 * (fireProb(mu, tRef) - fireProb(mb + f32at(b2, k), tRef));
          for (let j = 0; j < n1; j++) if (i32at(tl1, j) == t - 1) setf32(W21, k * n1 + j, f32at(W21, k * n1 + j) + d);
        }
        dirty |= DO;
        changed = true;
      }
      if (changed) {
        // BP: B12 <- W21^T; then the self-predicting copies W_IP <- W21, W_PI <- -B12
        for (let i = 0; i < n1; i++) {
          for (let k = 0; k < n2; k++) {
            if (bp) setf32(B12, i * n2 + k, f32at(W21, k * n1 + i));
            setf32(WIP, k * n1 + i, f32at(W21, k * n1 + i));
            setf32(WPI, i * n2 + k, -f32at(B12, i * n2 + k));
          }
        }
        dirty |= DH | DI;
      }
    }
    // 6. SAL: nearest-neighbour STDP on B12 (post = hidden P, pre = output P); dt = 0 gives 0
    if (salNear && curHid != 0) {
      for (let i = 0; i < n1; i++) {
        if (i32at(tl1, i) != t) continue;
        for (let k = 0; k < n2; k++) {
          const tk = i32at(tl2, k);
          const dt = t - tk;
          if (dt > 0 && tk != NEVER) {
            const e = expf(-(<f32>dt / tauC));
            setf32(B12, i * n2 + k, f32at(B12, i * n2 + k) + etaAC * e);
            dirty |= DH;
          }
        }
      }
    }
    if (salNear && curOut != 0) {
      for (let k = 0; k < n2; k++) {
        if (i32at(tl2, k) != t) continue;
        for (let i = 0; i < n1; i++) {
          const ti = i32at(tl1, i);
          const dt = t - ti;
          if (dt > 0 && ti != NEVER) {
            const e = expf(-(<f32>dt / tauA));
            setf32(B12, i * n2 + k, f32at(B12, i * n2 + k) + etaAA * e);
            dirty |= DH;
          }
        }
      }
    }
    // 6'. SAL with all-pairs traces: decay, pair the spikes of t with the earlier ones, then add them
    if (salAll) {
      for (let i = 0; i < n1; i++) setf32(trH, i, f32at(trH, i) * decA);
      for (let k = 0; k < n2; k++) setf32(trO, k, f32at(trO, k) * decC);
      if (curHid != 0) {
        for (let i = 0; i < n1; i++) {
          if (i32at(tl1, i) != t) continue;
          for (let k = 0; k < n2; k++) {
            const e = f32at(trO, k);
            if (e > 0) { setf32(B12, i * n2 + k, f32at(B12, i * n2 + k) + etaAC * e); dirty |= DH; }
          }
        }
      }
      if (curOut != 0) {
        for (let k = 0; k < n2; k++) {
          if (i32at(tl2, k) != t) continue;
          for (let i = 0; i < n1; i++) {
            const e = f32at(trH, i);
            if (e > 0) { setf32(B12, i * n2 + k, f32at(B12, i * n2 + k) + etaAA * e); dirty |= DH; }
          }
        }
      }
      for (let i = 0; i < n1; i++) if (i32at(tl1, i) == t) setf32(trH, i, f32at(trH, i) + <f32>1.0);
      for (let k = 0; k < n2; k++) if (i32at(tl2, k) == t) setf32(trO, k, f32at(trO, k) + <f32>1.0);
    }
    // 7. accumulate the output potential (nudged) and the free basal prediction b2 + vbas2
    //    ([u2 | free2] of the stage onto D[accU2 | accFree], 2 n2 values, two per f64x2)
    if (plastic) {
      for (let k = 0; k < 2 * n2; k += 2) {
        const a = <usize>k << 2, b = <usize>k << 3;
        v128.store(accU2 + b, f64x2.add(v128.load(accU2 + b), f64x2.promote_low_f32x4(v128.load64_zero(su2 + a))));
      }
    }
    prevIn = curIn; prevHid = curHid;
    t++;
  }
  // the count of accumulated steps (adding 1.0 per step is exact, so one addition is the same)
  if (nSteps > lag) store<f64>(accCount, load<f64>(accCount) + <f64>(nSteps - (lag > 0 ? lag : 0)));
  store<u32>(st, r0); store<u32>(st, r1, 4); store<u32>(st, r2, 8); store<u32>(st, r3, 12);
  seti32(I, 4, t);
  seti32(I, 5, pos);
  seti32(I, 6, cnt);
}
