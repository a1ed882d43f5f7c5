// Public API of the stdd experiment (browser-safe: no fs).
export { exactRawStdd, buildChain, stationary, stationaryPostSpike, fireProbF64 } from "../../analysis/stdd/markov.js";
export { monteCarloRawStdd, PairHistogram } from "../../analysis/stdd/montecarlo.js";
export { finalizeStdd, tvd, noiseTvd, updateStdErr, timeConvention, lags } from "../../analysis/stdd/stdd.js";
export type { PairParams, RawStdd, Stdd, FinalizeOptions, Ties } from "../../analysis/stdd/stdd.js";
export { salWindow, expectedSalUpdate, type SalWindow } from "../../learning/sal.js";
export { nullcline, nullclineDeviation, relativeNullclineDeviation, upscaleField, notAKnotSpline } from "../../analysis/stdd/phase.js";
export { runStdd, stddForPair, type StddRun, type PairResult, type PhasePlane, type StddPairMetrics } from "./run.js";
export { stddSummary, stddLines, writeStddOutputs } from "./report.js";
export { stddConfigSchema, STDD_PRESETS, STDD_PRESET_NAMES, gridValues, type StddConfig } from "./config.js";
export { stddPlot, phasePlot, deviationHeatMap, sweepExamplesPlot, sweepNullclinePlot } from "./plots.js";
export { modelParams, checkModel, type ModelFields } from "./model.js";
export {
  runSweep,
  runSweepUnit,
  sweepUnits,
  finishSweep,
  sweepExamples,
  sweepMetrics,
  type SweepRun,
  type SweepUnit,
  type SweepUnitResult,
  type SweepMetrics,
} from "./sweep.js";
export { PSP_SHAPES, pspValue, pspTable, defaultPspLength, type PspShape, type PspTail, type PspSpec } from "../../models/psp.js";
export { stddSession, weightPairs, phasePlane, pairMetrics } from "./run.js";
export { stddExperiment } from "./experiment.js";
