// The shape of an experiment: everything the code that runs experiments by
// name needs to know about one, in one object (its `<name>Experiment`,
// exported from src/experiments/<name>/index.ts and listed once in
// src/experiments/index.ts). From that list come the registry, the step-able
// runs (`createRun`, session.ts), the sweep's experiments (src/cli/sweep/) and
// the CLI's commands (src/cli/run/). docs/contributing/new-experiment.md has
// the recipe.
//
// Type parameters: N the name, C the config (the schema's output), R the
// result of a whole run, M a metrics line (metrics.jsonl), S the summary
// object (summary.json, the --json line), I what a run reads besides its
// config (train: the dataset; undefined for the others).
//
// Browser-safe: nothing here, nor in a descriptor, touches Node's built-ins;
// an experiment that reads files says how in `loadInput`, and the Node side
// hands it the loaders (InputIo).
import type { z } from "zod";
import type { BackendName, Kernels } from "../backend/index.js";
import type { Bound } from "../config/numbers.js";
import type { loadDataset } from "../data/datasets.js";
import type { OutDir } from "../io/out.js";
import type { RunHooks } from "./types.js";

/**
 * What a step-able run counts: epochs, units (stdd: a weight pair or a sweep's bias pair; ei: a simulation)
 * or simulated seconds (infer).
 */
export type RunUnit = "epoch" | "unit" | "second";

/** A run opened for stepping (createRun drives it). */
export interface Stepper<S> {
  /** Units of the whole run. */
  readonly total: number;
  /** Units done. */
  position(): number;
  /** Simulated time steps so far (per network copy; 0 where nothing is simulated). */
  steps(): number;
  done(): boolean;
  /** Runs about `chunk` more units (whole natural steps of the experiment). */
  advance(chunk: number): void;
  /** The summary object of the run so far. */
  summary(): S;
  /** Frees the run's backend memory. */
  dispose(): void;
}

/** The loaders a Node caller hands an experiment that reads files (src/data/nodeIo.ts). */
export interface InputIo {
  loadDataset: typeof loadDataset;
}

/** An estimate of a run's needs, for the CLI's size guard (src/cli/resources.ts). */
export interface Estimate {
  /** The run in a few words ("dims 4096,4096,4096"). */
  what: string;
  /** Peak memory (bytes). */
  bytes: number;
  /** Of that, wasm linear memory (bytes; wasm32 holds at most 4 GiB). */
  wasmBytes?: number;
  /** Wall time of the first epoch (seconds). */
  firstEpochSeconds: number;
  /** What firstEpochSeconds covers (default "the first epoch"). */
  span?: string;
  /** Time per progress unit, shown when the first epoch is slow ("2.3 s per pattern"). */
  unit?: { seconds: number; name: string };
}

/** What stops a run of the CLI early: a metrics line whose state turned non-finite (exit 2). */
export interface MetricsGuard<M> {
  /** What is wrong with the line ("W01 is NaN"), or null. */
  check(row: M): string | null;
  /** The epoch the line belongs to (for the message). */
  epoch(row: M): number;
  /** The whole message, instead of "<name>: <problem> at epoch <epoch>; the run stops ...". */
  message?(row: M): string;
}

/** Where a run's console lines are printed from. */
export interface LineContext {
  /** The backend that ran it. */
  backend: string;
  /** The output directory as given (--out), or null. */
  out: string | null;
  /** Wall seconds of the run. */
  seconds: number;
}

/** The config field(s) a command-line value sets. */
export interface FieldSpec {
  /** Field name(s), dotted for nested ones: "stepsPerEpoch", "schedule.patternSteps", ["tRef", "tauSyn"]. */
  readonly field?: string | readonly string[];
  /** Or the fields a value sets, computed (dotted names; undefined values set nothing); `flags` are all the options given. */
  set?(value: unknown, flags: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/**
 * An option of an experiment's command beyond the shared ones (src/cli/run/flags.ts makes the
 * commander option of it). Without `field` or `set` the value goes to the command's own code
 * (src/cli/commands/<name>.ts).
 */
export interface OptionSpec extends FieldSpec {
  /** As commander takes them: "--epochs <n>", "--free-validation", "--no-augment". */
  readonly flags: string;
  readonly description: string;
  /** A number within this bound (src/config/numbers.ts; --help's Bounds table lists it). */
  readonly bound?: Bound;
  /** The values allowed. */
  readonly choices?: readonly string[];
  /** A path: not empty, no NUL. */
  readonly path?: boolean;
  /** Parses the text of the value; a bad one throws an OptionValueError (src/errors.ts) saying why. */
  parse?: (value: string) => unknown;
}

/** What the command line of an experiment needs to know beyond the rest of its descriptor. */
export interface ExperimentCli<C> {
  /** One line for `spike-align --help`. */
  readonly description: string;
  /** Help text after the options: examples first. */
  readonly help: string;
  /** Options after the shared ones (--config, --preset, --seed, --backend, --out, --force, --yes, --json, --quiet). */
  readonly options: readonly OptionSpec[];
  /** Config fields without a flag, and flags with their own parser, with their bounds (--help's Bounds table). */
  readonly bounds?: readonly [string, Bound][];
  /** The command takes --yes: it refuses large runs without it. */
  readonly yes?: boolean;
  /** What the shared --seed sets (default: `seed`) and --backend (default: nothing; the run's backend). */
  readonly seed?: FieldSpec;
  readonly backend?: FieldSpec;
  /** The backend a command runs on when the config names one (default: --backend). */
  backendOf?(cfg: C): BackendName;
  /** config.json is the config and the backend that ran it (`backend` last); else the config alone. */
  readonly configWithBackend?: boolean;
  /** The progress bar: its units (default `total`; 0: none) and label (default the name). */
  progressTotal?(cfg: C): number;
  progressLabel?(cfg: C): string;
}

export interface Experiment<N extends string = string, C = unknown, R = unknown, M = unknown, S extends object = object, I = undefined> {
  readonly name: N;
  readonly schema: z.ZodType<C>;
  /** Named configs (every key but `preset`); `defaultPreset` is used when none is named. */
  readonly presets: Readonly<Record<string, unknown>>;
  readonly defaultPreset: string;
  /** A config file in another layout (the authors'), mapped onto ours; the identity otherwise. */
  fromFile(raw: unknown): unknown;
  /** What a step-able run counts, and how many of them a config has. */
  readonly unit: RunUnit;
  total(cfg: C): number;
  /** What the run reads besides its config (train: its dataset), loaded with the Node side's loaders. */
  loadInput?(cfg: C, io: InputIo): I;
  /** A run to advance a chunk at a time; `emit` hears every metrics line. */
  open(k: Kernels, cfg: C, emit: (row: M) => void, input: I): Stepper<S>;
  /** A whole run: pure computation on backend `k`, reporting through `hooks`. */
  run(k: Kernels, cfg: C, hooks: RunHooks<M>, input: I): R;
  /** The summary object: summary.json and the --json line. */
  summary(cfg: C, result: R, backend: string): S;
  /** The files of a run beside config.json and metrics.jsonl (summary.json included). */
  write(out: OutDir, cfg: C, result: R, summary: S): void;
  /** The names `write` writes (relative paths), for the run's manifest. */
  files(cfg: C, result: R): string[];
  /** The check of every metrics line in the CLI (non-finite state stops the run). */
  guard?: MetricsGuard<M>;
  /** The lines the command prints after the run (stdout, unless --json or --quiet). */
  lines(cfg: C, result: R, summary: S, at: LineContext): string[];
  /** Memory and time of the run, for the CLI's size guard (null: nothing to guard). */
  estimate?(cfg: C, backend: BackendName, input: I): Estimate | null;
  /** Curves a sweep report draws from metrics.jsonl: metric paths against `epoch`, one curve per value of `splitBy` (if any). */
  readonly curves: { metrics: string[]; splitBy?: string };
  /** The final values a sweep report compares across runs, by name, from a run's summary. */
  finals(summary: S): Record<string, number>;
  /** Its command: `spike-align <name>` (src/cli/run/command.ts). */
  readonly cli: ExperimentCli<C>;
}

/** Any experiment, its types erased (what code that runs experiments by name holds). */
export type SomeExperiment = Experiment<string, unknown, unknown, unknown, object, unknown>;

/** The types of an experiment. */
export type ConfigOf<E> = E extends Experiment<string, infer C, infer _R, infer _M, infer _S, infer _I> ? C : never;
export type ResultOf<E> = E extends Experiment<string, infer _C, infer R, infer _M, infer _S, infer _I> ? R : never;
export type MetricsOf<E> = E extends Experiment<string, infer _C, infer _R, infer M, infer _S, infer _I> ? M : never;
export type SummaryOf<E> = E extends Experiment<string, infer _C, infer _R, infer _M, infer S, infer _I> ? S : never;
export type InputOf<E> = E extends Experiment<string, infer _C, infer _R, infer _M, infer _S, infer I> ? I : never;

/** Numeric leaves of `x` by dotted path (arrays by index, at most `maxArray` entries each). */
export function numericLeaves(x: unknown, prefix = "", maxArray = 16): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (v: unknown, p: string) => {
    if (typeof v === "number") out[p] = v;
    else if (Array.isArray(v)) {
      if (v.length <= maxArray) v.forEach((e, i) => walk(e, p ? `${p}.${i}` : String(i)));
    } else if (v !== null && typeof v === "object") for (const [k, e] of Object.entries(v)) walk(e, p ? `${p}.${k}` : k);
  };
  walk(x, prefix);
  return out;
}

/** `wrote DIR` when there is an output directory. */
export function wroteLine(out: string | null): string[] {
  return out ? [`wrote ${out}`] : [];
}
