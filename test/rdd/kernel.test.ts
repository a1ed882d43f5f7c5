// The RDD kernel against a literal transcription of the authors' step
// (docs/models/spiking-feedback.md#rdd; unibe-cns/sal-code:
// symmnet/src/symmnet/rdd_layers.py, `SpikingFA.update`): dense f64 kernel sums
// over spike histories, R accumulated every step, R_pre overwritten every step
// outside a window. The driving counts are read back from the kernel's ring,
// everything else is recomputed independently.
import { expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { RddNet } from "../../src/models/rddNet.js";
import { RDD_RING } from "../../src/backend/rdd.js";
import { RDD_DEFAULTS, rddBeta, rddFitStep, rddForwardScale, rddKappa } from "../../src/learning/rdd.js";
import { tsRandom } from "../../src/rng/seeds.js";

const C = RDD_DEFAULTS;

interface RefPop {
  n: number;
  v: number[];
  u: number[];
  refr: number[];
  hist: number[][]; // hist[i][k]: spike at t-k (k = 0 newest)
  tl: number[];
  R: number[][];
  Rpre: number[][];
  nsp: number[];
  maxu: number[];
  c: number[][][];
  beta: number[][];
  W: Float32Array | null;
}

/** p = sum_k kappa(k) s(t-k+1) over a history whose entry 0 is the newest (gets kappa(1)). */
const filt = (h: number[]) => h.reduce((s, x, k) => s + rddKappa(k + 1) * x, 0);

function refStep(pops: RefPop[], driven: number, drive: number[][], t: number) {
  for (let p = 0; p < pops.length; p++) {
    const q = pops[p],
      up = pops[p + 1],
      rdd = p < pops.length - 1,
      isDriven = p === driven;
    const pIn = p > 0 ? pops[p - 1].hist.map(filt) : [];
    const qv = rdd ? up.hist.map(filt) : [];
    const fired: boolean[] = [];
    for (let i = 0; i < q.n; i++) {
      const ending = rdd && q.tl[i] === 1;
      if (rdd && q.tl[i] > 0 && q.u[i] > q.maxu[i]) q.maxu[i] = q.u[i];
      if (q.refr[i] > 0) q.refr[i]--;
      let bas = 0;
      if (isDriven) bas = C.alpha * filt(drive[i]);
      else if (p > 0) for (let j = 0; j < pIn.length; j++) bas += q.W![i * pIn.length + j] * pIn[j];
      q.v[i] += C.dt * (-C.gL * q.v[i] + C.gD * (bas - q.v[i]));
      if (rdd) {
        q.u[i] += C.dt * (-C.gL * q.u[i] + C.gD * (bas - q.u[i]));
        if (q.tl[i] > 0) for (let j = 0; j < up.n; j++) q.R[i][j] += qv[j];
        if (q.tl[i] === 0) q.Rpre[i] = [...qv];
      }
      fired[i] = q.v[i] >= C.theta && q.refr[i] === 0;
      if (fired[i]) {
        q.v[i] = C.vReset;
        q.refr[i] = C.refractory;
      }
      if (rdd) {
        if (isDriven && ending && Math.abs(q.maxu[i] - C.theta) <= C.uWindow) {
          // the readable rule of src/learning/rdd.ts: the spiked fit (c2, c0) or the almost-spiked one (c3, c1)
          const [ks, ki] = q.nsp[i] >= 1 ? [2, 0] : [3, 1];
          const y = q.R[i].map((r, j) => r / C.window - q.Rpre[i][j]);
          const slope = Float64Array.from(q.c[i], (c) => c[ks]),
            icpt = Float64Array.from(q.c[i], (c) => c[ki]);
          rddFitStep(slope, icpt, 0, y, q.maxu[i], C.eta);
          for (let j = 0; j < up.n; j++) {
            const c = q.c[i][j];
            c[ks] = slope[j];
            c[ki] = icpt[j];
            q.beta[i][j] = rddBeta(c[0], c[1], c[2], c[3], C.theta);
          }
        }
        if (q.tl[i] > 0) q.tl[i]--;
        if (q.tl[i] === 0) q.u[i] = q.v[i];
        if (q.tl[i] === 0 && Math.abs(C.theta - q.u[i]) <= C.initBand) q.tl[i] = C.window;
        if (q.tl[i] > 0 && fired[i]) q.nsp[i]++;
        if (ending) {
          q.nsp[i] = 0;
          q.R[i].fill(0);
          q.maxu[i] = 0;
        }
      }
    }
    for (let i = 0; i < q.n; i++) q.hist[i] = [fired[i] ? 1 : 0, ...q.hist[i].slice(0, C.memory - 1)];
  }
  void t;
}

describeBackends("rdd kernel", (k) => {
  it("follows the authors' step: spikes exactly, voltages and drives to f32 rounding, fits and beta to 1e-6", () => {
    const layers = [30, 8, 4];
    const r = tsRandom(8, "rdd-kernel-test");
    // mostly excitatory: every population spikes
    const Ws = layers.slice(1).map((n, l) => Float32Array.from({ length: n * layers[l] }, () => r.range(-0.4, 1)));
    const net = new RddNet(k(), layers, {}, 21);
    Ws.forEach((W, l) => {
      net.setForward(l, W);
      net.setFeedbackFc(l, new Float32Array(W.length).fill(0.1));
    });
    net.resetPhase();
    const pops: RefPop[] = layers.map((n, p) => ({
      n,
      v: Array(n).fill(C.vReset),
      u: Array(n).fill(C.vReset),
      refr: Array(n).fill(0),
      hist: Array.from({ length: n }, () => Array(C.memory).fill(0)),
      tl: Array(n).fill(0),
      R: Array.from({ length: n }, () => Array(layers[p + 1] ?? 0).fill(0)),
      Rpre: Array.from({ length: n }, () => Array(layers[p + 1] ?? 0).fill(0)),
      nsp: Array(n).fill(0),
      maxu: Array(n).fill(0),
      c: Array.from({ length: n }, () => Array.from({ length: layers[p + 1] ?? 0 }, () => [0, 0, 0, 0])),
      beta: Array.from({ length: n }, () => Array(layers[p + 1] ?? 0).fill(0)),
      W: p > 0 ? rddForwardScale(Ws[p - 1], layers[p - 1]) : null,
    }));
    const { L } = net.st;
    const popSpikes = layers.map(() => 0);
    let fits = 0,
      chained = 0,
      spikeMismatch = 0,
      windowMismatch = 0,
      maxErr = 0;
    for (const driven of [0, 1]) {
      net.drive(driven);
      const drive = Array.from({ length: layers[driven] }, () => Array(C.memory).fill(0));
      for (let s = 0; s < 700; s++) {
        const t = net.time();
        const tlBefore = Array.from(net.st.I.view.subarray(L.pop[driven].tl, L.pop[driven].tl + layers[driven]));
        net.run(1);
        const I = net.st.I.view,
          F = net.st.F.view;
        const cnt = L.pop[driven].cnt + (t & (RDD_RING - 1)) * L.n4[driven];
        for (let i = 0; i < layers[driven]; i++) drive[i] = [I[cnt + i], ...drive[i].slice(0, C.memory - 1)];
        refStep(pops, driven, drive, t);
        for (let p = 0; p < layers.length; p++) {
          for (let i = 0; i < layers[p]; i++) {
            if ((I[L.pop[p].hist + i] & 1) !== pops[p].hist[i][0]) spikeMismatch++;
            popSpikes[p] += pops[p].hist[i][0];
            maxErr = Math.max(maxErr, Math.abs(F[L.pop[p].v + i] - pops[p].v[i]));
            if (p < layers.length - 1) {
              if (I[L.pop[p].tl + i] !== pops[p].tl[i]) windowMismatch++;
              maxErr = Math.max(maxErr, Math.abs(F[L.pop[p].u + i] - pops[p].u[i]));
              // inside a window, the apical input remembered from just before it
              if (pops[p].tl[i] > 0) {
                for (let j = 0; j < layers[p + 1]; j++)
                  maxErr = Math.max(maxErr, Math.abs(F[L.pop[p].Rpre + i * L.n4[p + 1] + j] - pops[p].Rpre[i][j]));
              }
            }
          }
        }
        for (let i = 0; i < layers[driven]; i++) {
          if (tlBefore[i] === 1) fits++;
          if (tlBefore[i] === 1 && I[L.pop[driven].tl + i] === C.window) chained++;
        }
      }
    }
    for (let p = 0; p < 2; p++) {
      const beta = net.beta(p);
      for (let i = 0; i < layers[p]; i++)
        for (let j = 0; j < layers[p + 1]; j++) expect(beta[i * layers[p + 1] + j]).toBeCloseTo(pops[p].beta[i][j], 6);
    }
    expect(spikeMismatch).toBe(0);
    expect(windowMismatch).toBe(0);
    expect(maxErr).toBeLessThan(1e-4);
    for (const c of popSpikes) expect(c).toBeGreaterThan(50);
    expect(fits).toBeGreaterThan(20);
    expect(chained).toBeGreaterThan(0); // a window that ends and reopens at once keeps the old R_pre (the authors' order)
  });
});
