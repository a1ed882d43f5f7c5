// Thin adapter: the network's buffers live in wasm memory (samplingState.ts);
// one call of assembly/sampling.ts `samplingRun` advances a whole run.
import type { Arena } from "../types.js";
import type { SamplingKernels } from "../sampling.js";
import { SamplingState, samplingState } from "../samplingState.js";
import { PopulationState, populationState } from "../populationState.js";
import type { WasmContext } from "./instance.js";

export function samplingKernels({ exports: ex }: WasmContext, arena: Arena): SamplingKernels {
  return {
    samplingCreate: (spec, seed) => new SamplingState(spec, arena, seed, (s) => ex.samplingTable(s.hdr.ptr)),
    samplingRestart: (net) => samplingState(net).restart(),
    samplingClear: (net) => samplingState(net).clear(),
    samplingRun(net, steps) {
      const s = samplingState(net);
      s.checkSteps(steps);
      ex.samplingRun(s.hdr.ptr, steps);
    },
    populationCreate: (n, tRef, minIsi, seed) => new PopulationState(n, tRef, minIsi, arena, seed),
    populationSetPotentials: (p, u) => populationState(p).setPotentials(u),
    populationRun(p, steps) {
      const s = populationState(p);
      s.checkSteps(steps);
      ex.populationRun(s.hdr.ptr, steps);
    },
  };
}
