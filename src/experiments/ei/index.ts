// Public API of the ei experiment (browser-safe: no fs).
export { eiConfigSchema, EI_PRESETS, EI_PRESET_NAMES, type EiConfig } from "./config.js";
export {
  runEi,
  runEiUnit,
  finishEi,
  eiUnits,
  unitSteps,
  checkEiConfig,
  simulateEi,
  eiParams,
  eiMetrics,
  type EiRun,
  type EiUnit,
  type EiUnitResult,
  type EiSimResult,
  type EiMetrics,
  type EiRates,
  type EiKernels,
} from "./run.js";
export { eiSummary, writeEiOutputs, eiLines, eiPhasePlot } from "./report.js";
export {
  effectiveWeight,
  effectiveOffsets,
  inhibitoryPath,
  eiWeightMatrix,
  EI_NEURONS,
  type EiParams,
  type EiWeights,
  type EiBiases,
} from "../../models/eiSystem.js";
export { eiSession } from "./session.js";
export { eiExperiment } from "./experiment.js";
