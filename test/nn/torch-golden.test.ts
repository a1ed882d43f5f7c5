// The layered net against a golden trace of PyTorch (test/nn/fixtures/
// torch_golden.py wrote torch_golden.json in f64): the same tiny ConvNet with
// the paper's layer order, weights and inputs from closed-form formulas, three
// SGD steps with momentum in train mode (batch-norm statistics, the double
// softmax, max-pool ties, flatten order), then an eval-mode forward. Both
// backends must reproduce losses, outputs, parameters and running statistics.
import { expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { describeBackends } from "../helpers/backends.js";
import { LayeredNet } from "../../src/models/layered/net.js";
import type { F32Buf } from "../../src/backend/index.js";

const golden = JSON.parse(readFileSync(new URL("./fixtures/torch_golden.json", import.meta.url), "utf8")) as {
  losses: number[];
  evalProbs: number[];
  state: Record<string, number[]>;
};
const formula = (n: number, a: number, b: number) => Array.from({ length: n }, (_, i) => 0.5 * Math.sin(a * i + b));
const N = 6;

describeBackends("layered net vs PyTorch", (k) => {
  it("three SGD steps and an eval forward match PyTorch (losses to 1e-4, parameters 2e-4, outputs 5e-4)", () => {
    const net = new LayeredNet(
      k(),
      {
        arch: "conv",
        input: { c: 2, h: 14, w: 14 },
        hidden: [8, 6],
        classes: 5,
        method: "bp",
        convChannels: [3, 4],
        kernel: 3,
        bnMomentum: 0.1,
        bnEps: 1e-5,
      },
      0,
      N,
      true,
    );
    // PyTorch Sequential indices of the weight layers, as in torch_golden.py
    const layers: [number, { W: F32Buf; b?: F32Buf }][] = [
      [0, net.convs[0]],
      [4, net.convs[1]],
      [9, net.fcs[0]],
      [12, net.fcs[1]],
      [15, net.fcs[2]],
    ];
    for (const [idx, l] of layers) {
      const kk = 0.7 + 0.1 * idx;
      l.W.view.set(formula(l.W.length, 0.37 * kk, 0.1 * idx));
      if (l.b) l.b.view.set(formula(l.b.length, 0.91 * kk, 0.3 + idx).map((v) => v * 0.2));
    }
    net.input.view.set(formula(N * 2 * 14 * 14, 0.173, 0.5).map((v) => v * 3));
    net.labels.view.set([0, 3, 1, 4, 2, 3]);
    const losses = [0, 1, 2].map(() => net.trainBatch(N, 0.1, 0.9).loss / N);
    losses.forEach((l, i) => expect(l, `loss ${i}`).toBeCloseTo(golden.losses[i], 4));
    net.evalBatch(N);
    // f32 runs against an f64 reference: parameters within 2e-4 (relative above 1), outputs within 5e-4
    const close = (got: ArrayLike<number>, want: number[], what: string, tol = 2e-4) => {
      expect(got.length, what).toBe(want.length);
      for (let i = 0; i < want.length; i++)
        expect(Math.abs(got[i] - want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(
          tol * Math.max(1, Math.abs(want[i])),
        );
    };
    close(net.probs.view.subarray(0, N * 5), golden.evalProbs, "eval softmax", 5e-4);
    const mine = new Map(net.stateTensors());
    for (const [name, want] of Object.entries(golden.state)) close(mine.get(name)!.view, want, name);
  });
});
