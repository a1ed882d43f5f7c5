// Recurrent networks of sampling neurons (arXiv:2503.02642, neuron model;
// spec/ssn.md sections 1 and 4), event-driven, four neurons per v128.
// Layout, header slots and random streams: src/backend/samplingLayout.ts;
// the step-by-step semantics and the reference: src/backend/js/samplingKernels.ts.
// Identical results to the js backend: every f32 op (column adds, thresholds)
// is elementwise, STDP sums are f64 in the same order, xoshiro lanes are the
// per-neuron streams.
//
// Hot loop: between events (PSP onset/end, refractory end, state sample)
// thresholds are constant, so a step is one xoshiro128** update per four
// neurons, an unsigned compare against the cached thresholds and an
// any_true branch to the rare spike path.
import { threshold4 } from "./mathf";

// header slots (i32), as H in src/backend/samplingLayout.ts
const H_N = 0, H_N4 = 1, H_T = 2, H_PSP = 3, H_MINISI = 4, H_SAMPLE = 5, H_ONLEN = 6, H_RECCAP = 7;
const H_RECN = 8, H_RECOVF = 9, H_NRULES = 10, H_TREF = 11, H_NEXTEV = 12, H_NEXTSAMPLE = 13, H_CAP = 14, H_NACTIVE = 15;
const H_B = 17, H_WT = 18, H_U = 19, H_THR = 20, H_VALID = 21, H_RNG = 22, H_LAST = 23, H_ONT = 24, H_OFFT = 25, H_REFT = 26;
const H_ON = 27, H_HIST_T = 28, H_HIST_N = 29, H_SPK = 30, H_COUNT = 31, H_HIST = 32, H_RECT = 33, H_RECI = 34;
const H_RULE0 = 40, RULE_SLOTS = 8;
const INF: i32 = 0x7fffffff;
/** Set by `drawUntil`: whether its last drawn step had a spike. */
let lastStepSpiked = false;

// @ts-ignore: decorator
@inline function hget(h: usize, slot: i32): i32 {
  return load<i32>(h + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline function hset(h: usize, slot: i32, v: i32): void {
  store<i32>(h + (<usize>slot << 2), v);
}
// @ts-ignore: decorator
@inline function hptr(h: usize, slot: i32): usize {
  return <usize>load<u32>(h + (<usize>slot << 2));
}
// @ts-ignore: decorator
@inline function rotl4(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}
// @ts-ignore: decorator
@inline function out4(s1: v128): v128 {
  return i32x4.mul(rotl4(i32x4.mul(s1, i32x4.splat(5)), 7), i32x4.splat(9));
}
// @ts-ignore: decorator
@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** PSP ends and onsets due at t (column subtract / add), then every threshold; sets the next event time. */
function processEvents(h: usize, t: i32): void {
  const n = hget(h, H_N), n4 = hget(h, H_N4);
  const onT = hptr(h, H_ONT), offT = hptr(h, H_OFFT), refT = hptr(h, H_REFT), on = hptr(h, H_ON);
  const u = hptr(h, H_U), WT = hptr(h, H_WT), thr = hptr(h, H_THR), last = hptr(h, H_LAST), valid = hptr(h, H_VALID);
  const rowBytes = <usize>n4 << 2;
  let nActive = hget(h, H_NACTIVE);
  for (let j = 0; j < n; j++) {
    const jo = <usize>j << 2;
    if (load<i32>(offT + jo) == t) {
      store<i32>(offT + jo, INF);
      if (load<i32>(on + jo) != 0) {
        store<i32>(on + jo, 0);
        nActive--;
        const col = WT + <usize>j * rowBytes;
        for (let o: usize = 0; o < rowBytes; o += 16) v128.store(u + o, f32x4.sub(v128.load(u + o), v128.load(col + o)));
      }
    }
    if (load<i32>(onT + jo) == t) {
      store<i32>(onT + jo, INF);
      if (load<i32>(on + jo) == 0) {
        store<i32>(on + jo, 1);
        nActive++;
        const col = WT + <usize>j * rowBytes;
        for (let o: usize = 0; o < rowBytes; o += 16) v128.store(u + o, f32x4.add(v128.load(u + o), v128.load(col + o)));
      }
    }
    if (load<i32>(refT + jo) == t) store<i32>(refT + jo, INF);
  }
  hset(h, H_NACTIVE, nActive);
  if (nActive == 0) {
    const b = hptr(h, H_B);
    for (let k = 0; k < n; k++) store<f32>(u + (<usize>k << 2), load<f32>(b + (<usize>k << 2)));
    for (let k = n; k < n4; k++) store<f32>(u + (<usize>k << 2), 0);
  }
  const tRef = reinterpret<f32>(hget(h, H_TREF));
  const tv = i32x4.splat(t), mv = i32x4.splat(hget(h, H_MINISI));
  for (let o: usize = 0; o < rowBytes; o += 16) {
    const ready = i32x4.ge_s(i32x4.sub(tv, v128.load(last + o)), mv);
    const th = threshold4(v128.load(u + o), tRef);
    v128.store(thr + o, v128.and(th, v128.and(ready, v128.load(valid + o))));
  }
  let next = INF;
  for (let j = 0; j < n; j++) {
    const jo = <usize>j << 2;
    next = imin(next, imin(load<i32>(onT + jo), imin(load<i32>(offT + jo), load<i32>(refT + jo))));
  }
  hset(h, H_NEXTEV, next);
}

/** Histograms the binary state at t (z_k = 1 iff 0 < t - last_k <= onLength; neuron 0 most significant). */
function sampleState(h: usize, t: i32): void {
  const n = hget(h, H_N), onLength = hget(h, H_ONLEN), last = hptr(h, H_LAST);
  let idx: i32 = 0;
  for (let k = 0; k < n; k++) {
    const d = t - load<i32>(last + (<usize>k << 2));
    idx = (idx << 1) | <i32>(d > 0 && d <= onLength);
  }
  const p = hptr(h, H_HIST) + (<usize>idx << 3);
  store<f64>(p, load<f64>(p) + 1.0);
}

/** STDP of a spike of k at t against every partner's remembered spikes, then k's time is remembered. */
function stdpOnSpike(h: usize, k: i32, t: i32): void {
  const n = hget(h, H_N), cap = hget(h, H_CAP), nRules = hget(h, H_NRULES);
  const hisT = hptr(h, H_HIST_T), hisN = hptr(h, H_HIST_N);
  for (let r = 0; r < nRules; r++) {
    const ro = H_RULE0 + r * RULE_SLOTS;
    const len = hget(h, ro), N = hget(h, ro + 1), countZero = hget(h, ro + 2);
    const K = hptr(h, ro + 3), aC = hptr(h, ro + 4), aA = hptr(h, ro + 5), S = hptr(h, ro + 6);
    for (let j = 0; j < n; j++) {
      if (j == k) continue;
      const cnt = load<i32>(hisN + (<usize>j << 2));
      const m = imin(cnt, N);
      const kj = <usize>(k * n + j), jk = <usize>(j * n + k);
      for (let i = 0; i < m; i++) {
        const d = t - load<i32>(hisT + (<usize>(j * cap + (cnt - 1 - i) % cap) << 2));
        if (d >= len) break;
        if (d > 0) {
          const kd = load<f64>(K + (<usize>d << 3));
          store<f64>(S + (kj << 3), load<f64>(S + (kj << 3)) + <f64>load<f32>(aC + (kj << 2)) * kd);
          store<f64>(S + (jk << 3), load<f64>(S + (jk << 3)) + <f64>load<f32>(aA + (jk << 2)) * kd);
        } else if (countZero != 0) {
          const k0 = load<f64>(K);
          store<f64>(S + (kj << 3), load<f64>(S + (kj << 3)) + <f64>load<f32>(aC + (kj << 2)) * k0);
          store<f64>(S + (jk << 3), load<f64>(S + (jk << 3)) + <f64>load<f32>(aC + (jk << 2)) * k0);
        }
      }
    }
  }
  const cnt = load<i32>(hisN + (<usize>k << 2));
  store<i32>(hisT + (<usize>(k * cap + cnt % cap) << 2), t);
  store<i32>(hisN + (<usize>k << 2), cnt + 1);
}

/** Handles a spike of neuron k at t: count, record, STDP, refractoriness and its PSP events. */
function onSpike(h: usize, k: i32, t: i32): void {
  const ko = <usize>k << 2;
  const cp = hptr(h, H_COUNT) + (<usize>k << 3);
  store<f64>(cp, load<f64>(cp) + 1.0);
  const rn = hget(h, H_RECN), rc = hget(h, H_RECCAP);
  if (rn < rc) {
    store<i32>(hptr(h, H_RECT) + (<usize>rn << 2), t);
    store<i32>(hptr(h, H_RECI) + (<usize>rn << 2), k);
    hset(h, H_RECN, rn + 1);
  } else if (rc > 0) hset(h, H_RECOVF, 1);
  stdpOnSpike(h, k, t);
  store<i32>(hptr(h, H_LAST) + ko, t);
  store<u32>(hptr(h, H_THR) + ko, 0);
  const psp = hget(h, H_PSP), minIsi = hget(h, H_MINISI);
  let next = hget(h, H_NEXTEV);
  if (psp > 0) {
    store<i32>(hptr(h, H_ONT) + ko, t + 1);
    store<i32>(hptr(h, H_OFFT) + ko, t + 1 + psp);
    next = imin(next, t + 1);
  }
  store<i32>(hptr(h, H_REFT) + ko, t + minIsi);
  hset(h, H_NEXTEV, imin(next, t + minIsi));
}

/** Handles the spikes flagged in the spike masks at t, in ascending neuron id. */
function spikes(h: usize, t: i32): void {
  const n4 = hget(h, H_N4), spk = hptr(h, H_SPK);
  for (let v = 0; v < n4; v += 4) {
    if (!v128.any_true(v128.load(spk + (<usize>v << 2)))) continue;
    for (let k = v; k < v + 4; k++) if (load<u32>(spk + (<usize>k << 2)) != 0) onSpike(h, k, t);
  }
}

/**
 * Draws steps t .. stop-1 with constant thresholds until a step has a spike; returns the
 * step after the last one drawn. Four lanes per v128; up to 8 neurons keep their states in locals.
 */
function drawUntil(h: usize, t: i32, stop: i32): i32 {
  const n4 = hget(h, H_N4);
  const rng = hptr(h, H_RNG), thr = hptr(h, H_THR), spk = hptr(h, H_SPK);
  const w = <usize>n4 << 2; // bytes per state word array
  lastStepSpiked = false;
  if (n4 <= 8) {
    let a0 = v128.load(rng), a1 = v128.load(rng + w), a2 = v128.load(rng + 2 * w), a3 = v128.load(rng + 3 * w);
    const ta = v128.load(thr);
    const two = n4 == 8;
    let b0 = a0, b1 = a1, b2 = a2, b3 = a3, tb = i32x4.splat(0);
    if (two) {
      b0 = v128.load(rng, 16); b1 = v128.load(rng + w, 16); b2 = v128.load(rng + 2 * w, 16); b3 = v128.load(rng + 3 * w, 16);
      tb = v128.load(thr, 16);
    }
    let ma = i32x4.splat(0), mb = i32x4.splat(0);
    while (t < stop) {
      const xa = out4(a1);
      const sa = i32x4.shl(a1, 9);
      a2 = v128.xor(a2, a0); a3 = v128.xor(a3, a1); a1 = v128.xor(a1, a2); a0 = v128.xor(a0, a3);
      a2 = v128.xor(a2, sa); a3 = rotl4(a3, 11);
      ma = i32x4.lt_u(xa, ta);
      if (two) {
        const xb = out4(b1);
        const sb = i32x4.shl(b1, 9);
        b2 = v128.xor(b2, b0); b3 = v128.xor(b3, b1); b1 = v128.xor(b1, b2); b0 = v128.xor(b0, b3);
        b2 = v128.xor(b2, sb); b3 = rotl4(b3, 11);
        mb = i32x4.lt_u(xb, tb);
      }
      t++;
      if (v128.any_true(v128.or(ma, mb))) {
        lastStepSpiked = true;
        break;
      }
    }
    v128.store(rng, a0); v128.store(rng + w, a1); v128.store(rng + 2 * w, a2); v128.store(rng + 3 * w, a3);
    v128.store(spk, ma);
    if (two) {
      v128.store(rng, b0, 16); v128.store(rng + w, b1, 16); v128.store(rng + 2 * w, b2, 16); v128.store(rng + 3 * w, b3, 16);
      v128.store(spk, mb, 16);
    }
    return t;
  }
  while (t < stop) {
    let any = i32x4.splat(0);
    for (let o: usize = 0; o < w; o += 16) {
      const p = rng + o;
      let s0 = v128.load(p), s1 = v128.load(p + w), s2 = v128.load(p + 2 * w), s3 = v128.load(p + 3 * w);
      const x = out4(s1);
      const sh = i32x4.shl(s1, 9);
      s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, sh); s3 = rotl4(s3, 11);
      v128.store(p, s0); v128.store(p + w, s1); v128.store(p + 2 * w, s2); v128.store(p + 3 * w, s3);
      const m = i32x4.lt_u(x, v128.load(thr + o));
      v128.store(spk + o, m);
      any = v128.or(any, m);
    }
    t++;
    if (v128.any_true(any)) {
      lastStepSpiked = true;
      break;
    }
  }
  return t;
}

/** Advances the sampling network whose header is at `h` by `steps` steps (see src/backend/js/samplingKernels.ts). */
export function samplingRun(h: usize, steps: i32): void {
  let t = hget(h, H_T);
  const end = t + steps;
  const sampleEvery = hget(h, H_SAMPLE);
  while (t < end) {
    if (t == hget(h, H_NEXTEV)) processEvents(h, t);
    if (t == hget(h, H_NEXTSAMPLE)) {
      sampleState(h, t);
      hset(h, H_NEXTSAMPLE, t + sampleEvery);
    }
    const stop = imin(imin(hget(h, H_NEXTEV), hget(h, H_NEXTSAMPLE)), end);
    const t1 = drawUntil(h, t, stop);
    if (lastStepSpiked) spikes(h, t1 - 1);
    t = t1;
  }
  hset(h, H_T, t);
}

/** Advances the population whose header is at `h` by `steps` steps; neuron-major, four neurons per v128. */
export function populationRun(h: usize, steps: i32): void {
  const t0 = hget(h, 0), n4 = hget(h, 2), minIsi = hget(h, 3);
  const thr = hptr(h, 4), rng = hptr(h, 5), last = hptr(h, 6), count = hptr(h, 7);
  const w = <usize>n4 << 2;
  const mv = i32x4.splat(minIsi), one = i32x4.splat(1);
  for (let o: usize = 0; o < w; o += 16) {
    const p = rng + o;
    let s0 = v128.load(p), s1 = v128.load(p + w), s2 = v128.load(p + 2 * w), s3 = v128.load(p + 3 * w);
    const T = v128.load(thr + o);
    let lk = v128.load(last + o);
    let cnt = i32x4.splat(0);
    let tv = i32x4.splat(t0);
    for (let i = 0; i < steps; i++) {
      const x = out4(s1);
      const sh = i32x4.shl(s1, 9);
      s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
      s2 = v128.xor(s2, sh); s3 = rotl4(s3, 11);
      const fire = v128.and(i32x4.lt_u(x, T), i32x4.ge_s(i32x4.sub(tv, lk), mv));
      lk = v128.bitselect(tv, lk, fire);
      cnt = i32x4.sub(cnt, fire);
      tv = i32x4.add(tv, one);
    }
    v128.store(p, s0); v128.store(p + w, s1); v128.store(p + 2 * w, s2); v128.store(p + 3 * w, s3);
    v128.store(last + o, lk);
    const cp = count + (o << 1);
    v128.store(cp, f64x2.add(v128.load(cp), f64x2.convert_low_i32x4_u(cnt)));
    v128.store(cp, f64x2.add(v128.load(cp, 16), f64x2.convert_low_i32x4_u(i32x4.shuffle(cnt, cnt, 2, 3, 0, 1))), 16);
  }
  hset(h, 0, t0 + steps);
}
