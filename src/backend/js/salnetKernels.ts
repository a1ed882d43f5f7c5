// The layered SAL network (kernel family `salnet`, src/backend/salnet.ts):
// the readable reference of assembly/salnet.ts. Every f32 operation is
// rounded as the wasm kernel rounds it (Float32Array stores, Math.fround), in
// the same order, so both backends give identical spikes, potentials and STDP
// sums.
import type { SalNetKernels, SalNetState } from "../salnet.js";
import { SALNET_H, SALNET_MAX_TIME, SALNET_POP } from "../salnet.js";
import { threshold } from "../shared/mathf.js";
import { rngNext } from "../shared/rng.js";

const f32 = Math.fround;
const fromBits = (b: number) => new Float32Array(new Int32Array([b]).buffer)[0];

interface Pop {
  n: number;
  n4: number;
  off: number;
  WT: number;
  BT: number;
  b: number;
  Ac: number;
  Aa: number;
  Dc: number;
  Da: number;
}

function pops(I: Int32Array): Pop[] {
  const out: Pop[] = [];
  for (let p = 0; p < I[SALNET_H.P]; p++) {
    const o = SALNET_H.pop0 + p * SALNET_H.popSlots;
    out.push({
      n: I[o + SALNET_POP.n],
      n4: I[o + SALNET_POP.n4],
      off: I[o + SALNET_POP.off],
      WT: I[o + SALNET_POP.WT],
      BT: I[o + SALNET_POP.BT],
      b: I[o + SALNET_POP.b],
      Ac: I[o + SALNET_POP.Ac],
      Aa: I[o + SALNET_POP.Aa],
      Dc: I[o + SALNET_POP.Dc],
      Da: I[o + SALNET_POP.Da],
    });
  }
  return out;
}

/** F[u + k] += F[col + k], k < n (one f32 rounding per element). */
function addColumn(F: Float32Array, u: number, col: number, n: number): void {
  for (let k = 0; k < n; k++) F[u + k] += F[col + k];
}

/** Adds the rows `M + j * ld` of the spikes listed at I[ids .. ids + count) (ascending j). */
function applySpikes(F: Float32Array, I: Int32Array, u: number, M: number, ld: number, n: number, ids: number, count: number): void {
  for (let s = 0; s < count; s++) addColumn(F, u, M + I[ids + s] * ld, n);
}

/**
 * The input change D_p(s) of copy c at ring slot `slot`: 0, plus the rows of the lower population's spikes of that step
 * (ascending), then the upper's.
 */
function inputChange(
  F: Float32Array,
  I: Int32Array,
  pp: Pop[],
  p: number,
  D: number,
  ids: (slot: number, c: number, p: number) => number,
  cnt: (slot: number, c: number, p: number) => number,
  slot: number,
  c: number,
): void {
  const q = pp[p];
  F.fill(0, D, D + q.n4);
  if (p > 0) applySpikes(F, I, D, q.WT, q.n4, q.n, ids(slot, c, p - 1), I[cnt(slot, c, p - 1)]);
  if (p < pp.length - 1) applySpikes(F, I, D, q.BT, q.n4, q.n, ids(slot, c, p + 1), I[cnt(slot, c, p + 1)]);
}

function run(st: SalNetState, steps: number): void {
  const F = st.F.view,
    I = st.I.view,
    U = st.U.view,
    D = st.D.view;
  const P = I[SALNET_H.P],
    S = I[SALNET_H.S],
    tRef = I[SALNET_H.tRef],
    R = I[SALNET_H.R],
    N4 = I[SALNET_H.N4];
  const decay = fromBits(I[SALNET_H.decayBits]),
    kmin = fromBits(I[SALNET_H.kminBits]),
    tRefF = fromBits(I[SALNET_H.tRefBits]);
  const oU = I[SALNET_H.u],
    oX = I[SALNET_H.x],
    oE1 = I[SALNET_H.e1],
    oE2 = I[SALNET_H.e2],
    oT1 = I[SALNET_H.t1],
    oRng = I[SALNET_H.rng];
  const oCnt = I[SALNET_H.cnt],
    oIds = I[SALNET_H.ids],
    oCount = I[SALNET_H.count],
    oDr = I[SALNET_H.dring];
  const lanes = S * N4;
  const pp = pops(I);
  const cnt = (slot: number, c: number, p: number) => oCnt + (slot * S + c) * P + p;
  const ids = (slot: number, c: number, p: number) => oIds + (slot * S + c) * N4 + pp[p].off;
  for (let step = 0; step < steps; step++) {
    const t = I[SALNET_H.t];
    const prev = (t + R - 1) % R; // spikes of t-1: PSP onset
    const old = t % R; // spikes of t-1-tRef: PSP end (this slot then takes the spikes of t)
    // 1. PSP onsets and ends: u <- (u + D(t-1)) - D(t-1-tRef)
    for (let c = 0; c < S; c++) {
      for (let p = 0; p < P; p++) {
        const q = pp[p],
          u = oU + c * N4 + q.off;
        const Dn = oDr + (c * R + prev) * N4 + q.off,
          Do = oDr + (c * R + old) * N4 + q.off;
        inputChange(F, I, pp, p, Dn, ids, cnt, prev, c);
        for (let k = 0; k < q.n; k++) F[u + k] = f32(F[u + k] + F[Dn + k]) - F[Do + k];
      }
    }
    // 2. draws, refractoriness, window traces
    for (let c = 0; c < S; c++) {
      for (let p = 0; p < P; p++) {
        const q = pp[p],
          base = c * N4 + q.off,
          list = ids(old, c, p);
        let m = 0;
        for (let i = 0; i < q.n4; i++) {
          const lane = base + i;
          const x = rngNext(U, oRng + lane, lanes);
          if (i >= q.n) continue; // padding lanes only keep their streams in step
          let e1 = f32(F[oE1 + lane] * decay);
          if (e1 < kmin) e1 = 0;
          let e2 = f32(F[oE2 + lane] * decay);
          if (e2 < kmin) e2 = 0;
          if (t - I[oT1 + lane] > tRef && x < threshold(F[oU + lane], tRefF)) {
            e2 = e1;
            e1 = 1;
            I[oT1 + lane] = t;
            I[list + m++] = i;
          }
          F[oE1 + lane] = e1;
          F[oE2 + lane] = e2;
          F[oX + lane] = e1 + e2;
        }
        I[cnt(old, c, p)] = m;
        D[oCount + p] += m;
      }
    }
    // 3. STDP: lower spikes take the upper traces (depression block), upper spikes the lower traces (potentiation block)
    for (let c = 0; c < S; c++) {
      for (let p = 0; p < P - 1; p++) {
        const lo = pp[p],
          up = pp[p + 1];
        const xLo = oX + c * N4 + lo.off,
          xUp = oX + c * N4 + up.off;
        for (let s = 0, l = ids(old, c, p), m = I[cnt(old, c, p)]; s < m; s++) addColumn(F, lo.Ac + I[l + s] * up.n4, xUp, up.n);
        for (let s = 0, l = ids(old, c, p + 1), m = I[cnt(old, c, p + 1)]; s < m; s++) addColumn(F, lo.Aa + I[l + s] * lo.n4, xLo, lo.n);
      }
    }
    I[SALNET_H.t] = t + 1;
    if (++I[SALNET_H.sinceFlush] >= I[SALNET_H.flushEvery]) {
      flush(F, D, pp);
      I[SALNET_H.sinceFlush] = 0;
    }
  }
}

function flush(F: Float32Array, D: Float64Array, pp: Pop[]): void {
  for (let p = 0; p < pp.length - 1; p++) {
    const lo = pp[p],
      up = pp[p + 1];
    for (const [a, d, size] of [
      [lo.Ac, lo.Dc, lo.n * up.n4],
      [lo.Aa, lo.Da, up.n * lo.n4],
    ]) {
      for (let k = 0; k < size; k++) D[d + k] += F[a + k];
      F.fill(0, a, a + size);
    }
  }
}

export const salnetKernels: SalNetKernels = {
  salnetRun(st, steps) {
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`salnetRun: steps ${steps}; must be an integer >= 0`);
    if (st.I.view[SALNET_H.t] + steps > SALNET_MAX_TIME) throw new RangeError(`salnetRun: t would exceed ${SALNET_MAX_TIME}`);
    run(st, steps);
  },
  salnetFlush(st) {
    flush(st.F.view, st.D.view, pops(st.I.view));
    st.I.view[SALNET_H.sinceFlush] = 0;
  },
  salnetResync(st) {
    const F = st.F.view,
      I = st.I.view;
    const P = I[SALNET_H.P],
      S = I[SALNET_H.S],
      tRef = I[SALNET_H.tRef],
      R = I[SALNET_H.R],
      N4 = I[SALNET_H.N4],
      t = I[SALNET_H.t];
    const oU = I[SALNET_H.u],
      oCnt = I[SALNET_H.cnt],
      oIds = I[SALNET_H.ids],
      oDr = I[SALNET_H.dring];
    const pp = pops(I);
    const cnt = (slot: number, c: number, p: number) => oCnt + (slot * S + c) * P + p;
    const ids = (slot: number, c: number, p: number) => oIds + (slot * S + c) * N4 + pp[p].off;
    for (let c = 0; c < S; c++) {
      for (let p = 0; p < P; p++) {
        const q = pp[p],
          u = oU + c * N4 + q.off;
        F.copyWithin(u, q.b, q.b + q.n4);
        for (let s = t - 1 - tRef; s <= t - 2; s++) {
          const slot = ((s % R) + R) % R,
            D = oDr + (c * R + slot) * N4 + q.off;
          if (s < 0) {
            F.fill(0, D, D + q.n4);
            continue;
          }
          inputChange(F, I, pp, p, D, ids, cnt, slot, c);
          for (let k = 0; k < q.n; k++) F[u + k] += F[D + k];
        }
      }
    }
  },
};
