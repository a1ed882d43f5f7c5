// Public API of the microcircuit experiment (browser-safe: no fs).
export {
  microcircuitConfigSchema,
  MICROCIRCUIT_PRESETS,
  FEEDBACKS,
  PAPER_SEED_BASE,
  PAPER_TEACHER_SEED,
  isMicrocircuitAuthorLayout,
  fromMicrocircuitAuthorLayout,
  type Feedback,
  type McConfig,
} from "./config.js";
export {
  runMicrocircuit,
  runCondition,
  conditionsOf,
  runSeed,
  makeTask,
  studentInit,
  modelParams,
  type MicrocircuitResult,
  type RunResult,
  type EpochMetrics,
} from "./run.js";
export { microcircuitSummary, microcircuitLines, writeMicrocircuitOutputs, figures } from "./report.js";
export { alignment, quantile } from "./metrics.js";
export { McSession } from "./session.js";
export { microcircuitExperiment } from "./experiment.js";
