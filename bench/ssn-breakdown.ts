// Where a step of the SSN minimal workload (bench case ssn-minimal) goes on one backend: the same
// network with parts switched off, ns per step as the best of 7 batches of 25 epochs:
//   npx tsc -p tsconfig.json && node dist/bench/ssn-breakdown.js [wasm|js]
// Differences between the rows estimate the STDP, state-sample and spike costs; "no spikes" (all
// biases -40, no weights) is the floor of the draw loop.
// bench/README.md#where-the-network-kernels-stand quotes them.
import { createBackend, type BackendName } from "../src/backend/index.js";
import type { Kernels } from "../src/backend/index.js";
import type { SamplingNet } from "../src/backend/sampling.js";
import { ssnMinimalNet } from "./cases/sampling.js";

const EPOCH = 50_000;

function variant(k: Kernels, stdp: boolean, sampleEvery: number, silent: boolean): SamplingNet {
  const base = ssnMinimalNet(k);
  const net = k.samplingCreate({ ...base.spec, stdp: stdp ? base.spec.stdp : [], sampleEvery }, 1);
  net.W.view.set(silent ? new Float32Array(base.W.view.length) : base.W.view);
  net.b.view.set(silent ? new Float32Array(base.b.view.length).fill(-40) : base.b.view);
  return net;
}

function nsPerStep(k: Kernels, net: SamplingNet, epochs: number): { ns: number; spikesPerStep: number } {
  const epoch = () => {
    k.samplingRestart(net);
    k.samplingClear(net);
    k.samplingRun(net, EPOCH);
  };
  epoch();
  let best = Infinity;
  for (let rep = 0; rep < 7; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < epochs; i++) epoch();
    best = Math.min(best, ((performance.now() - t0) * 1e6) / (epochs * EPOCH));
  }
  const spikes = Array.from(net.spikeCount.view).reduce((a, b) => a + b, 0);
  return { ns: best, spikesPerStep: spikes / EPOCH };
}

const arg = process.argv[2] ?? "wasm";
if (arg !== "wasm" && arg !== "js") {
  process.stderr.write(`ssn-breakdown: unknown backend ${arg}; use wasm or js\n`);
  process.exit(2);
}
const name: BackendName = arg;
const k = await createBackend(name);
const epochs = name === "wasm" ? 25 : 3;
const rows: [string, boolean, number, boolean][] = [
  ["full (ws + SAL STDP, samples every 25)", true, 25, false],
  ["no STDP", false, 25, false],
  ["no samples", true, 0, false],
  ["no STDP, no samples", false, 0, false],
  ["no spikes, samples", false, 25, true],
  ["no spikes (floor)", false, 0, true],
];
process.stdout.write(`ssn-minimal breakdown, ${name} backend (ns per step, best of 7 x ${epochs} epochs of ${EPOCH} steps)\n`);
for (const [label, stdp, every, silent] of rows) {
  const m = k.mark();
  const r = nsPerStep(k, variant(k, stdp, every, silent), epochs);
  k.release(m);
  process.stdout.write(`${label.padEnd(40)} ${r.ns.toFixed(2).padStart(7)}  spikes/step ${r.spikesPerStep.toFixed(4)}\n`);
}
