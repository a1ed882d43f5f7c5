// js and wasm run the RDD network bit-identically (same spikes, traces, windows,
// fit coefficients, beta and random stream) through a whole driving schedule.
import { expect, it } from "vitest";
import { bothBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import { RddNet } from "../../src/models/rddNet.js";
import { tsRandom } from "../../src/rng/seeds.js";

function build(k: Kernels, layers: number[]): RddNet {
  const net = new RddNet(k, layers, { redrawEvery: 50 }, 9);
  const r = tsRandom(3, "rdd-conformance");
  for (let l = 0; l < layers.length - 1; l++) {
    net.setForward(
      l,
      Array.from({ length: layers[l] * layers[l + 1] }, () => r.range(-1, 1)),
    );
    net.setFeedbackFc(
      l,
      Array.from({ length: layers[l] * layers[l + 1] }, () => r.range(-1, 1)),
    );
  }
  return net;
}

const snap = (n: RddNet) => ({
  F: Array.from(n.st.F.view),
  I: Array.from(n.st.I.view),
  U: Array.from(n.st.U.view),
  D: Array.from(n.st.D.view),
  B: n.B.map((b) => Array.from(b)),
});

it("rdd: js and wasm agree exactly over a driving schedule (odd sizes, padding lanes, two phases)", async () => {
  const { js, wasm } = await bothBackends();
  const layers = [23, 9, 6, 3];
  const a = build(js, layers),
    b = build(wasm, layers);
  let windows = 0;
  for (let phase = 0; phase < 2; phase++) {
    a.resetPhase();
    b.resetPhase();
    for (let p = 0; p < layers.length - 1; p++) {
      a.drive(p);
      b.drive(p);
      a.run(900);
      b.run(900);
      a.updateFeedback();
      b.updateFeedback();
      expect(snap(b)).toEqual(snap(a));
    }
    windows += a.beta(0).filter((x) => x !== 0).length;
  }
  expect(windows).toBeGreaterThan(0); // the fits ran
});
