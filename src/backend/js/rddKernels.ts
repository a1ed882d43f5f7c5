// The RDD network (kernel family `rdd`, src/backend/rdd.ts): the readable
// reference. f32 state is rounded after every operation (Float32Array
// stores, Math.fround) and f64 sums are plain numbers, in the order
// assembly/rdd.ts uses, so both backends give identical results.
import type { RddKernels, RddState } from "../rdd.js";
import { RDD_D, RDD_H, RDD_MAX_TIME, RDD_POP, RDD_RING } from "../rdd.js";
import { rngNext } from "../shared/rng.js";

const f32 = Math.fround;
const fromBits = (b: number) => new Float32Array(new Int32Array([b]).buffer)[0];
const MASK = RDD_RING - 1;

type Pop = Record<keyof typeof RDD_POP, number>;

function readPops(I: Int32Array): Pop[] {
  const out: Pop[] = [];
  for (let p = 0; p < I[RDD_H.P]; p++) {
    const o = RDD_H.pop0 + p * RDD_H.popSlots;
    const q = {} as Pop;
    for (const [k, slot] of Object.entries(RDD_POP)) q[k as keyof Pop] = I[o + slot];
    out.push(q);
  }
  return out;
}

/** x in [0, 2^32) scaled to [0, n): floor(x n / 2^32) (exact in f64 for n < 2^21). */
const bounded = (x: number, n: number) => Math.floor((x * n) / 4294967296);

/** Partial Fisher-Yates with the stream at U[rng..]: the first m entries of I[perm..perm+n) become a uniform random m-subset. */
export function drawSubset(U: Uint32Array, rng: number, I: Int32Array, perm: number, n: number, m: number): void {
  for (let k = 0; k < m; k++) {
    const j = k + bounded(rngNext(U, rng), n - k);
    const a = I[perm + k];
    I[perm + k] = I[perm + j];
    I[perm + j] = a;
  }
}

/** A <- d (A + x) - dEnd xOld, one f32 rounding per operation (exact truncated exponential trace). */
function trace(A: number, x: number, xOld: number, d: number, dEnd: number): number {
  return f32(f32(d * f32(A + x)) - f32(dEnd * xOld));
}

function run(st: RddState, steps: number): void {
  const F = st.F.view,
    I = st.I.view,
    U = st.U.view,
    D = st.D.view;
  const P = I[RDD_H.P],
    pp = readPops(I);
  const dt = fromBits(I[RDD_H.dtBits]),
    gL = fromBits(I[RDD_H.gLBits]),
    gD = fromBits(I[RDD_H.gDBits]);
  const theta = fromBits(I[RDD_H.thetaBits]),
    vReset = fromBits(I[RDD_H.vResetBits]);
  const band = fromBits(I[RDD_H.bandBits]),
    uWin = fromBits(I[RDD_H.uWindowBits]),
    alpha = fromBits(I[RDD_H.alphaBits]);
  const dL = fromBits(I[RDD_H.dLBits]),
    dS = fromBits(I[RDD_H.dSBits]),
    dLE = fromBits(I[RDD_H.dLEndBits]),
    dSE = fromBits(I[RDD_H.dSEndBits]);
  const inv = fromBits(I[RDD_H.invBits]);
  const refT = I[RDD_H.refractory],
    win = I[RDD_H.window],
    mem = I[RDD_H.memory],
    redraw = I[RDD_H.redrawEvery];
  const rng = I[RDD_H.rng],
    thr = I[RDD_H.poisson],
    nThr = I[RDD_H.nPoisson];
  const eta = D[RDD_D.eta],
    theta64 = D[RDD_D.theta];
  const Ut = new Uint32Array(I.buffer, I.byteOffset, I.length); // the thresholds as unsigned
  for (let step = 0; step < steps; step++) {
    const t = I[RDD_H.t],
      driven = I[RDD_H.driven];
    const slot = t & MASK,
      memSlot = (t - mem) & MASK;
    // driving counts of this step
    if (driven >= 0) {
      const q = pp[driven],
        m = I[RDD_H.nSub];
      if (I[RDD_H.fresh] !== 0 || (t + 1) % redraw === 0) {
        drawSubset(U, rng, I, q.perm, q.n, m);
        I[RDD_H.fresh] = 0;
      }
      const cnt = q.cnt + slot * q.n4;
      I.fill(0, cnt, cnt + q.n4);
      for (let k = 0; k < m; k++) {
        const x = rngNext(U, rng);
        let c = 0;
        while (c < nThr && x >= Ut[thr + c]) c++;
        I[cnt + I[q.perm + k]] = c;
      }
    }
    for (let p = 0; p < P; p++) {
      const q = pp[p],
        n = q.n;
      // basal input through the two-exponential traces
      if (q.hasFf) {
        const lo = pp[p - 1],
          X = q.X + slot * q.n4,
          Xo = q.X + memSlot * q.n4;
        F.fill(0, X, X + q.n4);
        for (let s = 0; s < lo.count; s++) {
          const row = q.WT + I[lo.list + s] * q.n4;
          for (let i = 0; i < n; i++) F[X + i] += F[row + i];
        }
        for (let i = 0; i < n; i++) {
          F[q.AL + i] = trace(F[q.AL + i], F[X + i], F[Xo + i], dL, dLE);
          F[q.AS + i] = trace(F[q.AS + i], F[X + i], F[Xo + i], dS, dSE);
        }
      }
      const isDriven = p === driven;
      if (isDriven) {
        const c = q.cnt + slot * q.n4,
          co = q.cnt + memSlot * q.n4;
        for (let i = 0; i < n; i++) {
          F[q.DL + i] = trace(F[q.DL + i], I[c + i], I[co + i], dL, dLE);
          F[q.DS + i] = trace(F[q.DS + i], I[c + i], I[co + i], dS, dSE);
        }
      }
      // apical input (the upper population's traces as of the last step) and its running sum
      const up = q.hasRdd ? pp[p + 1] : null;
      if (up) {
        const Qn = q.Q + slot * up.n4,
          Qp = q.Q + ((t - 1) & MASK) * up.n4;
        for (let j = 0; j < up.n; j++) {
          const qj = f32(f32(F[up.aL + j] - F[up.aS + j]) * inv);
          F[q.q + j] = qj;
          D[Qn + j] = D[Qp + j] + qj;
        }
      }
      // neurons
      let m = 0;
      for (let i = 0; i < n; i++) {
        const bas = isDriven
          ? f32(alpha * f32(f32(F[q.DL + i] - F[q.DS + i]) * inv))
          : q.hasFf
            ? f32(f32(F[q.AL + i] - F[q.AS + i]) * inv)
            : 0;
        const tl0 = up ? I[q.tl + i] : 0;
        const ending = tl0 === 1;
        if (tl0 > 0 && F[q.u + i] > F[q.maxu + i]) F[q.maxu + i] = F[q.u + i];
        if (I[q.refr + i] > 0) I[q.refr + i]--;
        let v = F[q.v + i];
        v = f32(v + f32(dt * f32(f32(gD * f32(bas - v)) - f32(gL * v))));
        const fired = v >= theta && I[q.refr + i] === 0;
        if (fired) {
          v = vReset;
          I[q.refr + i] = refT;
          I[q.list + m++] = i;
        }
        F[q.v + i] = v;
        I[q.hist + i] = (I[q.hist + i] << 1) | (fired ? 1 : 0); // bit k: spike at t-k
        if (!up) continue;
        let u = F[q.u + i];
        u = f32(u + f32(dt * f32(f32(gD * f32(bas - u)) - f32(gL * u))));
        if (isDriven && ending && Math.abs(f32(F[q.maxu + i] - theta)) <= uWin) fit(F, I, D, q, up.n, up.n4, i, t, win, eta, theta64);
        let tl = tl0 > 0 ? tl0 - 1 : 0;
        if (tl === 0) u = v;
        if (tl === 0 && Math.abs(f32(theta - u)) <= band) {
          tl = win;
          if (tl0 === 0) F.copyWithin(q.Rpre + i * up.n4, q.q, q.q + up.n); // the apical input just before the window
        }
        if (tl > 0 && fired) I[q.nspk + i]++;
        if (ending) {
          I[q.nspk + i] = 0;
          F[q.maxu + i] = 0;
        }
        I[q.tl + i] = tl;
        F[q.u + i] = u;
      }
      q.count = m;
      D[I[RDD_H.count] + p] += m;
      I[RDD_H.pop0 + p * RDD_H.popSlots + RDD_POP.count] = m;
      // the population's own spike traces (apical input of the population below, next step): s(t) is
      // history bit 0, s(t - memory) bit `memory`
      if (p > 0) {
        for (let i = 0; i < n; i++) {
          const h = I[q.hist + i];
          F[q.aL + i] = trace(F[q.aL + i], h & 1, (h >>> mem) & 1, dL, dLE);
          F[q.aS + i] = trace(F[q.aS + i], h & 1, (h >>> mem) & 1, dS, dSE);
        }
      }
    }
    I[RDD_H.t] = t + 1;
  }
}

/**
 * End of neuron i's window at step t in the driven population (src/learning/rdd.ts `rddFitStep`, `rddBeta`):
 * y_j = (Q(t) - Q(t - win))_j / win - Rpre_ij, one SGD step on the spiked (c2, c0) or almost-spiked (c3, c1) fit.
 */
function fit(
  F: Float32Array,
  I: Int32Array,
  D: Float64Array,
  q: Pop,
  nUp: number,
  n4Up: number,
  i: number,
  t: number,
  win: number,
  eta: number,
  theta: number,
): void {
  const mu = F[q.maxu + i];
  const spiked = I[q.nspk + i] >= 1;
  const Qn = q.Q + (t & MASK) * n4Up,
    Qw = q.Q + ((t - win) & MASK) * n4Up,
    row = i * n4Up;
  const slope = spiked ? q.c2 : q.c3,
    icpt = spiked ? q.c0 : q.c1;
  for (let j = 0; j < nUp; j++) {
    const y = (D[Qn + j] - D[Qw + j]) / win - F[q.Rpre + row + j];
    const e = row + j;
    const err = D[slope + e] * mu + D[icpt + e] - y;
    D[slope + e] -= eta * err * mu;
    D[icpt + e] -= eta * err;
    D[q.beta + e] = D[q.c2 + e] * theta + D[q.c0 + e] - (D[q.c3 + e] * theta + D[q.c1 + e]);
  }
}

export const rddKernels: RddKernels = {
  rddRun(st, steps) {
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`rddRun: steps ${steps}; must be an integer >= 0`);
    if (st.I.view[RDD_H.t] + steps > RDD_MAX_TIME) throw new RangeError(`rddRun: t would exceed ${RDD_MAX_TIME}`);
    run(st, steps);
  },
};
