// Public API of the stdd experiment (browser-safe: no fs).
export { exactRawStdd, buildChain, stationary, fireProbF64 } from "./markov.js";
export { monteCarloRawStdd, PairHistogram } from "./montecarlo.js";
export { finalizeStdd, tvd, noiseTvd, updateStdErr, timeConvention, lags } from "./stdd.js";
export type { PairParams, RawStdd, Stdd, FinalizeOptions } from "./stdd.js";
export { salWindow, expectedSalUpdate, type SalWindow } from "../../learning/sal.js";
export { nullcline, nullclineDeviation } from "./phase.js";
export { runStdd, stddForPair, type StddRun, type PairResult, type PhasePlane, type StddPairMetrics } from "./run.js";
export { stddSummary, stddLines, writeStddOutputs } from "./report.js";
export { stddConfigSchema, STDD_PRESETS, STDD_PRESET_NAMES, gridValues, type StddConfig } from "./config.js";
export { stddPlot, phasePlot } from "./plots.js";
export { StddSession, weightPairs, phasePlane, pairMetrics } from "./session.js";
