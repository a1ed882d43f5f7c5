// Bench cases of the sampling-network family (issues 3 and 4): the recurrent
// event-driven step with dense weights (n = 10/100/1000), the population
// kernel without recurrent weights (10/1000/100000 neurons) and the SSN
// minimal workload (dim 7, t_ref 50, ws + SAL triangular STDP, a state sample
// every 25 steps; ns per step). Each case's `setup(k)` builds its state on
// backend `k` and returns a function that does `opsPerCall` steps.
import type { Kernels } from "../../src/backend/index.js";
import type { SamplingNet } from "../../src/backend/sampling.js";
import type { StdpRuleSpec } from "../../src/learning/stdp.js";
import type { BenchCase } from "../types.js";

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function triangular(n: number, sign: number, noise: number, seed: number): StdpRuleSpec {
  const r = lcg(seed);
  const aCausal = new Float32Array(n * n),
    aAnti = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const a = 1 + noise * (2 * r() - 1);
    aCausal[i] = sign * a;
    aAnti[i] = a;
  }
  return { shape: "triangular", tau: 50, length: 50, pairing: "nearest", countZero: false, aCausal, aAnti };
}

/** The SSN minimal workload: dim 7, t_ref = tau_syn = 50, ws + SAL rules, a state sample every 25 steps, target-like weights. */
export function ssnMinimalNet(k: Kernels, seed = 1): SamplingNet {
  const n = 7;
  const net = k.samplingCreate(
    {
      n,
      tRef: 50,
      pspLength: 49,
      minIsi: 51,
      sampleEvery: 25,
      onLength: 50,
      recordCapacity: 0,
      stdp: [triangular(n, 1, 0.05, 11), triangular(n, -1, 0.05, 12)],
    },
    seed,
  );
  const r = lcg(seed + 100);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = 2 * r() - 1;
      net.W.view[i * n + j] = w;
      net.W.view[j * n + i] = w;
    }
    net.b.view[i] = 2 * r() - 1;
  }
  k.samplingRestart(net);
  return net;
}

/** A recurrent network of n neurons with dense random weights (scaled by 1/sqrt(n)), no STDP, no sampling. */
export function denseNet(k: Kernels, n: number, seed = 1): SamplingNet {
  const net = k.samplingCreate({ n, tRef: 50, pspLength: 49, minIsi: 51, sampleEvery: 0, onLength: 50, recordCapacity: 0, stdp: [] }, seed);
  const r = lcg(seed + 7),
    sc = 2 / Math.sqrt(n);
  for (let i = 0; i < n * n; i++) net.W.view[i] = sc * (2 * r() - 1);
  for (let i = 0; i < n; i++) net.b.view[i] = -1 + (2 * r() - 1) * 0.5;
  k.samplingRestart(net);
  return net;
}

const SSN_EPOCH = 50_000;

export const cases: BenchCase[] = [
  ...[10, 100, 1000]
    .map((n) => ({ n, steps: n >= 1000 ? 200 : 2000 }))
    .map(({ n, steps }) => ({
      name: "sampling-step",
      size: n,
      unit: "step",
      opsPerCall: steps,
      setup(k: Kernels) {
        const net = denseNet(k, n);
        return () => {
          if (net.time() > 1e9) k.samplingRestart(net);
          k.samplingRun(net, steps);
        };
      },
    })),
  ...[10, 1000, 100_000]
    .map((n) => ({ n, steps: n >= 100_000 ? 10 : 1000 }))
    .map(({ n, steps }) => ({
      name: "population",
      size: n,
      unit: "step",
      opsPerCall: steps,
      setup(k: Kernels) {
        const p = k.populationCreate(n, 50, 51, 3);
        const r = lcg(5);
        k.populationSetPotentials(
          p,
          Array.from({ length: n }, () => 4 * r() - 3),
        );
        return () => k.populationRun(p, steps);
      },
    })),
  {
    name: "ssn-minimal",
    size: 7,
    unit: "step",
    opsPerCall: SSN_EPOCH,
    setup(k: Kernels) {
      const net = ssnMinimalNet(k);
      // one epoch = a fresh sleep run of 50,000 steps, as the SSN experiment does
      return () => {
        k.samplingRestart(net);
        k.samplingClear(net);
        k.samplingRun(net, SSN_EPOCH);
      };
    },
  },
];
