// Every experiment, listed once. An experiment is a folder
// src/experiments/<name>/ whose index.ts exports its descriptor
// (src/experiments/descriptor.ts), and one line in this list; the registry
// below, the step-able runs (createRun, session.ts), the sweep's experiments
// and the CLI's commands (src/cli/run/) all come from it
// (docs/contributing/new-experiment.md).
//
// The order is that of a sweep file's `command` (its error message lists them).
import type { SomeExperiment } from "./descriptor.js";
import { ssnExperiment } from "./ssn/index.js";
import { pairExperiment } from "./pair/index.js";
import { stddExperiment } from "./stdd/index.js";
import { microcircuitExperiment } from "./microcircuit/index.js";
import { alignExperiment } from "./align/index.js";
import { inferExperiment } from "./infer/index.js";
import { eiExperiment } from "./ei/index.js";
import { trainExperiment } from "./train/index.js";

export const EXPERIMENT_LIST = [
  ssnExperiment,
  pairExperiment,
  stddExperiment,
  microcircuitExperiment,
  alignExperiment,
  inferExperiment,
  eiExperiment,
  trainExperiment,
] as const;

type Listed = (typeof EXPERIMENT_LIST)[number];
export type ExperimentName = Listed["name"];
/** Every experiment by name, each with its own config, result, metrics, summary and input types. */
export type Experiments = { readonly [E in Listed as E["name"]]: E };

export const EXPERIMENTS = Object.fromEntries(EXPERIMENT_LIST.map((e) => [e.name, e])) as Experiments;
export const EXPERIMENT_NAMES: readonly ExperimentName[] = EXPERIMENT_LIST.map((e) => e.name);

/** Whether `name` is an experiment's. */
export function isExperimentName(name: string): name is ExperimentName {
  return Object.hasOwn(EXPERIMENTS, name);
}

/** The experiment called `name` (types erased), or undefined. */
export function experiment(name: string): SomeExperiment | undefined {
  return isExperimentName(name) ? EXPERIMENTS[name] : undefined;
}

export type { SomeExperiment } from "./descriptor.js";
