// Each feedback method touches exactly the layers of the method table
// (docs/models/deep-nets.md#non-spiking-feedback-methods): which layers have a
// feedback matrix B, which B learn (KP only), which stay fixed through training
// steps, and the weight decay of each parameter group.
import { describe, expect, it, beforeAll } from "vitest";
import { createBackend } from "../../src/backend/index.js";
import type { Kernels } from "../../src/backend/index.js";
import { LayeredNet } from "../../src/models/layered/net.js";
import { METHOD_NAMES } from "../../src/learning/feedback.js";
import type { MethodName } from "../../src/learning/feedback.js";
import { tsRandom } from "../../src/rng/seeds.js";

const TABLE: Record<MethodName, { fcB: boolean; conv2B: boolean; fcLearned: boolean; fcWd: number }> = {
  bp: { fcB: false, conv2B: false, fcLearned: false, fcWd: 0 },
  bp_w_fa: { fcB: false, conv2B: true, fcLearned: false, fcWd: 0 },
  fa: { fcB: true, conv2B: true, fcLearned: false, fcWd: 0 },
  kp: { fcB: true, conv2B: true, fcLearned: true, fcWd: 0.001 },
  scfa: { fcB: true, conv2B: true, fcLearned: false, fcWd: 0 },
  sal: { fcB: true, conv2B: true, fcLearned: false, fcWd: 0 },
  rdd: { fcB: true, conv2B: true, fcLearned: false, fcWd: 0 },
};

describe("feedback methods per layer (spec table)", () => {
  let k: Kernels;
  beforeAll(async () => {
    k = await createBackend("wasm");
  });

  for (const method of METHOD_NAMES)
    it(`${method}: B where the table puts it; fixed B stay fixed over two SGD steps; weight decay per group`, () => {
      const t = TABLE[method];
      const net = new LayeredNet(
        k,
        {
          arch: "conv",
          input: { c: 1, h: 16, w: 16 },
          hidden: [12, 8],
          classes: 4,
          method,
          convChannels: [3, 5],
          kernel: 5,
          bnMomentum: 0.1,
          bnEps: 1e-5,
        },
        2,
        8,
      );
      expect(net.convs[0].B, "conv1 never needs an input gradient").toBeNull();
      expect(net.convs[1].B !== null).toBe(t.conv2B);
      for (const l of net.fcs) {
        expect(l.B !== null, l.name).toBe(t.fcB);
        expect(l.mB !== null, l.name).toBe(t.fcLearned);
        if (method === "scfa") expect(Math.min(...l.B!.view)).toBeGreaterThanOrEqual(0);
      }
      const before = [...net.convs, ...net.fcs].map((l) => l.B?.view.slice() ?? null);
      const r = tsRandom(1, "methods-batch");
      net.input.view.forEach((_, i, a) => (a[i] = r.range(-1, 1)));
      net.labels.view.forEach((_, i, a) => (a[i] = i % 4));
      net.trainBatch(8, 0.05, 0.9);
      net.trainBatch(8, 0.05, 0.9);
      [...net.convs, ...net.fcs].forEach((l, i) => {
        if (!l.B) return;
        const same = Array.from(l.B.view).every((v, j) => v === before[i]![j]);
        const learns = t.fcLearned && i >= net.convs.length;
        expect(same, `${method} ${("name" in l && l.name) || i}: B ${learns ? "learns" : "stays fixed"}`).toBe(!learns);
      });
      for (const e of net.paramEntries()) {
        const fcMatrix = /^fc\d+\.(W|B)$/.test(e.name);
        expect(e.wd, e.name).toBe(fcMatrix ? t.fcWd : 0);
      }
    });
});
