// The salnet kernel against the step of
// docs/models/spiking-feedback.md#the-sal-phase, literally: potentials
// recomputed densely from the spike history, every draw replayed from the
// neurons' own streams, window traces from the last spike times, STDP sums from
// the readable rule of src/learning/sal.ts.
import { expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { SalNet } from "../../src/models/salNet.js";
import { SALNET_H } from "../../src/backend/salnet.js";
import { threshold } from "../../src/backend/shared/mathf.js";
import { rngNext, seedStreams } from "../../src/backend/shared/rng.js";
import { salDeepStdpReference, salDeepWindow } from "../../src/learning/sal.js";
import { tsRandom } from "../../src/rng/seeds.js";

const LAYERS = [6, 5, 3];
const T_REF = 4;
const WIN = 10; // the longest window with two spikes per neuron at most: 2 (tRef + 1)
const BATCH = 3;
const SEED = 77;

function makeNet(k: ConstructorParameters<typeof SalNet>[0], flushEvery?: number) {
  const net = new SalNet(k, { layers: LAYERS, batch: BATCH, tRef: T_REF, windowLength: WIN, flushEvery }, SEED);
  const r = tsRandom(5, "salnet-kernel-test");
  const layers: { W: Float32Array; B: Float32Array; b: Float32Array }[] = [];
  for (let l = 0; l < LAYERS.length - 1; l++) {
    const nIn = LAYERS[l],
      nOut = LAYERS[l + 1];
    layers.push({
      W: Float32Array.from({ length: nIn * nOut }, () => r.range(-1.5, 1.5)),
      B: Float32Array.from({ length: nIn * nOut }, () => r.range(-1.5, 1.5)),
      b: Float32Array.from({ length: nOut }, () => r.range(-0.5, 1)),
    });
  }
  net.setInputBias(Float32Array.from({ length: LAYERS[0] }, () => r.range(-0.5, 1)));
  net.setLayers(layers);
  return { net, layers };
}

/** Spikes of the step just simulated: [copy][population] -> ids. */
function lastSpikes(net: SalNet): number[][][] {
  const { L } = net.st,
    I = net.st.I.view;
  const slot = (I[SALNET_H.t] - 1) % L.R;
  return Array.from({ length: L.S }, (_, c) =>
    Array.from({ length: L.P }, (_, p) => {
      const m = I[L.i.cnt + (slot * L.S + c) * L.P + p];
      return Array.from(I.subarray(L.i.ids + (slot * L.S + c) * L.N4 + L.off[p], L.i.ids + (slot * L.S + c) * L.N4 + L.off[p] + m));
    }),
  );
}

describeBackends("salnet kernel", (k) => {
  it("potentials, draws and window traces follow the spec's step exactly, step by step", () => {
    const { net, layers } = makeNet(k());
    const { L } = net.st;
    const K = salDeepWindow(T_REF, WIN);
    // the neurons' own streams, replayed
    const streams = new Uint32Array(4 * L.S * L.N4);
    seedStreams(streams, L.S * L.N4, SEED);
    const b0 = Array.from(net.st.F.view.subarray(L.f.b[0], L.f.b[0] + LAYERS[0]));
    const history: number[][][][] = []; // [t][c][p] -> ids
    const lastT: number[][][] = Array.from({ length: L.S }, () => LAYERS.map((n) => Array(n).fill(-1e9)));
    const prevT: number[][][] = Array.from({ length: L.S }, () => LAYERS.map((n) => Array(n).fill(-1e9)));
    let total = 0;
    for (let t = 0; t < 400; t++) {
      if (t === 150 || t === 290) {
        // a B update mid-run (and new weights): the potentials must follow the new B exactly from the next step on
        net.update(0.5);
        for (let l = 0; l < LAYERS.length - 1; l++) layers[l].B = net.feedback(l);
      }
      net.run(1);
      const F = net.st.F.view;
      const spikes = lastSpikes(net);
      for (let c = 0; c < L.S; c++) {
        for (let p = 0; p < L.P; p++) {
          const n = LAYERS[p];
          // dense potentials: bias + columns of the spikes of steps t-tRef .. t-1
          const u = p === 0 ? [...b0] : Array.from(layers[p - 1].b);
          for (let d = 1; d <= T_REF && t - d >= 0; d++) {
            const h = history[t - d][c];
            if (p > 0) for (const j of h[p - 1]) for (let i = 0; i < n; i++) u[i] += layers[p - 1].W[i * LAYERS[p - 1] + j];
            if (p < L.P - 1) for (const j of h[p + 1]) for (let i = 0; i < n; i++) u[i] += layers[p].B[j * n + i];
          }
          const fired = new Set(spikes[c][p]);
          for (let i = 0; i < n4(L, p); i++) {
            const lane = c * L.N4 + L.off[p] + i;
            const x = rngNext(streams, lane, L.S * L.N4);
            if (i >= n) continue;
            const uk = F[L.f.u + lane];
            expect(uk).toBeCloseTo(u[i], 5);
            const ready = t - lastT[c][p][i] > T_REF;
            expect(fired.has(i)).toBe(ready && x < threshold(uk, T_REF));
            if (fired.has(i)) {
              prevT[c][p][i] = lastT[c][p][i];
              lastT[c][p][i] = t;
              total++;
            }
            const tr = (t - lastT[c][p][i] < WIN ? K[t - lastT[c][p][i]] : 0) + (t - prevT[c][p][i] < WIN ? K[t - prevT[c][p][i]] : 0);
            expect(F[L.f.x + lane]).toBe(Math.fround(tr));
          }
        }
      }
      history.push(spikes);
    }
    expect(total).toBeGreaterThan(300);
  });

  it("STDP sums equal the readable rule on the recorded spikes (k = 0 counted, copies summed)", () => {
    for (const flushEvery of [7, 1000]) {
      const { net } = makeNet(k(), flushEvery);
      const { L } = net.st;
      const hist: number[][][][] = [];
      for (let t = 0; t < 300; t++) {
        net.run(1);
        hist.push(lastSpikes(net));
      }
      k().salnetFlush(net.st);
      const D = net.st.D.view;
      const K = salDeepWindow(T_REF, WIN);
      for (let p = 0; p < L.P - 1; p++) {
        const nLo = LAYERS[p],
          nUp = LAYERS[p + 1];
        const ref = new Float64Array(nLo * nUp);
        for (let c = 0; c < L.S; c++) {
          const dB = salDeepStdpReference(
            hist.map((h) => h[c][p]),
            hist.map((h) => h[c][p + 1]),
            nLo,
            nUp,
            K,
          );
          for (let e = 0; e < dB.length; e++) ref[e] += dB[e];
        }
        let nonzero = 0;
        for (let i = 0; i < nLo; i++) {
          for (let j = 0; j < nUp; j++) {
            const got = D[L.d.Da[p] + j * L.n4[p] + i] - D[L.d.Dc[p] + i * L.n4[p + 1] + j];
            expect(got).toBeCloseTo(ref[i * nUp + j], 3);
            if (Math.abs(ref[i * nUp + j]) > 1) nonzero++;
          }
        }
        expect(nonzero).toBeGreaterThan((nLo * nUp) / 2);
      }
    }
  });

  it("the B update is B + salLr * mean_copies(dB) / L and the potentials follow the new B", () => {
    const { net, layers } = makeNet(k());
    const { L } = net.st;
    net.run(250);
    k().salnetFlush(net.st);
    const D = net.st.D.view;
    const expected = layers.map((w, l) => {
      const nLo = LAYERS[l],
        nUp = LAYERS[l + 1];
      const B = Float32Array.from(w.B);
      for (let j = 0; j < nUp; j++)
        for (let i = 0; i < nLo; i++) {
          const dB = D[L.d.Da[l] + j * L.n4[l] + i] - D[L.d.Dc[l] + i * L.n4[l + 1] + j];
          B[j * nLo + i] = Math.fround(B[j * nLo + i] + (0.3 * dB) / (BATCH * WIN));
        }
      return B;
    });
    net.update(0.3);
    for (let l = 0; l < LAYERS.length - 1; l++) {
      expect(net.feedback(l)).toEqual(expected[l]);
      expect(net.forward(l)).toEqual(layers[l].W);
    }
    for (let p = 0; p < L.P - 1; p++) expect(Array.from(D.subarray(L.d.Dc[p], L.d.Dc[p] + 4)).every((v) => v === 0)).toBe(true);
    // potentials after the update equal those of a network resynchronised from scratch with the new B
    const u1 = Array.from(net.st.F.view.subarray(L.f.u, L.f.u + L.S * L.N4));
    net.resync();
    expect(Array.from(net.st.F.view.subarray(L.f.u, L.f.u + L.S * L.N4))).toEqual(u1);
  });

  it("same seed, same spikes; another seed, other spikes", () => {
    const a = makeNet(k()).net,
      b = makeNet(k()).net;
    a.run(200);
    b.run(200);
    const state = (n: SalNet) => Array.from(n.st.I.view.subarray(0, n.st.L.i.cols)); // the column scratch holds addresses
    expect(state(a)).toEqual(state(b));
    expect(Array.from(a.st.F.view)).toEqual(Array.from(b.st.F.view));
    const c = new SalNet(k(), { layers: LAYERS, batch: BATCH, tRef: T_REF, windowLength: WIN }, SEED + 1);
    c.setLayers([0, 1].map((l) => ({ W: a.forward(l), B: a.feedback(l) })));
    c.run(200);
    expect(Array.from(c.st.I.view.subarray(a.st.L.i.t1, a.st.L.i.t1 + 20))).not.toEqual(
      Array.from(a.st.I.view.subarray(a.st.L.i.t1, a.st.L.i.t1 + 20)),
    );
  });
});

function n4(L: { n4: number[] }, p: number): number {
  return L.n4[p];
}
