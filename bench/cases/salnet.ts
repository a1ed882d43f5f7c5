// Bench cases of the layered SAL network (issue 12), ns per simulated step:
// the deep-net SAL phase (batch 32 copies of [1024, 384, 192, 10], the
// authors' PyTorch code: about 200 ms per step; goal 0.5 ms, done at 2 ms)
// and the standalone alignment run (batch 1 of [1600, 384, 192, 10]; theirs
// about 3.4 ms per step, goal 30 us). Weights as PyTorch initialises them;
// the network runs 300 steps before timing so that it is in its steady state.
import type { Kernels } from "../../src/backend/index.js";
import { SalNet } from "../../src/models/salNet.js";
import { alignInit } from "../../src/experiments/align/run.js";
import type { BenchCase } from "../types.js";

export function salBenchNet(k: Kernels, layers: number[], batch: number): SalNet {
  const { W, B, b } = alignInit(layers, 1);
  const net = new SalNet(k, { layers, batch, tRef: 10, windowLength: 20 }, 7);
  net.setInputBias(b[0]);
  net.setLayers(W.map((w, l) => ({ W: w, B: B[l], b: b[l + 1] })));
  net.run(300);
  return net;
}

function salCase(name: string, layers: number[], batch: number, steps: number): BenchCase {
  return {
    name,
    size: `${layers.join("-")} x${batch}`,
    unit: "step",
    opsPerCall: steps,
    setup(k) {
      const net = salBenchNet(k, layers, batch);
      return () => net.run(steps);
    },
  };
}

export const cases: BenchCase[] = [
  salCase("salnet-phase", [1024, 384, 192, 10], 32, 20),
  salCase("salnet-align", [1600, 384, 192, 10], 1, 500),
];
