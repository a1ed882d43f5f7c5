// Public API of the pair experiment (browser-safe: no fs).
export { pairConfigSchema, PAIR_PRESETS, type PairConfig } from "./config.js";
export { runPair, PairSession, type PairResult, type PairEpoch } from "./run.js";
export { pairSummary, pairLine, writePairOutputs, type PairSummary } from "./report.js";
export { pairExperiment } from "./experiment.js";
