// Browser-safe entry: kernels, models and experiments without Node's fs or
// the CLI. Everything here runs in a web page (the wasm binary is embedded).
export { createBackend } from "./backend/index.js";
export type { Kernels, BackendName, Buf, F32Buf, F64Buf, I32Buf, U32Buf, DType, BackendOptions } from "./backend/index.js";
export type { SamplingKernels, SamplingNet, SamplingNetSpec, PopulationNet } from "./backend/sampling.js";
export type { StdpRuleSpec } from "./learning/stdp.js";
export { subSeed, tsRandom } from "./rng/seeds.js";
export { linePlot, barPlot, scatterPlot } from "./report/svg.js";
export { encodeNpy } from "./io/npy.js";
export { UsageError } from "./errors.js";
export * as stdd from "./experiments/stdd/index.js";
export * as align from "./experiments/align/index.js";
export * as infer from "./experiments/infer/index.js";
export { SalNet } from "./models/salNet.js";
export { RddNet } from "./models/rddNet.js";
export { StdwiNet } from "./models/stdwiNet.js";
export { createSalPhase, createRddPhase, SAL_PHASE_DEFAULTS, RDD_PHASE_DEFAULTS } from "./models/spikingPhases.js";
export type { FcParams, SpikingPhase, SpikingPhaseReport, SalPhaseOptions, RddPhaseOptions } from "./models/spikingPhases.js";
export * as pair from "./experiments/pair/index.js";
export * as train from "./experiments/train/index.js";
export * as ei from "./experiments/ei/index.js";
export * as ssn from "./experiments/ssn/index.js";
export * as microcircuit from "./experiments/microcircuit/index.js";
export { createRun, runConfig, RUN_NAMES } from "./experiments/session.js";
export type { ExperimentRun, RunName, RunRows, RunConfigs, RunSummaries, RunInputs, RunOptions } from "./experiments/session.js";
export { EXPERIMENTS, EXPERIMENT_NAMES, experiment } from "./experiments/index.js";
export type { ExperimentName, Experiments } from "./experiments/index.js";
export type { Experiment, SomeExperiment, Stepper, InputIo } from "./experiments/descriptor.js";
