// js reference of the sampling-network family (docs/models/sampling-network.md#the-sampling-neuron and
// docs/models/sampling-network.md#stdp-rules; layout and streams: src/backend/samplingState.ts). The same steps, in the
// same order and with the same f32/f64 operations, as assembly/sampling.ts,
// so both backends give identical spike trains, STDP sums and histograms.
//
// One step t:
//  1. at a stop (an event or a state sample is due at t): PSP ends due at t
//     (queued at s + 1 + pspLength for a spike at s; skipped if the neuron
//     spiked again since) and refractory ends (s + minIsi); if any, the
//     thresholds are recomputed: T_k = threshold(u_k) if t - last_k >= minIsi,
//     else 0. Then, every `sampleEvery` steps, the state z is histogrammed
//     (z_k = 1 iff 0 < t - last_k <= onLength, neuron 0 the most significant bit);
//  2. each neuron draws x from its stream; it spikes iff x < T_k;
//  3. spikes are handled in ascending id: count, record, STDP against the
//     partners' remembered spikes (including this step's lower ids), push its
//     own time, start its PSP for the draws from t + 1 on (table mode: set its
//     bit of the PSP pattern; column mode: u += W[:, k]) and queue its PSP end
//     and refractory end. Thresholds are recomputed once before the draws of
//     a step whose events or previous step's spikes changed them.
// Shaped PSPs (spec `psp`, `runShaped`): no queues; before the draws of a step
// in which some presynaptic lag is still inside the PSP table or a neuron
// leaves its refractory period, potentials and thresholds are recomputed from
// the last spike times (samplingState.ts `shapedPotentials`); a spike is
// counted, recorded, paired and remembered as above.
import type { Arena } from "../types.js";
import type { PopulationNet, SamplingKernels } from "../sampling.js";
import { SamplingState, samplingState, shapedPotentials } from "../samplingState.js";
import { POP_H, SAMPLING_H as H, SAMPLING_INF as INF } from "../layout.js";
import { PopulationState, populationState } from "../populationState.js";
import { threshold } from "../shared/mathf.js";
import { rngNext } from "../shared/rng.js";

/** Thresholds (and, in table mode, potentials) for the draws at step t. */
function recompute(s: SamplingState, t: number): void {
  const n4 = s.n4;
  const h = s.hdr.view;
  const thr = s.thresholds.view,
    last = s.last.view,
    valid = s.valid.view,
    u = s.u.view;
  const minIsi = h[H.minIsi];
  if (s.table) {
    const o = h[H.mask] * n4;
    const uT = s.uTab!.view,
      tT = s.thrTab!.view;
    for (let k = 0; k < n4; k++) {
      u[k] = uT[o + k];
      thr[k] = valid[k] !== 0 && t - last[k] >= minIsi ? tT[o + k] : 0;
    }
  } else {
    const tRef = s.spec.tRef;
    for (let k = 0; k < n4; k++) thr[k] = valid[k] !== 0 && t - last[k] >= minIsi ? threshold(u[k], tRef) : 0;
  }
}

/** PSP ends and refractory ends due at t (then the thresholds for t); sets the next stop. */
function processEvents(s: SamplingState, t: number): void {
  const { n, n4 } = s;
  const h = s.hdr.view;
  const on = s.on.view,
    last = s.last.view,
    u = s.u.view,
    WT = s.WT.view;
  const offQT = s.offQT.view,
    offQI = s.offQI.view,
    refQT = s.refQT.view;
  const offCap = h[H.offCap],
    refCap = h[H.refCap],
    psp = h[H.pspLength];
  let changed = false;
  let head = h[H.offHead];
  const tail = h[H.offTail];
  while (head < tail && offQT[head & (offCap - 1)] === t) {
    const j = offQI[head & (offCap - 1)];
    head++;
    if (on[j] !== 0 && last[j] === t - 1 - psp) {
      on[j] = 0;
      h[H.nActive]--;
      changed = true;
      if (s.table) h[H.mask] &= ~(1 << j);
      else {
        const o = j * n4;
        for (let k = 0; k < n4; k++) u[k] -= WT[o + k];
      }
    }
  }
  h[H.offHead] = head;
  let rh = h[H.refHead];
  while (rh < h[H.refTail] && refQT[rh & (refCap - 1)] === t) {
    rh++;
    changed = true;
  }
  h[H.refHead] = rh;
  if (changed) {
    if (!s.table && h[H.nActive] === 0) {
      // no PSP left: u is exactly b again (removes the f32 round-off of the column adds)
      const b = s.b.view;
      for (let k = 0; k < n; k++) u[k] = b[k];
    }
    h[H.dirty] = 1;
  }
  setNextStop(s);
}

function setNextStop(s: SamplingState): void {
  const h = s.hdr.view;
  const offCap = h[H.offCap],
    refCap = h[H.refCap],
    head = h[H.offHead],
    rh = h[H.refHead];
  h[H.nextStop] = Math.min(
    head < h[H.offTail] ? s.offQT.view[head & (offCap - 1)] : INF,
    rh < h[H.refTail] ? s.refQT.view[rh & (refCap - 1)] : INF,
    h[H.nextSample],
  );
}

function sampleState(s: SamplingState, t: number): void {
  const last = s.last.view;
  const onLength = s.spec.onLength;
  let idx = 0;
  for (let k = 0; k < s.n; k++) {
    const d = t - last[k];
    idx = idx * 2 + (d > 0 && d <= onLength ? 1 : 0);
  }
  s.hist!.view[idx] += 1;
}

/**
 * Pairs a spike of k at t with the partners' remembered spikes: the terms of learning/stdp.ts
 * `pairTerm` (aCausal K(d) to S[k, j], aAnti K(d) to S[j, k]; dt = 0 counted only with countZero),
 * inlined with K from the rule's table; test/conformance/sampling.test.ts holds both backends to
 * learning/stdp.ts `stdpSums`.
 */
function stdpOnSpike(s: SamplingState, k: number, t: number): void {
  const n = s.n,
    cap = s.cap;
  const hisT = s.hisT.view,
    hisN = s.hisN.view;
  for (const r of s.rules) {
    const K = r.K.view,
      aC = r.aC.view,
      aA = r.aA.view,
      S = r.S.view;
    const len = r.length;
    for (let j = 0; j < n; j++) {
      if (j === k) continue;
      const cnt = hisN[j];
      const m = Math.min(cnt, r.N);
      const kj = k * n + j,
        jk = j * n + k;
      for (let i = 0; i < m; i++) {
        const d = t - hisT[j * cap + ((cnt - 1 - i) & (cap - 1))];
        if (d >= len) break;
        if (d > 0) {
          S[kj] += aC[kj] * K[d];
          S[jk] += aA[jk] * K[d];
        } else if (r.countZero) {
          S[kj] += aC[kj] * K[0];
          S[jk] += aC[jk] * K[0];
        }
      }
    }
  }
  hisT[k * cap + (hisN[k] & (cap - 1))] = t;
  hisN[k]++;
}

/** A spike of k at t: counted, recorded, paired (STDP) and remembered as k's last spike. */
function registerSpike(s: SamplingState, k: number, t: number): void {
  const h = s.hdr.view;
  s.spikeCount.view[k] += 1;
  const rn = h[H.recN];
  if (rn < h[H.recCap]) {
    s.recTime!.view[rn] = t;
    s.recId!.view[rn] = k;
    h[H.recN] = rn + 1;
  } else if (h[H.recCap] > 0) h[H.recOverflow] = 1;
  stdpOnSpike(s, k, t);
  s.last.view[k] = t;
}

/** A spike of k at t (rectangular PSPs): registered, then its PSP starts and its PSP end and refractory end are queued. */
function onSpike(s: SamplingState, k: number, t: number): void {
  const h = s.hdr.view;
  registerSpike(s, k, t);
  const psp = h[H.pspLength];
  if (psp > 0) {
    const on = s.on.view;
    if (on[k] === 0) {
      on[k] = 1;
      h[H.nActive]++;
      if (s.table) h[H.mask] |= 1 << k;
      else {
        const u = s.u.view,
          WT = s.WT.view,
          o = k * s.n4;
        for (let q = 0; q < s.n4; q++) u[q] += WT[o + q];
      }
    }
    const i = h[H.offTail]++ & (h[H.offCap] - 1);
    s.offQT.view[i] = t + 1 + psp;
    s.offQI.view[i] = k;
  }
  const i = h[H.refTail]++ & (h[H.refCap] - 1);
  s.refQT.view[i] = t + h[H.minIsi];
  s.refQI.view[i] = k;
}

/** After the spikes of step t: thresholds are due again, next stop. */
function afterSpikes(s: SamplingState, t: number): void {
  const h = s.hdr.view;
  h[H.dirty] = 1;
  const psp = h[H.pspLength];
  h[H.nextStop] = Math.min(h[H.nextStop], psp > 0 ? t + 1 + psp : INF, t + h[H.minIsi]);
}

function run(s: SamplingState, steps: number): void {
  s.checkSteps(steps);
  const h = s.hdr.view;
  const n = s.n,
    n4 = s.n4;
  const thr = s.thresholds.view,
    rng = s.rng.view;
  let t = h[H.t];
  const end = t + steps;
  for (; t < end; t++) {
    if (t === h[H.nextStop]) {
      processEvents(s, t);
      if (t === h[H.nextSample]) {
        sampleState(s, t);
        h[H.nextSample] = t + h[H.sampleEvery];
        setNextStop(s);
      }
    }
    if (h[H.dirty] !== 0) {
      // thresholds once per step, after all events and spikes that changed them
      recompute(s, t);
      h[H.dirty] = 0;
    }
    let spiked = false;
    for (let k = 0; k < n; k++) {
      // xoshiro128** on lane k of the structure-of-arrays state: rngNext(rng, k, n4), inlined
      // (the call costs this loop about 10 %)
      const a = rng[k],
        b1 = rng[n4 + k],
        c = rng[2 * n4 + k],
        d = rng[3 * n4 + k];
      const m = Math.imul(b1, 5);
      const x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      const c2 = c ^ a,
        d2 = d ^ b1;
      rng[n4 + k] = b1 ^ c2;
      rng[k] = a ^ d2;
      rng[2 * n4 + k] = c2 ^ (b1 << 9);
      rng[3 * n4 + k] = (d2 << 11) | (d2 >>> 21);
      if (x < thr[k]) {
        onSpike(s, k, t);
        spiked = true;
      }
    }
    if (spiked) afterSpikes(s, t);
  }
  h[H.t] = t;
  // u and the thresholds are those for the draws at `end` (events due then are applied now)
  if (t === h[H.nextStop]) processEvents(s, t);
  if (h[H.dirty] !== 0) {
    recompute(s, t);
    h[H.dirty] = 0;
  }
}

/** The shaped-PSP run (spec `psp`): the same draws and spike handling, potentials from the PSP table. */
function runShaped(s: SamplingState, steps: number): void {
  s.checkSteps(steps);
  const h = s.hdr.view;
  const n = s.n,
    n4 = s.n4;
  const thr = s.thresholds.view,
    rng = s.rng.view,
    last = s.last.view;
  const len = s.psp!.K.length,
    minIsi = s.spec.minIsi,
    every = s.spec.sampleEvery;
  let t = h[H.t];
  const end = t + steps;
  // kappa_j changes until lag len: potentials are recomputed up to max_j last_j + len
  let varyUntil = -Infinity;
  for (let k = 0; k < n; k++) varyUntil = Math.max(varyUntil, last[k] + len);
  let nextReady = shapedPotentials(s, t);
  for (; t < end; t++) {
    if (t === h[H.nextSample]) {
      sampleState(s, t);
      h[H.nextSample] = t + every;
    }
    if (t <= varyUntil || t >= nextReady) nextReady = shapedPotentials(s, t);
    for (let k = 0; k < n; k++) {
      if (rngNext(rng, k, n4) < thr[k]) {
        registerSpike(s, k, t);
        varyUntil = t + len;
        nextReady = Math.min(nextReady, t + minIsi);
      }
    }
  }
  h[H.t] = t;
  // potentials and thresholds for the draws at `end`
  shapedPotentials(s, t);
}

function populationRun(net: PopulationNet, steps: number): void {
  const p = populationState(net);
  p.checkSteps(steps);
  const n = p.n,
    n4 = p.n4,
    minIsi = p.minIsi;
  const thr = p.thresholds.view,
    rng = p.rng.view,
    last = p.last.view,
    count = p.spikeCount.view;
  const h = p.hdr.view;
  const t0 = h[POP_H.t];
  for (let k = 0; k < n; k++) {
    const T = thr[k];
    let a = rng[k],
      b1 = rng[n4 + k],
      c = rng[2 * n4 + k],
      d = rng[3 * n4 + k];
    let lk = last[k],
      cnt = 0;
    for (let t = t0; t < t0 + steps; t++) {
      const b0 = b1;
      const m = Math.imul(b0, 5);
      const x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      const c2 = c ^ a,
        d2 = d ^ b0;
      b1 = b0 ^ c2;
      a = a ^ d2;
      c = c2 ^ (b0 << 9);
      d = (d2 << 11) | (d2 >>> 21);
      if (x < T && t - lk >= minIsi) {
        lk = t;
        cnt++;
      }
    }
    rng[k] = a;
    rng[n4 + k] = b1;
    rng[2 * n4 + k] = c;
    rng[3 * n4 + k] = d;
    last[k] = lk;
    count[k] += cnt;
  }
  h[POP_H.t] = t0 + steps;
}

export function samplingKernels(arena: Arena): SamplingKernels {
  return {
    samplingCreate: (spec, seed) => new SamplingState(spec, arena, seed),
    samplingRestart: (net) => samplingState(net).restart(),
    samplingClear: (net) => samplingState(net).clear(),
    samplingRun(net, steps) {
      const s = samplingState(net);
      if (s.psp) runShaped(s, steps);
      else run(s, steps);
    },
    populationCreate: (n, tRef, minIsi, seed) => new PopulationState(n, tRef, minIsi, arena, seed),
    populationSetPotentials: (p, u) => populationState(p).setPotentials(u),
    populationRun,
  };
}
