// `spike-align ssn`: spiking sampling networks (Boltzmann machines) learning
// a target distribution with Hebbian (wake-sleep STDP) learning, with or
// without SAL, under synaptic or plasticity noise (paper Figs. 4-5).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { backendFor, cliHooks, deepMerge, defineCommand, floatOpt, intOpt, printSummary, resolveConfig, say } from "../common.js";
import type { SharedOptions } from "../common.js";
import { loadConfigFile, parseConfig } from "../../config/load.js";
import { usage, UsageError } from "../../errors.js";
import { OutDir } from "../../io/out.js";
import type { Kernels } from "../../backend/index.js";
import { buildProblem, fromAuthorLayout, gridRun, isAuthorLayout, MAX_EXACT_DIM, noiseOverride, runSsn, SSN_PRESETS, SSN_PRESET_NAMES, ssnConfigSchema, ssnLine, ssnSummary, writeSsnOutputs } from "../../experiments/ssn/index.js";
import type { SsnConfig, SsnMetrics, SsnState, SsnSummary } from "../../experiments/ssn/index.js";

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

const CHECKPOINT = "checkpoint.json";

/** preset <- config file (ours or the authors' layout) <- flags; --run and --noise last. */
export function resolveSsnConfig(opts: SsnOptions): SsnConfig {
  let file: unknown;
  if (opts.config) {
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
    if (base.scenario === "minimal") throw usage("--run", opts.run, "only the syn-noise and plast-noise presets have the paper's 120-run grid");
    const g = gridRun(base.scenario, opts.run);
    extra = deepMerge(noiseOverride(base.scenario, g.noise), { seeds: g.seeds });
  }
  if (opts.noise !== undefined) extra = deepMerge(extra, noiseOverride(base.scenario, opts.noise));
  const cfg = parseConfig(ssnConfigSchema, deepMerge(base, extra), "config");
  if (cfg.dkl === "on" && cfg.dim > MAX_EXACT_DIM) throw usage("--dkl", "on", `exact DKL needs dim <= ${MAX_EXACT_DIM} (2^dim states); dim is ${cfg.dim}: use --dkl auto or off`);
  if (cfg.checkpointEvery > 0 && !opts.out && !opts.resume) throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
  buildProblem(cfg, false); // explicit target, init and amplitude arrays: shapes and symmetry, before anything is written
  return cfg;
}

/**
 * Runs one SSN config on backend `k` into `out` (config.json first, metrics.jsonl line by line,
 * checkpoints, then the outputs) with a progress bar; `resume` continues a checkpointed run.
 */
export function runSsnInto(k: Kernels, cfg: SsnConfig, opts: SsnOptions, out: OutDir | null, resume?: SsnState): SsnSummary {
  if (out) {
    out.writeJson("config.json", { ...cfg, backend: k.name });
    out.writeJsonl("metrics.jsonl", resume?.metrics ?? []);
  }
  const hooks = cliHooks<SsnMetrics>(opts, out, "ssn", cfg.epochs);
  const result = runSsn(k, cfg, { ...hooks, onCheckpoint: (s) => out?.writeJson(CHECKPOINT, { backend: k.name, ...s }) }, resume);
  hooks.stop();
  const summary = ssnSummary(cfg, result, k.name);
  if (out) writeSsnOutputs(out, cfg, result, summary);
  return summary;
}

function loadResume(dir: string): { cfg: SsnConfig; state: SsnState; backend: string } {
  const cfgPath = join(dir, "config.json"), ckPath = join(dir, CHECKPOINT);
  if (!existsSync(ckPath)) throw usage("--resume", dir, `no ${CHECKPOINT} there (runs write one every --checkpoint-every epochs)`);
  let raw: Record<string, unknown>, ck: SsnState & { backend: string };
  try {
    raw = JSON.parse(readFileSync(cfgPath, "utf8"));
    ck = JSON.parse(readFileSync(ckPath, "utf8"));
  } catch (err) {
    throw usage("--resume", dir, `cannot read config.json and ${CHECKPOINT}: ${(err as Error).message}`);
  }
  const { backend, ...rest } = raw;
  const cfg = parseConfig(ssnConfigSchema, rest, `${cfgPath}`);
  if (!Array.isArray(ck.W) || ck.W.length !== cfg.dim * cfg.dim || !Number.isInteger(ck.epoch)) throw new UsageError(`--resume: ${ckPath} does not match config.json (dim ${cfg.dim})`);
  const { backend: ckBackend, ...state } = ck;
  return { cfg, state, backend: String(ckBackend ?? backend ?? "wasm") };
}

/** The options `ssn` and `demo` share (after the shared ones). */
export function addSsnOptions(cmd: Command): Command {
  return cmd
    .option("--noise <x>", "noise level: init noise (syn-noise) or STDP amplitude noise (plast-noise, minimal)", floatOpt("--noise", 0, 10))
    .option("--run <i>", "run i of the paper's 120-run grid (noise x target seeds x init seeds, sim seed 7654 + i)", intOpt("--run", 0, 119))
    .addOption(new Option("--sal <onoff>", "SAL term on the weights (on = the scenario's SAL rate)").choices(["on", "off"]))
    .option("--epochs <n>", "learning epochs", intOpt("--epochs", 1, 100_000_000))
    .option("--dur <n>", "sleep run per epoch, in units of t_ref steps", intOpt("--dur", 1, 10_000_000))
    .option("--val-step <n>", "a validation epoch every n epochs (and at the last epoch)", intOpt("--val-step", 1))
    .option("--val-factor <n>", "validation runs are n times longer", intOpt("--val-factor", 1, 100_000))
    .option("--dim <n>", "number of neurons (exact DKL up to 20)", intOpt("--dim", 1, 64))
    .option("--t-ref <n>", "refractory period = PSP length (steps)", intOpt("--t-ref", 1, 100_000))
    .addOption(new Option("--dkl <mode>", "exact DKL over 2^dim states").choices(["auto", "on", "off"]))
    .option("--checkpoint-every <n>", "write --out/checkpoint.json every n epochs (0 = never)", intOpt("--checkpoint-every", 0));
}

export const register = defineCommand<SsnOptions>({
  name: "ssn",
  description: "Spiking sampling networks learn a Boltzmann distribution with Hebbian STDP, with or without SAL (paper Figs. 4-5)",
  presets: SSN_PRESET_NAMES,
  options: (cmd) => addSsnOptions(cmd).option("--resume <dir>", "continue the run whose checkpoint is in DIR (its config and backend; outputs go to DIR)"),
  help: `
Examples:
  spike-align ssn                                           # minimal preset: dim 7, 1501 epochs, SAL on (~4 s)
  spike-align ssn --preset syn-noise-sal --out runs/syn-sal  # Fig. 4, init noise 0.8, 20001 epochs
  spike-align ssn --preset syn-noise --run 85 --json         # run 85 of the paper's grid
  spike-align ssn --preset plast-noise --noise 0.03 --sal on --epochs 20001 --checkpoint-every 1000 --out runs/p
  spike-align ssn --resume runs/p                            # continue after a crash
  spike-align ssn --config scripts/ssn/minimal_working_example.yaml   # the authors' YAML layout as-is`,
  async action(opts) {
    let cfg: SsnConfig, resume: SsnState | undefined, backend = opts.backend;
    if (opts.resume) {
      const r = loadResume(opts.resume);
      cfg = r.cfg;
      resume = r.state;
      backend ??= r.backend as "wasm" | "js";
    } else cfg = resolveSsnConfig(opts);
    const outDir = opts.out ?? opts.resume;
    const out = outDir ? new OutDir(outDir) : null;
    const k = await backendFor({ ...opts, backend });
    const summary = runSsnInto(k, cfg, opts, out, resume);
    say(opts, ssnLine(summary));
    printSummary(summary, opts);
  },
});
