// The deep-net training experiment (docs/models/deep-nets.md): config and
// presets, the run, its outputs and checkpoints; the network and feedback rules
// it uses.
export * from "./config.js";
export * from "./run.js";
export * from "./report.js";
export * from "./checkpoint.js";
export { LayeredNet } from "../../models/layered/net.js";
export type { LayeredSpec } from "../../models/layered/spec.js";
export { METHODS, METHOD_NAMES } from "../../learning/feedback.js";
export type { FeedbackPhase, FeedbackLayer, PhaseReport, MethodName } from "../../learning/feedback.js";
export * from "./experiment.js";
