// Layered SAL network of the deep-net SAL phase
// (docs/models/spiking-feedback.md#the-sal-phase; arXiv:2503.02642), four
// neurons per v128. The step, the buffers and the header:
// src/backend/salnet.ts; the readable reference with the same f32 operations in
// the same order: src/backend/js/salnetKernels.ts.
//
// Hot loops. PSP onsets and ends: a step's input change D(t-1) (the summed
// weight rows of the spikes of t-1) goes into a ring, and the potentials
// take u + D(t-1) - D(t-1-tRef), so a PSP's end costs no row reads. `onsets`
// sums each copy's rows along their length, in groups of ONSET_GROUP rows
// streamed side by side. Draws (`drawAll`):
// four xoshiro128** lanes, thresholds, the refractory mask and the window
// traces in one branch-free pass, sixteen lanes per iteration with the
// threshold chains of four groups interleaved (the chain's latency, not its
// operation count, bounds the draws); the spiking ids are packed branch-free.
// STDP rows: one v128 add per four synapses; with several
// copies each row sums the traces of all copies in which its neuron spiked
// (in ascending copy order) in registers before one load and store of the row.
import { SALNET_H, SALNET_POP, SALNET_BY_ROW_MIN } from "./layout.generated";
import { a4, hget, hset, pslot } from "./header";

// @ts-ignore: decorator
@inline function pget(I: usize, p: i32, slot: i32): i32 {
  return pslot(I, SALNET_H.pop0, SALNET_H.popSlots, p, slot);
}
/**
 * The constants of `threshold4` (assembly/mathf.ts), in its order: clamp bounds -87 and 88, log2(e), 0.5, ln2 in two
 * parts, the Taylor coefficients 1/720 .. 1/6, 1, 2^32. drawAll loads them into locals once, so that V8 keeps them in
 * registers or stack slots instead of rebuilding every v128 constant in each iteration.
 */
const TH_CONSTS: usize = memory.data<f32>([
  -87.0, 88.0, 1.44269502162933349609375, 0.5, 0.693145751953125, 1.428606765330187045e-06,
  0.001388888922519981861114502, 0.008333333767950534820556641, 0.041666667908430099487304688, 0.16666667163372039794921875,
  1.0, 4294967296.0,
], 16);

/** i8x16.swizzle patterns that move the i32 lanes whose bit is set in a 4-bit mask to the front, in lane order. */
const COMPRESS: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0,
  12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
], 16);

// @ts-ignore: decorator
@inline function rotl4(x: v128, k: i32): v128 {
  return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k));
}


/**
 * dst[0..128) = start + the rows listed at list[0..n) (byte addresses), each at byte offset o, in list order per
 * element; start = src[0..128), or 0 when src == 0. Eight v128 stay in registers while the rows stream past.
 */
// @ts-ignore: decorator
@inline function sumRows128(dst: usize, src: usize, list: usize, n: i32, o: usize): void {
  let a0 = i32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4v = a0, a5 = a0, a6 = a0, a7 = a0;
  if (src != 0) {
    a0 = v128.load(src); a1 = v128.load(src, 16); a2 = v128.load(src, 32); a3 = v128.load(src, 48);
    a4v = v128.load(src, 64); a5 = v128.load(src, 80); a6 = v128.load(src, 96); a7 = v128.load(src, 112);
  }
  for (let k = 0; k < n; k++) {
    const r = <usize>load<u32>(list + (<usize>k << 2)) + o;
    a0 = f32x4.add(a0, v128.load(r)); a1 = f32x4.add(a1, v128.load(r, 16));
    a2 = f32x4.add(a2, v128.load(r, 32)); a3 = f32x4.add(a3, v128.load(r, 48));
    a4v = f32x4.add(a4v, v128.load(r, 64)); a5 = f32x4.add(a5, v128.load(r, 80));
    a6 = f32x4.add(a6, v128.load(r, 96)); a7 = f32x4.add(a7, v128.load(r, 112));
  }
  v128.store(dst, a0); v128.store(dst, a1, 16); v128.store(dst, a2, 32); v128.store(dst, a3, 48);
  v128.store(dst, a4v, 64); v128.store(dst, a5, 80); v128.store(dst, a6, 96); v128.store(dst, a7, 112);
}

/** `sumRows128` for 16 bytes. */
// @ts-ignore: decorator
@inline function sumRows16(dst: usize, src: usize, list: usize, n: i32, o: usize): void {
  let a = src != 0 ? v128.load(src) : i32x4.splat(0);
  for (let k = 0; k < n; k++) a = f32x4.add(a, v128.load(<usize>load<u32>(list + (<usize>k << 2)) + o));
  v128.store(dst, a);
}

/** D[0..bytes) = 0 + the rows listed at cols[0..n) (row byte addresses, in this order per element). */
function sumColumns(D: usize, bytes: usize, cols: usize, n: i32): void {
  let o: usize = 0;
  for (; o + 128 <= bytes; o += 128) sumRows128(D + o, 0, cols, n, o);
  for (; o < bytes; o += 16) sumRows16(D + o, 0, cols, n, o);
}

/** row[0..bytes) += the rows listed at list[0..n) (byte addresses), in list order per element. */
function addRows(row: usize, bytes: usize, list: usize, n: i32): void {
  let o: usize = 0;
  for (; o + 128 <= bytes; o += 128) sumRows128(row + o, row + o, list, n, o);
  for (; o < bytes; o += 16) sumRows16(row + o, row + o, list, n, o);
}

/** u <- (u + D) - Dold over `bytes` bytes. */
// @ts-ignore: decorator
@inline function stepPotentials(u: usize, D: usize, Dold: usize, bytes: usize): void {
  for (let o: usize = 0; o < bytes; o += 16) v128.store(u + o, f32x4.sub(f32x4.add(v128.load(u + o), v128.load(D + o)), v128.load(Dold + o)));
}

/**
 * Rows summed per pass over D in the onsets: enough to keep D's loads and
 * stores few, few enough that the prefetchers follow every row (align: 3 rows no gain, 6-24 rows -10 % per step).
 */
// @ts-ignore: decorator
@lazy const ONSET_GROUP: i32 = 12;

/**
 * Step 1 for population p and every copy: D_p(t-1) of copy c (ring slot `prev`) = 0 + the weight rows of c's
 * spikes of t-1 (lower population ascending, then upper), and u <- (u + D_p(t-1)) - D_p(t-1-tRef) (slot `old`).
 * Copy by copy, rows in groups of ONSET_GROUP streamed along their length (the prefetchers follow them); per
 * element the sum runs over the rows in list order. With many copies this beats column chunks of every copy's
 * rows (-12 % onsets on 32 x [1024, 384, 192, 10], also at 4 and 8 copies), though a row shared by several
 * copies is read once per copy.
 */
function onsets(F: usize, I: usize, p: i32, prev: i32, old: i32): void {
  const S = hget(I, SALNET_H.S), N4 = hget(I, SALNET_H.N4), R = hget(I, SALNET_H.R);
  const off = pget(I, p, SALNET_POP.off), bytes = <usize>pget(I, p, SALNET_POP.n4) << 2;
  const u0 = a4(F, hget(I, SALNET_H.u) + off), dr = a4(F, hget(I, SALNET_H.dring) + off);
  const copyBytes = <usize>N4 << 2, ringBytes = <usize>(R * N4) << 2;
  const dNew = dr + (<usize>(prev * N4) << 2), dOld = dr + (<usize>(old * N4) << 2);
  // copy c's row list: starts[c] .. starts[c + 1] of the list at cols + S + 1
  const starts = a4(I, hget(I, SALNET_H.cols)), lists = starts + (<usize>(S + 1) << 2);
  let n = 0;
  for (let c = 0; c < S; c++) {
    store<i32>(starts + (<usize>c << 2), n);
    n += inputRows(F, I, c, p, prev, lists + (<usize>n << 2));
  }
  store<i32>(starts + (<usize>S << 2), n);
  // each copy's rows in groups of ONSET_GROUP, a group's rows streamed side by side along their length
  for (let c = 0; c < S; c++) {
    const s0 = load<i32>(starts + (<usize>c << 2)), s1 = load<i32>(starts + (<usize>(c + 1) << 2));
    const d = dNew + <usize>c * ringBytes, u = u0 + <usize>c * copyBytes, dO = dOld + <usize>c * ringBytes;
    let g = s0;
    do {
      const g1 = min(g + ONSET_GROUP, s1), lastG = g1 == s1;
      let o: usize = 0;
      for (; o + 128 <= bytes; o += 128) {
        sumRows128(d + o, g == s0 ? 0 : d + o, lists + (<usize>g << 2), g1 - g, o);
        if (lastG) stepPotentials(u + o, d + o, dO + o, 128);
      }
      for (; o < bytes; o += 16) {
        sumRows16(d + o, g == s0 ? 0 : d + o, lists + (<usize>g << 2), g1 - g, o);
        if (lastG) stepPotentials(u + o, d + o, dO + o, 16);
      }
      g = g1;
    } while (g < s1);
  }
}

/** Sets the masks of ring slot `slot` from its spike lists (bit c & 31 of word (slot, c >> 5, neuron)). */
function buildMasks(I: usize, slot: i32): void {
  const P = hget(I, SALNET_H.P), S = hget(I, SALNET_H.S), N4 = hget(I, SALNET_H.N4), G = (S + 31) >> 5;
  const masks = a4(I, hget(I, SALNET_H.masks)) + ((<usize>slot * G * N4) << 2);
  memory.fill(masks, 0, (<usize>G * N4) << 2);
  const oCnt = hget(I, SALNET_H.cnt), oIds = hget(I, SALNET_H.ids);
  for (let c = 0; c < S; c++) {
    const mg = masks + ((<usize>(c >> 5) * N4) << 2), bit: u32 = 1 << (c & 31), at = slot * S + c;
    for (let p = 0; p < P; p++) {
      const off = pget(I, p, SALNET_POP.off), m = hget(I, oCnt + at * P + p);
      const ids = a4(I, oIds + at * N4 + off);
      for (let s = 0; s < m; s++) {
        const w = mg + (<usize>(off + load<i32>(ids + (<usize>s << 2))) << 2);
        store<u32>(w, load<u32>(w) | bit);
      }
    }
  }
}

/** Appends the row addresses M + id * rowBytes of `count` spike ids at `ids` to the list at `cols`; returns the new length. */
// @ts-ignore: decorator
@inline function pushRows(cols: usize, n: i32, M: usize, rowBytes: usize, ids: usize, count: i32): i32 {
  for (let s = 0; s < count; s++) {
    store<u32>(cols + (<usize>n << 2), <u32>(M + <usize>load<i32>(ids + (<usize>s << 2)) * rowBytes));
    n++;
  }
  return n;
}

/**
 * Lists at `list` the trace rows that lane `lane` (a neuron's lane in copy 0) adds for its spikes in the n pending
 * steps: for each step k ascending and each copy c ascending in which it spiked, the address of copy c's traces of
 * the other population (lane offset offO) in trace slot k. Spikes are read from the time masks (fewer than
 * SALNET_BY_ROW_MIN copies) or the per-step copy masks of steps t0 .. t0+n-1. Returns the list's length.
 */
// @ts-ignore: decorator
@inline function pendingRows(I: usize, lane: i32, offO: i32, t0: i32, n: i32, list: usize): i32 {
  const S = hget(I, SALNET_H.S), N4 = hget(I, SALNET_H.N4), R = hget(I, SALNET_H.R);
  const slotBytes = <usize>(S * N4) << 2, copyBytes = <usize>N4 << 2;
  const x0 = a4(I, hget(I, SALNET_H.xh) + offO);
  let m = 0;
  if (S < SALNET_BY_ROW_MIN) {
    // W words of 64 steps per lane and copy
    const W = (hget(I, SALNET_H.stdpEvery) + 63) >> 6, tmCopy = <usize>(N4 * W) << 3;
    const tm = a4(I, hget(I, SALNET_H.tmask)) + (<usize>(lane * W) << 3);
    for (let w = 0; w < W; w++) {
      const tw = tm + (<usize>w << 3);
      let any: u64 = 0;
      for (let c = 0; c < S; c++) any |= load<u64>(tw + <usize>c * tmCopy);
      while (any != 0) {
        const b = ctz(any), bit: u64 = 1 << b, xk = x0 + <usize>((w << 6) + <i32>b) * slotBytes;
        for (let c = 0; c < S; c++) {
          if ((load<u64>(tw + <usize>c * tmCopy) & bit) == 0) continue;
          store<u32>(list + (<usize>m << 2), <u32>(xk + <usize>c * copyBytes));
          m++;
        }
        any &= any - 1;
      }
    }
  } else {
    const G = (S + 31) >> 5, masks = a4(I, hget(I, SALNET_H.masks) + lane);
    // the slots of steps t0 .. t0+n-1, without a division per step
    for (let k = 0, slot = t0 % R; k < n; k++, slot = slot + 1 == R ? 0 : slot + 1) {
      for (let g = 0; g < G; g++) {
        let a = load<u32>(masks + ((<usize>(slot * G + g) * N4) << 2));
        const xg = x0 + <usize>k * slotBytes + <usize>(g << 5) * copyBytes;
        while (a != 0) {
          store<u32>(list + (<usize>m << 2), <u32>(xg + <usize>ctz(a) * copyBytes));
          m++;
          a &= a - 1;
        }
      }
    }
  }
  return m;
}

/**
 * Step 3 for the n pending steps t0 .. t0+n-1 (their traces in slots 0..n-1 of xh): for each pair (p, p+1), a spike of
 * lower i adds the upper traces of its step and copy to row i of Ac_p, a spike of upper j the lower traces to row j of
 * Aa_p. Each row takes its spikes step by step, copies ascending (the order of the per-step form, so the same f32
 * sums), in one load and store of the row; rows without spikes are not touched.
 */
function stdpPending(F: usize, I: usize, t0: i32, n: i32): void {
  const P = hget(I, SALNET_H.P), list = a4(I, hget(I, SALNET_H.cols));
  for (let p = 0; p < P - 1; p++) {
    const nLo = pget(I, p, SALNET_POP.n), offLo = pget(I, p, SALNET_POP.off), bLo = <usize>pget(I, p, SALNET_POP.n4) << 2;
    const nUp = pget(I, p + 1, SALNET_POP.n), offUp = pget(I, p + 1, SALNET_POP.off), bUp = <usize>pget(I, p + 1, SALNET_POP.n4) << 2;
    const Ac = a4(F, pget(I, p, SALNET_POP.Ac)), Aa = a4(F, pget(I, p, SALNET_POP.Aa));
    for (let i = 0; i < nLo; i++) {
      const m = pendingRows(I, offLo + i, offUp, t0, n, list);
      if (m != 0) addRows(Ac + <usize>i * bUp, bUp, list, m);
    }
    for (let j = 0; j < nUp; j++) {
      const m = pendingRows(I, offUp + j, offLo, t0, n, list);
      if (m != 0) addRows(Aa + <usize>j * bLo, bLo, list, m);
    }
  }
  const S = hget(I, SALNET_H.S);
  if (S < SALNET_BY_ROW_MIN) memory.fill(a4(I, hget(I, SALNET_H.tmask)), 0, <usize>(S * hget(I, SALNET_H.N4) * ((hget(I, SALNET_H.stdpEvery) + 63) >> 6)) << 3);
}

/** One xoshiro128** output for each of the four lanes whose state words start at p0 (words at stride ws); advances the state (assembly/rng.ts has the scalar form). */
// @ts-ignore: decorator
@inline function xoshiro4(p0: usize, ws: usize): v128 {
  const p1 = p0 + ws, p2 = p1 + ws, p3 = p2 + ws;
  let s0 = v128.load(p0), s1 = v128.load(p1), s2 = v128.load(p2), s3 = v128.load(p3);
  const m5 = i32x4.add(i32x4.shl(s1, 2), s1);
  const rr = rotl4(m5, 7);
  const x = i32x4.add(i32x4.shl(rr, 3), rr);
  const tt = i32x4.shl(s1, 9);
  s2 = v128.xor(s2, s0);
  s3 = v128.xor(s3, s1);
  s1 = v128.xor(s1, s2);
  s0 = v128.xor(s0, s3);
  s2 = v128.xor(s2, tt);
  s3 = rotl4(s3, 11);
  v128.store(p0, s0); v128.store(p1, s1); v128.store(p2, s2); v128.store(p3, s3);
  return x;
}

// The stages of threshold4 (assembly/mathf.ts), operation for operation, with the constants in locals (TH_CONSTS).
// drawAll runs each stage for four groups of four lanes side by side: the chain is long (about forty dependent
// operations), and interleaving four independent chains in the instruction stream lets the core overlap them
// (draws -30 % per step on the SAL phase; the same stages one group after another gain nothing). The four spike
// masks come before the four groups' traces for the same reason (a few % more).
/** exp argument: -u clamped to [-87, 88]. */
// @ts-ignore: decorator
@inline function thArg(u: v128, cLo: v128, cHi: v128): v128 { return f32x4.pmin(f32x4.pmax(f32x4.neg(u), cLo), cHi); }
/** k = floor(x log2(e) + 0.5). */
// @ts-ignore: decorator
@inline function thK(ex: v128, cLog2e: v128, cHalf: v128): v128 { return f32x4.floor(f32x4.add(f32x4.mul(ex, cLog2e), cHalf)); }
/** r = (x - k ln2_hi) - k ln2_lo. */
// @ts-ignore: decorator
@inline function thR(ex: v128, kk: v128, cLn2Hi: v128, cLn2Lo: v128): v128 { return f32x4.sub(f32x4.sub(ex, f32x4.mul(kk, cLn2Hi)), f32x4.mul(kk, cLn2Lo)); }
/** One Horner step q r + c. */
// @ts-ignore: decorator
@inline function thH(q: v128, r: v128, c: v128): v128 { return f32x4.add(f32x4.mul(q, r), c); }
/** exp(x) = q 2^k. */
// @ts-ignore: decorator
@inline function thExp(q: v128, kk: v128, c127: v128): v128 { return f32x4.mul(q, i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(kk), c127), 23)); }
/** T = trunc_sat_u(2^32 / (1 + tRef exp(-u))) as threshold4 computes it. */
// @ts-ignore: decorator
@inline function thT(ex: v128, cOne: v128, cTRef: v128, cTwo32: v128): v128 {
  return i32x4.trunc_sat_f32x4_u(f32x4.mul(f32x4.div(cOne, f32x4.add(cOne, f32x4.mul(cTRef, ex))), cTwo32));
}

/** Spike mask of one group: t - t_last > tRef and x < T. */
// @ts-ignore: decorator
@inline function fire4(o: usize, x: v128, th: v128, t1P: usize, tv: v128, trv: v128): v128 {
  return v128.and(i32x4.gt_s(i32x4.sub(tv, v128.load(t1P + o)), trv), i32x4.lt_u(x, th));
}
/**
 * The rest of one group's draw, given its spike mask: window traces of the two newest spikes, advanced one step and
 * cut at age L (to e1P, e2P, and their sum to xP), and t_last of the spiking lanes. Returns the mask as 4 bits.
 */
// @ts-ignore: decorator
@inline function traces4(o: usize, fire: v128, t1P: usize, e1P: usize, e2P: usize, xP: usize, tv: v128, dv: v128, kv: v128, one: v128): i32 {
  let e1 = f32x4.mul(v128.load(e1P + o), dv);
  e1 = v128.and(e1, f32x4.ge(e1, kv));
  let e2 = f32x4.mul(v128.load(e2P + o), dv);
  e2 = v128.and(e2, f32x4.ge(e2, kv));
  e2 = v128.bitselect(e1, e2, fire);
  e1 = v128.bitselect(one, e1, fire);
  v128.store(t1P + o, v128.bitselect(tv, v128.load(t1P + o), fire));
  v128.store(e1P + o, e1);
  v128.store(e2P + o, e2);
  v128.store(xP + o, f32x4.add(e1, e2));
  return i32x4.bitmask(fire);
}

/** Appends the ids of the lanes set in `bits` (ids: the group's four lane ids) to the list at `scratch` of length m; returns the new length. */
// @ts-ignore: decorator
@inline function packIds(scratch: usize, m: i32, ids: v128, bits: i32): i32 {
  v128.store(scratch + (<usize>m << 2), i8x16.swizzle(ids, v128.load(COMPRESS + (<usize>bits << 4))));
  return m + <i32>popcnt(bits);
}

/**
 * Step 2 for every copy and population: draws, refractoriness, window traces (x to `xP`, S x N4 lanes), and the
 * spike lists of ring slot `slot` (ids ascending) with their counts; adds the spikes to the per-population totals;
 * when tm != 0, sets `bit` in the time masks at tm of the lanes that spiked. All lanes of all copies are
 * contiguous (copy c's population p starts at lane c N4 + off_p), so one pass walks them, sixteen lanes (four
 * groups) at a time with the threshold stages interleaved, then the population's last groups one by one.
 * Branch-free: each group's spiking ids are packed to the front of a v128 and appended to a scratch list.
 */
function drawAll(F: usize, I: usize, U: usize, D: usize, t: i32, slot: i32, xP: usize, tm: usize, bit: u64, W: i32): void {
  const P = hget(I, SALNET_H.P), S = hget(I, SALNET_H.S), N4 = hget(I, SALNET_H.N4), tRef = hget(I, SALNET_H.tRef);
  const tRefF = reinterpret<f32>(hget(I, SALNET_H.tRefBits));
  const ws = <usize>(S * N4) << 2;
  const uP = a4(F, hget(I, SALNET_H.u));
  const e1P = a4(F, hget(I, SALNET_H.e1)), e2P = a4(F, hget(I, SALNET_H.e2));
  const t1P = a4(I, hget(I, SALNET_H.t1)), r0 = a4(U, hget(I, SALNET_H.rng));
  const oCnt = hget(I, SALNET_H.cnt), oIds = hget(I, SALNET_H.ids), count = D + (<usize>hget(I, SALNET_H.count) << 3);
  const tv = i32x4.splat(t), trv = i32x4.splat(tRef), one = f32x4.splat(1.0);
  const dv = f32x4.splat(reinterpret<f32>(hget(I, SALNET_H.decayBits))), kv = f32x4.splat(reinterpret<f32>(hget(I, SALNET_H.kminBits)));
  const cLo = v128.load32_splat(TH_CONSTS), cHi = v128.load32_splat(TH_CONSTS, 4), cLog2e = v128.load32_splat(TH_CONSTS, 8);
  const cHalf = v128.load32_splat(TH_CONSTS, 12), cLn2Hi = v128.load32_splat(TH_CONSTS, 16), cLn2Lo = v128.load32_splat(TH_CONSTS, 20);
  const c6 = v128.load32_splat(TH_CONSTS, 24), c5 = v128.load32_splat(TH_CONSTS, 28), c4 = v128.load32_splat(TH_CONSTS, 32);
  const c3 = v128.load32_splat(TH_CONSTS, 36), cOne = v128.load32_splat(TH_CONSTS, 40), cTwo32 = v128.load32_splat(TH_CONSTS, 44);
  const cTRef = f32x4.splat(tRefF), c127 = i32x4.splat(127);
  const lane0 = i32x4(0, 1, 2, 3), four = i32x4.splat(4), scratch = a4(I, hget(I, SALNET_H.cols));
  for (let c = 0; c < S; c++) {
    for (let p = 0; p < P; p++) {
      const off = pget(I, p, SALNET_POP.off), at = slot * S + c;
      const list = a4(I, oIds + at * N4 + off);
      const o0 = <usize>(c * N4 + off) << 2, o1 = o0 + (<usize>pget(I, p, SALNET_POP.n4) << 2);
      let m = 0, ids = lane0, o = o0;
      for (; o + 64 <= o1; o += 64) {
        const oB = o + 16, oC = o + 32, oD = o + 48;
        const xA = xoshiro4(r0 + o, ws), xB = xoshiro4(r0 + oB, ws), xC = xoshiro4(r0 + oC, ws), xD = xoshiro4(r0 + oD, ws);
        let eA = thArg(v128.load(uP + o), cLo, cHi), eB = thArg(v128.load(uP + oB), cLo, cHi);
        let eC = thArg(v128.load(uP + oC), cLo, cHi), eD = thArg(v128.load(uP + oD), cLo, cHi);
        const kA = thK(eA, cLog2e, cHalf), kB = thK(eB, cLog2e, cHalf), kC = thK(eC, cLog2e, cHalf), kD = thK(eD, cLog2e, cHalf);
        const rA = thR(eA, kA, cLn2Hi, cLn2Lo), rB = thR(eB, kB, cLn2Hi, cLn2Lo), rC = thR(eC, kC, cLn2Hi, cLn2Lo), rD = thR(eD, kD, cLn2Hi, cLn2Lo);
        let qA = thH(rA, c6, c5), qB = thH(rB, c6, c5), qC = thH(rC, c6, c5), qD = thH(rD, c6, c5);
        qA = thH(qA, rA, c4); qB = thH(qB, rB, c4); qC = thH(qC, rC, c4); qD = thH(qD, rD, c4);
        qA = thH(qA, rA, c3); qB = thH(qB, rB, c3); qC = thH(qC, rC, c3); qD = thH(qD, rD, c3);
        qA = thH(qA, rA, cHalf); qB = thH(qB, rB, cHalf); qC = thH(qC, rC, cHalf); qD = thH(qD, rD, cHalf);
        qA = thH(qA, rA, cOne); qB = thH(qB, rB, cOne); qC = thH(qC, rC, cOne); qD = thH(qD, rD, cOne);
        qA = thH(qA, rA, cOne); qB = thH(qB, rB, cOne); qC = thH(qC, rC, cOne); qD = thH(qD, rD, cOne);
        eA = thExp(qA, kA, c127); eB = thExp(qB, kB, c127); eC = thExp(qC, kC, c127); eD = thExp(qD, kD, c127);
        const tA = thT(eA, cOne, cTRef, cTwo32), tB = thT(eB, cOne, cTRef, cTwo32), tC = thT(eC, cOne, cTRef, cTwo32), tD = thT(eD, cOne, cTRef, cTwo32);
        const fA = fire4(o, xA, tA, t1P, tv, trv), fB = fire4(oB, xB, tB, t1P, tv, trv), fC = fire4(oC, xC, tC, t1P, tv, trv), fD = fire4(oD, xD, tD, t1P, tv, trv);
        const bA = traces4(o, fA, t1P, e1P, e2P, xP, tv, dv, kv, one), bB = traces4(oB, fB, t1P, e1P, e2P, xP, tv, dv, kv, one);
        const bC = traces4(oC, fC, t1P, e1P, e2P, xP, tv, dv, kv, one), bD = traces4(oD, fD, t1P, e1P, e2P, xP, tv, dv, kv, one);
        m = packIds(scratch, m, ids, bA); ids = i32x4.add(ids, four);
        m = packIds(scratch, m, ids, bB); ids = i32x4.add(ids, four);
        m = packIds(scratch, m, ids, bC); ids = i32x4.add(ids, four);
        m = packIds(scratch, m, ids, bD); ids = i32x4.add(ids, four);
      }
      for (; o < o1; o += 16) {
        const x = xoshiro4(r0 + o, ws);
        const ex = thArg(v128.load(uP + o), cLo, cHi), kk = thK(ex, cLog2e, cHalf), r = thR(ex, kk, cLn2Hi, cLn2Lo);
        let q = thH(r, c6, c5);
        q = thH(q, r, c4); q = thH(q, r, c3); q = thH(q, r, cHalf); q = thH(q, r, cOne); q = thH(q, r, cOne);
        const th = thT(thExp(q, kk, c127), cOne, cTRef, cTwo32);
        m = packIds(scratch, m, ids, traces4(o, fire4(o, x, th, t1P, tv, trv), t1P, e1P, e2P, xP, tv, dv, kv, one));
        ids = i32x4.add(ids, four);
      }
      memory.copy(list, scratch, <usize>m << 2);
      if (tm != 0) {
        for (let k = 0; k < m; k++) {
          const w = tm + (<usize>(((o0 >> 2) + load<i32>(list + (<usize>k << 2))) * W) << 3);
          store<u64>(w, load<u64>(w) | bit);
        }
      }
      hset(I, oCnt + at * P + p, m);
      const cp = count + (<usize>p << 3);
      store<f64>(cp, load<f64>(cp) + <f64>m);
    }
  }
}

/** Moves the f32 STDP blocks into the f64 sums (D += A, A = 0) for every pair of populations. */
function flushAll(F: usize, I: usize, D: usize): void {
  const P = hget(I, SALNET_H.P);
  for (let p = 0; p < P - 1; p++) {
    const nLo = pget(I, p, SALNET_POP.n), n4Lo = pget(I, p, SALNET_POP.n4);
    const nUp = pget(I, p + 1, SALNET_POP.n), n4Up = pget(I, p + 1, SALNET_POP.n4);
    for (let k = 0; k < 2; k++) {
      const A = a4(F, pget(I, p, k == 0 ? SALNET_POP.Ac : SALNET_POP.Aa));
      const S = D + (<usize>pget(I, p, k == 0 ? SALNET_POP.Dc : SALNET_POP.Da) << 3);
      const size = <usize>(k == 0 ? nLo * n4Up : nUp * n4Lo);
      for (let e: usize = 0; e < size; e += 4) {
        const a = v128.load(A + (e << 2));
        const d = S + (e << 3);
        v128.store(d, f64x2.add(v128.load(d), f64x2.promote_low_f32x4(a)));
        v128.store(d, f64x2.add(v128.load(d, 16), f64x2.promote_low_f32x4(i64x2.shuffle(a, a, 1, 1))), 16);
        v128.store(A + (e << 2), i32x4.splat(0));
      }
    }
  }
  hset(I, SALNET_H.sinceFlush, 0);
}

/** Lists at `cols` the weight rows of population p's inputs from the spikes of ring slot `slot` in copy c (lower population ascending, then upper); returns their number. */
function inputRows(F: usize, I: usize, c: i32, p: i32, slot: i32, cols: usize): i32 {
  const P = hget(I, SALNET_H.P), S = hget(I, SALNET_H.S), N4 = hget(I, SALNET_H.N4);
  const oCnt = hget(I, SALNET_H.cnt), oIds = hget(I, SALNET_H.ids), at = slot * S + c;
  const rowBytes = <usize>pget(I, p, SALNET_POP.n4) << 2;
  let n = 0;
  if (p > 0) n = pushRows(cols, n, a4(F, pget(I, p, SALNET_POP.WT)), rowBytes, a4(I, oIds + at * N4 + pget(I, p - 1, SALNET_POP.off)), hget(I, oCnt + at * P + p - 1));
  if (p < P - 1) n = pushRows(cols, n, a4(F, pget(I, p, SALNET_POP.BT)), rowBytes, a4(I, oIds + at * N4 + pget(I, p + 1, SALNET_POP.off)), hget(I, oCnt + at * P + p + 1));
  return n;
}

/** Advances all copies of the network (buffers F, I, U, D) by `steps` steps (src/backend/salnet.ts, steps 1-3). */
export function salnetRun(F: usize, I: usize, U: usize, D: usize, steps: i32): void {
  const P = hget(I, SALNET_H.P), S = hget(I, SALNET_H.S), R = hget(I, SALNET_H.R);
  const N4 = hget(I, SALNET_H.N4), flushEvery = hget(I, SALNET_H.flushEvery), K = hget(I, SALNET_H.stdpEvery);
  const xh = a4(I, hget(I, SALNET_H.xh)), slotBytes = <usize>(S * N4) << 2;
  const byRow = S >= SALNET_BY_ROW_MIN, tm: usize = byRow ? 0 : a4(I, hget(I, SALNET_H.tmask)), W = (K + 63) >> 6;
  if (byRow) {
    // the masks are scratch: rebuilt from the spike lists of the last R steps
    const t0 = hget(I, SALNET_H.t);
    for (let k = 1; k <= R; k++) if (t0 - k >= 0) buildMasks(I, (t0 - k) % R);
  }
  // STDP is pending for steps tp .. t (traces in slots 0 .. t - tp of xh); none is pending between calls
  let tp = hget(I, SALNET_H.t);
  for (let step = 0; step < steps; step++) {
    const t = hget(I, SALNET_H.t);
    const prev = (t + R - 1) % R, old = t % R;
    // 1. PSP onsets and ends: D(t-1) from the spikes of t-1, u <- (u + D(t-1)) - D(t-1-tRef)
    for (let p = 0; p < P; p++) onsets(F, I, p, prev, old);
    // 2. draws; the traces go to the step's pending slot
    const k = t - tp;
    drawAll(F, I, U, D, t, old, xh + <usize>k * slotBytes, tm + (<usize>(k >> 6) << 3), <u64>1 << (k & 63), W);
    if (byRow) buildMasks(I, old);
    hset(I, SALNET_H.t, t + 1);
    const since = hget(I, SALNET_H.sinceFlush) + 1;
    hset(I, SALNET_H.sinceFlush, since);
    // 3. STDP rows of the pending steps, before a flush and at the end of the call
    const last = step == steps - 1;
    if (k + 1 == K || since >= flushEvery || last) {
      stdpPending(F, I, tp, k + 1);
      if (last) memory.copy(a4(F, hget(I, SALNET_H.x)), xh + <usize>k * slotBytes, slotBytes);
      tp = t + 1;
    }
    if (since >= flushEvery) flushAll(F, I, D);
  }
}

/** Adds the f32 STDP blocks to the f64 sums and zeroes them. */
export function salnetFlush(F: usize, I: usize, D: usize): void {
  flushAll(F, I, D);
}

/** Recomputes the input changes D(s), s = t-1-tRef .. t-2, with the current weights and u = b + D(t-1-tRef) + ... + D(t-2) (src/backend/salnet.ts). */
export function salnetResync(F: usize, I: usize): void {
  const P = hget(I, SALNET_H.P), S = hget(I, SALNET_H.S), tRef = hget(I, SALNET_H.tRef), R = hget(I, SALNET_H.R);
  const N4 = hget(I, SALNET_H.N4), t = hget(I, SALNET_H.t);
  const oU = hget(I, SALNET_H.u), oDr = hget(I, SALNET_H.dring);
  const cols = a4(I, hget(I, SALNET_H.cols));
  for (let c = 0; c < S; c++) {
    for (let p = 0; p < P; p++) {
      const off = pget(I, p, SALNET_POP.off), bytes = <usize>pget(I, p, SALNET_POP.n4) << 2;
      const u = a4(F, oU + c * N4 + off);
      memory.copy(u, a4(F, pget(I, p, SALNET_POP.b)), bytes);
      for (let s = t - 1 - tRef; s <= t - 2; s++) {
        const slot = ((s % R) + R) % R, D = a4(F, oDr + (c * R + slot) * N4 + off);
        if (s < 0) {
          memory.fill(D, 0, bytes);
          continue;
        }
        sumColumns(D, bytes, cols, inputRows(F, I, c, p, slot, cols));
        for (let o: usize = 0; o < bytes; o += 16) v128.store(u + o, f32x4.add(v128.load(u + o), v128.load(D + o)));
      }
    }
  }
}
