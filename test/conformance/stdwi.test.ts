// js and wasm run the STDWI toy bit-identically (spikes, traces, B, random stream).
import { expect, it } from "vitest";
import { bothBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import { StdwiNet } from "../../src/models/stdwiNet.js";
import { tsRandom } from "../../src/rng/seeds.js";

function build(k: Kernels): StdwiNet {
  const nIn = 13,
    nOut = 7,
    r = tsRandom(6, "stdwi-conformance");
  const net = new StdwiNet(k, nIn, nOut, { stimRatio: 0.4 }, 12);
  net.setForward(Array.from({ length: nIn * nOut }, () => r.range(-0.3, 0.6)));
  net.setFeedback(Array.from({ length: nIn * nOut }, () => r.range(-0.3, 0.3)));
  return net;
}

it("stdwi: js and wasm agree exactly (odd sizes with padding lanes, ring wrap-around)", async () => {
  const { js, wasm } = await bothBackends();
  const a = build(js),
    b = build(wasm);
  for (let round = 0; round < 3; round++) {
    a.run(1700);
    b.run(1700);
    expect(Array.from(b.st.F.view)).toEqual(Array.from(a.st.F.view));
    expect(Array.from(b.st.I.view)).toEqual(Array.from(a.st.I.view));
    expect(Array.from(b.st.U.view)).toEqual(Array.from(a.st.U.view));
  }
  expect(a.spikeCounts().output.reduce((s, x) => s + x, 0)).toBeGreaterThan(10);
});
