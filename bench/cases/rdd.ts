// Bench case of the RDD network (issue 12), ns per 1-ms step: the deep-net
// RDD phase on the conv net's fc layers [1600, 384, 192, 10] (the authors'
// numpy code: about 1.7 ms per step; goal 50 us). One call drives each of
// populations 0, 1, 2 for 400 steps (the phase's three segments in
// miniature); the forward weights are PyTorch-initialised.
import { RddNet } from "../../src/models/rddNet.js";
import { alignInit } from "../../src/experiments/align/run.js";
import type { BenchCase } from "../types.js";

const SEG = 400;

export const cases: BenchCase[] = [
  {
    name: "rdd-phase",
    size: "1600-384-192-10",
    unit: "step",
    opsPerCall: 3 * SEG,
    setup(k) {
      const layers = [1600, 384, 192, 10];
      const { W, B } = alignInit(layers, 1);
      const net = new RddNet(k, layers, {}, 3);
      W.forEach((w, l) => {
        net.setForward(l, w);
        net.setFeedbackFc(l, B[l]);
      });
      net.resetPhase();
      return () => {
        for (let p = 0; p < 3; p++) {
          net.drive(p);
          net.run(SEG);
        }
      };
    },
  },
];
