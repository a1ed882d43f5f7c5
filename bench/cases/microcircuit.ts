// Bench cases of the spiking cortical microcircuit (issue 5): one training
// pattern (forward rule, nudged output) and one SAL symmetrization pattern,
// 1-1-1 (the paper's size; target <= 30 ns/step on wasm) and 5-10-3 (`wide`).
// ns per simulated step.
import type { BenchCase } from "../types.js";
import { Microcircuit } from "../../src/models/microcircuit.js";
import type { McParams } from "../../src/models/microcircuit.js";

const STEPS = 20_000;

function params(dims: [number, number, number]): McParams {
  return {
    dims,
    tRef: 10,
    tauSyn: 10,
    sizeMovingAverage: 2000,
    lambdaApi: 0.02,
    lambdaNudge: 0.6,
    eta1: 0.2,
    eta2: 0.003,
    etaB: 0.001,
    aCausal: -1,
    aAnti: 1,
    tauCausal: 10,
    tauAnti: 10,
  };
}

function mcCase(name: string, dims: [number, number, number], phase: "train" | "sal"): BenchCase {
  return {
    name,
    size: dims.join("-"),
    unit: "step",
    opsPerCall: STEPS,
    setup(k) {
      const [n0, n1, n2] = dims;
      let s = 12345;
      const r = () => {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        return (s / 2 ** 32) * 4 - 2;
      };
      const mat = (a: number, b: number) => Array.from({ length: a }, () => Array.from({ length: b }, r));
      const net = new Microcircuit(k, params(dims), 1);
      net.setWeights({
        W10: mat(n1, n0),
        W21: mat(n2, n1),
        B12: mat(n1, n2),
        b1: new Array<number>(n1).fill(-1),
        b2: new Array<number>(n2).fill(-1),
      });
      if (phase === "sal") {
        net.setLambdaApi(1);
        net.cutInterneurons();
      }
      const x = Array.from({ length: n0 }, r),
        tgt = Array.from({ length: n2 }, () => 0.2);
      return () => {
        net.runPattern(x, { target: tgt, steps: STEPS, lag: 2000, forward: phase === "train", sal: phase === "sal" });
      };
    },
  };
}

export const cases: BenchCase[] = [
  mcCase("microcircuit-train", [1, 1, 1], "train"),
  mcCase("microcircuit-sal", [1, 1, 1], "sal"),
  mcCase("microcircuit-train", [5, 10, 3], "train"),
];
