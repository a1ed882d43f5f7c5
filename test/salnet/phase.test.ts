// The SAL phase API that `train --method sal` calls (src/models/spikingPhases.ts),
// on a tiny layered net: B moves toward W (the angle falls and the correlation
// rises after every phase, in every layer), and js and wasm return the same B bit for bit.
import { expect, it } from "vitest";
import { bothBackends } from "../helpers/backends.js";
import type { Kernels } from "../../src/backend/index.js";
import { createSalPhase, type FcParams } from "../../src/models/spikingPhases.js";
import { angleDeg, corrcoef } from "../../src/metrics/alignment.js";
import { tsRandom } from "../../src/rng/seeds.js";

const LAYERS = [16, 12, 8, 4];

function fcLayers(): (FcParams & { W: Float32Array; B: Float32Array })[] {
  const r = tsRandom(3, "sal-phase-test");
  return LAYERS.slice(1).map((nOut, l) => {
    const bd = 1 / Math.sqrt(LAYERS[l]);
    return {
      W: Float32Array.from({ length: nOut * LAYERS[l] }, () => r.range(-bd, bd)),
      B: Float32Array.from({ length: nOut * LAYERS[l] }, () => r.range(-bd, bd)),
      b: Float32Array.from({ length: nOut }, () => r.range(-bd, bd)),
    };
  });
}

function runPhases(k: Kernels, phases: number) {
  const fc = fcLayers();
  const phase = createSalPhase(k, LAYERS, { lenEpoch: 100, nIterations: 5, batch: 8, seed: 5 });
  const angles = [fc.map((f) => angleDeg(f.B, f.W))],
    corrs = [fc.map((f) => corrcoef(f.B, f.W))];
  const reports = [];
  for (let e = 0; e < phases; e++) {
    const rep = phase.run(fc);
    rep.B.forEach((B, l) => fc[l].B.set(B));
    angles.push(fc.map((f) => angleDeg(f.B, f.W)));
    corrs.push(fc.map((f) => corrcoef(f.B, f.W)));
    reports.push(rep);
  }
  return { fc, angles, corrs, reports };
}

it("SAL phase: every layer's B turns toward W after each phase; js and wasm agree exactly", async () => {
  const { js, wasm } = await bothBackends();
  const a = runPhases(wasm, 3);
  for (let e = 1; e < a.angles.length; e++) {
    for (let l = 0; l < 3; l++) {
      expect(a.angles[e][l]).toBeLessThan(a.angles[e - 1][l] - 1);
      expect(a.corrs[e][l]).toBeGreaterThan(a.corrs[e - 1][l]);
    }
  }
  const rep = a.reports[2];
  expect(rep).toMatchObject({ method: "sal", steps: 5000, phase: 3 });
  expect(rep.seconds).toBeGreaterThan(0);
  for (const rate of rep.rates as number[]) expect(rate).toBeGreaterThan(0.03); // about 1 / (tRef + 1 + 1/p)
  const b = runPhases(js, 3);
  for (let l = 0; l < 3; l++) expect(b.fc[l].B).toEqual(a.fc[l].B);
});

it("SAL phase: bad shapes are refused with the layer named", async () => {
  const { js } = await bothBackends();
  const phase = createSalPhase(js, LAYERS, { lenEpoch: 1, nIterations: 1, batch: 1 });
  const fc = fcLayers();
  expect(() => phase.run(fc.slice(1))).toThrow(/2 fc layers given; the network has 3/);
  expect(() => phase.run([fc[0], { ...fc[1], W: new Float32Array(5) }, fc[2]])).toThrow(/fc layer 1 has W 5/);
  expect(() => createSalPhase(js, LAYERS, { batch: 0 })).toThrow(/batch 0/);
});
