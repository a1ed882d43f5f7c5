// js reference of the sampling-network family (spec/ssn.md sections 1 and 4;
// layout and streams: src/backend/samplingLayout.ts). The same steps, in the
// same order and with the same f32/f64 operations, as assembly/sampling.ts,
// so both backends give identical spike trains, STDP sums and histograms.
//
// One step t:
//  1. if an event is due at t (PSP onsets at s+1 and ends at s+1+pspLength
//     of a spike at s, refractory ends at s+minIsi): for j ascending, end /
//     start the PSP of j (u -= / += column j of W), then recompute every
//     threshold: T_k = threshold(u_k) if t - last_k >= minIsi, else 0;
//  2. every `sampleEvery` steps, histogram the state z (z_k = 1 iff
//     0 < t - last_k <= onLength, neuron 0 the most significant bit);
//  3. each neuron draws x from its stream; it spikes iff x < T_k. Spikes are
//     handled in ascending id: count, record, STDP against the partners'
//     remembered spikes (including this step's lower ids), push its own time.
import type { Arena } from "../types.js";
import type { PopulationNet, SamplingKernels, SamplingNet } from "../sampling.js";
import { H, INF, SamplingState } from "../samplingLayout.js";
import { PopulationState } from "../populationLayout.js";
import { threshold } from "./mathf.js";

function st(net: SamplingNet): SamplingState {
  if (!(net instanceof SamplingState)) throw new TypeError("sampling: not a network created by samplingCreate");
  return net;
}

function processEvents(s: SamplingState, t: number): void {
  const { n, n4 } = s;
  const h = s.hdr.view;
  const onT = s.onT.view, offT = s.offT.view, refT = s.refT.view, on = s.on.view;
  const u = s.u.view, WT = s.WT.view, thr = s.thresholds.view, last = s.last.view, valid = s.valid.view;
  const minIsi = h[H.minIsi];
  let nActive = h[H.nActive];
  for (let j = 0; j < n; j++) {
    if (offT[j] === t) {
      offT[j] = INF;
      if (on[j] !== 0) {
        on[j] = 0;
        nActive--;
        const o = j * n4;
        for (let k = 0; k < n4; k++) u[k] -= WT[o + k];
      }
    }
    if (onT[j] === t) {
      onT[j] = INF;
      if (on[j] === 0) {
        on[j] = 1;
        nActive++;
        const o = j * n4;
        for (let k = 0; k < n4; k++) u[k] += WT[o + k];
      }
    }
    if (refT[j] === t) refT[j] = INF;
  }
  h[H.nActive] = nActive;
  if (nActive === 0) {
    // no PSP left: u is exactly b again (removes f32 round-off of the column adds)
    const b = s.b.view;
    for (let k = 0; k < n; k++) u[k] = b[k];
    for (let k = n; k < n4; k++) u[k] = 0;
  }
  const tRef = s.spec.tRef;
  for (let k = 0; k < n4; k++) thr[k] = valid[k] !== 0 && t - last[k] >= minIsi ? threshold(u[k], tRef) : 0;
  let next = INF;
  for (let j = 0; j < n; j++) next = Math.min(next, onT[j], offT[j], refT[j]);
  h[H.nextEv] = next;
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

function stdpOnSpike(s: SamplingState, k: number, t: number): void {
  const n = s.n, cap = s.cap;
  const hisT = s.hisT.view, hisN = s.hisN.view;
  for (const r of s.rules) {
    const K = r.K.view, aC = r.aC.view, aA = r.aA.view, S = r.S.view;
    const len = r.length;
    for (let j = 0; j < n; j++) {
      if (j === k) continue;
      const cnt = hisN[j];
      const m = Math.min(cnt, r.N);
      const kj = k * n + j, jk = j * n + k;
      for (let i = 0; i < m; i++) {
        const d = t - hisT[j * cap + ((cnt - 1 - i) % cap)];
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
  hisT[k * cap + (hisN[k] % cap)] = t;
  hisN[k]++;
}

function onSpike(s: SamplingState, k: number, t: number): void {
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
  s.thresholds.view[k] = 0;
  const psp = h[H.pspLength];
  let next = h[H.nextEv];
  if (psp > 0) {
    s.onT.view[k] = t + 1;
    s.offT.view[k] = t + 1 + psp;
    next = Math.min(next, t + 1);
  }
  s.refT.view[k] = t + h[H.minIsi];
  h[H.nextEv] = Math.min(next, t + h[H.minIsi]);
}

function run(s: SamplingState, steps: number): void {
  s.checkSteps(steps);
  const h = s.hdr.view;
  const n = s.n, n4 = s.n4;
  const thr = s.thresholds.view, rng = s.rng.view;
  const sampleEvery = h[H.sampleEvery];
  let t = h[H.t];
  const end = t + steps;
  while (t < end) {
    if (t === h[H.nextEv]) processEvents(s, t);
    if (t === h[H.nextSample]) {
      sampleState(s, t);
      h[H.nextSample] = t + sampleEvery;
    }
    const stop = Math.min(h[H.nextEv], h[H.nextSample], end);
    while (t < stop) {
      let spiked = false;
      for (let k = 0; k < n; k++) {
        // xoshiro128** on lane k of the structure-of-arrays state (same as js/rng.ts rngNext)
        const a = rng[k], b1 = rng[n4 + k], c = rng[2 * n4 + k], d = rng[3 * n4 + k];
        const m = Math.imul(b1, 5);
        const x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        const c2 = c ^ a, d2 = d ^ b1;
        rng[n4 + k] = b1 ^ c2;
        rng[k] = a ^ d2;
        rng[2 * n4 + k] = c2 ^ (b1 << 9);
        rng[3 * n4 + k] = (d2 << 11) | (d2 >>> 21);
        if (x < thr[k]) {
          onSpike(s, k, t);
          spiked = true;
        }
      }
      t++;
      if (spiked) break;
    }
  }
  h[H.t] = t;
}

function populationRun(p: PopulationNet, steps: number): void {
  if (!(p instanceof PopulationState)) throw new TypeError("populationRun: not a population created by populationCreate");
  p.checkSteps(steps);
  const n = p.n, n4 = p.n4, minIsi = p.minIsi;
  const thr = p.thresholds.view, rng = p.rng.view, last = p.last.view, count = p.spikeCount.view;
  const h = p.hdr.view;
  const t0 = h[0];
  for (let k = 0; k < n; k++) {
    const T = thr[k];
    let a = rng[k], b1 = rng[n4 + k], c = rng[2 * n4 + k], d = rng[3 * n4 + k];
    let lk = last[k], cnt = 0;
    for (let t = t0; t < t0 + steps; t++) {
      const b0 = b1;
      const m = Math.imul(b0, 5);
      const x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
      const c2 = c ^ a, d2 = d ^ b0;
      b1 = b0 ^ c2;
      a = a ^ d2;
      c = c2 ^ (b0 << 9);
      d = (d2 << 11) | (d2 >>> 21);
      if (x < T && t - lk >= minIsi) {
        lk = t;
        cnt++;
      }
    }
    rng[k] = a; rng[n4 + k] = b1; rng[2 * n4 + k] = c; rng[3 * n4 + k] = d;
    last[k] = lk;
    count[k] += cnt;
  }
  h[0] = t0 + steps;
}

export function samplingKernels(arena: Arena): SamplingKernels {
  return {
    samplingCreate: (spec, seed) => new SamplingState(spec, arena, seed),
    samplingRestart: (net) => st(net).restart(),
    samplingClear: (net) => st(net).clear(),
    samplingRun: (net, steps) => run(st(net), steps),
    populationCreate: (n, tRef, minIsi, seed) => new PopulationState(n, tRef, minIsi, arena, seed),
    populationSetPotentials: (p, u) => (p as PopulationState).setPotentials(u),
    populationRun,
  };
}
