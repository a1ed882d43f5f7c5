// Recurrent networks of sampling neurons (arXiv:2503.02642, neuron model; docs/models/sampling-network.md#the-sampling-neuron,
// docs/models/sampling-network.md#stdp-rules), event-driven, four neurons per v128.
// Layout, header slots and random streams: src/backend/samplingState.ts;
// the step-by-step semantics and the reference: src/backend/js/samplingKernels.ts.
// Identical results to the js backend: every f32 op (column adds, thresholds)
// is elementwise, STDP sums are f64 in the same order, xoshiro lanes are the
// per-neuron streams.
//
// Hot loops. Table mode (n <= 8, `runTable`): a step is one xoshiro128**
// update per four neurons, the threshold row of the lanes' PSP pattern (one
// compare and a bitmask), the refractory mask and the compare, with no
// branch but the rare spike test; spikes are logged and counted, recorded and
// paired after the loop (`flushLog`). Column mode (`runColumns`): between
// events (PSP onset/end, refractory end, state sample) thresholds are
// constant, so a step is the draws, the compare against the cached
// thresholds and an any_true branch to the spike path. Shaped PSPs
// (`runShaped`, chosen by the header's `shaped` slot before either loop is
// entered): potentials from the PSP table at the steps where they change.
import { threshold4 } from "./mathf";
import { SAMPLING_H, SAMPLING_INF, SAMPLING_NEVER, SAMPLING_RULE, POP_H } from "./layout.generated";


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
// The hot loops step four xoshiro128** lanes at once with the state words in v128 locals for the
// whole run (out4 gives the outputs; the state update is written out at each loop because an
// inline helper cannot update four locals); assembly/rng.ts has the scalar form.
// @ts-ignore: decorator
@inline function out4(s1: v128): v128 {
  // rotl(s1 * 5, 7) * 9 with the multiplications as shift + add (i32x4.mul is slow on x86)
  const r = rotl4(i32x4.add(i32x4.shl(s1, 2), s1), 7);
  return i32x4.add(i32x4.shl(r, 3), r);
}
// @ts-ignore: decorator
@inline function imin(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** Thresholds (and, in table mode, potentials) for the draws at step t. */
function recompute(h: usize, t: i32): void {
  const bytes = <usize>hget(h, SAMPLING_H.n4) << 2;
  const u = hptr(h, SAMPLING_H.u), thr = hptr(h, SAMPLING_H.thr), last = hptr(h, SAMPLING_H.last), valid = hptr(h, SAMPLING_H.valid);
  const tv = i32x4.splat(t), mv = i32x4.splat(hget(h, SAMPLING_H.minIsi));
  if (hget(h, SAMPLING_H.table) != 0) {
    const row = <usize>hget(h, SAMPLING_H.mask) * bytes;
    const uT = hptr(h, SAMPLING_H.uTab) + row, tT = hptr(h, SAMPLING_H.thrTab) + row;
    for (let o: usize = 0; o < bytes; o += 16) {
      const ready = i32x4.ge_s(i32x4.sub(tv, v128.load(last + o)), mv);
      v128.store(u + o, v128.load(uT + o));
      v128.store(thr + o, v128.and(v128.load(tT + o), v128.and(ready, v128.load(valid + o))));
    }
  } else {
    const tRef = reinterpret<f32>(hget(h, SAMPLING_H.tRefBits));
    for (let o: usize = 0; o < bytes; o += 16) {
      const ready = i32x4.ge_s(i32x4.sub(tv, v128.load(last + o)), mv);
      const th = threshold4(v128.load(u + o), tRef);
      v128.store(thr + o, v128.and(th, v128.and(ready, v128.load(valid + o))));
    }
  }
}

/** Fills the potential and threshold tables of all 2^n PSP patterns (see buildTableJs in src/backend/samplingState.ts). */
export function samplingTable(h: usize): void {
  const n = hget(h, SAMPLING_H.n);
  const bytes = <usize>hget(h, SAMPLING_H.n4) << 2;
  const uT = hptr(h, SAMPLING_H.uTab), tT = hptr(h, SAMPLING_H.thrTab), WT = hptr(h, SAMPLING_H.WT), b = hptr(h, SAMPLING_H.b), valid = hptr(h, SAMPLING_H.valid);
  const tRef = reinterpret<f32>(hget(h, SAMPLING_H.tRefBits));
  for (let o: usize = 0; o < bytes; o += 16) v128.store(uT + o, i32x4.splat(0));
  for (let k = 0; k < n; k++) store<f32>(uT + (<usize>k << 2), load<f32>(b + (<usize>k << 2)));
  for (let o: usize = 0; o < bytes; o += 16) v128.store(tT + o, v128.and(threshold4(v128.load(uT + o), tRef), v128.load(valid + o)));
  for (let m = 1; m < (1 << n); m++) {
    const j = 31 - clz<i32>(m);
    const src = <usize>(m ^ (1 << j)) * bytes, dst = <usize>m * bytes, col = WT + <usize>j * bytes;
    for (let o: usize = 0; o < bytes; o += 16) {
      const uu = f32x4.add(v128.load(uT + src + o), v128.load(col + o));
      v128.store(uT + dst + o, uu);
      v128.store(tT + dst + o, v128.and(threshold4(uu, tRef), v128.load(valid + o)));
    }
  }
}

/** PSP ends and refractory ends due at t (column mode), then the thresholds for t; sets the next stop. */
function processEvents(h: usize, t: i32): void {
  const n = hget(h, SAMPLING_H.n), n4 = hget(h, SAMPLING_H.n4), psp = hget(h, SAMPLING_H.pspLength);
  const table = hget(h, SAMPLING_H.table) != 0;
  const on = hptr(h, SAMPLING_H.on), last = hptr(h, SAMPLING_H.last), u = hptr(h, SAMPLING_H.u), WT = hptr(h, SAMPLING_H.WT);
  const offQT = hptr(h, SAMPLING_H.offQT), offQI = hptr(h, SAMPLING_H.offQI), refQT = hptr(h, SAMPLING_H.refQT);
  const offCap = hget(h, SAMPLING_H.offCap), refCap = hget(h, SAMPLING_H.refCap);
  const bytes = <usize>n4 << 2;
  let changed = false;
  const cols = hptr(h, SAMPLING_H.cols);
  let nCols = 0;
  let head = hget(h, SAMPLING_H.offHead);
  const tail = hget(h, SAMPLING_H.offTail);
  while (head < tail && load<i32>(offQT + (<usize>(head & (offCap - 1)) << 2)) == t) {
    const j = load<i32>(offQI + (<usize>(head & (offCap - 1)) << 2));
    head++;
    const jo = <usize>j << 2;
    if (load<i32>(on + jo) != 0 && load<i32>(last + jo) == t - 1 - psp) {
      store<i32>(on + jo, 0);
      hset(h, SAMPLING_H.nActive, hget(h, SAMPLING_H.nActive) - 1);
      changed = true;
      if (table) hset(h, SAMPLING_H.mask, hget(h, SAMPLING_H.mask) & ~(1 << j));
      else {
        store<i32>(cols + (<usize>nCols << 2), j);
        nCols++;
      }
    }
  }
  hset(h, SAMPLING_H.offHead, head);
  if (nCols > 0) addColumns(h, nCols, false);
  let rh = hget(h, SAMPLING_H.refHead);
  const rt = hget(h, SAMPLING_H.refTail);
  while (rh < rt && load<i32>(refQT + (<usize>(rh & (refCap - 1)) << 2)) == t) {
    rh++;
    changed = true;
  }
  hset(h, SAMPLING_H.refHead, rh);
  if (changed) {
    if (!table && hget(h, SAMPLING_H.nActive) == 0) {
      const b = hptr(h, SAMPLING_H.b);
      for (let k = 0; k < n; k++) store<f32>(u + (<usize>k << 2), load<f32>(b + (<usize>k << 2)));
    }
    hset(h, SAMPLING_H.dirty, 1);
  }
  setNextStop(h);
}

/** Next stop: the earliest queued event or state sample. */
function setNextStop(h: usize): void {
  const head = hget(h, SAMPLING_H.offHead), tail = hget(h, SAMPLING_H.offTail), rh = hget(h, SAMPLING_H.refHead), rt = hget(h, SAMPLING_H.refTail);
  const a = head < tail ? load<i32>(hptr(h, SAMPLING_H.offQT) + (<usize>(head & (hget(h, SAMPLING_H.offCap) - 1)) << 2)) : SAMPLING_INF;
  const c = rh < rt ? load<i32>(hptr(h, SAMPLING_H.refQT) + (<usize>(rh & (hget(h, SAMPLING_H.refCap) - 1)) << 2)) : SAMPLING_INF;
  hset(h, SAMPLING_H.nextStop, imin(imin(a, c), hget(h, SAMPLING_H.nextSample)));
}

/** Histograms the binary state at t (z_k = 1 iff 0 < t - last_k <= onLength; neuron 0 most significant). */
function sampleState(h: usize, t: i32): void {
  const n = hget(h, SAMPLING_H.n), onLength = hget(h, SAMPLING_H.onLength), last = hptr(h, SAMPLING_H.last);
  let idx: i32 = 0;
  for (let k = 0; k < n; k++) {
    const d = t - load<i32>(last + (<usize>k << 2));
    idx = (idx << 1) | <i32>(d > 0 && d <= onLength);
  }
  const p = hptr(h, SAMPLING_H.hist) + (<usize>idx << 3);
  store<f64>(p, load<f64>(p) + 1.0);
}

/** One pair's terms: src/learning/stdp.ts `pairTerm` for S[k, j] and S[j, k], K from the rule's table. */
// @ts-ignore: decorator
@inline function addPair(S: usize, aC: usize, aA: usize, K: usize, kj: usize, jk: usize, d: i32, countZero: bool): void {
  if (d > 0) {
    const kd = load<f64>(K + (<usize>d << 3));
    store<f64>(S + (kj << 3), load<f64>(S + (kj << 3)) + <f64>load<f32>(aC + (kj << 2)) * kd);
    store<f64>(S + (jk << 3), load<f64>(S + (jk << 3)) + <f64>load<f32>(aA + (jk << 2)) * kd);
  } else if (countZero) {
    const k0 = load<f64>(K);
    store<f64>(S + (kj << 3), load<f64>(S + (kj << 3)) + <f64>load<f32>(aC + (kj << 2)) * k0);
    store<f64>(S + (jk << 3), load<f64>(S + (jk << 3)) + <f64>load<f32>(aC + (jk << 2)) * k0);
  }
}

/**
 * STDP of a spike of k at t against every partner's remembered spikes (newest first), then k's time is
 * remembered. Both rules share the partner loop; each S matrix gets its terms in the same order as the
 * per-rule loop of the js reference.
 */
function stdpOnSpike(h: usize, k: i32, t: i32): void {
  const n = hget(h, SAMPLING_H.n), cap = hget(h, SAMPLING_H.cap), nRules = hget(h, SAMPLING_H.nRules);
  const hisT = hptr(h, SAMPLING_H.hisT), hisN = hptr(h, SAMPLING_H.hisN);
  const r0 = SAMPLING_H.rule0, r1 = SAMPLING_H.rule0 + SAMPLING_H.ruleSlots;
  const len0 = hget(h, r0 + SAMPLING_RULE.length), N0 = hget(h, r0 + SAMPLING_RULE.N), cz0 = hget(h, r0 + SAMPLING_RULE.countZero) != 0;
  const K0 = hptr(h, r0 + SAMPLING_RULE.K), aC0 = hptr(h, r0 + SAMPLING_RULE.aC), aA0 = hptr(h, r0 + SAMPLING_RULE.aA), S0 = hptr(h, r0 + SAMPLING_RULE.S);
  const two = nRules > 1;
  const len1 = two ? hget(h, r1 + SAMPLING_RULE.length) : 0, N1 = two ? hget(h, r1 + SAMPLING_RULE.N) : 0, cz1 = two && hget(h, r1 + SAMPLING_RULE.countZero) != 0;
  const K1 = hptr(h, r1 + SAMPLING_RULE.K), aC1 = hptr(h, r1 + SAMPLING_RULE.aC), aA1 = hptr(h, r1 + SAMPLING_RULE.aA), S1 = hptr(h, r1 + SAMPLING_RULE.S);
  const mMax = N0 > N1 ? N0 : N1, lenMax = len0 > len1 ? len0 : len1;
  if (mMax == 1) {
    // nearest pairing only: the partner's newest spike is last[j]. The partners with a pair
    // (0 < d < lenMax, or d = 0 with countZero) are found four at a time and visited by their
    // bits, so the loop does not branch on each partner's spike time.
    const last = hptr(h, SAMPLING_H.last);
    const tv = i32x4.splat(t), lenV = i32x4.splat(lenMax), zero = i32x4.splat(0);
    const czV = i32x4.splat(cz0 || cz1 ? -1 : 0);
    for (let v = 0; v < n; v += 4) {
      const d = i32x4.sub(tv, v128.load(last + (<usize>v << 2)));
      let bits = i32x4.bitmask(v128.and(i32x4.lt_s(d, lenV), v128.or(i32x4.gt_s(d, zero), czV)));
      bits &= ~(<u32>(k - v) < 4 ? 1 << (k - v) : 0) & ((1 << imin(n - v, 4)) - 1);
      while (bits != 0) {
        const j = v + ctz<i32>(bits);
        bits &= bits - 1;
        const dj = t - load<i32>(last + (<usize>j << 2));
        const kj = <usize>(k * n + j), jk = <usize>(j * n + k);
        if (dj < len0) addPair(S0, aC0, aA0, K0, kj, jk, dj, cz0);
        if (two && dj < len1) addPair(S1, aC1, aA1, K1, kj, jk, dj, cz1);
      }
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    if (j == k) continue;
    const cnt = load<i32>(hisN + (<usize>j << 2));
    const m = imin(cnt, mMax);
    const kj = <usize>(k * n + j), jk = <usize>(j * n + k);
    for (let i = 0; i < m; i++) {
      const d = t - load<i32>(hisT + (<usize>(j * cap + ((cnt - 1 - i) & (cap - 1))) << 2));
      if (d >= lenMax) break;
      if (i < N0 && d < len0) addPair(S0, aC0, aA0, K0, kj, jk, d, cz0);
      if (i < N1 && d < len1) addPair(S1, aC1, aA1, K1, kj, jk, d, cz1);
    }
  }
  const cnt = load<i32>(hisN + (<usize>k << 2));
  store<i32>(hisT + (<usize>(k * cap + (cnt & (cap - 1))) << 2), t);
  store<i32>(hisN + (<usize>k << 2), cnt + 1);
}

/**
 * u += (or -=) the columns W[:, j] for the ids in cols[0..nCols), in list order, in one pass over u:
 * per element the same sequence of f32 operations as adding the columns one after another.
 */
function addColumns(h: usize, nCols: i32, add: bool): void {
  const bytes = <usize>hget(h, SAMPLING_H.n4) << 2;
  const u = hptr(h, SAMPLING_H.u), WT = hptr(h, SAMPLING_H.WT), cols = hptr(h, SAMPLING_H.cols);
  for (let o: usize = 0; o < bytes; o += 16) {
    let acc = v128.load(u + o);
    for (let i = 0; i < nCols; i++) {
      const c = v128.load(WT + <usize>load<i32>(cols + (<usize>i << 2)) * bytes + o);
      acc = add ? f32x4.add(acc, c) : f32x4.sub(acc, c);
    }
    v128.store(u + o, acc);
  }
}

/** Handles a spike of neuron k at t: count, record, STDP; with `events` (column mode) also its PSP start and queued PSP end and refractory end. */
function onSpike(h: usize, k: i32, t: i32, events: bool): void {
  const ko = <usize>k << 2;
  const cp = hptr(h, SAMPLING_H.count) + (<usize>k << 3);
  store<f64>(cp, load<f64>(cp) + 1.0);
  const rn = hget(h, SAMPLING_H.recN), rc = hget(h, SAMPLING_H.recCap);
  if (rn < rc) {
    store<i32>(hptr(h, SAMPLING_H.recT) + (<usize>rn << 2), t);
    store<i32>(hptr(h, SAMPLING_H.recI) + (<usize>rn << 2), k);
    hset(h, SAMPLING_H.recN, rn + 1);
  } else if (rc > 0) hset(h, SAMPLING_H.recOverflow, 1);
  if (hget(h, SAMPLING_H.nRules) > 0) stdpOnSpike(h, k, t);
  store<i32>(hptr(h, SAMPLING_H.last) + ko, t);
  if (!events) return;
  const psp = hget(h, SAMPLING_H.pspLength);
  if (psp > 0) {
    const on = hptr(h, SAMPLING_H.on);
    if (load<i32>(on + ko) == 0) {
      store<i32>(on + ko, 1);
      hset(h, SAMPLING_H.nActive, hget(h, SAMPLING_H.nActive) + 1);
      if (hget(h, SAMPLING_H.table) != 0) hset(h, SAMPLING_H.mask, hget(h, SAMPLING_H.mask) | (1 << k));
      else {
        // the column is added by `spikes` together with the other PSP onsets of this step
        const nc = load<i32>(hptr(h, SAMPLING_H.cols) + (<usize>hget(h, SAMPLING_H.n) << 2));
        store<i32>(hptr(h, SAMPLING_H.cols) + (<usize>nc << 2), k);
        store<i32>(hptr(h, SAMPLING_H.cols) + (<usize>hget(h, SAMPLING_H.n) << 2), nc + 1);
      }
    }
    const tail = hget(h, SAMPLING_H.offTail);
    const i = <usize>(tail & (hget(h, SAMPLING_H.offCap) - 1)) << 2;
    store<i32>(hptr(h, SAMPLING_H.offQT) + i, t + 1 + psp);
    store<i32>(hptr(h, SAMPLING_H.offQI) + i, k);
    hset(h, SAMPLING_H.offTail, tail + 1);
  }
  const rt = hget(h, SAMPLING_H.refTail);
  const i = <usize>(rt & (hget(h, SAMPLING_H.refCap) - 1)) << 2;
  store<i32>(hptr(h, SAMPLING_H.refQT) + i, t + hget(h, SAMPLING_H.minIsi));
  store<i32>(hptr(h, SAMPLING_H.refQI) + i, k);
  hset(h, SAMPLING_H.refTail, rt + 1);
}

/** Handles the spikes flagged in the spike masks at t in ascending id (column mode); thresholds become due. */
function spikes(h: usize, t: i32): void {
  const n4 = hget(h, SAMPLING_H.n4), spk = hptr(h, SAMPLING_H.spk);
  const count = hptr(h, SAMPLING_H.cols) + (<usize>hget(h, SAMPLING_H.n) << 2); // cols[n] counts this step's PSP onsets
  store<i32>(count, 0);
  for (let v = 0; v < n4; v += 4) {
    if (!v128.any_true(v128.load(spk + (<usize>v << 2)))) continue;
    for (let k = v; k < v + 4; k++) if (load<u32>(spk + (<usize>k << 2)) != 0) onSpike(h, k, t, true);
  }
  const nc = load<i32>(count);
  if (nc > 0) addColumns(h, nc, true);
  hset(h, SAMPLING_H.dirty, 1);
  const psp = hget(h, SAMPLING_H.pspLength);
  hset(h, SAMPLING_H.nextStop, imin(imin(hget(h, SAMPLING_H.nextStop), psp > 0 ? t + 1 + psp : SAMPLING_INF), t + hget(h, SAMPLING_H.minIsi)));
}

/** Potentials and thresholds for the draws at t in table mode: the PSP pattern from the last spike times. */
function syncTable(h: usize, t: i32): void {
  const n = hget(h, SAMPLING_H.n), psp = hget(h, SAMPLING_H.pspLength), last = hptr(h, SAMPLING_H.last);
  let mask = 0;
  for (let k = 0; k < n; k++) {
    const d = t - load<i32>(last + (<usize>k << 2));
    if (d >= 1 && d <= psp) mask |= 1 << k;
  }
  hset(h, SAMPLING_H.mask, mask);
  recompute(h, t);
}

/**
 * Table mode: the logged spikes in order (within a step in ascending id): count, record, STDP and
 * the last spike time, as `onSpike`. With nearest pairing (and no recording) this is done here
 * with the rule parameters read once per flush and the last spike times also kept in two v128
 * values, from which the partners with a pair are found four at a time (a v128 load of `last`
 * right after the scalar stores of the previous spike would stall on store forwarding).
 */
function flushLog(h: usize, nLog: i32): void {
  const log = hptr(h, SAMPLING_H.log);
  const nRules = hget(h, SAMPLING_H.nRules);
  const r0 = SAMPLING_H.rule0, r1 = SAMPLING_H.rule0 + SAMPLING_H.ruleSlots;
  const two = nRules > 1;
  if (hget(h, SAMPLING_H.recCap) > 0 || (nRules > 0 && hget(h, r0 + SAMPLING_RULE.N) != 1) || (two && hget(h, r1 + SAMPLING_RULE.N) != 1)) {
    for (let i = 0; i < nLog; i++) {
      const t = load<i32>(log + (<usize>i << 3));
      let bits = load<i32>(log + (<usize>i << 3), 4);
      while (bits != 0) {
        onSpike(h, ctz<i32>(bits), t, false);
        bits &= bits - 1;
      }
    }
    return;
  }
  const n = hget(h, SAMPLING_H.n), last = hptr(h, SAMPLING_H.last), count = hptr(h, SAMPLING_H.count);
  const len0 = nRules > 0 ? hget(h, r0 + SAMPLING_RULE.length) : 0, cz0 = hget(h, r0 + SAMPLING_RULE.countZero) != 0;
  const K0 = hptr(h, r0 + SAMPLING_RULE.K), aC0 = hptr(h, r0 + SAMPLING_RULE.aC), aA0 = hptr(h, r0 + SAMPLING_RULE.aA), S0 = hptr(h, r0 + SAMPLING_RULE.S);
  const len1 = two ? hget(h, r1 + SAMPLING_RULE.length) : 0, cz1 = two && hget(h, r1 + SAMPLING_RULE.countZero) != 0;
  const K1 = hptr(h, r1 + SAMPLING_RULE.K), aC1 = hptr(h, r1 + SAMPLING_RULE.aC), aA1 = hptr(h, r1 + SAMPLING_RULE.aA), S1 = hptr(h, r1 + SAMPLING_RULE.S);
  const lenV = i32x4.splat(len0 > len1 ? len0 : len1), zero = i32x4.splat(0);
  const czV = i32x4.splat(cz0 || cz1 ? -1 : 0);
  const iotaA = i32x4(0, 1, 2, 3), iotaB = i32x4(4, 5, 6, 7);
  const lanes = (1 << n) - 1;
  let la = v128.load(last), lb = hget(h, SAMPLING_H.n4) == 8 ? v128.load(last, 16) : i32x4.splat(SAMPLING_NEVER);
  for (let i = 0; i < nLog; i++) {
    const t = load<i32>(log + (<usize>i << 3));
    let bits = load<i32>(log + (<usize>i << 3), 4);
    const tv = i32x4.splat(t);
    while (bits != 0) {
      const k = ctz<i32>(bits);
      bits &= bits - 1;
      const cp = count + (<usize>k << 3);
      store<f64>(cp, load<f64>(cp) + 1.0);
      if (nRules > 0) {
        const da = i32x4.sub(tv, la), db = i32x4.sub(tv, lb);
        let pj = i32x4.bitmask(v128.and(i32x4.lt_s(da, lenV), v128.or(i32x4.gt_s(da, zero), czV)));
        pj |= i32x4.bitmask(v128.and(i32x4.lt_s(db, lenV), v128.or(i32x4.gt_s(db, zero), czV))) << 4;
        pj &= lanes & ~(1 << k);
        while (pj != 0) {
          const j = ctz<i32>(pj);
          pj &= pj - 1;
          const dj = t - load<i32>(last + (<usize>j << 2));
          const kj = <usize>(k * n + j), jk = <usize>(j * n + k);
          if (dj < len0) addPair(S0, aC0, aA0, K0, kj, jk, dj, cz0);
          if (two && dj < len1) addPair(S1, aC1, aA1, K1, kj, jk, dj, cz1);
        }
      }
      store<i32>(last + (<usize>k << 2), t);
      const kv = i32x4.splat(k);
      la = v128.bitselect(tv, la, i32x4.eq(iotaA, kv));
      lb = v128.bitselect(tv, lb, i32x4.eq(iotaB, kv));
    }
  }
}

/** Table mode: histograms the binary state at t (as `sampleState`) from the lanes' Q = last + pspLength - t. */
// @ts-ignore: decorator
@inline function tableSample(h: usize, qa: v128, qb: v128, psp: i32): void {
  // z_k = 1 iff 0 < t - last_k <= onLength, with t - last_k = pspLength - Q_k
  const off = i32x4.splat(psp - 1), onV = i32x4.splat(hget(h, SAMPLING_H.onLength));
  let z = i32x4.bitmask(i32x4.lt_u(i32x4.sub(off, qa), onV));
  z |= i32x4.bitmask(i32x4.lt_u(i32x4.sub(off, qb), onV)) << 4;
  // lane k gives bit k; the histogram wants neuron 0 most significant
  z = ((z & 0xf0) >> 4) | ((z & 0x0f) << 4);
  z = ((z & 0xcc) >> 2) | ((z & 0x33) << 2);
  z = ((z & 0xaa) >> 1) | ((z & 0x55) << 1);
  const p = hptr(h, SAMPLING_H.hist) + (<usize>(z >> (8 - hget(h, SAMPLING_H.n))) << 3);
  store<f64>(p, load<f64>(p) + 1.0);
}

/**
 * Table mode (n <= 8), branch-free between spikes. Per lane Q = last + pspLength - t, the steps its
 * PSP stays on after the current one, is kept in a v128 local and counts down by one per step (a
 * spike at t sets it to pspLength). At a draw step t >= last + 1 the PSP of k is on iff Q_k >= 0, so
 * the lanes' sign bits (one bitmask, no compare) give the PSP pattern, which selects the row of the
 * threshold table. Lane k may fire iff t >= last_k + minIsi, i.e. Q_k < pspLength - minIsi + 1 (one
 * compare), and fires iff also x_k < T_k (unsigned: min_u(x, T) != T). A step is thus the draws, a
 * table load and a few vector operations, with no data-dependent branch but the spike test, and
 * few enough live v128 values for V8's registers; state samples split the loop into runs of
 * `sampleEvery` steps. A spike only resets Q and is logged as (t, lane mask); its count, record
 * and STDP are done by `flushLog` in order, which sees the same last spike times as handling it at
 * once would (the loop itself never reads `last`), so the sums are identical.
 */
function runTable(h: usize, t: i32, end: i32): void {
  // minIsi = pspLength + 2 (every SSN preset): the readiness bound is -1, the same vector as the step
  const cm1 = hget(h, SAMPLING_H.minIsi) == hget(h, SAMPLING_H.pspLength) + 2;
  if (hget(h, SAMPLING_H.n4) == 8) {
    if (cm1) runTableLanes(h, t, end, true, true);
    else runTableLanes(h, t, end, true, false);
  } else if (cm1) runTableLanes(h, t, end, false, true);
  else runTableLanes(h, t, end, false, false);
}

/**
 * `runTable` for four or eight lanes (`two`) and a readiness bound of -1 or not (`cm1`). Both are
 * compile-time constants after inlining, so each loop has no lane-count branch, and with cm1 one
 * v128 fewer is live in the loop.
 */
// @ts-ignore: decorator
@inline function runTableLanes(h: usize, t: i32, end: i32, two: bool, cm1: bool): void {
  const n4 = two ? 8 : 4;
  const rng = hptr(h, SAMPLING_H.rng), last = hptr(h, SAMPLING_H.last), tT = hptr(h, SAMPLING_H.thrTab);
  const w = <usize>n4 << 2;
  const rowShift: u32 = two ? 5 : 4;
  const allLanes = two ? 0xff : 0xf;
  const psp = hget(h, SAMPLING_H.pspLength), every = hget(h, SAMPLING_H.sampleEvery);
  const minus1 = i32x4.splat(-1);
  const readyV = cm1 ? minus1 : i32x4.splat(psp - hget(h, SAMPLING_H.minIsi) + 1);
  let a0 = v128.load(rng), a1 = v128.load(rng + w), a2 = v128.load(rng + 2 * w), a3 = v128.load(rng + 3 * w);
  let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
  if (two) {
    b0 = v128.load(rng, 16); b1 = v128.load(rng + w, 16); b2 = v128.load(rng + 2 * w, 16); b3 = v128.load(rng + 3 * w, 16);
  }
  // Q = last + pspLength - t (>= -2^31 + 1 for runs of at most MAX_TIME steps)
  const q0 = i32x4.splat(psp - t);
  let qa = i32x4.add(v128.load(last), q0);
  let qb = i32x4.add(two ? v128.load(last, 16) : i32x4.splat(SAMPLING_NEVER), q0);
  let nextSample = hget(h, SAMPLING_H.nextSample);
  const log = hptr(h, SAMPLING_H.log), logCap = hget(h, SAMPLING_H.logCap);
  let nLog = 0;
  while (t < end) {
    if (t == nextSample) {
      tableSample(h, qa, qb, psp);
      nextSample = t + every;
    }
    // a step logs at most one entry: the inner loop stops before the log can overflow
    if (nLog > logCap - 64) {
      flushLog(h, nLog);
      nLog = 0;
    }
    const stopAt = imin(imin(nextSample, end), t + (logCap - nLog));
    while (t < stopAt) {
      // sign bits: PSP off
      const off = two ? i32x4.bitmask(qa) | (i32x4.bitmask(qb) << 4) : i32x4.bitmask(qa);
      const row = tT + (<usize>(off ^ allLanes) << rowShift);
      const xa = out4(a1);
      const sa = i32x4.shl(a1, 9);
      a2 = v128.xor(a2, a0); a3 = v128.xor(a3, a1); a1 = v128.xor(a1, a2); a0 = v128.xor(a0, a3);
      a2 = v128.xor(a2, sa); a3 = rotl4(a3, 11);
      const Ta = v128.load(row);
      const fa = v128.andnot(i32x4.gt_s(readyV, qa), i32x4.eq(i32x4.min_u(xa, Ta), Ta));
      let fb = i32x4.splat(0);
      if (two) {
        const xb = out4(b1);
        const sb = i32x4.shl(b1, 9);
        b2 = v128.xor(b2, b0); b3 = v128.xor(b3, b1); b1 = v128.xor(b1, b2); b0 = v128.xor(b0, b3);
        b2 = v128.xor(b2, sb); b3 = rotl4(b3, 11);
        const Tb = v128.load(row, 16);
        fb = v128.andnot(i32x4.gt_s(readyV, qb), i32x4.eq(i32x4.min_u(xb, Tb), Tb));
      }
      if (v128.any_true(v128.or(fa, fb))) {
        // logged; counting, recording and STDP happen in `flushLog`, outside this loop
        const e = <usize>nLog << 3;
        store<i32>(log + e, t);
        store<i32>(log + e, i32x4.bitmask(fa) | (i32x4.bitmask(fb) << 4), 4);
        nLog++;
        // Q = pspLength now, pspLength - 1 at the next step
        const qs = i32x4.splat(psp);
        qa = v128.bitselect(qs, qa, fa);
        qb = v128.bitselect(qs, qb, fb);
      }
      t++;
      qa = i32x4.add(qa, minus1);
      if (two) qb = i32x4.add(qb, minus1);
    }
  }
  v128.store(rng, a0); v128.store(rng + w, a1); v128.store(rng + 2 * w, a2); v128.store(rng + 3 * w, a3);
  if (two) {
    v128.store(rng, b0, 16); v128.store(rng + w, b1, 16); v128.store(rng + 2 * w, b2, 16); v128.store(rng + 3 * w, b3, 16);
  }
  hset(h, SAMPLING_H.nextSample, nextSample);
  flushLog(h, nLog);
  syncTable(h, t);
}

/**
 * One step's draws of all lanes with the xoshiro states in memory (w bytes per state word): each lane
 * fires iff its output is below its threshold; the spike masks go to `spk`, their union is returned.
 */
// @ts-ignore: decorator
@inline function drawLanes(rng: usize, w: usize, thr: usize, spk: usize): v128 {
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
  return any;
}

/** Column mode (n > 8): event-driven, lane states in memory, four neurons per v128. */
function runColumns(h: usize, t: i32, end: i32): void {
  const n4 = hget(h, SAMPLING_H.n4);
  const rng = hptr(h, SAMPLING_H.rng), thr = hptr(h, SAMPLING_H.thr), spk = hptr(h, SAMPLING_H.spk);
  const w = <usize>n4 << 2;
  let nextStop = hget(h, SAMPLING_H.nextStop);
  for (; t < end; t++) {
    if (t == nextStop) {
      processEvents(h, t);
      if (t == hget(h, SAMPLING_H.nextSample)) {
        sampleState(h, t);
        hset(h, SAMPLING_H.nextSample, t + hget(h, SAMPLING_H.sampleEvery));
        setNextStop(h);
      }
      nextStop = hget(h, SAMPLING_H.nextStop);
    }
    if (hget(h, SAMPLING_H.dirty) != 0) {
      // thresholds once per step, after all events and spikes that changed them
      recompute(h, t);
      hset(h, SAMPLING_H.dirty, 0);
    }
    const any = drawLanes(rng, w, thr, spk);
    if (v128.any_true(any)) {
      spikes(h, t);
      nextStop = hget(h, SAMPLING_H.nextStop);
    }
  }
  // u and the thresholds are those for the draws at `end`
  if (t == hget(h, SAMPLING_H.nextStop)) processEvents(h, t);
  if (hget(h, SAMPLING_H.dirty) != 0) {
    recompute(h, t);
    hset(h, SAMPLING_H.dirty, 0);
  }
}

/**
 * Shaped PSPs: potentials u = b + sum_j W[:, j] kappa_j (ascending j, f32 mul then add; kappa_j =
 * psp[min(t - last_j, len) - 1], zero terms skipped) and thresholds for the draws at t; returns the
 * next refractory end after t (src/backend/samplingState.ts `shapedPotentials`, the same operations).
 */
function shapedPotentials(h: usize, t: i32): i32 {
  const n = hget(h, SAMPLING_H.n), bytes = <usize>hget(h, SAMPLING_H.n4) << 2, len = hget(h, SAMPLING_H.pspLen), minIsi = hget(h, SAMPLING_H.minIsi);
  const K = hptr(h, SAMPLING_H.pspK), kap = hptr(h, SAMPLING_H.kap), base = hptr(h, SAMPLING_H.base), WT = hptr(h, SAMPLING_H.WT);
  const u = hptr(h, SAMPLING_H.u), thr = hptr(h, SAMPLING_H.thr), last = hptr(h, SAMPLING_H.last), valid = hptr(h, SAMPLING_H.valid);
  const tRef = reinterpret<f32>(hget(h, SAMPLING_H.tRefBits));
  for (let j = 0; j < n; j++) {
    const d = imin(t - load<i32>(last + (<usize>j << 2)), len);
    store<f32>(kap + (<usize>j << 2), load<f32>(K + (<usize>(d - 1) << 2)));
  }
  const tv = i32x4.splat(t), mv = i32x4.splat(minIsi);
  for (let o: usize = 0; o < bytes; o += 16) {
    let acc = v128.load(base + o);
    for (let j = 0; j < n; j++) {
      const kj = load<f32>(kap + (<usize>j << 2));
      if (kj != 0) acc = f32x4.add(acc, f32x4.mul(v128.load(WT + <usize>j * bytes + o), f32x4.splat(kj)));
    }
    v128.store(u + o, acc);
    const ready = i32x4.ge_s(i32x4.sub(tv, v128.load(last + o)), mv);
    v128.store(thr + o, v128.and(threshold4(acc, tRef), v128.and(ready, v128.load(valid + o))));
  }
  let next = SAMPLING_INF;
  for (let k = 0; k < n; k++) {
    const r = load<i32>(last + (<usize>k << 2)) + minIsi;
    if (r > t && r < next) next = r;
  }
  return next;
}

/**
 * Shaped PSPs (n any): the draws four lanes per v128 with the states in memory, as `runColumns`; before
 * the draws of a step in which a presynaptic lag is still inside the table (t <= max last + len) or a
 * neuron leaves its refractory period, `shapedPotentials`; spikes are registered by `onSpike` without events.
 */
function runShaped(h: usize, t: i32, end: i32): void {
  if (hget(h, SAMPLING_H.n4) == 4) {
    runShaped4(h, t, end);
    return;
  }
  const n = hget(h, SAMPLING_H.n), n4 = hget(h, SAMPLING_H.n4), len = hget(h, SAMPLING_H.pspLen), minIsi = hget(h, SAMPLING_H.minIsi);
  const rng = hptr(h, SAMPLING_H.rng), thr = hptr(h, SAMPLING_H.thr), spk = hptr(h, SAMPLING_H.spk), last = hptr(h, SAMPLING_H.last);
  const w = <usize>n4 << 2;
  const every = hget(h, SAMPLING_H.sampleEvery);
  let varyUntil = SAMPLING_NEVER;
  for (let k = 0; k < n; k++) {
    const v = load<i32>(last + (<usize>k << 2)) + len;
    if (v > varyUntil) varyUntil = v;
  }
  let nextReady = shapedPotentials(h, t);
  for (; t < end; t++) {
    if (t == hget(h, SAMPLING_H.nextSample)) {
      sampleState(h, t);
      hset(h, SAMPLING_H.nextSample, t + every);
    }
    if (t <= varyUntil || t >= nextReady) nextReady = shapedPotentials(h, t);
    const any = drawLanes(rng, w, thr, spk);
    if (v128.any_true(any)) {
      for (let k = 0; k < n; k++) if (load<u32>(spk + (<usize>k << 2)) != 0) onSpike(h, k, t, false);
      varyUntil = t + len;
      if (t + minIsi < nextReady) nextReady = t + minIsi;
    }
  }
  // potentials and thresholds for the draws at `end`
  shapedPotentials(h, t);
}

/**
 * `runShaped` for n <= 4 (one v128 of lanes, e.g. the STDD pair): the xoshiro states, the biases and the
 * weight columns stay in v128 locals and the potentials are summed in them, in the order of
 * `shapedPotentials` (which still sets the thresholds at the start and end of the run).
 */
function runShaped4(h: usize, t: i32, end: i32): void {
  const n = hget(h, SAMPLING_H.n), len = hget(h, SAMPLING_H.pspLen), minIsi = hget(h, SAMPLING_H.minIsi);
  const rng = hptr(h, SAMPLING_H.rng), last = hptr(h, SAMPLING_H.last), valid = hptr(h, SAMPLING_H.valid);
  const K = hptr(h, SAMPLING_H.pspK), WT = hptr(h, SAMPLING_H.WT), thrP = hptr(h, SAMPLING_H.thr);
  const tRef = reinterpret<f32>(hget(h, SAMPLING_H.tRefBits));
  const every = hget(h, SAMPLING_H.sampleEvery);
  const base = v128.load(hptr(h, SAMPLING_H.base)), validV = v128.load(valid), mv = i32x4.splat(minIsi);
  const c0 = v128.load(WT), c1 = n > 1 ? v128.load(WT, 16) : base, c2 = n > 2 ? v128.load(WT, 32) : base, c3 = n > 3 ? v128.load(WT, 48) : base;
  let s0 = v128.load(rng), s1 = v128.load(rng, 16), s2 = v128.load(rng, 32), s3 = v128.load(rng, 48);
  let lastV = v128.load(last);
  let varyUntil = SAMPLING_NEVER;
  for (let k = 0; k < n; k++) {
    const v = load<i32>(last + (<usize>k << 2)) + len;
    if (v > varyUntil) varyUntil = v;
  }
  let nextReady = shapedPotentials(h, t);
  let thr = v128.load(thrP);
  let nextSample = hget(h, SAMPLING_H.nextSample);
  for (; t < end; t++) {
    if (t == nextSample) {
      sampleState(h, t);
      nextSample = t + every;
    }
    if (t <= varyUntil || t >= nextReady) {
      // kappa_j = psp[min(t - last_j, len) - 1], summed in ascending j (zero terms skipped)
      const d = i32x4.min_s(i32x4.sub(i32x4.splat(t), lastV), i32x4.splat(len));
      let u = base;
      const k0 = load<f32>(K + (<usize>(i32x4.extract_lane(d, 0) - 1) << 2));
      if (k0 != 0) u = f32x4.add(u, f32x4.mul(c0, f32x4.splat(k0)));
      if (n > 1) {
        const k1 = load<f32>(K + (<usize>(i32x4.extract_lane(d, 1) - 1) << 2));
        if (k1 != 0) u = f32x4.add(u, f32x4.mul(c1, f32x4.splat(k1)));
      }
      if (n > 2) {
        const k2 = load<f32>(K + (<usize>(i32x4.extract_lane(d, 2) - 1) << 2));
        if (k2 != 0) u = f32x4.add(u, f32x4.mul(c2, f32x4.splat(k2)));
      }
      if (n > 3) {
        const k3 = load<f32>(K + (<usize>(i32x4.extract_lane(d, 3) - 1) << 2));
        if (k3 != 0) u = f32x4.add(u, f32x4.mul(c3, f32x4.splat(k3)));
      }
      const ready = i32x4.ge_s(i32x4.sub(i32x4.splat(t), lastV), mv);
      thr = v128.and(threshold4(u, tRef), v128.and(ready, validV));
      if (t >= nextReady) {
        // the next refractory end after t: min over lanes of last + minIsi where > t (spikes lower it as they come)
        const r = i32x4.add(lastV, mv);
        const later = i32x4.gt_s(r, i32x4.splat(t));
        const cand = v128.bitselect(r, i32x4.splat(SAMPLING_INF), v128.and(later, validV));
        const m2 = i32x4.min_s(cand, swapHalves(cand));
        nextReady = min<i32>(i32x4.extract_lane(m2, 0), i32x4.extract_lane(m2, 1));
      }
    }
    const x = out4(s1);
    const sh = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, sh); s3 = rotl4(s3, 11);
    const fire = i32x4.lt_u(x, thr);
    if (v128.any_true(fire)) {
      let bits = i32x4.bitmask(fire);
      while (bits != 0) {
        onSpike(h, ctz<i32>(bits), t, false);
        bits &= bits - 1;
      }
      lastV = v128.bitselect(i32x4.splat(t), lastV, fire);
      varyUntil = t + len;
      if (t + minIsi < nextReady) nextReady = t + minIsi;
    }
  }
  v128.store(rng, s0); v128.store(rng, s1, 16); v128.store(rng, s2, 32); v128.store(rng, s3, 48);
  hset(h, SAMPLING_H.nextSample, nextSample);
  // potentials and thresholds for the draws at `end`
  shapedPotentials(h, t);
}

/** The lanes (2, 3, 0, 1) of x. */
// @ts-ignore: decorator
@inline function swapHalves(x: v128): v128 {
  return i32x4.shuffle(x, x, 2, 3, 0, 1);
}

/** Advances the sampling network whose header is at `h` by `steps` steps (semantics: src/backend/js/samplingKernels.ts). */
export function samplingRun(h: usize, steps: i32): void {
  const t = hget(h, SAMPLING_H.t);
  if (hget(h, SAMPLING_H.shaped) != 0) runShaped(h, t, t + steps);
  else if (hget(h, SAMPLING_H.table) != 0) runTable(h, t, t + steps);
  else runColumns(h, t, t + steps);
  hset(h, SAMPLING_H.t, t + steps);
}

/** Advances the population whose header is at `h` by `steps` steps; neuron-major, four neurons per v128. */
export function populationRun(h: usize, steps: i32): void {
  const t0 = hget(h, POP_H.t), n4 = hget(h, POP_H.n4), minIsi = hget(h, POP_H.minIsi);
  const thr = hptr(h, POP_H.thr), rng = hptr(h, POP_H.rng), last = hptr(h, POP_H.last), count = hptr(h, POP_H.count);
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
  hset(h, POP_H.t, t0 + steps);
}
