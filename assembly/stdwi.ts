// STDWI inference toy (docs/models/spiking-feedback.md#stdwi; Ahmad et al.,
// arXiv:2003.03988): the step, buffers and header are described in
// src/backend/stdwi.ts; the readable reference with the same f32 operations in
// the same order is src/backend/js/stdwiKernels.ts. The populations are small
// (50), so the passes are short f32x4 loops; each input spike adds one column
// of the scaled forward weights, each output spike updates one row of B.
import { STDWI_H, STDWI_RING } from "./layout.generated";
import { rngNext } from "./rng";
import { drawSubset } from "./rdd";
import { a4, hf32 as fb, hget } from "./header";

/** v + lif ((0 - v) + (I - v)) on four lanes. */
// @ts-ignore: decorator
@inline function lif4(v: v128, cur: v128, k: v128): v128 {
  return f32x4.add(v, f32x4.mul(k, f32x4.add(f32x4.sub(f32x4.splat(0), v), f32x4.sub(cur, v))));
}
/** d S + s - dEnd sOld on four lanes. */
// @ts-ignore: decorator
@inline function psp4(S: v128, s: v128, sOld: v128, d: v128, dEnd: v128): v128 {
  return f32x4.sub(f32x4.add(f32x4.mul(d, S), s), f32x4.mul(dEnd, sOld));
}

/**
 * LIF step of a population of n4 lanes with input currents `cur(o)`; spiking lanes (< n) are reset,
 * listed at `list` and counted at `count`. Returns the number of spikes.
 */
// @ts-ignore: decorator
@inline function lifPass(vP: usize, n: i32, list: usize, count: usize, k: v128, vThr: v128, vReset: v128, curA: usize, curB: usize, scale: f32, inv: f32): i32 {
  let m = 0;
  const sc = f32x4.splat(scale), iv = f32x4.splat(inv);
  const bytes = <usize>((n + 3) & ~3) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const cur = f32x4.mul(sc, f32x4.mul(f32x4.sub(v128.load(curA + o), v128.load(curB + o)), iv));
    let v = lif4(v128.load(vP + o), cur, k);
    const fire = f32x4.ge(v, vThr);
    if (v128.any_true(fire)) {
      let bits = i32x4.bitmask(fire);
      const i0 = <i32>(o >> 2);
      while (bits != 0) {
        const i = i0 + ctz(bits);
        bits &= bits - 1;
        if (i >= n) break;
        store<i32>(list + (<usize>m << 2), i);
        m++;
        const c = count + (<usize>i << 2);
        store<i32>(c, load<i32>(c) + 1);
      }
      v = v128.bitselect(vReset, v, fire);
    }
    v128.store(vP + o, v);
  }
  return m;
}

/** Advances the STDWI toy (buffers F, I, U) by `steps` steps (src/backend/stdwi.ts). */
export function stdwiRun(F: usize, I: usize, U: usize, steps: i32): void {
  const nIn = hget(I, STDWI_H.nIn), nOut = hget(I, STDWI_H.nOut), n4In = hget(I, STDWI_H.n4In), n4Out = hget(I, STDWI_H.n4Out);
  const lag = hget(I, STDWI_H.lag), nAct = hget(I, STDWI_H.nActive), period = hget(I, STDWI_H.period), stimThr = <u32>hget(I, STDWI_H.stimThr);
  const kLif = f32x4.splat(fb(I, STDWI_H.lifBits)), vThr = f32x4.splat(fb(I, STDWI_H.vThrBits)), vReset = f32x4.splat(fb(I, STDWI_H.vResetBits));
  const stimW = fb(I, STDWI_H.stimWBits), pInv = fb(I, STDWI_H.pInvBits);
  const pdS = f32x4.splat(fb(I, STDWI_H.pdSBits)), pdF = f32x4.splat(fb(I, STDWI_H.pdFBits));
  const pdSE = f32x4.splat(fb(I, STDWI_H.pdSEndBits)), pdFE = f32x4.splat(fb(I, STDWI_H.pdFEndBits));
  const xdF = f32x4.splat(fb(I, STDWI_H.xdFBits)), xdS = f32x4.splat(fb(I, STDWI_H.xdSBits));
  const aF = fb(I, STDWI_H.aFBits), aS = fb(I, STDWI_H.aSBits), eta = fb(I, STDWI_H.etaBits), decay = fb(I, STDWI_H.decayBits);
  const etav = f32x4.splat(eta), decv = f32x4.splat(decay);
  const vIn = a4(F, hget(I, STDWI_H.vIn)), vOut = a4(F, hget(I, STDWI_H.vOut));
  const SL = a4(F, hget(I, STDWI_H.SL)), SF = a4(F, hget(I, STDWI_H.SF)), OL = a4(F, hget(I, STDWI_H.OL)), OF = a4(F, hget(I, STDWI_H.OF));
  const Xr = a4(F, hget(I, STDWI_H.X)), WT = a4(F, hget(I, STDWI_H.WT)), B = a4(F, hget(I, STDWI_H.B));
  const xf = a4(F, hget(I, STDWI_H.xf)), xs = a4(F, hget(I, STDWI_H.xs));
  const stimR = a4(I, hget(I, STDWI_H.stim)), perm = a4(I, hget(I, STDWI_H.perm));
  const listIn = a4(I, hget(I, STDWI_H.listIn)), listOut = a4(I, hget(I, STDWI_H.listOut));
  const spikesIn = a4(I, hget(I, STDWI_H.spikesIn)), spikesOut = a4(I, hget(I, STDWI_H.spikesOut));
  const rng = a4(U, hget(I, STDWI_H.rng));
  const bIn = <usize>n4In << 2, bOut = <usize>n4Out << 2;
  const MASK = STDWI_RING - 1;
  for (let step = 0; step < steps; step++) {
    const t = hget(I, STDWI_H.t);
    store<i32>(I + (<usize>STDWI_H.t << 2), t + 1);
    if (t == 0) continue;
    const slot = t & MASK, old = (t - lag) & MASK;
    // 1. stimulus
    const stim = stimR + <usize>slot * bIn;
    memory.fill(stim, 0, bIn);
    if ((t - 1) % period == 0) {
      drawSubset(rng, perm, nIn, nAct);
    }
    for (let k = 0; k < nAct; k++) {
      if (rngNext(rng) < stimThr) store<i32>(stim + (<usize>load<i32>(perm + (<usize>k << 2)) << 2), 1);
    }
    // 2., 3. neurons
    const mIn = lifPass(vIn, nIn, listIn, spikesIn, kLif, vThr, vReset, SL, SF, stimW, pInv);
    const mOut = lifPass(vOut, nOut, listOut, spikesOut, kLif, vThr, vReset, OL, OF, 1.0, pInv);
    store<i32>(I + (<usize>STDWI_H.countIn << 2), mIn);
    store<i32>(I + (<usize>STDWI_H.countOut << 2), mOut);
    // 4. PSP traces
    const stimOld = stimR + <usize>old * bIn;
    for (let o: usize = 0; o < bIn; o += 16) {
      const s = f32x4.convert_i32x4_s(v128.load(stim + o)), so = f32x4.convert_i32x4_s(v128.load(stimOld + o));
      v128.store(SL + o, psp4(v128.load(SL + o), s, so, pdS, pdSE));
      v128.store(SF + o, psp4(v128.load(SF + o), s, so, pdF, pdFE));
    }
    const X = Xr + <usize>slot * bOut, Xo = Xr + <usize>old * bOut;
    memory.fill(X, 0, bOut);
    for (let s = 0; s < mIn; s++) {
      const row = WT + <usize>load<i32>(listIn + (<usize>s << 2)) * bOut;
      for (let o: usize = 0; o < bOut; o += 16) v128.store(X + o, f32x4.add(v128.load(X + o), v128.load(row + o)));
    }
    for (let o: usize = 0; o < bOut; o += 16) {
      const x = v128.load(X + o), xo = v128.load(Xo + o);
      v128.store(OL + o, psp4(v128.load(OL + o), x, xo, pdS, pdSE));
      v128.store(OF + o, psp4(v128.load(OF + o), x, xo, pdF, pdFE));
    }
    // 5. STDWI traces and rule
    for (let o: usize = 0; o < bIn; o += 16) {
      v128.store(xf + o, f32x4.mul(xdF, v128.load(xf + o)));
      v128.store(xs + o, f32x4.mul(xdS, v128.load(xs + o)));
    }
    for (let s = 0; s < mIn; s++) {
      const o = <usize>load<i32>(listIn + (<usize>s << 2)) << 2;
      store<f32>(xf + o, aF + load<f32>(xf + o));
      store<f32>(xs + o, aS + load<f32>(xs + o));
    }
    for (let s = 0; s < mOut; s++) {
      const row = B + <usize>load<i32>(listOut + (<usize>s << 2)) * bIn;
      for (let o: usize = 0; o < bIn; o += 16) {
        const b = v128.load(row + o);
        const d = f32x4.sub(f32x4.sub(v128.load(xf + o), v128.load(xs + o)), f32x4.mul(decv, b));
        v128.store(row + o, f32x4.add(b, f32x4.mul(etav, d)));
      }
    }
  }
}
