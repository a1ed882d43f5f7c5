// The command of an experiment (`spike-align <name>`), made from its
// descriptor (src/experiments/descriptor.ts) by one script for all of them:
//
//   the config (preset <- config file <- flags; or the run in --resume's
//   directory) -> what the run reads (train: its dataset) -> the size guard
//   (the descriptor's estimate; exit 2 unless --yes) -> --out opened and
//   locked -> the backend -> config.json -> metrics.jsonl -> the run, its
//   metrics lines guarded (non-finite state stops it, exit 2) and appended,
//   checkpoints written -> summary -> the outputs -> the console lines ->
//   the --json summary. (A resumed run whose checks need the backend gets it
//   before --out is opened, so that a bad checkpoint leaves DIR untouched.)
//
// A command adds code (CommandHooks, in src/cli/commands/<name>.ts) only
// where it really differs: flags that set matrix elements or several fields
// at once, checks across fields, --resume and checkpoints, worker threads,
// train's per-epoch progress.
import type { Command } from "commander";
import type { BackendName, Kernels } from "../../backend/index.js";
import { Checkpointer } from "../../checkpoint/files.js";
import { NODE_IO } from "../../data/nodeIo.js";
import type { ConfigOf, Experiment, InputOf, MetricsOf, ResultOf, SomeExperiment } from "../../experiments/descriptor.js";
import type { RunDir } from "../../io/rundir.js";
import { backendFor, guardResources } from "../resources.js";
import { cliHooks } from "../progress.js";
import { defineCommand, type CommandContext, type Register } from "../define.js";
import { openRunDir, printSummary, say } from "../output.js";
import { type SharedOptions } from "../options.js";
import { addOptionSpecs, resolveExperiment } from "./flags.js";

/** A run continued from the checkpoint in its --resume directory. */
export interface Resumed<C, St, I> {
  /** The config it was started with (with what the allowed flags change). */
  cfg: C;
  /** The backend it ran on (used unless --backend names another). */
  backend: BackendName;
  /** The checkpointed state and the metrics lines so far, unless `finish` gives them. */
  state?: St;
  metrics?: unknown[];
  /** Checks that need the backend and the input (train: the checkpoint's tensors against the net), before anything is written. */
  finish?(k: Kernels, input: I): { cfg: C; state: St; metrics: unknown[] };
}

/** What a command's own run gets (St: a resumed run's state; Ck: a checkpoint's). */
export interface RunArgs<C, M, I, O, St, Ck extends object> {
  cfg: C;
  input: I;
  opts: O;
  /** The backend, created on the first call (see CommandHooks.lazyBackend). */
  kernels: () => Promise<Kernels>;
  /** The backend asked for: --backend, the checkpoint's, or the config's. */
  backend: BackendName;
  /** Progress bar, guarded metrics.jsonl lines, checkpoints (with --out). */
  hooks: {
    onProgress: (done: number, total: number, info?: string) => void;
    onMetrics: (row: M) => void;
    onCheckpoint: (state: Ck) => void;
  };
  /** The checkpointed state a resumed run continues from. */
  resume: St | undefined;
  out: RunDir | null;
  checkpointer: Checkpointer<Ck> | null;
}

/**
 * Where a command's code differs from the script (every part optional). St is the state a resumed
 * run continues from, Ck what a checkpoint is written from (the same for ssn and microcircuit).
 */
export interface CommandHooks<C, R, M, I, O extends SharedOptions, St, Ck extends object> {
  /** Commander options after the descriptor's (--resume). */
  options?(cmd: Command): void;
  /** Checks of the flags before the config is resolved. */
  before?(opts: O): void;
  /** What the flags' fields cannot say: elements of a matrix, several fields at once, checks across fields. */
  configure?(cfg: C, opts: O): C;
  /** --resume DIR: options allowed with it (camelCase; --resume, --json, --quiet always are), and the run in DIR. */
  resume?: { allowed: string[]; load(dir: string, opts: O): Resumed<C, St, I> };
  /**
   * Checkpoints with --out: what stops one being written, its JSON fields or bytes, its file name, its
   * epoch (for hooks.onCheckpoint; a run that writes its own need not say), and the epoch of the
   * checkpoint a resumed run starts from (named when the run stops on bad state).
   */
  checkpoint?: {
    check: (state: Ck) => string | null;
    encode?: (state: Ck) => object | Uint8Array;
    file?: string;
    epoch?(state: Ck): number;
    resumedAt?(state: St): number;
  };
  /** The backend is created only when `run` asks for it (stdd's exact chain needs none). */
  lazyBackend?: boolean;
  /** The run instead of the descriptor's: checkpoints and resumed state, worker threads, own progress. */
  run?(a: RunArgs<C, M, I, O, St, Ck>): R | Promise<R>;
}

/** The hooks of experiment E's command with options O, resumed state St and checkpoint state Ck. */
export type HooksOf<
  E,
  O extends SharedOptions = SharedOptions,
  St = never,
  Ck extends object = St extends object ? St : object,
> = CommandHooks<ConfigOf<E>, ResultOf<E>, MetricsOf<E>, InputOf<E>, O, St, Ck>;

/** The command of experiment `exp`, with the code of `hooks` where it differs. */
export function experimentCommand<
  C,
  R,
  M,
  S extends object,
  I,
  O extends SharedOptions = SharedOptions,
  St = never,
  Ck extends object = object,
>(exp: Experiment<string, C, R, M, S, I>, hooks: CommandHooks<C, R, M, I, O, St, Ck> = {}): Register {
  const cli = exp.cli;
  return defineCommand<O>({
    name: exp.name,
    description: cli.description,
    presets: Object.keys(exp.presets),
    runDir: true,
    yes: cli.yes,
    options: (cmd) => {
      addOptionSpecs(cmd, cli.options);
      hooks.options?.(cmd);
    },
    bounds: cli.bounds && [...cli.bounds],
    help: cli.help,
    action: (opts, ctx) => runCommand(exp, hooks, opts, ctx),
  });
}

/** The command of an experiment of the list without code of its own. */
export function plainCommand(exp: SomeExperiment): Register {
  return experimentCommand(exp);
}

async function runCommand<C, R, M, S extends object, I, O extends SharedOptions, St, Ck extends object>(
  exp: Experiment<string, C, R, M, S, I>,
  h: CommandHooks<C, R, M, I, O, St, Ck>,
  opts: O,
  ctx: CommandContext,
): Promise<void> {
  const cli = exp.cli;
  const resumeDir = h.resume ? (opts as { resume?: string }).resume : undefined;
  let cfg: C, resumed: Resumed<C, St, I> | undefined;
  if (resumeDir !== undefined) {
    ctx.onlyWithResume(h.resume!.allowed);
    resumed = h.resume!.load(resumeDir, opts);
    cfg = resumed.cfg;
  } else {
    h.before?.(opts);
    cfg = resolveExperiment(exp, opts);
    if (h.configure) cfg = h.configure(cfg, opts);
  }
  const backend: BackendName = opts.backend ?? resumed?.backend ?? cli.backendOf?.(cfg) ?? "wasm";
  const input = (exp.loadInput ? exp.loadInput(cfg, NODE_IO) : undefined) as I;
  const est = exp.estimate?.(cfg, backend, input);
  if (est) guardResources({ ...opts, backend }, exp.name, est);
  let k: Kernels | null = null;
  const kernels = async () => (k ??= await backendFor({ ...opts, backend }));
  let state = resumed?.state,
    metrics = resumed?.metrics;
  // checks of a resumed run that need the backend come before --out is opened: a bad checkpoint leaves the directory as it was
  if (resumed?.finish) ({ cfg, state, metrics } = resumed.finish(await kernels(), input));
  const out = openRunDir(opts, exp.name, resumeDir !== undefined ? { dir: resumeDir, resume: true, flag: "--resume" } : {});
  if (!h.lazyBackend) await kernels();
  out?.writeJson("config.json", cli.configWithBackend ? { ...cfg, backend: (await kernels()).name } : cfg);
  out?.writeJsonl("metrics.jsonl", metrics ?? []);
  const ck = out && h.checkpoint ? new Checkpointer<Ck>(out, exp.name, h.checkpoint.check, h.checkpoint.encode, h.checkpoint.file) : null;
  if (ck && state !== undefined && h.checkpoint?.resumedAt) ck.lastEpoch = h.checkpoint.resumedAt(state);
  // progress bars count whole units (infer's are simulated seconds)
  const total = Math.round(cli.progressTotal?.(cfg) ?? exp.total(cfg));
  const bar = cliHooks<M>(opts, out, cli.progressLabel?.(cfg) ?? exp.name, total, exp.guard && { ...exp.guard, checkpoint: ck });
  const hooks = {
    onProgress: (done: number, all: number, info?: string) => bar.onProgress(Math.round(done), all, info),
    onMetrics: bar.onMetrics,
    onCheckpoint: (s: Ck) => ck?.write(k!.name, s, h.checkpoint!.epoch!(s)),
  };
  const t0 = performance.now();
  const r = h.run
    ? await h.run({ cfg, input, opts, kernels, backend, hooks, resume: state, out, checkpointer: ck })
    : exp.run(await kernels(), cfg, hooks, input);
  bar.stop();
  const seconds = (performance.now() - t0) / 1000;
  const ran = (k as Kernels | null)?.name ?? backend;
  const summary = exp.summary(cfg, r, ran);
  if (out) exp.write(out, cfg, r, summary);
  for (const line of exp.lines(cfg, r, summary, { backend: ran, out: out?.dir ?? null, seconds })) say(opts, line);
  printSummary(summary, opts);
}
