// A teacher-network task (labels from a random tanh network on random
// pixels): BP, FA, KP and SCFA all learn it; KP's B converges to W (small
// angle on every layer) while FA's B stays far from W on the lower layers,
// where W never sees B (fc1 of an MLP has no input gradient). Fixed seeds,
// short runs on the wasm backend.
import { beforeAll, describe, expect, it } from "vitest";
import { createBackend } from "../../src/backend/index.js";
import type { Kernels } from "../../src/backend/index.js";
import { runTrain } from "../../src/experiments/train/run.js";
import type { MethodName } from "../../src/learning/feedback.js";
import { teacherData, trainCfg } from "./synthetic.js";

const data = teacherData(11, 8000, 1000, 1, 8, 8, 6);

describe("teacher task (mlp 64-48-32-6)", () => {
  let k: Kernels;
  const results = new Map<MethodName, ReturnType<typeof runTrain>>();
  beforeAll(async () => {
    k = await createBackend("wasm");
    for (const method of ["bp", "fa", "kp", "scfa"] as const) {
      const cfg = trainCfg({
        method,
        arch: "mlp",
        hidden: [48, 32],
        epochs: 10,
        batch: 32,
        lr: 0.05,
        doubleSoftmax: false,
        seed: 4,
        fcWeightDecay: method === "kp" ? 0.01 : undefined,
      });
      results.set(method, runTrain(k, cfg, data));
    }
  });

  it("every method learns: test accuracy well above chance (1/6) and the loss falls", () => {
    for (const [m, r] of results) {
      const ms = r.state.metrics;
      expect(ms[ms.length - 1].testAccuracy, m).toBeGreaterThan(60);
      expect(ms[ms.length - 1].trainLoss, m).toBeLessThan(0.6 * Math.log(6));
    }
  });

  it("KP: B converges to W on every layer; FA: the first layer's B stays near 90 degrees from W", () => {
    const kp = results.get("kp")!.state,
      fa = results.get("fa")!.state;
    for (const a of kp.initial) expect(a.angleDeg).toBeGreaterThan(70);
    for (const a of kp.metrics[kp.metrics.length - 1].fc) expect(a.angleDeg, a.layer).toBeLessThan(15);
    const faLast = fa.metrics[fa.metrics.length - 1].fc;
    expect(faLast[0].angleDeg).toBeGreaterThan(80);
    // the top layer's W does align with its fixed B (feedback alignment), a little
    expect(faLast[2].angleDeg).toBeLessThan(fa.initial[2].angleDeg);
  });

  it("BP reports B := W (angle 0, sign agreement 1); SCFA's B keeps W's signs in use but is non-negative", () => {
    const bp = results.get("bp")!.state.metrics.at(-1)!.fc;
    for (const a of bp) {
      expect(a.angleDeg).toBe(0);
      expect(a.signAgreement).toBe(1);
    }
    const scfa = results.get("scfa")!;
    for (const l of scfa.fc) expect(Math.min(...l.B!)).toBeGreaterThanOrEqual(0);
  });
});
