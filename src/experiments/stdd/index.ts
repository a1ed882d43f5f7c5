// Public API of the stdd experiment (browser-safe: no fs).
export { exactRawStdd, buildChain, stationary, fireProbF64 } from "./markov.js";
export { monteCarloRawStdd, PairHistogram } from "./montecarlo.js";
export { finalizeStdd, expectedUpdate, salKernel, tvd, noiseTvd, updateStdErr, timeConvention, lags } from "./stdd.js";
export type { PairParams, RawStdd, Stdd, SalWindow, FinalizeOptions } from "./stdd.js";
export { nullcline, nullclineDeviation } from "./phase.js";
export { runStdd, runPair, type StddRun, type PairResult, type PhasePlane } from "./run.js";
export { StddConfigSchema, STDD_PRESETS, type StddConfig } from "./config.js";
export { stddPlot, phasePlot } from "./plots.js";
