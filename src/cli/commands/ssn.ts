// `spike-align ssn`: spiking sampling networks (Boltzmann machines) learning
// a target distribution with Hebbian (wake-sleep STDP) learning, with or
// without SAL, under synaptic or plasticity noise (paper Figs. 4-5).
import { Command, Option } from "commander";
import {
  backendFor,
  cliHooks,
  deepMerge,
  defineCommand,
  guardResources,
  numOption,
  openRunDir,
  pathArg,
  printSummary,
  readRunConfig,
  resolveConfig,
  say,
} from "../common.js";
import type { CommandContext, SharedOptions } from "../common.js";
import { loadConfigFile, parseConfig } from "../../config/load.js";
import { B, firstNonFinite, narrow } from "../../config/numbers.js";
import { usage } from "../../errors.js";
import type { OutDir } from "../../io/out.js";
import { checkCheckpoint, Checkpointer, openCheckpoint } from "../../checkpoint/files.js";
import type { Kernels } from "../../backend/index.js";
import {
  buildProblem,
  fromAuthorLayout,
  gridRun,
  isAuthorLayout,
  MAX_EXACT_DIM,
  noiseOverride,
  runSsn,
  SSN_PRESETS,
  SSN_PRESET_NAMES,
  ssnConfigSchema,
  ssnLine,
  ssnSummary,
  writeSsnOutputs,
} from "../../experiments/ssn/index.js";
import type { SsnConfig, SsnMetrics, SsnState, SsnSummary } from "../../experiments/ssn/index.js";
import { SSN_CONFIG_BOUNDS, ssnFirstEpoch } from "../../experiments/ssn/config.js";
import { ssnCheckpointSchema } from "../../experiments/ssn/checkpoint.js";

export interface SsnOptions extends SharedOptions {
  noise?: number;
  run?: number;
  sal?: "on" | "off";
  epochs?: number;
  dur?: number;
  valStep?: number;
  valFactor?: number;
  dim?: number;
  tRef?: number;
  dkl?: "auto" | "on" | "off";
  checkpointEvery?: number;
  resume?: string;
}

/** preset <- config file (ours or the authors' layout) <- flags; --run and --noise last. */
export function resolveSsnConfig(opts: SsnOptions): SsnConfig {
  let file: unknown;
  if (opts.config !== undefined) {
    file = loadConfigFile(opts.config);
    if (isAuthorLayout(file)) file = fromAuthorLayout(file);
  }
  const base = resolveConfig({
    schema: ssnConfigSchema,
    presets: SSN_PRESETS,
    defaultPreset: "minimal",
    preset: opts.preset,
    config: file,
    configPath: opts.config,
    overrides: {
      epochs: opts.epochs,
      dur: opts.dur,
      valStep: opts.valStep,
      valFactor: opts.valFactor,
      dim: opts.dim,
      tRef: opts.tRef,
      tauSyn: opts.tRef,
      dkl: opts.dkl,
      checkpointEvery: opts.checkpointEvery,
      sal: opts.sal === undefined ? undefined : opts.sal === "on",
      seeds: opts.seed === undefined ? undefined : { distr: opts.seed, init: opts.seed, sim: opts.seed },
    },
  });
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

/** Refuses (exit 2, unless --yes) or announces a slow first epoch of `cfg` (the sampling kernel on `backend`). */
export function guardSsn(opts: SsnOptions, cfg: SsnConfig, label: string, backend: "wasm" | "js" = opts.backend ?? "wasm"): void {
  const e = ssnFirstEpoch(cfg, backend);
  guardResources({ ...opts, backend }, label, {
    what: `dim ${cfg.dim}, ${e.steps} steps in the first (validation) epoch`,
    bytes: 0,
    firstEpochSeconds: e.seconds,
  });
}

/** What is wrong with the weights or biases of a state or a metrics line ("W[3] is NaN"), or null. */
const unsound = (s: { W: unknown; b: unknown; asym?: unknown }) => firstNonFinite({ W: s.W, b: s.b, asym: s.asym }, true);

/**
 * Runs one SSN config on backend `k` into `out` (config.json first, metrics.jsonl line by line,
 * checkpoints, then the outputs) with a progress bar; `resume` continues a checkpointed run.
 */
export function runSsnInto(k: Kernels, cfg: SsnConfig, opts: SsnOptions, out: OutDir | null, resume?: SsnState): SsnSummary {
  if (out) {
    out.writeJson("config.json", { ...cfg, backend: k.name });
    out.writeJsonl("metrics.jsonl", resume?.metrics ?? []);
  }
  const ck = out ? new Checkpointer<SsnState>(out, "ssn", unsound) : null;
  if (ck && resume) ck.lastEpoch = resume.epoch;
  const hooks = cliHooks<SsnMetrics>(opts, out, "ssn", cfg.epochs, { check: unsound, epoch: (m) => m.epoch, checkpoint: ck });
  const result = runSsn(k, cfg, { ...hooks, onCheckpoint: (s) => ck?.write(k.name, s, s.epoch) }, resume);
  hooks.stop();
  const summary = ssnSummary(cfg, result, k.name);
  if (out) writeSsnOutputs(out, cfg, result, summary);
  return summary;
}

/** The config, checkpointed state and backend of the run in `dir`; every problem is exit 2 naming the field. */
function loadResume(dir: string, epochs?: number): { cfg: SsnConfig; state: SsnState; backend: "wasm" | "js" } {
  const opened = openCheckpoint(dir, "ssn");
  let cfg = readRunConfig(dir, ssnConfigSchema);
  const ck = checkCheckpoint(opened, ssnCheckpointSchema(cfg));
  if (epochs !== undefined) {
    if (epochs <= ck.epoch) throw usage("--epochs", epochs, `with --resume: more than the ${ck.epoch} epochs the checkpoint has done`);
    cfg = parseConfig(ssnConfigSchema, { ...cfg, epochs }, "--epochs");
  }
  const { format: _f, version: _v, command: _c, backend, ...state } = ck;
  return { cfg, state: state as SsnState, backend };
}

/** The options `ssn` and `demo` share (after the shared ones). */
export function addSsnOptions(cmd: Command): Command {
  return cmd
    .addOption(numOption("--noise <x>", "noise level: init noise (syn-noise) or STDP amplitude noise (plast-noise, minimal)", B.noise))
    .addOption(
      numOption(
        "--run <i>",
        "run i of the paper's 120-run grid (noise x target seeds x init seeds, sim seed 7654 + i)",
        narrow(B.count, { min: 0, max: 119, name: "grid run", why: "6 noise levels x 5 target seeds x 4 init seeds" }),
      ),
    )
    .addOption(numOption("--epochs <n>", "learning epochs", B.epochs))
    .addOption(
      numOption(
        "--dur <n>",
        "sleep run per epoch, in units of t_ref steps (dur x t_ref x val-factor <= 2^30-1)",
        narrow(B.count, { max: 10_000_000, name: "duration", why: "sleep run per epoch in units of t_ref" }),
      ),
    )
    .addOption(numOption("--val-step <n>", "a validation epoch every n epochs (and at the last epoch)", B.every))
    .addOption(
      numOption(
        "--val-factor <n>",
        "validation runs are n times longer",
        narrow(B.count, { max: 100_000, name: "factor", why: "validation runs are this many times longer" }),
      ),
    )
    .addOption(numOption("--dim <n>", "number of neurons (exact DKL up to 20)", B.dim))
    .addOption(numOption("--t-ref <n>", "refractory period = PSP length (steps)", B.tRef))
    .addOption(new Option("--dkl <mode>", "exact DKL over 2^dim states").choices(["auto", "on", "off"]));
}

export const register = defineCommand<SsnOptions>({
  name: "ssn",
  description: "Spiking sampling networks learn a Boltzmann distribution with Hebbian STDP, with or without SAL (paper Figs. 4-5)",
  presets: SSN_PRESET_NAMES,
  runDir: true,
  yes: true,
  options: (cmd) =>
    addSsnOptions(cmd)
      .addOption(new Option("--sal <onoff>", "SAL term on the weights (on = the scenario's SAL rate)").choices(["on", "off"]))
      .addOption(numOption("--checkpoint-every <n>", "write --out/checkpoint.json every n epochs (0 = never)", B.everyOrNever))
      .option(
        "--resume <dir>",
        "continue the run whose checkpoint is in DIR (its config and backend; outputs go to DIR; --epochs may extend it, --backend change it)",
        pathArg("--resume"),
      ),
  bounds: SSN_CONFIG_BOUNDS,
  help: `
Examples:
  spike-align ssn                                           # minimal preset: dim 7, 1501 epochs, SAL on (~4 s)
  spike-align ssn --preset syn-noise-sal --out runs/syn-sal  # Fig. 4, init noise 0.8, 20001 epochs
  spike-align ssn --preset syn-noise --run 85 --json         # run 85 of the paper's grid
  spike-align ssn --preset plast-noise --noise 0.03 --sal on --epochs 20001 --checkpoint-every 1000 --out runs/p
  spike-align ssn --resume runs/p                            # continue after a crash
  spike-align ssn --resume runs/p --epochs 40001             # ... and run longer
  spike-align ssn --config scripts/ssn/minimal_working_example.yaml   # the authors' YAML layout as-is`,
  async action(opts, ctx: CommandContext) {
    let cfg: SsnConfig,
      resume: SsnState | undefined,
      backend = opts.backend;
    if (opts.resume !== undefined) {
      ctx.onlyWithResume(["epochs", "backend"]);
      const r = loadResume(opts.resume, opts.epochs);
      cfg = r.cfg;
      resume = r.state;
      backend ??= r.backend;
    } else cfg = resolveSsnConfig(opts);
    guardSsn(opts, cfg, "ssn", backend ?? "wasm");
    const out = openRunDir(opts, "ssn", opts.resume !== undefined ? { dir: opts.resume, resume: true, flag: "--resume" } : {});
    const k = await backendFor({ ...opts, backend });
    const summary = runSsnInto(k, cfg, opts, out, resume);
    say(opts, ssnLine(summary));
    printSummary(summary, opts);
  },
});
