// RDD network (docs/models/spiking-feedback.md#rdd; Guerguiev et al.,
// arXiv:1910.01689): the step, buffers and header are described in
// src/backend/rdd.ts; the readable reference with the same operations in the
// same order is src/backend/js/rddKernels.ts.
//
// Per step and population: the basal input's exponential traces, the apical
// input's running sum (f64) and the own spike traces are f32x4 / f64x2
// passes; the neurons' voltage, drive and RDD-window logic is a scalar pass
// (it branches per neuron); each spike adds one column of forward weights;
// a window ending in the driven population runs the fit over the upper
// population two entries per f64x2.
import { RDD_D, RDD_H, RDD_POP, RDD_RING } from "./layout.generated";
import { rngNext } from "./rng";
import { a4, a8, hf32 as fbits, hget, hset, pslot } from "./header";

// @ts-ignore: decorator
@inline function pget(I: usize, p: i32, slot: i32): i32 {
  return pslot(I, RDD_H.pop0, RDD_H.popSlots, p, slot);
}

/** A <- d (A + x) - dEnd xOld on four lanes (the truncated kernel's trace, src/backend/rdd.ts). */
// @ts-ignore: decorator
@inline function trace4(A: v128, x: v128, xOld: v128, d: v128, dEnd: v128): v128 {
  return f32x4.sub(f32x4.mul(d, f32x4.add(A, x)), f32x4.mul(dEnd, xOld));
}

/** Partial Fisher-Yates on perm[0..n) with the stream at `st`: the first m entries become a uniform random m-subset. */
export function drawSubset(st: usize, perm: usize, n: i32, m: i32): void {
  for (let k = 0; k < m; k++) {
    const j = k + <i32>((<u64>rngNext(st) * <u64>(n - k)) >> 32);
    const pk = perm + (<usize>k << 2), pj = perm + (<usize>j << 2);
    const a = load<i32>(pk);
    store<i32>(pk, load<i32>(pj));
    store<i32>(pj, a);
  }
}

/** End of neuron i's window at step t in the driven population: one step of the spiked or almost-spiked fit and beta (src/learning/rdd.ts). */
function fit(F: usize, I: usize, D: usize, p: i32, nUp: i32, n4Up: i32, i: i32, t: i32, win: i32, eta: f64, theta: f64): void {
  const mu = <f64>load<f32>(a4(F, pget(I, p, RDD_POP.maxu) + i));
  const spiked = load<i32>(a4(I, pget(I, p, RDD_POP.nspk) + i)) >= 1;
  const row = i * n4Up;
  const Qn = a8(D, pget(I, p, RDD_POP.Q) + (t & (RDD_RING - 1)) * n4Up), Qw = a8(D, pget(I, p, RDD_POP.Q) + ((t - win) & (RDD_RING - 1)) * n4Up);
  const Rp = a4(F, pget(I, p, RDD_POP.Rpre) + row);
  const c0 = a8(D, pget(I, p, RDD_POP.c0) + row), c1 = a8(D, pget(I, p, RDD_POP.c1) + row);
  const c2 = a8(D, pget(I, p, RDD_POP.c2) + row), c3 = a8(D, pget(I, p, RDD_POP.c3) + row);
  const beta = a8(D, pget(I, p, RDD_POP.beta) + row);
  const slope = spiked ? c2 : c3, icpt = spiked ? c0 : c1;
  const winv = f64x2.splat(<f64>win), muv = f64x2.splat(mu), etav = f64x2.splat(eta), thv = f64x2.splat(theta);
  let j = 0;
  for (; j + 2 <= nUp; j += 2) {
    const o8 = <usize>j << 3;
    const y = f64x2.sub(f64x2.div(f64x2.sub(v128.load(Qn + o8), v128.load(Qw + o8)), winv), f64x2.promote_low_f32x4(v128.load64_zero(Rp + (<usize>j << 2))));
    const s = v128.load(slope + o8), c = v128.load(icpt + o8);
    const err = f64x2.sub(f64x2.add(f64x2.mul(s, muv), c), y);
    const ee = f64x2.mul(etav, err);
    v128.store(slope + o8, f64x2.sub(s, f64x2.mul(ee, muv)));
    v128.store(icpt + o8, f64x2.sub(c, ee));
    const hi = f64x2.add(f64x2.mul(v128.load(c2 + o8), thv), v128.load(c0 + o8));
    const lo = f64x2.add(f64x2.mul(v128.load(c3 + o8), thv), v128.load(c1 + o8));
    v128.store(beta + o8, f64x2.sub(hi, lo));
  }
  for (; j < nUp; j++) {
    const o8 = <usize>j << 3;
    const y = (load<f64>(Qn + o8) - load<f64>(Qw + o8)) / <f64>win - <f64>load<f32>(Rp + (<usize>j << 2));
    const err = load<f64>(slope + o8) * mu + load<f64>(icpt + o8) - y;
    store<f64>(slope + o8, load<f64>(slope + o8) - eta * err * mu);
    store<f64>(icpt + o8, load<f64>(icpt + o8) - eta * err);
    store<f64>(beta + o8, load<f64>(c2 + o8) * theta + load<f64>(c0 + o8) - (load<f64>(c3 + o8) * theta + load<f64>(c1 + o8)));
  }
}

/** Advances the RDD network (buffers F, I, U, D) by `steps` 1-ms steps (src/backend/rdd.ts). */
export function rddRun(F: usize, I: usize, U: usize, D: usize, steps: i32): void {
  const P = hget(I, RDD_H.P);
  const dt = fbits(I, RDD_H.dtBits), gL = fbits(I, RDD_H.gLBits), gD = fbits(I, RDD_H.gDBits);
  const theta = fbits(I, RDD_H.thetaBits), vReset = fbits(I, RDD_H.vResetBits);
  const band = fbits(I, RDD_H.bandBits), uWin = fbits(I, RDD_H.uWindowBits), alpha = fbits(I, RDD_H.alphaBits);
  const dL = f32x4.splat(fbits(I, RDD_H.dLBits)), dS = f32x4.splat(fbits(I, RDD_H.dSBits));
  const dLE = f32x4.splat(fbits(I, RDD_H.dLEndBits)), dSE = f32x4.splat(fbits(I, RDD_H.dSEndBits));
  const inv = fbits(I, RDD_H.invBits), invv = f32x4.splat(inv);
  const refT = hget(I, RDD_H.refractory), win = hget(I, RDD_H.window), mem = hget(I, RDD_H.memory), redraw = hget(I, RDD_H.redrawEvery);
  const rng = a4(U, hget(I, RDD_H.rng)), thr = a4(I, hget(I, RDD_H.poisson)), nThr = hget(I, RDD_H.nPoisson);
  const eta = load<f64>(a8(D, RDD_D.eta)), theta64 = load<f64>(a8(D, RDD_D.theta));
  const MASK = RDD_RING - 1;
  for (let step = 0; step < steps; step++) {
    const t = hget(I, RDD_H.t), driven = hget(I, RDD_H.driven);
    const slot = t & MASK, memSlot = (t - mem) & MASK;
    if (driven >= 0) {
      const n = pget(I, driven, RDD_POP.n), n4 = pget(I, driven, RDD_POP.n4), m = hget(I, RDD_H.nSub);
      const perm = a4(I, pget(I, driven, RDD_POP.perm));
      if (hget(I, RDD_H.fresh) != 0 || (t + 1) % redraw == 0) {
        drawSubset(rng, perm, n, m);
        hset(I, RDD_H.fresh, 0);
      }
      const cnt = a4(I, pget(I, driven, RDD_POP.cnt) + slot * n4);
      memory.fill(cnt, 0, <usize>n4 << 2);
      for (let k = 0; k < m; k++) {
        const x = rngNext(rng);
        let c = 0;
        while (c < nThr && x >= load<u32>(thr + (<usize>c << 2))) c++;
        store<i32>(cnt + (<usize>load<i32>(perm + (<usize>k << 2)) << 2), c);
      }
    }
    for (let p = 0; p < P; p++) {
      const n = pget(I, p, RDD_POP.n), n4 = pget(I, p, RDD_POP.n4), bytes = <usize>n4 << 2;
      const hasFf = pget(I, p, RDD_POP.hasFf) != 0, hasRdd = pget(I, p, RDD_POP.hasRdd) != 0;
      const isDriven = p == driven;
      if (hasFf) {
        const X = a4(F, pget(I, p, RDD_POP.X) + slot * n4), Xo = a4(F, pget(I, p, RDD_POP.X) + memSlot * n4);
        memory.fill(X, 0, bytes);
        const WT = a4(F, pget(I, p, RDD_POP.WT)), list = a4(I, pget(I, p - 1, RDD_POP.list)), count = pget(I, p - 1, RDD_POP.count);
        for (let s = 0; s < count; s++) {
          const row = WT + <usize>load<i32>(list + (<usize>s << 2)) * bytes;
          for (let o: usize = 0; o < bytes; o += 16) v128.store(X + o, f32x4.add(v128.load(X + o), v128.load(row + o)));
        }
        const AL = a4(F, pget(I, p, RDD_POP.AL)), AS = a4(F, pget(I, p, RDD_POP.AS));
        for (let o: usize = 0; o < bytes; o += 16) {
          const x = v128.load(X + o), xo = v128.load(Xo + o);
          v128.store(AL + o, trace4(v128.load(AL + o), x, xo, dL, dLE));
          v128.store(AS + o, trace4(v128.load(AS + o), x, xo, dS, dSE));
        }
      }
      if (isDriven) {
        const c = a4(I, pget(I, p, RDD_POP.cnt) + slot * n4), co = a4(I, pget(I, p, RDD_POP.cnt) + memSlot * n4);
        const DL = a4(F, pget(I, p, RDD_POP.DL)), DS = a4(F, pget(I, p, RDD_POP.DS));
        for (let o: usize = 0; o < bytes; o += 16) {
          const x = f32x4.convert_i32x4_s(v128.load(c + o)), xo = f32x4.convert_i32x4_s(v128.load(co + o));
          v128.store(DL + o, trace4(v128.load(DL + o), x, xo, dL, dLE));
          v128.store(DS + o, trace4(v128.load(DS + o), x, xo, dS, dSE));
        }
      }
      let nUp = 0, n4Up = 0;
      if (hasRdd) {
        nUp = pget(I, p + 1, RDD_POP.n);
        n4Up = pget(I, p + 1, RDD_POP.n4);
        const aL = a4(F, pget(I, p + 1, RDD_POP.aL)), aS = a4(F, pget(I, p + 1, RDD_POP.aS)), q = a4(F, pget(I, p, RDD_POP.q));
        const Qn = a8(D, pget(I, p, RDD_POP.Q) + slot * n4Up), Qp = a8(D, pget(I, p, RDD_POP.Q) + ((t - 1) & MASK) * n4Up);
        for (let o: usize = 0; o < (<usize>n4Up << 2); o += 16) {
          const qv = f32x4.mul(f32x4.sub(v128.load(aL + o), v128.load(aS + o)), invv);
          v128.store(q + o, qv);
          const o8 = o << 1;
          v128.store(Qn + o8, f64x2.add(v128.load(Qp + o8), f64x2.promote_low_f32x4(qv)));
          v128.store(Qn + o8, f64x2.add(v128.load(Qp + o8, 16), f64x2.promote_low_f32x4(i64x2.shuffle(qv, qv, 1, 1))), 16);
        }
      }
      // neurons (scalar: the window logic branches per neuron)
      const vP = a4(F, pget(I, p, RDD_POP.v)), uP = a4(F, pget(I, p, RDD_POP.u)), refr = a4(I, pget(I, p, RDD_POP.refr));
      const hist = a4(I, pget(I, p, RDD_POP.hist)), list = a4(I, pget(I, p, RDD_POP.list));
      const srcA = isDriven ? a4(F, pget(I, p, RDD_POP.DL)) : hasFf ? a4(F, pget(I, p, RDD_POP.AL)) : 0;
      const srcB = isDriven ? a4(F, pget(I, p, RDD_POP.DS)) : hasFf ? a4(F, pget(I, p, RDD_POP.AS)) : 0;
      const tlP = hasRdd ? a4(I, pget(I, p, RDD_POP.tl)) : 0, nspk = hasRdd ? a4(I, pget(I, p, RDD_POP.nspk)) : 0;
      const maxu = hasRdd ? a4(F, pget(I, p, RDD_POP.maxu)) : 0;
      const Rpre = hasRdd ? a4(F, pget(I, p, RDD_POP.Rpre)) : 0, q = hasRdd ? a4(F, pget(I, p, RDD_POP.q)) : 0;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const o = <usize>i << 2;
        let bas: f32 = 0;
        if (srcA != 0) {
          bas = (load<f32>(srcA + o) - load<f32>(srcB + o)) * inv;
          if (isDriven) bas = alpha * bas;
        }
        const tl0 = hasRdd ? load<i32>(tlP + o) : 0;
        const ending = tl0 == 1;
        if (tl0 > 0 && load<f32>(uP + o) > load<f32>(maxu + o)) store<f32>(maxu + o, load<f32>(uP + o));
        let rf = load<i32>(refr + o);
        if (rf > 0) rf--;
        let v = load<f32>(vP + o);
        v = v + dt * (gD * (bas - v) - gL * v);
        const fired = v >= theta && rf == 0;
        if (fired) {
          v = vReset;
          rf = refT;
          store<i32>(list + (<usize>m << 2), i);
          m++;
        }
        store<f32>(vP + o, v);
        store<i32>(refr + o, rf);
        store<i32>(hist + o, (load<i32>(hist + o) << 1) | <i32>fired);
        if (!hasRdd) continue;
        let u = load<f32>(uP + o);
        u = u + dt * (gD * (bas - u) - gL * u);
        if (isDriven && ending && abs<f32>(load<f32>(maxu + o) - theta) <= uWin) fit(F, I, D, p, nUp, n4Up, i, t, win, eta, theta64);
        let tl = tl0 > 0 ? tl0 - 1 : 0;
        if (tl == 0) u = v;
        if (tl == 0 && abs<f32>(theta - u) <= band) {
          tl = win;
          if (tl0 == 0) memory.copy(Rpre + <usize>i * (<usize>n4Up << 2), q, <usize>nUp << 2);
        }
        if (tl > 0 && fired) store<i32>(nspk + o, load<i32>(nspk + o) + 1);
        if (ending) {
          store<i32>(nspk + o, 0);
          store<f32>(maxu + o, 0);
        }
        store<i32>(tlP + o, tl);
        store<f32>(uP + o, u);
      }
      hset(I, RDD_H.pop0 + p * RDD_H.popSlots + RDD_POP.count, m);
      const cp = a8(D, hget(I, RDD_H.count) + p);
      store<f64>(cp, load<f64>(cp) + <f64>m);
      // own spike traces: s(t) is history bit 0, s(t - memory) bit `memory`
      if (p > 0) {
        const aL = a4(F, pget(I, p, RDD_POP.aL)), aS = a4(F, pget(I, p, RDD_POP.aS));
        const one = i32x4.splat(1);
        for (let o: usize = 0; o < bytes; o += 16) {
          const h = v128.load(hist + o);
          const s = f32x4.convert_i32x4_s(v128.and(h, one)), so = f32x4.convert_i32x4_s(v128.and(i32x4.shr_u(h, mem), one));
          v128.store(aL + o, trace4(v128.load(aL + o), s, so, dL, dLE));
          v128.store(aS + o, trace4(v128.load(aS + o), s, so, dS, dSE));
        }
      }
    }
    hset(I, RDD_H.t, t + 1);
  }
}
