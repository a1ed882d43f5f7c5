// `spike-align stdd`: spike-timing-difference distributions of two coupled
// sampling neurons and the expected SAL update of both synapses
// (arXiv:2503.02642 Fig. 2c, 2e), exactly (Markov chain) and/or by simulation.
import { Command, InvalidArgumentError, Option } from "commander";
import { addSharedOptions, backendFor, floatOpt, intOpt, printSummary, progress, resolveConfig, runAction, say, type SharedOptions } from "../common.js";
import { OutDir } from "../../io/out.js";
import { usage } from "../../errors.js";
import { STDD_PRESETS, STDD_PRESET_NAMES, StddConfigSchema, gridValues, type StddConfig } from "../../experiments/stdd/config.js";
import { checkConfig, headlineUpdate, runStdd, type StddRun } from "../../experiments/stdd/run.js";
import type { PairKernels } from "../../experiments/stdd/montecarlo.js";
import { phasePlot, stddPlot } from "../../experiments/stdd/plots.js";
import { lags } from "../../experiments/stdd/stdd.js";

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

export function register(program: Command): void {
  const cmd = program
    .command("stdd")
    .description("Spike-timing-difference distribution of two coupled sampling neurons and the expected SAL update (paper Fig. 2c, 2e)");
  addSharedOptions(cmd, STDD_PRESET_NAMES);
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
    .option("--tau <x>", "SAL window time constant (default tRef)", floatOpt("--tau", 1e-6, 1e4))
    .addHelpText("after", EXAMPLES)
    .action(runAction(async (opts: StddOptions) => runCommand(opts)));
}

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
  const cfg = resolveConfig({ schema: StddConfigSchema, presets: STDD_PRESETS, defaultPreset: "fig2c", preset: opts.preset, configPath: opts.config, overrides });
  checkConfig(cfg);
  return cfg;
}

/** The --json / summary.json object. */
export function summaryOf(cfg: StddConfig, run: StddRun): Record<string, unknown> {
  const results = run.pairs.map((r) => {
    const row: Record<string, unknown> = { W01: r.W01, W10: r.W10, expectedUpdate: headlineUpdate(r) };
    if (r.exact && r.mc) row.expectedUpdateMc = r.mc.expectedUpdate;
    if (r.mc) row.expectedUpdateSe = r.mc.expectedUpdateSe;
    if (r.tvd !== undefined) { row.tvd = r.tvd; row.tvdNoise = r.tvdNoise; }
    const s = (r.exact ?? r.mc)!.stdd;
    row.massCausal = s.massRight;
    row.pairRate = s.pairRate;
    return row;
  });
  const summary: Record<string, unknown> = {
    command: "stdd",
    preset: cfg.preset,
    method: cfg.method,
    tRef: cfg.tRef,
    tauSyn: cfg.tauSyn,
    b0: cfg.b0,
    b1: cfg.b1,
    results,
  };
  if (cfg.method !== "exact") {
    summary.backend = cfg.backend;
    summary.seed = cfg.seed;
    summary.stepsPerPair = cfg.steps;
    summary.steps = run.pairs.length * (cfg.steps + cfg.burnIn);
    const ns = run.pairs.map((r) => r.mc!.nsPerStep);
    summary.nsPerStep = ns.reduce((a, b) => a + b, 0) / ns.length;
  }
  const tvds = run.pairs.map((r) => r.tvd).filter((x): x is number => x !== undefined);
  if (tvds.length) summary.maxTvd = Math.max(...tvds);
  if (run.phase) {
    summary.nullclineDeviation = run.phase.nullclineDeviation;
    summary.multipleRootColumns = run.phase.multipleRootColumns;
  }
  summary.seconds = run.seconds;
  return summary;
}

function writeOutputs(out: OutDir, cfg: StddConfig, run: StddRun, summary: Record<string, unknown>): void {
  out.writeJson("config.json", cfg);
  const detail = run.pairs.map((r) => ({
    W01: r.W01,
    W10: r.W10,
    tvd: r.tvd,
    ...Object.fromEntries((["exact", "mc"] as const).filter((m) => r[m]).map((m) => {
      const { stdd, ...rest } = r[m]!;
      const curve = run.phase ? {} : { L: stdd.L, p: Array.from(stdd.p) };
      return [m, { ...rest, massCausal: stdd.massRight, massAnti: stdd.massLeft, pairRate: stdd.pairRate, droppedFraction: stdd.droppedFraction, ...curve }];
    })),
  }));
  const ph = run.phase;
  out.writeJson("results.json", { summary, pairs: detail, phase: ph && { w: ph.w, dW01: Array.from(ph.dW01), dW10: Array.from(ph.dW10), nullcline: ph.nullcline } });
  out.writeJson("summary.json", summary);
  if (ph) {
    const n = ph.w.length;
    const both = cfg.method === "both";
    const rows = run.pairs.map((r, k) => {
      const row: number[] = [ph.w[Math.floor(k / n)], ph.w[k % n], ph.dW01[k], ph.dW10[k]];
      if (both) row.push(r.mc!.expectedUpdate.W01, r.mc!.expectedUpdate.W10, r.tvd!);
      return row;
    });
    out.writeCsv("phase.csv", ["W01", "W10", "dW01", "dW10", ...(both ? ["dW01_mc", "dW10_mc", "tvd"] : [])], rows);
    out.writeCsv("nullcline.csv", ["W01", "W10"], ph.nullcline);
    out.writeText("phase.svg", phasePlot(ph, `${cfg.preset}: expected SAL update (tRef ${cfg.tRef}, b ${cfg.b0}/${cfg.b1}), nullcline deviation ${ph.nullclineDeviation.toExponential(2)}`));
    return;
  }
  const rows: (number | string)[][] = [];
  run.pairs.forEach((r, k) => {
    const s = (r.exact ?? r.mc)!.stdd;
    for (const d of lags(s)) {
      const pe = r.exact ? r.exact.stdd.p[r.exact.stdd.L + d] : NaN;
      const pm = r.mc && Math.abs(d) <= r.mc.stdd.L ? r.mc.stdd.p[r.mc.stdd.L + d] : NaN;
      rows.push([k, r.W01, r.W10, d, pe, pm]);
    }
  });
  out.writeCsv("stdd.csv", ["pair", "W01", "W10", "dt", "p_exact", "p_mc"], rows);
  out.writeCsv("updates.csv", ["W01", "W10", "dW01", "dW10", "dW01_mc", "dW10_mc", "tvd"], run.pairs.map((r) => [
    r.W01, r.W10, r.exact?.expectedUpdate.W01 ?? NaN, r.exact?.expectedUpdate.W10 ?? NaN,
    r.mc?.expectedUpdate.W01 ?? NaN, r.mc?.expectedUpdate.W10 ?? NaN, r.tvd ?? NaN,
  ]));
  run.pairs.forEach((r, k) => {
    const mean = (r.W01 + r.W10) / 2;
    const sym = r.W01 !== r.W10 ? run.pairs.find((q) => Math.abs(q.W01 - mean) < 1e-12 && Math.abs(q.W10 - mean) < 1e-12) : undefined;
    out.writeText(`stdd-${k}.svg`, stddPlot(r, sym, cfg.plotLag));
  });
}

async function runCommand(opts: StddOptions): Promise<void> {
  const cfg = resolve(opts);
  const out = opts.out ? new OutDir(opts.out) : null;
  let kernels: PairKernels | undefined;
  if (cfg.method !== "exact") {
    kernels = await backendFor({ ...opts, backend: cfg.backend });
  }
  const total = cfg.grid ? gridValues(cfg.grid).length ** 2 : cfg.pairs.length;
  const bar = progress(opts, total, "stdd");
  const run = runStdd(cfg, { kernels, onPair: (d) => bar.tick(d) });
  bar.stop();
  const summary = summaryOf(cfg, run);
  if (out) writeOutputs(out, cfg, run, summary);
  if (!run.phase) {
    for (const r of run.pairs) {
      const u = headlineUpdate(r);
      say(opts, `W01 ${r.W01}, W10 ${r.W10}: dW01 ${u.W01.toFixed(5)}, dW10 ${u.W10.toFixed(5)}${r.tvd !== undefined ? `, TVD exact vs MC ${r.tvd.toFixed(4)}` : ""}`);
    }
  } else {
    say(opts, `nullcline deviation from the diagonal: ${run.phase.nullclineDeviation.toExponential(3)} (${run.pairs.length} grid points)`);
  }
  say(opts, `${run.seconds.toFixed(2)} s${out ? `; wrote ${out.dir}` : ""}`);
  printSummary(summary, opts);
}
