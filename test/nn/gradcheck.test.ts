// Whole-network gradients of the layered net (conv blocks with ReLU, batch
// norm and pooling; fc layers with ReLU and batch norm; softmax CE) against
// central finite differences of its own forward pass, on both backends; and
// the feedback rules against their definitions (FA/SCFA with B := W or |W|
// reduce to BP exactly; one KP step shrinks W - B by the factor 1 - lr wd).
import { expect, it } from "vitest";
import { describeBackends } from "../helpers/backends.js";
import { LayeredNet } from "../../src/models/layered/net.js";
import type { LayeredSpec } from "../../src/models/layered/spec.js";
import type { MethodName } from "../../src/learning/feedback.js";
import { tsRandom } from "../../src/rng/seeds.js";
import type { Kernels } from "../../src/backend/index.js";

const N = 6;
function spec(arch: "conv" | "mlp", method: MethodName = "bp"): LayeredSpec {
  return arch === "conv"
    ? {
        arch,
        input: { c: 2, h: 14, w: 14 },
        hidden: [8, 6],
        classes: 5,
        method,
        convChannels: [3, 4],
        kernel: 3,
        bnMomentum: 0.1,
        bnEps: 1e-5,
      }
    : { arch, input: { c: 1, h: 5, w: 5 }, hidden: [9, 7], classes: 4, method, convChannels: [], kernel: 5, bnMomentum: 0.1, bnEps: 1e-5 };
}

function fillBatch(net: LayeredNet, seed: number): void {
  const r = tsRandom(seed, "gradcheck-batch");
  const x = net.input.view;
  for (let i = 0; i < x.length; i++) x[i] = r.range(-1.5, 1.5);
  for (let i = 0; i < N; i++) net.labels.view[i] = r.int(net.classes);
}

/** Mean loss of the current parameters (train-mode BN, as the gradient sees it). */
function meanLoss(net: LayeredNet): number {
  net.forward(N, true);
  return net.loss(N).loss / N;
}

describeBackends("layered net gradients", (kk) => {
  const k = (): Kernels => kk();

  for (const arch of ["conv", "mlp"] as const)
    for (const dbl of [true, false])
      it(`${arch}, ${dbl ? "double softmax" : "plain softmax"}: every parameter gradient matches finite differences`, () => {
        const net = new LayeredNet(k(), spec(arch), 3, N, dbl);
        fillBatch(net, 1);
        meanLoss(net);
        net.backward(N);
        const pick = tsRandom(7, "gradcheck-entries");
        for (const e of net.paramEntries()) {
          const g = e.g.view.slice(),
            p = e.p.view;
          const idx = Array.from({ length: Math.min(12, p.length) }, () => pick.int(p.length));
          const an: number[] = [],
            fd: number[] = [];
          for (const i of idx) {
            const h = 2e-3,
              old = p[i];
            p[i] = old + h;
            const lp = meanLoss(net);
            p[i] = old - h;
            const lm = meanLoss(net);
            p[i] = old;
            an.push(g[i]);
            fd.push((lp - lm) / (2 * h));
          }
          // f32 forward passes: errors relative to the tensor's largest gradient; a ReLU or
          // pooling kink inside +-h can spoil one entry, so 11 of 12 must agree within 2 %
          const scale = Math.max(1e-3, ...an.map(Math.abs), ...fd.map(Math.abs));
          const good = an.filter((a, j) => Math.abs(a - fd[j]) <= 0.02 * scale).length;
          expect(
            good,
            `${e.name}: analytic ${an.map((v) => v.toExponential(2)).join(",")} vs fd ${fd.map((v) => v.toExponential(2)).join(",")}`,
          ).toBeGreaterThanOrEqual(idx.length - 1);
        }
      });

  function gradients(method: MethodName, arch: "conv" | "mlp", setB: (net: LayeredNet) => void): Map<string, Float32Array> {
    const net = new LayeredNet(k(), spec(arch, method), 5, N);
    setB(net);
    fillBatch(net, 2);
    meanLoss(net);
    net.backward(N);
    return new Map(net.paramEntries().map((e) => [e.name, e.g.view.slice()]));
  }

  it("FA, KP and bp_w_fa with B := W and SCFA with B := |W| on fc layers give exactly the BP gradients", () => {
    const bp = gradients("bp", "conv", () => undefined);
    const copyW = (abs: boolean) => (net: LayeredNet) => {
      for (const l of net.convs) if (l.B) l.B.view.set(l.W.view); // conv2 is FA under every non-BP method
      for (const l of net.fcs) if (l.B) l.B.view.set(abs ? l.W.view.map(Math.abs) : l.W.view);
    };
    for (const [m, abs] of [
      ["fa", false],
      ["scfa", true],
      ["kp", false],
      ["bp_w_fa", false],
    ] as const) {
      const g = gradients(m, "conv", copyW(abs));
      for (const [name, v] of bp) expect(Array.from(g.get(name)!), `${m} ${name}`).toEqual(Array.from(v));
    }
  });

  it("FA with a random B changes the gradients below the top layer only", () => {
    const bp = gradients("bp", "mlp", () => undefined);
    const fa = gradients("fa", "mlp", () => undefined);
    // the top layer's W gradient needs no feedback matrix; fc1 gets its error through B of fc2
    expect(Array.from(fa.get("fc3.W")!)).toEqual(Array.from(bp.get("fc3.W")!));
    expect(Array.from(fa.get("fc1.W")!)).not.toEqual(Array.from(bp.get("fc1.W")!));
  });

  it("KP: B steps with W's gradient, so one step from zero momentum gives W - B -> (1 - lr wd)(W - B)", () => {
    const net = new LayeredNet(k(), spec("mlp", "kp"), 9, N);
    fillBatch(net, 3);
    const d0 = net.fcs.map((l) => l.W.view.map((w, i) => w - l.B!.view[i]));
    net.trainBatch(N, 0.1, 0.9);
    net.fcs.forEach((l, j) => {
      for (let i = 0; i < l.W.length; i += 3) expect(l.W.view[i] - l.B!.view[i]).toBeCloseTo(d0[j][i] * (1 - 0.1 * 0.001), 5);
    });
  });
});
