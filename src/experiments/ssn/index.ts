// Public API of the SSN experiment (browser-safe: no fs).
export {
  ssnConfigSchema,
  SSN_PRESETS,
  SSN_PRESET_NAMES,
  gridRun,
  noiseOverride,
  fromAuthorLayout,
  isAuthorLayout,
  type SsnConfig,
} from "./config.js";
export { buildProblem, targetStats, dkl, asym, type Problem } from "./problem.js";
export { runSsn, SsnSession, createSsnNet, MAX_EXACT_DIM, type SsnMetrics, type SsnState, type SsnResult, type SsnHooks } from "./run.js";
export { ssnSummary, ssnLine, writeSsnOutputs, type SsnSummary } from "./report.js";
export { ssnExperiment, ssnUnsound } from "./experiment.js";
