// Fixtures of the sampling-kernel conformance tests (test/conformance/sampling*.test.ts):
// a small LCG for reproducible values, random STDP rules and weights, and the spike record.
import type { SamplingNet } from "../../src/backend/sampling.js";
import type { StdpRuleSpec } from "../../src/learning/stdp.js";

/** Uniform numbers in [0, 1) from a 32-bit LCG (fixtures only; the kernels draw from xoshiro128**). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** An exponential nearest-pairing rule with amplitudes -1 (causal) and +1 (anti-causal), each spread by +-noise/2. */
export function randomRule(n: number, over: Partial<StdpRuleSpec>, seed = 1, noise = 0.2): StdpRuleSpec {
  const r = lcg(seed);
  const aCausal = new Float32Array(n * n),
    aAnti = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) {
    aCausal[i] = -(1 + noise * (r() - 0.5));
    aAnti[i] = 1 + noise * (r() - 0.5);
  }
  return { shape: "exponential", tau: 10, length: 40, pairing: "nearest", countZero: false, aCausal, aAnti, ...over };
}

/** W uniform in [-scale, scale), b uniform in [bias - 0.5, bias + 0.5). */
export function randomWeights(net: SamplingNet, seed: number, scale = 1.5, bias = -0.5): void {
  const r = lcg(seed),
    n = net.spec.n;
  const W = net.W.view,
    b = net.b.view;
  for (let i = 0; i < n * n; i++) W[i] = scale * (2 * r() - 1);
  for (let k = 0; k < n; k++) b[k] = bias + 0.5 * (2 * r() - 1);
}

/** The spikes recorded so far: times and neuron ids. */
export function record(net: SamplingNet): { t: number[]; id: number[] } {
  const m = net.recorded();
  return { t: Array.from(net.recTime!.view.subarray(0, m)), id: Array.from(net.recId!.view.subarray(0, m)) };
}
