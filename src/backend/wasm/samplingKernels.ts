// Thin adapter: the network's buffers live in wasm memory (samplingLayout.ts);
// one call of assembly/sampling.ts `samplingRun` advances a whole run.
import type { Arena } from "../types.js";
import type { PopulationNet, SamplingKernels, SamplingNet } from "../sampling.js";
import { SamplingState } from "../samplingLayout.js";
import { PopulationState } from "../populationLayout.js";
import type { WasmContext } from "./instance.js";

function st(net: SamplingNet): SamplingState {
  if (!(net instanceof SamplingState)) throw new TypeError("sampling: not a network created by samplingCreate");
  return net;
}

function pop(p: PopulationNet): PopulationState {
  if (!(p instanceof PopulationState)) throw new TypeError("population: not a population created by populationCreate");
  return p;
}

export function samplingKernels({ exports: ex }: WasmContext, arena: Arena): SamplingKernels {
  return {
    samplingCreate: (spec, seed) => new SamplingState(spec, arena, seed, (s) => ex.samplingTable(s.hdr.ptr)),
    samplingRestart: (net) => st(net).restart(),
    samplingClear: (net) => st(net).clear(),
    samplingRun(net, steps) {
      const s = st(net);
      s.checkSteps(steps);
      ex.samplingRun(s.hdr.ptr, steps);
    },
    populationCreate: (n, tRef, minIsi, seed) => new PopulationState(n, tRef, minIsi, arena, seed),
    populationSetPotentials: (p, u) => pop(p).setPotentials(u),
    populationRun(p, steps) {
      const s = pop(p);
      s.checkSteps(steps);
      ex.populationRun(s.hdr.ptr, steps);
    },
  };
}
