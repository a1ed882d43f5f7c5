// js reference of the microcircuit kernel: the same algorithm, operation
// order and RNG draws as assembly/microcircuit.ts (see there and
// spec/microcircuits.md), f32 arithmetic via Math.fround, f64 running sums.
import type { MicrocircuitKernels, McState } from "../microcircuit.js";
import { MC_BRACKET, MC_FLAG, MC_NEVER, mcLayout } from "../layout.js";
import { expf, fireProb, threshold } from "../shared/mathf.js";
import { rngNext } from "../shared/rng.js";

const f = Math.fround;
const DH = 1, DI = 2, DO = 4;
const BRACKET = f(MC_BRACKET);

function mcRunPattern(st: McState, nSteps: number, lag: number, flags: number): void {
  const F = st.F.view, I = st.I.view, U = st.U.view, D = st.D.view;
  const n0 = I[0], n1 = I[1], n2 = I[2], win = I[3];
  let t = I[4], pos = I[5], cnt = I[6];
  const tRefSteps = I[7], tauSyn = I[8];
  const lamApi = F[0], lamNudge = F[1], eta1 = F[2], eta2 = F[3], etaB = F[4];
  const aC = F[5], aA = F[6], tauC = F[7], tauA = F[8], tRef = F[9];
  const L = mcLayout(n0, n1, n2, win);
  const { W10, W21, B12, WIP, WPI, b1, b2, x, tgt, u0, u1, uI, u2, vapi1, stage, vbas1, vbas2, free2, ring } = L.f;
  const su1 = stage, su2 = vbas2 + n2;
  const N = L.N, Q = L.Q;
  const tl = L.i.tl, sp = L.i.s;
  const tl1 = tl + n0, tl2 = tl + n0 + n1 + n2;
  const s0 = sp, s1 = sp + n0, sI = s1 + n1, s2 = sI + n2;
  const rng = L.u.rng;
  // bracket cache: bounds as f32 (Cf) and thresholds (C) in one scratch buffer, emptied per call
  const C = st.C.view, Cf = new Float32Array(C.buffer, C.byteOffset, C.length);
  const brk = L.c.brk, thr = L.c.thr;
  for (let k = 0; k < 4; k++) Cf.fill(k % 2 === 0 ? Infinity : -Infinity, brk + k * N, brk + (k + 1) * N);
  const sum = 0, accU2 = Q, accCount = Q + 2 * n2;
  const nudge = (flags & MC_FLAG.nudge) !== 0, fwd = (flags & MC_FLAG.forward) !== 0;
  const sal = (flags & MC_FLAG.sal) !== 0, bp = (flags & MC_FLAG.bpCopy) !== 0;
  const salAll = sal && (flags & MC_FLAG.salAll) !== 0, salNear = sal && !salAll;
  const decA = expf(-f(1 / tauA)), decC = expf(-f(1 / tauC));
  const trH = L.f.tr, trO = L.f.tr + n1;

  let dirty = DH | DI | DO;
  let copyPending = true;
  const etaAC = f(etaB * aC), etaAA = f(etaB * aA);

  // spikes of the input / hidden P populations at step t-1 (forward rule), of hidden P / output P at t (SAL)
  let prevIn = 0, prevHid = 0;
  for (let j = 0; j < n0; j++) if (I[tl + j] === t - 1) prevIn++;
  for (let j = 0; j < n1; j++) if (I[tl1 + j] === t - 1) prevHid++;
  const nIn = n0, nInHid = n0 + n1, nOutStart = n0 + n1 + n2;

  for (let step = 0; step < nSteps; step++) {
    // 1. spikes: every neuron draws from its own stream every step (refractory or not, as the
    //    authors' code); a non-refractory one fires iff x < T(u), decided against its cached brackets
    let curIn = 0, curHid = 0, curOut = 0;
    for (let q = 0; q < N; q++) {
      const x = rngNext(U, rng + q, N);
      if (t - I[tl + q] >= tRefSteps) {
        const u = F[u0 + q];
        const pb = brk + q, pt = thr + q;
        let lo: number, hi: number;
        if (u >= Cf[pb] && u <= Cf[pb + N]) {
          lo = C[pt]; hi = C[pt + N];
        } else {
          const l1 = Cf[pb + 2 * N], h1 = Cf[pb + 3 * N];
          let nl: number, nh: number;
          if (u >= l1 && u <= h1) {
            nl = l1; nh = h1; lo = C[pt + 2 * N]; hi = C[pt + 3 * N];
          } else {
            nl = f(u - BRACKET); nh = f(u + BRACKET); lo = threshold(nl, tRef); hi = threshold(nh, tRef);
          }
          // most recent bracket in slot 0, the previous one in slot 1
          Cf[pb + 2 * N] = Cf[pb]; Cf[pb + 3 * N] = Cf[pb + N]; C[pt + 2 * N] = C[pt]; C[pt + 3 * N] = C[pt + N];
          Cf[pb] = nl; Cf[pb + N] = nh; C[pt] = lo; C[pt + N] = hi;
          lo = C[pt]; hi = C[pt + N];
        }
        const fire = x < lo ? true : x >= hi ? false : x < threshold(u, tRef);
        if (fire) {
          const was = I[tl + q] === t - 1 ? 1 : 0;
          I[tl + q] = t;
          if (q < nIn) { curIn++; prevIn -= was; } else if (q < nInHid) { curHid++; prevHid -= was; } else if (q >= nOutStart) curOut++;
        }
      }
      // 2. PSP onsets/offsets
      const on = t - I[tl + q] < tauSyn ? 1 : 0;
      if (on !== I[sp + q]) {
        I[sp + q] = on;
        dirty |= q < n0 ? DH : q < n0 + n1 ? DO | DI : DH;
      }
    }
    // 3. potentials
    if (step === 0) for (let j = 0; j < n0; j++) F[u0 + j] = F[x + j];
    if (dirty & DH) {
      for (let i = 0; i < n1; i++) {
        let vb = 0;
        for (let j = 0; j < n0; j++) if (I[s0 + j]) vb = f(vb + F[W10 + i * n0 + j]);
        let va = 0;
        for (let k = 0; k < n2; k++) if (I[s2 + k]) va = f(va + F[B12 + i * n2 + k]);
        let vi = 0;
        for (let k = 0; k < n2; k++) if (I[sI + k]) vi = f(vi + F[WPI + i * n2 + k]);
        const vapi = f(va + vi);
        const u = f(f(F[b1 + i] + vb) + f(lamApi * vapi));
        F[vbas1 + i] = vb;
        F[vapi1 + i] = vapi;
        F[u1 + i] = u;
        F[su1 + i] = u;
      }
    }
    if (dirty & DI) {
      for (let k = 0; k < n2; k++) {
        let acc = 0;
        for (let j = 0; j < n1; j++) if (I[s1 + j]) acc = f(acc + F[WIP + k * n1 + j]);
        const u = f(F[b2 + k] + acc);
        F[uI + k] = u;
      }
    }
    if (dirty & DO) {
      for (let k = 0; k < n2; k++) {
        let acc = 0;
        for (let j = 0; j < n1; j++) if (I[s1 + j]) acc = f(acc + F[W21 + k * n1 + j]);
        F[vbas2 + k] = acc;
        F[free2 + k] = f(F[b2 + k] + acc);
      }
    }
    if (nudge || dirty & DO) {
      const qv = 2 * n1;
      for (let k = 0; k < n2; k++) {
        const bk = F[b2 + k], vb = F[vbas2 + k];
        let u = f(bk + vb);
        if (nudge) {
          const mean = f(D[sum + qv + k] / cnt);
          u = f(u + f(lamNudge * f(f(F[tgt + k] - mean) - bk)));
        }
        F[u2 + k] = u;
        F[su2 + k] = u;
      }
    }
    dirty = 0;
    // 4. moving averages
    const full = cnt === win;
    const row = ring + pos * Q; // ring laid out [win][Q]; quantities = the stage's first Q values
    for (let q = 0; q < Q; q++) {
      const v = F[stage + q];
      let s = D[sum + q];
      if (full) s -= F[row + q];
      s += v;
      D[sum + q] = s;
      F[row + q] = v;
    }
    pos++;
    if (pos === win) pos = 0;
    if (!full) cnt++;
    const plastic = step >= lag;
    // 5. forward rule with the one-step presynaptic delay
    if (plastic && fwd) {
      let changed = copyPending;
      copyPending = false;
      if (prevIn !== 0) {
        for (let i = 0; i < n1; i++) {
          const mu = f(D[sum + i] / cnt), mb = f(D[sum + n1 + i] / cnt);
          const d = f(eta1 * f(fireProb(mu, tRef) - fireProb(f(mb + F[b1 + i]), tRef)));
          for (let j = 0; j < n0; j++) if (I[tl + j] === t - 1) F[W10 + i * n0 + j] = f(F[W10 + i * n0 + j] + d);
        }
        dirty |= DH;
      }
      if (prevHid !== 0) {
        for (let k = 0; k < n2; k++) {
          const mu = f(D[sum + 2 * n1 + n2 + k] / cnt), mb = f(D[sum + 2 * n1 + k] / cnt);
          const d = f(eta2 * f(fireProb(mu, tRef) - fireProb(f(mb + F[b2 + k]), tRef)));
          for (let j = 0; j < n1; j++) if (I[tl1 + j] === t - 1) F[W21 + k * n1 + j] = f(F[W21 + k * n1 + j] + d);
        }
        dirty |= DO;
        changed = true;
      }
      if (changed) {
        for (let i = 0; i < n1; i++) {
          for (let k = 0; k < n2; k++) {
            if (bp) F[B12 + i * n2 + k] = F[W21 + k * n1 + i];
            F[WIP + k * n1 + i] = F[W21 + k * n1 + i];
            F[WPI + i * n2 + k] = -F[B12 + i * n2 + k];
          }
        }
        dirty |= DH | DI;
      }
    }
    // 6. SAL on B12
    if (salNear && curHid !== 0) {
      for (let i = 0; i < n1; i++) {
        if (I[tl1 + i] !== t) continue;
        for (let k = 0; k < n2; k++) {
          const tk = I[tl2 + k], dt = t - tk;
          if (dt > 0 && tk !== MC_NEVER) {
            const e = expf(-f(f(dt) / tauC));
            F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + f(etaAC * e));
            dirty |= DH;
          }
        }
      }
    }
    if (salNear && curOut !== 0) {
      for (let k = 0; k < n2; k++) {
        if (I[tl2 + k] !== t) continue;
        for (let i = 0; i < n1; i++) {
          const ti = I[tl1 + i], dt = t - ti;
          if (dt > 0 && ti !== MC_NEVER) {
            const e = expf(-f(f(dt) / tauA));
            F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + f(etaAA * e));
            dirty |= DH;
          }
        }
      }
    }
    // 6'. SAL with all-pairs traces
    if (salAll) {
      for (let i = 0; i < n1; i++) F[trH + i] = f(F[trH + i] * decA);
      for (let k = 0; k < n2; k++) F[trO + k] = f(F[trO + k] * decC);
      if (curHid !== 0) {
        for (let i = 0; i < n1; i++) {
          if (I[tl1 + i] !== t) continue;
          for (let k = 0; k < n2; k++) {
            const e = F[trO + k];
            if (e > 0) { F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + f(etaAC * e)); dirty |= DH; }
          }
        }
      }
      if (curOut !== 0) {
        for (let k = 0; k < n2; k++) {
          if (I[tl2 + k] !== t) continue;
          for (let i = 0; i < n1; i++) {
            const e = F[trH + i];
            if (e > 0) { F[B12 + i * n2 + k] = f(F[B12 + i * n2 + k] + f(etaAA * e)); dirty |= DH; }
          }
        }
      }
      for (let i = 0; i < n1; i++) if (I[tl1 + i] === t) F[trH + i] = f(F[trH + i] + 1);
      for (let k = 0; k < n2; k++) if (I[tl2 + k] === t) F[trO + k] = f(F[trO + k] + 1);
    }
    // 7. accumulate outputs
    //    ([u2 | free2] of the stage onto D[accU2 | accFree])
    if (plastic) for (let k = 0; k < 2 * n2; k++) D[accU2 + k] += F[su2 + k];
    prevIn = curIn; prevHid = curHid;
    t++;
  }
  // the count of accumulated steps (adding 1.0 per step is exact, so one addition is the same)
  if (nSteps > lag) D[accCount] += nSteps - (lag > 0 ? lag : 0);
  I[4] = t;
  I[5] = pos;
  I[6] = cnt;
}

export const microcircuitKernels: MicrocircuitKernels = { mcRunPattern };
