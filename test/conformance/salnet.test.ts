// js and wasm run the layered SAL network bit-identically: same spikes,
// potentials, traces, random streams and STDP sums, across runs, flushes,
// B updates and weight changes (the algorithm has no float-order freedom:
// both backends do the same f32 operations in the same order).
import { expect, it } from "vitest";
import { bothBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import { SalNet } from "../../src/models/salNet.js";
import { tsRandom } from "../../src/rng/seeds.js";

function build(k: Kernels, layers: number[], batch: number, seed: number): SalNet {
  const net = new SalNet(k, { layers, batch, tRef: 5, windowLength: 10, flushEvery: 13 }, seed);
  const r = tsRandom(seed, "salnet-conformance");
  net.setInputBias(Array.from({ length: layers[0] }, () => r.range(-1, 0.5)));
  net.setLayers(
    layers.slice(1).map((nOut, l) => ({
      W: Array.from({ length: nOut * layers[l] }, () => r.range(-1, 1)),
      B: Array.from({ length: nOut * layers[l] }, () => r.range(-1, 1)),
      b: Array.from({ length: nOut }, () => r.range(-1, 0.5)),
    })),
  );
  return net;
}

function snapshot(n: SalNet) {
  const L = n.st.L;
  return {
    F: Array.from(n.st.F.view),
    U: Array.from(n.st.U.view),
    D: Array.from(n.st.D.view),
    I: Array.from(n.st.I.view.subarray(0, L.i.cols)), // the column scratch holds byte addresses on wasm
  };
}

it(
  "salnet: js and wasm agree exactly (odd sizes with padding lanes, >8-vector rows, 4 populations," +
    " the list and the mask paths, two mask words)",
  async () => {
    const { js, wasm } = await bothBackends();
    // batch < 4: per-copy lists; batch >= 4: per-step masks of spiking copies (37 copies: two mask words)
    for (const [layers, batch] of [
      [[37, 9, 6, 3], 3],
      [[5, 70], 2],
      [[37, 9, 6, 3], 5],
      [[11, 20, 3], 37],
    ] as [number[], number][]) {
      const a = build(js, layers, batch, 4),
        b = build(wasm, layers, batch, 4);
      for (let round = 0; round < 3; round++) {
        a.run(157);
        b.run(157);
        expect(snapshot(b)).toEqual(snapshot(a));
        a.update(0.05);
        b.update(0.05);
        expect(snapshot(b)).toEqual(snapshot(a));
      }
      // new forward weights mid-run (the deep net's next phase): both resynchronise the same way
      const W = Array.from({ length: layers[1] * layers[0] }, (_, e) => Math.sin(e) * 0.8);
      a.setLayers([{ W }]);
      b.setLayers([{ W }]);
      a.run(60);
      b.run(60);
      expect(snapshot(b)).toEqual(snapshot(a));
    }
  },
);

it(
  "salnet: js and wasm agree exactly with many copies, busy inputs and long populations" +
    " (several onset row groups per copy, four-group draws with single-group tails)",
  async () => {
    const { js, wasm } = await bothBackends();
    // 150 input neurons firing near the refractory limit: each copy's population 1 takes about 20 input rows a step
    // (more than one onset group of 12); n4 = 152 and 48 lanes: four-group draw iterations, then single groups
    const layers = [150, 45, 9],
      batch = 6;
    const mk = (k: Kernels) => {
      const net = new SalNet(k, { layers, batch, tRef: 5, windowLength: 10, flushEvery: 29 }, 11);
      const r = tsRandom(11, "salnet-conformance-busy");
      net.setInputBias(Array.from({ length: layers[0] }, () => r.range(2, 4)));
      net.setLayers(
        layers.slice(1).map((nOut, l) => ({
          W: Array.from({ length: nOut * layers[l] }, () => r.range(-0.3, 0.3)),
          B: Array.from({ length: nOut * layers[l] }, () => r.range(-1, 1)),
          b: Array.from({ length: nOut }, () => r.range(-1, 0.5)),
        })),
      );
      return net;
    };
    const a = mk(js),
      b = mk(wasm);
    for (let round = 0; round < 2; round++) {
      a.run(131);
      b.run(131);
      expect(snapshot(b)).toEqual(snapshot(a));
      a.update(0.05);
      b.update(0.05);
    }
    // the case covers what it claims: more than 12 input rows per copy and step on average
    const spikes0 = a.st.D.view[a.st.L.d.count];
    expect(spikes0 / (262 * batch)).toBeGreaterThan(12);
    expect(snapshot(b)).toEqual(snapshot(a));
  },
);
