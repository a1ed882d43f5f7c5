import { createBackend, createRun } from "spike-align/browser";

// wasm SIMD where the runtime has it (every current browser, Node >= 20), else the js backend.
const k = await createBackend("wasm");

// The ssn command's minimal preset, shortened: a 7-neuron sampling network
// learns a target distribution under plasticity noise, SAL on.
const run = createRun(k, "ssn", { preset: "minimal", epochs: 301 });
while (!run.done) {
  // a chunk of epochs at a time: a page's worker posts these rows and yields
  for (const row of run.advance(100)) console.log(`epoch ${row.epoch}: DKL ${row.dkl?.toFixed(3)}, ASYM ${row.asym.toFixed(4)}`);
}
const s = run.summary(); // the object `spike-align ssn --json` prints
console.log(`${run.steps} steps on ${s.backend}: DKL ${s.initial.dkl?.toFixed(3)} -> ${s.final.dkl?.toFixed(3)}`);
run.dispose();
