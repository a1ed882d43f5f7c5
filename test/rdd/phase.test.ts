// The RDD phase API that `train --method rdd` calls (src/models/spikingPhases.ts),
// on a tiny net: the discontinuity estimates correlate positively with W in every
// layer, B's angle to W falls, and js and wasm return the same B bit for bit.
import { expect, it } from "vitest";
import { bothBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import { createRddPhase } from "../../src/models/spikingPhases.js";
import { RddNet } from "../../src/models/rddNet.js";
import { runRddSchedule } from "../../src/models/spikingPhases.js";
import { angleDeg, corrcoef } from "../../src/metrics/alignment.js";
import { tsRandom } from "../../src/rng/seeds.js";

const LAYERS = [48, 24, 12, 6];

function weights() {
  const r = tsRandom(3, "rdd-phase-test");
  return LAYERS.slice(1).map((nOut, l) => {
    const bd = 1 / Math.sqrt(LAYERS[l]);
    return {
      W: Float32Array.from({ length: nOut * LAYERS[l] }, () => r.range(-bd, bd)),
      B: Float32Array.from({ length: nOut * LAYERS[l] }, () => r.range(-bd, bd)),
    };
  });
}

function runPhases(k: Kernels) {
  const fc = weights();
  const phase = createRddPhase(k, LAYERS, { seconds: 9, seed: 2, constants: { updateEvery: 1000 } });
  const angle0 = fc.map((f) => angleDeg(f.B, f.W));
  for (let e = 0; e < 2; e++) phase.run(fc).B.forEach((B, l) => fc[l].B.set(B));
  return { fc, angle0 };
}

it("RDD phase: B's angle to W falls in every layer; js and wasm agree exactly", async () => {
  const { js, wasm } = await bothBackends();
  const a = runPhases(wasm);
  a.fc.forEach((f, l) => {
    expect(angleDeg(f.B, f.W)).toBeLessThan(a.angle0[l] - 10);
    expect(corrcoef(f.B, f.W)).toBeGreaterThan(0.2);
  });
  const b = runPhases(js);
  for (let l = 0; l < 3; l++) expect(b.fc[l].B).toEqual(a.fc[l].B);
});

it("RDD: the discontinuity estimates beta_ij correlate positively with W_ji in every layer", async () => {
  const { wasm } = await bothBackends();
  const fc = weights();
  const net = new RddNet(wasm, LAYERS, { updateEvery: 1000 }, 4);
  fc.forEach((f, l) => {
    net.setForward(l, f.W);
    net.setFeedbackFc(l, f.B);
  });
  net.resetPhase();
  const set = runRddSchedule(net, 30_000);
  for (let l = 0; l < 3; l++) {
    expect(set[l]).toBeGreaterThan(0.5);
    const beta = net.beta(l),
      n = LAYERS[l],
      m = LAYERS[l + 1];
    const WT = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) WT[i * m + j] = fc[l].W[j * n + i];
    const nz = [...beta.keys()].filter((e) => beta[e] !== 0);
    expect(
      corrcoef(
        nz.map((e) => beta[e]),
        nz.map((e) => WT[e]),
      ),
    ).toBeGreaterThan(0.3);
  }
});
