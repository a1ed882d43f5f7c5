// Spiking dendritic cortical microcircuit (spec/microcircuits.md; arXiv:2503.02642, fig. 6):
// one call runs one pattern presentation. Mirrors src/backend/js/microcircuitKernels.ts
// operation by operation (same f32 op order, same f64 sums, same RNG draws), so both
// backends give identical spike trains and weights for the same seed.
//
// State: four caller-owned buffers, layout in src/backend/microcircuit.ts (`mcLayout`):
//   F f32: params P[16] | W10 | W21 | B12 | WIP | WPI | b1 | b2 | x | tgt | u (all neurons) | brackets 4N | vbas1 | vapi1 | vbas2 | ring
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

/** Moves boxcar quantity q by `v`: running f64 sum over a ring of `win` f32 values (O(1)). */
// @ts-ignore: decorator
@inline function maMove(row: usize, sum: usize, q: i32, full: bool, v: f32): void {
  const slot = row + (<usize>q << 2);
  let s = f64at(sum, q);
  if (full) s -= <f64>load<f32>(slot);
  s += <f64>v;
  setf64(sum, q, s);
  store<f32>(slot, v);
}

/** Runs one pattern of `nSteps` steps of the microcircuit (flags: 1 nudge, 2 forward rule, 4 SAL, 8 BP copy); plasticity and output accumulation from step `lag`. */
export function mcRunPattern(F: usize, I: usize, U: usize, D: usize, nSteps: i32, lag: i32, flags: i32): void {
  const n0 = i32at(I, 0), n1 = i32at(I, 1), n2 = i32at(I, 2), win = i32at(I, 3);
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
  const vbas1 = F + (<usize>o << 2); o += n1;
  const vapi1 = F + (<usize>o << 2); o += n1;
  const vbas2 = F + (<usize>o << 2); o += n2;
  const ring = F + (<usize>o << 2);
  const tl = I + 64, sp = I + 64 + (<usize>N << 2);
  const tl1 = tl + (<usize>n0 << 2), tlI = tl1 + (<usize>n1 << 2), tl2 = tlI + (<usize>n2 << 2);
  const s0 = sp, s1 = sp + (<usize>n0 << 2), sI = s1 + (<usize>n1 << 2), s2 = sI + (<usize>n2 << 2);
  const st = U, thr = U + 16;
  const sum = D, accU2 = D + (<usize>Q << 3), accFree = accU2 + (<usize>n2 << 3), accCount = accFree + (<usize>n2 << 3);
  const nudge = (flags & NUDGE) != 0, fwd = (flags & FORWARD) != 0, sal = (flags & SAL) != 0, bp = (flags & BPCOPY) != 0;

  let dirty = DH | DI | DO;
  let r0 = load<u32>(st), r1 = load<u32>(st, 4), r2 = load<u32>(st, 8), r3 = load<u32>(st, 12);
  let copyPending = true;
  const etaAC = etaB * aC, etaAA = etaB * aA;

  for (let step = 0; step < nSteps; step++) {
    // 1. spikes of all populations from the potentials of step t-1 (one draw per non-refractory
    //    neuron), decided against cached thresholds at the ends of a bracket around u (threshold
    //    is monotone in u) and against the exact threshold only when x falls between them;
    // 2. rectangular PSP onsets/offsets mark the potentials they feed
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
        if (fire) { store<i32>(p, t); last = t; }
      }
      const on: i32 = t - last < tauSyn ? 1 : 0;
      if (on != i32at(sp, q)) {
        seti32(sp, q, on);
        dirty |= q < n0 ? DH : q < n0 + n1 ? DO | DI : DH;
      }
    }
    // 3. potentials, recomputed densely where an input PSP or a weight changed
    for (let j = 0; j < n0; j++) setf32(u0, j, f32at(x, j));
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
      }
    }
    if (nudge || (dirty & DO)) {
      const qv = 2 * n1 + n2;
      for (let k = 0; k < n2; k++) {
        const bk = f32at(b2, k), vb = f32at(vbas2, k);
        let u = bk + vb;
        if (nudge) {
          // nudging uses the basal average of the steps before t (authors' order)
          const mean = <f32>(f64at(sum, qv + k) / <f64>cnt);
          u = u + lamNudge * ((f32at(tgt, k) - mean) - bk);
        }
        setf32(u2, k, u);
      }
    }
    dirty = 0;
    // 4. boxcar moving averages (never reset between patterns)
    const full = cnt == win;
    const row = ring + ((<usize>pos * <usize>Q) << 2); // the ring is [win][Q]: one step's values are adjacent
    for (let i = 0; i < n1; i++) {
      maMove(row, sum, i, full, f32at(u1, i));
      maMove(row, sum, n1 + i, full, f32at(vbas1, i));
    }
    for (let k = 0; k < n2; k++) {
      maMove(row, sum, 2 * n1 + k, full, f32at(u2, k));
      maMove(row, sum, 2 * n1 + n2 + k, full, f32at(vbas2, k));
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
      let anyIn = false;
      for (let j = 0; j < n0; j++) if (i32at(tl, j) == t - 1) anyIn = true;
      if (anyIn) {
        for (let i = 0; i < n1; i++) {
          const mu = <f32>(f64at(sum, i) / dcnt), mb = <f32>(f64at(sum, n1 + i) / dcnt);
          const d = eta1 * (fireProb(mu, tRef) - fireProb(mb + f32at(b1, i), tRef));
          for (let j = 0; j < n0; j++) if (i32at(tl, j) == t - 1) setf32(W10, i * n0 + j, f32at(W10, i * n0 + j) + d);
        }
        dirty |= DH;
      }
      let anyHid = false;
      for (let j = 0; j < n1; j++) if (i32at(tl1, j) == t - 1) anyHid = true;
      if (anyHid) {
        for (let k = 0; k < n2; k++) {
          const mu = <f32>(f64at(sum, 2 * n1 + k) / dcnt), mb = <f32>(f64at(sum, 2 * n1 + n2 + k) / dcnt);
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
    if (sal) {
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
    // 7. accumulate the output potential (nudged) and the free basal prediction b2 + vbas2
    if (plastic) {
      for (let k = 0; k < n2; k++) {
        setf64(accU2, k, f64at(accU2, k) + <f64>f32at(u2, k));
        setf64(accFree, k, f64at(accFree, k) + <f64>(f32at(b2, k) + f32at(vbas2, k)));
      }
      store<f64>(accCount, load<f64>(accCount) + 1.0);
    }
    t++;
  }
  store<u32>(st, r0); store<u32>(st, r1, 4); store<u32>(st, r2, 8); store<u32>(st, r3, 12);
  seti32(I, 4, t);
  seti32(I, 5, pos);
  seti32(I, 6, cnt);
}
