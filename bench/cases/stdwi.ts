// Bench cases of the inference comparison (issue 12): the STDWI toy per
// 0.25-ms step, and `infer --method all` at 10 s per method (the authors'
// notebook at 100 s: about 174 s SAL, 17 s RDD, 34 s STDWI; goal: all three
// at 100 s in under 5 s, i.e. under 0.5 s per call here).
import { StdwiNet } from "../../src/models/stdwiNet.js";
import { inferWeights, runInfer } from "../../src/experiments/infer/run.js";
import { INFER_PRESETS, inferConfigSchema } from "../../src/experiments/infer/config.js";
import type { BenchCase } from "../types.js";

export const cases: BenchCase[] = [
  {
    name: "stdwi-toy",
    size: "50-50",
    unit: "step",
    opsPerCall: 20_000,
    setup(k) {
      const { W, B0 } = inferWeights(50, 43);
      const net = new StdwiNet(k, 50, 50, {}, 1);
      net.setForward(W);
      net.setFeedback(B0);
      return () => net.run(20_000);
    },
  },
  {
    name: "infer-all",
    size: "10 s per method",
    unit: "run",
    opsPerCall: 1,
    setup(k) {
      const cfg = inferConfigSchema.parse({ ...(INFER_PRESETS.paper as object), preset: "paper", seconds: 10 });
      return () => {
        runInfer(k, cfg);
      };
    },
  },
];
