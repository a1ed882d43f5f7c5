// `spike-align microcircuit`: spiking dendritic cortical microcircuits learning a
// student-teacher regression with BP, FA or SAL feedback (arXiv:2503.02642, fig. 6).
import { InvalidArgumentError, Option } from "commander";
import { backendFor, cliHooks, defineCommand, floatOpt, intOpt, printSummary, resolveConfig, say, type SharedOptions } from "../common.js";
import { loadConfigFile } from "../../config/load.js";
import { OutDir } from "../../io/out.js";
import {
  conditionsOf, FEEDBACKS, fromMicrocircuitAuthorLayout, isMicrocircuitAuthorLayout, MICROCIRCUIT_PRESETS, microcircuitConfigSchema,
  microcircuitLines, microcircuitSummary, runMicrocircuit, writeMicrocircuitOutputs, type EpochMetrics, type McConfig,
} from "../../experiments/microcircuit/index.js";

interface McOptions extends SharedOptions {
  feedback?: string;
  dims?: [number, number, number];
  epochs?: number;
  seeds?: number;
  patternSteps?: number;
  learningLag?: number;
  etaHidden?: number;
  etaOutput?: number;
  etaB?: number;
  freeValidation?: boolean;
  salPairing?: "nearest" | "all";
}

function dimsOpt(v: string): [number, number, number] {
  const parts = v.split(",").map((s) => Number(s.trim()));
  if (parts.length !== 3 || parts.some((x) => !Number.isInteger(x) || x <= 0 || x > 4096)) {
    throw new InvalidArgumentError("--dims must be three positive integers n0,n1,n2 (input, hidden, output), e.g. 5,10,3.");
  }
  return parts as [number, number, number];
}

const EXAMPLES = `
Examples:
  spike-align microcircuit --preset quick --out runs/mc-quick          # SAL aligns B12 with W21 in seconds
  spike-align microcircuit --preset paper --feedback all --seeds 20 --out runs/fig6   # the figure's 60 runs
  spike-align microcircuit --preset wide --feedback all --out runs/wide --json   # angle(B12, W21^T): SAL vs FA
  spike-align microcircuit --preset wide --feedback sal --sal-pairing nearest      # the authors' pairing on wide
  spike-align microcircuit --preset wide --dims 2,4,2 --feedback fa --epochs 10 --pattern-steps 6000
  spike-align microcircuit --config scripts/microcircuits/sal/sal.yaml     # the authors' YAML layout as-is

Conditions: bp copies W21^T into B12 after every plastic step, fa keeps B12 fixed, sal learns B12
with spike-timing-dependent plasticity during the symmetrization patterns (last 5 of 20 training slots).
The validation loss is the authors' (output nudged during validation); freeLoss uses the un-nudged
output prediction b2 + v_bas. Seeds: --seed s --seeds N runs s, s+1, ...; the paper preset without
--seed uses the authors' seed base + 1 of each condition. SAL pairing: the authors pair each spike
with the most recent partner spike only (paper, quick). With many neurons at different rates this
drifts B12 by a rate-difference term that does not follow W21 (about 37 deg on wide after 150 epochs),
so wide pairs with all earlier spikes (exponential traces), which removes that drift;
--sal-pairing chooses either on any preset.`;

export const register = defineCommand<McOptions>({
  name: "microcircuit",
  description: "Spiking cortical microcircuits: student-teacher regression with BP / FA / SAL feedback (paper fig. 6)",
  presets: Object.keys(MICROCIRCUIT_PRESETS),
  options: (cmd) =>
    cmd
      .addOption(new Option("--feedback <c>", "feedback condition").choices([...FEEDBACKS, "all"]))
      .option("--dims <n0,n1,n2>", "layer sizes (input, hidden, output)", dimsOpt)
      .option("--epochs <n>", "epochs (26 patterns each)", intOpt("--epochs", 1, 100000))
      .option("--seeds <n>", "number of seeds (seed, seed+1, ...)", intOpt("--seeds", 1, 1000))
      .option("--pattern-steps <n>", "steps per pattern (authors: 20000)", intOpt("--pattern-steps", 1, 1e9))
      .option("--learning-lag <n>", "steps per pattern without plasticity (authors: 2000)", intOpt("--learning-lag", 0, 1e9))
      .option("--eta-hidden <x>", "learning rate of W10", floatOpt("--eta-hidden"))
      .option("--eta-output <x>", "learning rate of W21", floatOpt("--eta-output"))
      .option("--eta-b <x>", "SAL learning rate of B12", floatOpt("--eta-b"))
      .option("--free-validation", "validate with the output un-nudged (turns the authors' quirk off)")
      .addOption(new Option("--sal-pairing <p>", "SAL pairs a spike with the most recent partner spike (nearest: authors; paper and quick) or with all earlier ones (all: wide)").choices(["nearest", "all"])),
  help: EXAMPLES,
  async action(opts) {
    const cfg = resolve(opts);
    const out = opts.out ? new OutDir(opts.out) : null;
    const k = await backendFor(opts);
    out?.writeJson("config.json", cfg);
    out?.writeJsonl("metrics.jsonl", []);
    const hooks = cliHooks<EpochMetrics>(opts, out, "microcircuit", conditionsOf(cfg).length * cfg.seeds * cfg.epochs);
    const byFeedback = runMicrocircuit(k, cfg, hooks);
    hooks.stop();
    const summary = microcircuitSummary(cfg, byFeedback, k.name);
    if (out) writeMicrocircuitOutputs(out, cfg, byFeedback, summary);
    for (const line of microcircuitLines(byFeedback, summary)) say(opts, line);
    if (out) say(opts, `wrote ${out.dir}`);
    printSummary(summary, opts);
  },
});

/** preset <- config file (ours or the authors' layout) <- flags. */
export function resolve(opts: McOptions): McConfig {
  let file: unknown;
  if (opts.config) {
    file = loadConfigFile(opts.config);
    if (isMicrocircuitAuthorLayout(file)) file = fromMicrocircuitAuthorLayout(file);
  }
  return resolveConfig({
    schema: microcircuitConfigSchema, presets: MICROCIRCUIT_PRESETS, defaultPreset: "paper", preset: opts.preset, config: file, configPath: opts.config,
    overrides: {
      feedback: opts.feedback, dims: opts.dims, epochs: opts.epochs, seed: opts.seed, seeds: opts.seeds,
      "schedule.patternSteps": opts.patternSteps, "schedule.learningLag": opts.learningLag,
      "model.etaHidden": opts.etaHidden, "model.etaOutput": opts.etaOutput, "model.etaB": opts.etaB,
      "quirks.nudgeDuringValidation": opts.freeValidation ? false : undefined,
      "quirks.salNearestPairing": opts.salPairing === undefined ? undefined : opts.salPairing === "nearest",
    },
  });
}
