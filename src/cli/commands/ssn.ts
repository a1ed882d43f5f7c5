// `spike-align ssn` (src/experiments/ssn/): the command of its descriptor,
// and what it does besides: --run and --noise (several fields from the
// paper's grid), the checks across fields, --resume and checkpoints.
import type { Command } from "commander";
import { parseConfig } from "../../config/load.js";
import { usage } from "../../errors.js";
import { checkCheckpoint, openCheckpoint } from "../../checkpoint/files.js";
import {
  buildProblem,
  gridRun,
  MAX_EXACT_DIM,
  noiseOverride,
  runSsn,
  ssnConfigSchema,
  ssnExperiment,
  ssnUnsound,
} from "../../experiments/ssn/index.js";
import type { SsnConfig, SsnState } from "../../experiments/ssn/index.js";
import { ssnCheckpointSchema } from "../../experiments/ssn/checkpoint.js";
import { deepMerge, readRunConfig } from "../config.js";
import { guardResources } from "../resources.js";
import { pathArg, type SharedOptions } from "../options.js";
import { experimentCommand, type HooksOf, type Resumed } from "../run/command.js";
import { resolveExperiment } from "../run/flags.js";

export interface SsnOptions extends SharedOptions {
  noise?: number;
  run?: number;
  sal?: "on" | "off";
  epochs?: number;
  checkpointEvery?: number;
  resume?: string;
}

/** --run and --noise (last), then the checks of the whole config. */
function configure(base: SsnConfig, opts: SsnOptions): SsnConfig {
  let extra: Record<string, unknown> = {};
  if (opts.run !== undefined) {
    if (base.scenario === "minimal")
      throw usage("--run", opts.run, "only the syn-noise and plast-noise presets have the paper's 120-run grid");
    const g = gridRun(base.scenario, opts.run);
    extra = deepMerge(noiseOverride(base.scenario, g.noise), { seeds: g.seeds });
  }
  if (opts.noise !== undefined) extra = deepMerge(extra, noiseOverride(base.scenario, opts.noise));
  const cfg = parseConfig(ssnConfigSchema, deepMerge(base, extra), "config");
  if (cfg.dkl === "on" && cfg.dim > MAX_EXACT_DIM)
    throw usage("--dkl", "on", `exact DKL needs dim <= ${MAX_EXACT_DIM} (2^dim states); dim is ${cfg.dim}: use --dkl auto or off`);
  if (cfg.checkpointEvery > 0 && opts.out === undefined && !opts.resume)
    throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
  buildProblem(cfg, false); // explicit target, init and amplitude arrays: symmetry, before anything is written
  return cfg;
}

/** preset <- config file (ours or the authors' layout) <- flags; --run and --noise last. */
export function resolveSsnConfig(opts: SsnOptions): SsnConfig {
  return configure(resolveExperiment(ssnExperiment, opts), opts);
}

/** Refuses (exit 2, unless --yes) or announces a slow first epoch of `cfg` (the sampling kernel on `backend`). */
export function guardSsn(opts: SsnOptions, cfg: SsnConfig, label: string, backend: "wasm" | "js" = opts.backend ?? "wasm"): void {
  guardResources({ ...opts, backend }, label, ssnExperiment.estimate!(cfg, backend, undefined)!);
}

/** The config, checkpointed state and backend of the run in `dir`; every problem is exit 2 naming the field. */
function loadResume(dir: string, epochs?: number): Resumed<SsnConfig, SsnState, undefined> {
  const opened = openCheckpoint(dir, "ssn");
  let cfg = readRunConfig(dir, ssnConfigSchema);
  const ck = checkCheckpoint(opened, ssnCheckpointSchema(cfg));
  if (epochs !== undefined) {
    if (epochs <= ck.epoch) throw usage("--epochs", epochs, `with --resume: more than the ${ck.epoch} epochs the checkpoint has done`);
    cfg = parseConfig(ssnConfigSchema, { ...cfg, epochs }, "--epochs");
  }
  const { format: _f, version: _v, command: _c, backend, ...state } = ck;
  return { cfg, backend, state: state, metrics: (state as SsnState).metrics };
}

const hooks: HooksOf<typeof ssnExperiment, SsnOptions, SsnState> = {
  options: (cmd: Command) =>
    cmd.option(
      "--resume <dir>",
      "continue the run whose checkpoint is in DIR (its config and backend; outputs go to DIR; " +
        "--epochs may extend it, --backend change it)",
      pathArg("--resume"),
    ),
  configure,
  resume: { allowed: ["epochs", "backend"], load: (dir, opts) => loadResume(dir, opts.epochs) },
  checkpoint: { check: ssnUnsound, epoch: (s) => s.epoch, resumedAt: (s) => s.epoch },
  run: async ({ kernels, cfg, hooks, resume }) => runSsn(await kernels(), cfg, hooks, resume),
};

export const register = experimentCommand(ssnExperiment, hooks);
