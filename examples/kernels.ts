import { createBackend } from "spike-align";

// A recurrent network of sampling neurons straight on the kernels; wasm and js give bit-identical results.
const k = await createBackend("wasm");
const n = 3,
  aC = new Float32Array(n * n).fill(-1),
  aA = new Float32Array(n * n).fill(1);
const net = k.samplingCreate(
  {
    n,
    tRef: 50,
    pspLength: 49, // ssn convention: PSP 0 < d < 50, re-spike after 50 steps
    minIsi: 51,
    sampleEvery: 25,
    onLength: 50,
    recordCapacity: 1000,
    stdp: [{ shape: "exponential", tau: 50, length: 250, pairing: "nearest", countZero: false, aCausal: aC, aAnti: aA }],
  },
  42,
);
net.W.view.set([0, 0.8, 0, 0.2, 0, 0.5, 0, -0.5, 0]); // W[post, pre], row-major
net.b.view.set([-0.5, -0.2, 0.1]);
k.samplingRestart(net); // after changing W or b: fresh run at t = 0
k.samplingRun(net, 100_000);
console.log("state counts", Array.from(net.hist!.view)); // 2^n states, neuron 0 = most significant bit
console.log("SAL sums S[0,1], S[1,0]", net.stdpSum[0].view[1], net.stdpSum[0].view[3]); // W01 > W10: S[0,1] < 0 < S[1,0]
console.log("spikes", Array.from(net.spikeCount.view.subarray(0, n)));
