// `spike-align stdd`: spike-timing-difference distributions of two coupled
// sampling neurons and the expected SAL update of both synapses
// (arXiv:2503.02642 Fig. 2c, 2e), exactly (Markov chain) and/or by simulation.
import { InvalidArgumentError, Option } from "commander";
import {
  backendFor,
  cliHooks,
  defineCommand,
  guardResources,
  numArg,
  numOption,
  openRunDir,
  printSummary,
  resolveConfig,
  say,
  type SharedOptions,
} from "../common.js";
import type { OutDir } from "../../io/out.js";
import { usage } from "../../errors.js";
import { B, narrow } from "../../config/numbers.js";
import {
  STDD_BURN_IN,
  STDD_CONFIG_BOUNDS,
  STDD_LAG,
  STDD_MIN_ISI,
  STDD_PRESETS,
  STDD_PRESET_NAMES,
  STDD_PSP_LENGTH,
  STDD_STEPS,
  STDD_T_REF,
  STDD_TAU_SYN,
  stddConfigSchema,
  gridValues,
  type StddConfig,
} from "../../experiments/stdd/config.js";
import { checkConfig, runStdd, type StddPairMetrics, type StddRun } from "../../experiments/stdd/run.js";
import { stddLines, stddSummary, writeStddOutputs } from "../../experiments/stdd/report.js";
import {
  chainsPerUnit,
  finishSweep,
  sweepMetrics,
  sweepUnits,
  type SweepMetrics,
  type SweepUnitResult,
} from "../../experiments/stdd/sweep.js";
import { PSP_SHAPES } from "../../models/psp.js";
import { defaultThreads, runUnits } from "../threads.js";

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
  /** "none" keeps every lag (commander would turn a parser's null into an empty string). */
  maxLag?: number | "none";
  normalize?: string;
  tau?: number;
  pspLength?: number;
  minIsi?: number;
  psp?: string;
  pspTail?: string;
  ties?: string;
  convention?: string;
  biases?: number[];
  threads?: number;
  yes?: boolean;
}

/** Exact chains a bias sweep may solve without --yes. */
const SWEEP_CHAIN_LIMIT = 200_000;

/** A comma-separated list of biases. */
const biasArg = numArg("--biases", B.bias);
function biasListOpt(v: string): number[] {
  const xs = v.split(",").map((p) => biasArg(p));
  if (xs.length > 101) throw new InvalidArgumentError("--biases takes at most 101 values.");
  return xs;
}

const lagArg = numArg("--max-lag", STDD_LAG);
function maxLagOpt(v: string): number | "none" {
  if (v === "none") return v;
  try {
    return lagArg(v);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message.replace(/\.$/, "")}, or 'none'.`);
  }
}

/**
 * Rough wall time per weight pair: the exact chain grows as M^3 (M = max(minIsi, PSP length + 1)),
 * the simulation ~60 ns per step.
 */
function secondsPerPair(cfg: StddConfig): number {
  const minIsi = cfg.minIsi ?? cfg.tRef + 1,
    psp = cfg.pspLength ?? Math.ceil(cfg.tauSyn) - 1;
  const M = Math.max(minIsi, psp + 1);
  return (cfg.method !== "mc" ? 1e-7 * M ** 3 : 0) + (cfg.method !== "exact" ? 60e-9 * (cfg.steps + cfg.burnIn) : 0);
}

const EXAMPLES = `
Examples:
  spike-align stdd                                   # fig2c, exact chain
  spike-align stdd --preset fig2c --method both --out runs/fig2c
  spike-align stdd --preset fig2e --out runs/fig2e --json
  spike-align stdd --min-isi 50 --psp-length 49 --max-lag 101 --normalize halves   # the authors' stddc conventions
  spike-align stdd --w01 0.5 --w10 1.5 --b0 -0.5 --b1 -0.2 --t-ref 25 --tau-syn 25 --method mc --steps 2000000
  spike-align stdd --psp alpha --tau-syn 5 --t-ref 10 --w01 1 --w10 0.5 --b0 -0.5 --b1 0.5 --method both
  spike-align stdd --preset psp-shapes --out runs/psp-shapes --json   # rect / alpha tRef/3 / alpha tRef/2 over the bias grid

PSP shapes (--psp): rect, alpha, exp, cutoff, tail, with --tau-syn the shape's time constant, normalised as
the authors' STDD calculator does (area tRef). A neuron's PSP is that of its newest spike.
Conventions (--convention): ssn (the simulator: re-spike at s + tRef + 1, ties skip) or stddc (the
authors' calculator: re-spike at s + tRef, ties pair, shaped PSPs held at their value at maxLag).

Lags are dt = t1 - t0. For W10 (0 -> 1) dt > 0 is causal, for W01 (1 -> 0) it is anti-causal.
SAL window: aCausal e^{-dt/tau} (dt > 0), aAnti e^{dt/tau} (dt < 0), aCausal = -1, aAnti = +1, tau = tRef.`;

export const register = defineCommand<StddOptions>({
  name: "stdd",
  description: "Spike-timing-difference distribution of two coupled sampling neurons and the expected SAL update (paper Fig. 2c, 2e)",
  presets: STDD_PRESET_NAMES,
  runDir: true,
  options: (cmd) =>
    cmd
      .addOption(new Option("--method <m>", "exact (Markov chain), mc (simulation) or both").choices(["exact", "mc", "both"]))
      .addOption(numOption("--t-ref <n>", "refractory time constant tRef (steps)", STDD_T_REF))
      .addOption(new Option("--psp <shape>", "PSP shape").choices([...PSP_SHAPES]))
      .addOption(
        numOption(
          "--tau-syn <x>",
          "the PSP's time constant; rect: its length parameter (PSP seen by draws s+1 .. s+tauSyn-1, an integer)",
          STDD_TAU_SYN,
        ),
      )
      .addOption(numOption("--b0 <x>", "bias of neuron 0", B.bias))
      .addOption(numOption("--b1 <x>", "bias of neuron 1", B.bias))
      .addOption(numOption("--w01 <x>", "one weight pair instead of the preset's: W01 (1 -> 0); needs --w10", B.weight))
      .addOption(numOption("--w10 <x>", "W10 (0 -> 1); needs --w01", B.weight))
      .addOption(numOption("--steps <n>", "Monte-Carlo steps per weight pair (steps + burn-in <= 2^30-1)", STDD_STEPS))
      .addOption(numOption("--burn-in <n>", "Monte-Carlo steps before counting", STDD_BURN_IN))
      .option("--max-lag <n>", "keep |dt| <= n (the authors' stddc: t_max - 1 = 101 in fig. 2c, 29 in fig. 2e), or 'none'", maxLagOpt)
      .addOption(
        new Option("--normalize <how>", "joint: STDD sums to 1; halves: each half sums to 0.5 (stddc)").choices(["joint", "halves"]),
      )
      .addOption(numOption("--psp-length <n>", "PSP seen by draws s+1 .. s+n after a spike at s (default tauSyn - 1)", STDD_PSP_LENGTH))
      .addOption(numOption("--min-isi <n>", "earliest re-spike at s+n (default tRef + 1; the authors' stddc: tRef)", STDD_MIN_ISI))
      .addOption(numOption("--tau <x>", "SAL window time constant (default tRef)", B.tau))
      .addOption(
        new Option("--psp-tail <how>", "shaped PSPs after --psp-length lags: zero, or hold their last value until the next spike").choices([
          "zero",
          "hold",
        ]),
      )
      .addOption(
        new Option("--ties <how>", "a step in which both neurons fire: skip (no pair with it) or pair (the authors' calculator)").choices([
          "skip",
          "pair",
        ]),
      )
      .addOption(
        new Option(
          "--convention <c>",
          "defaults of --min-isi, --ties, --psp-length, --psp-tail: ssn (simulator) or stddc (the authors' calculator)",
        ).choices(["ssn", "stddc"]),
      )
      .option("--biases <list>", "bias sweep (psp-shapes): the biases b0 and b1 each run over, comma-separated", biasListOpt)
      .addOption(
        numOption(
          "--threads <n>",
          "worker threads for a bias sweep (default: the cores)",
          narrow(B.count, { max: 256, name: "threads", why: "worker threads" }),
        ),
      ),
  bounds: [["--max-lag", STDD_LAG], ["--biases (each)", B.bias], ...STDD_CONFIG_BOUNDS],
  // --yes: a bias sweep of more than SWEEP_CHAIN_LIMIT exact chains, or a run estimated at over an hour
  yes: true,
  help: EXAMPLES,
  async action(opts) {
    const cfg = resolve(opts);
    if (!cfg.sweep) {
      const pairs = cfg.grid ? gridValues(cfg.grid).length ** 2 : cfg.pairs.length;
      const perPair = secondsPerPair(cfg);
      guardResources(
        opts,
        "stdd",
        {
          what: `${pairs} weight pair${pairs > 1 ? "s" : ""} at t_ref ${cfg.tRef} (${cfg.method})`,
          bytes: 0,
          firstEpochSeconds: pairs * perPair,
          span: "the run",
          unit: { seconds: perPair, name: "pair" },
        },
        cfg.backend,
      );
    }
    const out = openRunDir(opts, "stdd");
    const k = cfg.method !== "exact" ? await backendFor({ ...opts, backend: cfg.backend }) : null;
    out?.writeJson("config.json", cfg);
    out?.writeJsonl("metrics.jsonl", []);
    let run: StddRun;
    if (cfg.sweep) run = await runSweepThreads(cfg, opts, out);
    else {
      const total = cfg.grid ? gridValues(cfg.grid).length ** 2 : cfg.pairs.length;
      const hooks = cliHooks<StddPairMetrics>(opts, out, "stdd", total);
      run = runStdd(k, cfg, hooks);
      hooks.stop();
    }
    const summary = stddSummary(cfg, run);
    if (out) writeStddOutputs(out, cfg, run, summary);
    for (const line of stddLines(run)) say(opts, line);
    say(opts, `${run.seconds.toFixed(2)} s${out ? `; wrote ${out.dir}` : ""}`);
    printSummary(summary, opts);
  },
});

/** A bias sweep over worker threads (one thread: in this one); results in the same order either way. */
async function runSweepThreads(cfg: StddConfig, opts: StddOptions, out: OutDir | null): Promise<StddRun> {
  const units = sweepUnits(cfg);
  const hooks = cliHooks<SweepMetrics>(opts, out, "stdd sweep", units.length);
  const run = await runUnits({
    units,
    threads: opts.threads ?? defaultThreads(),
    hooks,
    local: () => runStdd(null, cfg, hooks),
    task: (unit) => ({ kind: "stdd-sweep", cfg, unit }),
    metrics: (r: SweepUnitResult) => sweepMetrics(cfg, r),
    finish: (results, seconds) => finishSweep(cfg, results, seconds),
  });
  hooks.stop();
  return run;
}

function resolve(opts: StddOptions): StddConfig {
  if ((opts.w01 === undefined) !== (opts.w10 === undefined)) {
    const [given, missing] = opts.w01 === undefined ? ["--w10", "--w01"] : ["--w01", "--w10"];
    throw usage(missing, undefined, `give it together with ${given}`);
  }
  const overrides: Record<string, unknown> = {
    seed: opts.seed,
    backend: opts.backend,
    method: opts.method,
    tRef: opts.tRef,
    tauSyn: opts.tauSyn,
    b0: opts.b0,
    b1: opts.b1,
    steps: opts.steps,
    burnIn: opts.burnIn,
    maxLag: opts.maxLag === "none" ? null : opts.maxLag,
    normalize: opts.normalize,
    "window.tau": opts.tau,
    pspLength: opts.pspLength,
    minIsi: opts.minIsi,
    psp: opts.psp,
    pspTail: opts.pspTail,
    ties: opts.ties,
    convention: opts.convention,
  };
  if (opts.w01 !== undefined) {
    overrides.pairs = [{ W01: opts.w01, W10: opts.w10 }];
    overrides.grid = null;
  }
  const cfg = resolveConfig({
    schema: stddConfigSchema,
    presets: STDD_PRESETS,
    defaultPreset: "fig2c",
    preset: opts.preset,
    configPath: opts.config,
    overrides,
  });
  if (opts.biases !== undefined) {
    if (!cfg.sweep)
      throw usage(
        "--biases",
        opts.biases.join(","),
        "sets the biases of a bias sweep: use it with --preset psp-shapes (or a config with a sweep)",
      );
    cfg.sweep.biases = opts.biases;
  }
  checkConfig(cfg);
  if (cfg.sweep && !opts.yes) {
    const chains = sweepUnits(cfg).length * chainsPerUnit(cfg);
    if (chains > SWEEP_CHAIN_LIMIT) {
      const sw = cfg.sweep;
      throw usage(
        "sweep.biases",
        `${sw.biases.length} values`,
        `${sw.shapes.length} shapes x ${sw.biases.length ** 2} bias pairs x ${chainsPerUnit(cfg)} weight pairs` +
          ` = ${chains} exact chains; more than ${SWEEP_CHAIN_LIMIT} need --yes`,
      );
    }
  }
  return cfg;
}
