// `spike-align stdd`: spike-timing-difference distributions of two coupled
// sampling neurons and the expected SAL update of both synapses
// (arXiv:2503.02642 Fig. 2c, 2e), exactly (Markov chain) and/or by simulation.
import { InvalidArgumentError, Option } from "commander";
import { backendFor, cliHooks, defineCommand, floatOpt, intOpt, printSummary, resolveConfig, say, type SharedOptions } from "../common.js";
import { OutDir } from "../../io/out.js";
import { usage } from "../../errors.js";
import { STDD_PRESETS, STDD_PRESET_NAMES, stddConfigSchema, gridValues, type StddConfig } from "../../experiments/stdd/config.js";
import { checkConfig, runStdd, type StddPairMetrics } from "../../experiments/stdd/run.js";
import { stddLines, stddSummary, writeStddOutputs } from "../../experiments/stdd/report.js";

interface StddOptions extends SharedOptions {
  method?: string;
  tRef?: number;
  tauSyn?: number;
  b0?: number;
  b1?: number;
  w01?: number;
  w10?: number;
  steps?: number;
  burnIn?: number;
  maxLag?: number | null;
  normalize?: string;
  tau?: number;
  pspLength?: number;
  minIsi?: number;
}

function maxLagOpt(v: string): number | null {
  if (v === "none") return null;
  const x = Number(v);
  if (v.trim() === "" || !Number.isInteger(x) || x < 1) throw new InvalidArgumentError("--max-lag must be an integer >= 1 or 'none'.");
  return x;
}

const EXAMPLES = `
Examples:
  spike-align stdd                                   # fig2c, exact chain
  spike-align stdd --preset fig2c --method both --out runs/fig2c
  spike-align stdd --preset fig2e --out runs/fig2e --json
  spike-align stdd --min-isi 50 --psp-length 49 --max-lag 101 --normalize halves   # the authors' stddc conventions
  spike-align stdd --w01 0.5 --w10 1.5 --b0 -0.5 --b1 -0.2 --t-ref 25 --tau-syn 25 --method mc --steps 2000000

Lags are dt = t1 - t0. For W10 (0 -> 1) dt > 0 is causal, for W01 (1 -> 0) it is anti-causal.
SAL window: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0), aCausal = -1, aAnti = +1, tau = tRef.`;

export const register = defineCommand<StddOptions>({
  name: "stdd",
  description: "Spike-timing-difference distribution of two coupled sampling neurons and the expected SAL update (paper Fig. 2c, 2e)",
  presets: STDD_PRESET_NAMES,
  options: (cmd) =>
    cmd
      .addOption(new Option("--method <m>", "exact (Markov chain), mc (simulation) or both").choices(["exact", "mc", "both"]))
      .option("--t-ref <n>", "refractory time constant tRef (steps)", intOpt("--t-ref", 1, 500))
      .option("--tau-syn <n>", "rectangular PSP parameter tauSyn (PSP seen by draws s+1 .. s+tauSyn-1)", intOpt("--tau-syn", 1, 501))
      .option("--b0 <x>", "bias of neuron 0", floatOpt("--b0", -20, 20))
      .option("--b1 <x>", "bias of neuron 1", floatOpt("--b1", -20, 20))
      .option("--w01 <x>", "one weight pair instead of the preset's: W01 (1 -> 0); needs --w10", floatOpt("--w01", -20, 20))
      .option("--w10 <x>", "W10 (0 -> 1); needs --w01", floatOpt("--w10", -20, 20))
      .option("--steps <n>", "Monte-Carlo steps per weight pair", intOpt("--steps", 1000, 1e9))
      .option("--burn-in <n>", "Monte-Carlo steps before counting", intOpt("--burn-in", 0, 1e9))
      .option("--max-lag <n>", "keep |dt| <= n (the authors' stddc: t_max - 1 = 101 in fig. 2c, 29 in fig. 2e), or 'none'", maxLagOpt)
      .addOption(new Option("--normalize <how>", "joint: STDD sums to 1; halves: each half sums to 0.5 (stddc)").choices(["joint", "halves"]))
      .option("--psp-length <n>", "PSP seen by draws s+1 .. s+n after a spike at s (default tauSyn - 1)", intOpt("--psp-length", 0, 1000))
      .option("--min-isi <n>", "earliest re-spike at s+n (default tRef + 1; the authors' stddc: tRef)", intOpt("--min-isi", 1, 1001))
      .option("--tau <x>", "SAL window time constant (default tRef)", floatOpt("--tau", 1e-6, 1e4)),
  help: EXAMPLES,
  async action(opts) {
    const cfg = resolve(opts);
    const out = opts.out ? new OutDir(opts.out) : null;
    const k = cfg.method !== "exact" ? await backendFor({ ...opts, backend: cfg.backend }) : null;
    out?.writeJson("config.json", cfg);
    out?.writeJsonl("metrics.jsonl", []);
    const total = cfg.grid ? gridValues(cfg.grid).length ** 2 : cfg.pairs.length;
    const hooks = cliHooks<StddPairMetrics>(opts, out, "stdd", total);
    const run = runStdd(k, cfg, hooks);
    hooks.stop();
    const summary = stddSummary(cfg, run);
    if (out) writeStddOutputs(out, cfg, run, summary);
    for (const line of stddLines(run)) say(opts, line);
    say(opts, `${run.seconds.toFixed(2)} s${out ? `; wrote ${out.dir}` : ""}`);
    printSummary(summary, opts);
  },
});

function resolve(opts: StddOptions): StddConfig {
  if ((opts.w01 === undefined) !== (opts.w10 === undefined)) {
    const [given, missing] = opts.w01 === undefined ? ["--w10", "--w01"] : ["--w01", "--w10"];
    throw usage(missing, undefined, `give it together with ${given}`);
  }
  const overrides: Record<string, unknown> = {
    seed: opts.seed, backend: opts.backend, method: opts.method, tRef: opts.tRef, tauSyn: opts.tauSyn,
    b0: opts.b0, b1: opts.b1, steps: opts.steps, burnIn: opts.burnIn, maxLag: opts.maxLag,
    normalize: opts.normalize, "window.tau": opts.tau, pspLength: opts.pspLength, minIsi: opts.minIsi,
  };
  if (opts.w01 !== undefined) {
    overrides.pairs = [{ W01: opts.w01, W10: opts.w10 }];
    overrides.grid = null;
  }
  const cfg = resolveConfig({ schema: stddConfigSchema, presets: STDD_PRESETS, defaultPreset: "fig2c", preset: opts.preset, configPath: opts.config, overrides });
  checkConfig(cfg);
  return cfg;
}

