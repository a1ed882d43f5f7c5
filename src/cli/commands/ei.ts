// `spike-align ei`: the E-I system of the Dale's-law analysis (four sampling
// neurons e1, e2, i1, i2): effective E-E weights, the SAL phase plane in
// effective-weight coordinates, and the rate of e2 against W21 for the E-I and
// the direct system (src/experiments/ei/).
import { InvalidArgumentError } from "commander";
import {
  backendFor,
  cliHooks,
  defineCommand,
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
import { B } from "../../config/numbers.js";
import { EI_CONFIG_BOUNDS, EI_STEPS, EI_TAU_SYN, EI_T_REF } from "../../experiments/ei/config.js";
import {
  checkEiConfig,
  EI_PRESET_NAMES,
  EI_PRESETS,
  eiConfigSchema,
  eiLines,
  eiMetrics,
  eiSummary,
  eiUnits,
  finishEi,
  runEi,
  unitSteps,
  writeEiOutputs,
  type EiConfig,
  type EiMetrics,
  type EiRun,
  type EiUnitResult,
} from "../../experiments/ei/index.js";
import { defaultThreads, runUnits } from "../threads.js";

interface EiOptions extends SharedOptions {
  tRef?: number;
  tauSyn?: number;
  w12?: number;
  w21?: number;
  wIe?: number;
  wEi?: number;
  bE?: number;
  bI?: number;
  grid?: { min: number; max: number; step: number } | "none";
  steps?: number;
  threads?: number;
  yes?: boolean;
}

/** Simulated steps a run may take without --yes. */
const STEP_LIMIT = 5e9;

const gridWeight = numArg("--grid", B.weight),
  gridStep = numArg("--grid", B.gridStep);
/** --grid min,max,step or 'none' (kept as the string: commander turns a parser's null into ''). */
function gridOpt(v: string): { min: number; max: number; step: number } | "none" {
  if (v === "none") return "none";
  const parts = v.split(",");
  if (parts.length !== 3) throw new InvalidArgumentError("--grid must be min,max,step (e.g. 0,2,0.1) or 'none'.");
  const part = (i: number, parse: (x: string) => number, what: string) => {
    try {
      return parse(parts[i]);
    } catch (err) {
      throw new InvalidArgumentError(`${what} ${(err as Error).message.replace(/^It /, "")}`);
    }
  };
  return { min: part(0, gridWeight, "min"), max: part(1, gridWeight, "max"), step: part(2, gridStep, "step") };
}

export const register = defineCommand<EiOptions>({
  name: "ei",
  description: "Dale's law: the E-I system (e1, e2 and the interneurons i1, i2); SAL aligns effective E-E weights",
  presets: EI_PRESET_NAMES,
  runDir: true,
  // --yes: more than STEP_LIMIT simulated steps
  yes: true,
  options: (cmd) =>
    cmd
      .addOption(numOption("--t-ref <n>", "refractory time constant tRef (steps)", EI_T_REF))
      .addOption(numOption("--tau-syn <n>", "rectangular PSP parameter tauSyn (PSP seen by draws s+1 .. s+tauSyn-1)", EI_TAU_SYN))
      .addOption(numOption("--w12 <x>", "W12 = W[e1, e2], the direct e2 -> e1 weight (one simulation: with --grid none)", B.weight))
      .addOption(numOption("--w21 <x>", "W21 = W[e2, e1], the direct e1 -> e2 weight", B.weight))
      .addOption(numOption("--w-ie <x>", "both E -> I weights (e1 -> i1, e2 -> i2)", B.weight))
      .addOption(numOption("--w-ei <x>", "both I -> E weights (i1 -> e2, i2 -> e1)", B.weight))
      .addOption(numOption("--b-e <x>", "bias of both E neurons", B.bias))
      .addOption(numOption("--b-i <x>", "bias of both interneurons", B.bias))
      .option("--grid <g>", "phase plane of (W12, W21): min,max,step (paper: 0,2,0.1), or 'none' for one simulation", gridOpt)
      .addOption(numOption("--steps <n>", "steps per simulation (paper: 2000000)", EI_STEPS))
      .addOption(numOption("--threads <n>", "worker threads (default: the cores)", B.threads)),
  bounds: [["--grid min, max", B.weight], ["--grid step", B.gridStep], ...EI_CONFIG_BOUNDS],
  help: `
Examples:
  spike-align ei --out runs/ei                       # paper: noised E-I paths, 21 x 21 grid, 2e6 steps per point
  spike-align ei --preset symmetric --json
  spike-align ei --grid 0,2,0.25 --steps 500000 --out runs/ei-quick
  spike-align ei --grid none --w12 0.5 --w21 1.5    # one simulation: rates, E-E STDD, SAL updates

Weights are W[post, pre]: W12 = W[e1, e2] is e2 -> e1, W21 = W[e2, e1] is e1 -> e2. Effective weight of
e1 -> e2: W21 + W[e2, i1] sigma(W[i1, e1] r + b_i1) / r with r = sigma(b_e1) (the authors' formula), and the
same for e2 -> e1 through i2. SAL: exponential window -1 / +1, tau = tRef, on first-order E-E pairs,
normalised by tRef / steps. A run of more than ${STEP_LIMIT / 1e9}e9 simulated steps in all needs --yes.`,
  async action(opts) {
    const cfg = resolve(opts);
    const out = openRunDir(opts, "ei");
    out?.writeJson("config.json", cfg);
    out?.writeJsonl("metrics.jsonl", []);
    const run = await runThreads(cfg, opts, out);
    const summary = eiSummary(cfg, run);
    if (out) writeEiOutputs(out, cfg, run, summary);
    for (const line of eiLines(run)) say(opts, line);
    say(opts, `${run.seconds.toFixed(2)} s, ${(run.steps / 1e6).toFixed(1)}e6 steps${out ? `; wrote ${out.dir}` : ""}`);
    printSummary(summary, opts);
  },
});

/** The simulations over worker threads (one thread: in this one); results in the same order either way. */
async function runThreads(cfg: EiConfig, opts: EiOptions, out: OutDir | null): Promise<EiRun> {
  const units = eiUnits(cfg);
  const hooks = cliHooks<EiMetrics>(opts, out, "ei", units.length);
  // the backend is created here first, so a missing-SIMD fallback warning is printed once
  const k = await backendFor({ ...opts, backend: cfg.backend });
  const run = await runUnits({
    units,
    threads: opts.threads ?? defaultThreads(),
    hooks,
    local: () => runEi(k, cfg, hooks),
    task: (unit) => ({ kind: "ei-unit", cfg, unit }),
    metrics: (r: EiUnitResult) => eiMetrics(cfg, r),
    finish: (results, seconds) => finishEi(cfg, results, seconds),
  });
  hooks.stop();
  return run;
}

function resolve(opts: EiOptions): EiConfig {
  const overrides: Record<string, unknown> = {
    seed: opts.seed,
    backend: opts.backend,
    tRef: opts.tRef,
    tauSyn: opts.tauSyn,
    steps: opts.steps,
    grid: opts.grid === "none" ? null : opts.grid,
    "weights.e1_e2": opts.w12,
    "weights.e2_e1": opts.w21,
    "weights.i1_e1": opts.wIe,
    "weights.i2_e2": opts.wIe,
    "weights.e2_i1": opts.wEi,
    "weights.e1_i2": opts.wEi,
    "biases.e1": opts.bE,
    "biases.e2": opts.bE,
    "biases.i1": opts.bI,
    "biases.i2": opts.bI,
  };
  const cfg = resolveConfig({
    schema: eiConfigSchema,
    presets: EI_PRESETS,
    defaultPreset: "paper",
    preset: opts.preset,
    configPath: opts.config,
    overrides,
  });
  if (cfg.grid && (opts.w12 !== undefined || opts.w21 !== undefined)) {
    throw usage(
      opts.w12 !== undefined ? "--w12" : "--w21",
      opts.w12 ?? opts.w21,
      "sets the E-E weight of one simulation; the grid sets both: add --grid none",
    );
  }
  checkEiConfig(cfg);
  const steps = eiUnits(cfg).reduce((a, u) => a + unitSteps(cfg, u), 0);
  if (steps > STEP_LIMIT && !opts.yes)
    throw usage(
      "steps",
      cfg.steps,
      `the run simulates ${steps.toExponential(2)} steps in all; more than ${STEP_LIMIT.toExponential(0)} need --yes`,
    );
  return cfg;
}
