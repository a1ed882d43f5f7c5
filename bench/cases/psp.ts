// Bench cases of issue 15: the sampling kernels' shaped-PSP loop (a neuron
// pair with alpha PSPs, as the Monte-Carlo STDD runs it, beside the same pair
// with the rectangle on the table loop), one phase plane of the psp-shapes
// sweep (100 exact chains, pure TS: both columns run the same code), and one
// simulation of the E-I system (4 neurons, spike record and E-E histogram).
import type { Kernels } from "../../src/backend/index.js";
import type { SamplingNetSpec } from "../../src/backend/sampling.js";
import { pspTable } from "../../src/models/psp.js";
import { STDD_PRESETS, stddConfigSchema } from "../../src/experiments/stdd/config.js";
import { runSweepUnit } from "../../src/experiments/stdd/sweep.js";
import { EI_PRESETS, eiConfigSchema } from "../../src/experiments/ei/config.js";
import { eiParams, simulateEi } from "../../src/experiments/ei/run.js";
import type { BenchCase } from "../types.js";

const PAIR_STEPS = 200_000;

function pair(k: Kernels, shaped: boolean) {
  const spec: SamplingNetSpec = {
    n: 2,
    tRef: 10,
    pspLength: 9,
    minIsi: 11,
    stdp: [],
    sampleEvery: 0,
    onLength: 10,
    recordCapacity: 0,
    psp: shaped ? Float32Array.from(pspTable({ shape: "alpha", tRef: 10, tauSyn: 5 })) : null,
  };
  const net = k.samplingCreate(spec, 1);
  net.W.view.set([0, 1.2, -0.8, 0]);
  net.b.view.set([0.3, -0.2]);
  k.samplingRestart(net);
  return () => {
    if (net.time() > 2 ** 29) k.samplingRestart(net);
    k.samplingRun(net, PAIR_STEPS);
  };
}

const PSP_SHAPES_CFG = stddConfigSchema.parse({ ...structuredClone(STDD_PRESETS["psp-shapes"]), preset: "psp-shapes" });
const EI_CFG = eiConfigSchema.parse({ ...structuredClone(EI_PRESETS.paper), preset: "paper" });
const EI_STEPS = 200_000;

export const cases: BenchCase[] = [
  { name: "sampling-pair-rect", size: 2, unit: "step", opsPerCall: PAIR_STEPS, setup: (k) => pair(k, false) },
  { name: "sampling-pair-alpha", size: 2, unit: "step", opsPerCall: PAIR_STEPS, setup: (k) => pair(k, true) },
  {
    name: "stdd-psp-plane",
    size: "alpha-long b -1/1",
    unit: "chain",
    opsPerCall: 100,
    // one unit of the psp-shapes sweep: 10 x 10 exact chains, spline upscaling, nullcline
    setup: () => () => void runSweepUnit(PSP_SHAPES_CFG, { shape: 2, i: 0, j: 8 }),
  },
  {
    name: "ei-simulation",
    size: 4,
    unit: "step",
    opsPerCall: EI_STEPS,
    setup(k) {
      const p = eiParams(EI_CFG, { e1_e2: 1, e2_e1: 1 });
      return () => void simulateEi(k, p, EI_STEPS, 3, { tau: 25, aCausal: -1, aAnti: 1 });
    },
  },
];
