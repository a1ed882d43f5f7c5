// `spike-align microcircuit`: spiking dendritic cortical microcircuits learning a
// student-teacher regression with BP, FA or SAL feedback (arXiv:2503.02642, fig. 6).
import { InvalidArgumentError, Option } from "commander";
import {
  backendFor,
  cliHooks,
  defineCommand,
  guardResources,
  numOption,
  openRunDir,
  pathArg,
  printSummary,
  readRunConfig,
  resolveConfig,
  say,
  type SharedOptions,
} from "../common.js";
import { loadConfigFile } from "../../config/load.js";
import { B, checkNumber, firstNonFinite, narrow } from "../../config/numbers.js";
import { encodeTensor } from "../../checkpoint/format.js";
import { usage } from "../../errors.js";
import { checkCheckpoint, Checkpointer, openCheckpoint } from "../../checkpoint/files.js";
import {
  FEEDBACKS,
  fromMicrocircuitAuthorLayout,
  isMicrocircuitAuthorLayout,
  MICROCIRCUIT_PRESETS,
  microcircuitConfigSchema,
  microcircuitLines,
  microcircuitSummary,
  runMicrocircuit,
  writeMicrocircuitOutputs,
  type EpochMetrics,
  type McConfig,
} from "../../experiments/microcircuit/index.js";
import { MC_CONFIG_BOUNDS, MC_PATTERN_STEPS, microcircuitEstimate } from "../../experiments/microcircuit/config.js";
import { totalPatterns, type McCheckpointState } from "../../experiments/microcircuit/run.js";
import { microcircuitCheckpointSchema } from "../../experiments/microcircuit/checkpoint.js";

interface McOptions extends SharedOptions {
  feedback?: string;
  dims?: [number, number, number];
  epochs?: number;
  seeds?: number;
  patternSteps?: number;
  teacherPatternSteps?: number;
  learningLag?: number;
  etaHidden?: number;
  etaOutput?: number;
  etaB?: number;
  freeValidation?: boolean;
  salPairing?: "nearest" | "all";
  checkpointEvery?: number;
  resume?: string;
}

function dimsOpt(v: string): [number, number, number] {
  const parts = v.split(",").map((s) => (s.trim() === "" ? NaN : Number(s.trim())));
  if (parts.length !== 3 || parts.some((x) => checkNumber(x, B.layer) !== null)) {
    throw new InvalidArgumentError(`--dims must be three integers n0,n1,n2 (input, hidden, output) in [1, ${B.layer.max}], e.g. 5,10,3.`);
  }
  return parts as [number, number, number];
}

const EXAMPLES = `
Examples:
  spike-align microcircuit --preset quick --out runs/mc-quick          # SAL aligns B12 with W21 in seconds
  spike-align microcircuit --preset paper --feedback all --seeds 20 --out runs/fig6   # the figure's 60 runs
  spike-align microcircuit --preset wide --feedback all --out runs/wide --json   # angle(B12, W21^T): SAL vs FA
  spike-align microcircuit --preset wide --feedback sal --sal-pairing nearest      # the authors' pairing on wide
  spike-align microcircuit --preset wide --dims 2,4,2 --feedback fa --epochs 10 --pattern-steps 6000 --teacher-pattern-steps 6000
  spike-align microcircuit --preset paper --feedback all --seeds 20 --checkpoint-every 10 --out runs/fig6
  spike-align microcircuit --resume runs/fig6                           # continue after a crash, same outputs
  spike-align microcircuit --config scripts/microcircuits/sal/sal.yaml     # the authors' YAML layout as-is

Conditions: bp copies W21^T into B12 after every plastic step, fa keeps B12 fixed, sal learns B12
with spike-timing-dependent plasticity during the symmetrization patterns (last 5 of 20 training slots).
The validation loss is the authors' (output nudged during validation); freeLoss uses the un-nudged
output prediction b2 + v_bas. Seeds: --seed s --seeds N runs s, s+1, ..., s+N-1 (all <= 2^32-1); the
paper preset without --seed uses the authors' seed base + 1 of each condition. Patterns: every run
starts with the teacher (one pattern of --teacher-pattern-steps per input; paper: 20,000 for sal,
200,000 for bp and fa), then each epoch has lenEpoch training and symmetrization patterns and one
validation pattern per input, all of --pattern-steps. Progress counts patterns; a run that would not
fit in memory or whose first epoch would take over an hour is refused unless --yes. SAL pairing: the
authors pair each spike with the most recent partner spike only (paper, quick). With many neurons at
different rates this drifts B12 by a rate-difference term that does not follow W21 (about 37 deg on
wide after 150 epochs), so wide pairs with all earlier spikes (exponential traces), which removes that
drift; --sal-pairing chooses either on any preset.`;

export const register = defineCommand<McOptions>({
  name: "microcircuit",
  description: "Spiking cortical microcircuits: student-teacher regression with BP / FA / SAL feedback (paper fig. 6)",
  presets: Object.keys(MICROCIRCUIT_PRESETS),
  runDir: true,
  options: (cmd) =>
    cmd
      .addOption(new Option("--feedback <c>", "feedback condition").choices([...FEEDBACKS, "all"]))
      .option("--dims <n0,n1,n2>", `layer sizes (input, hidden, output), each 1..${B.layer.max}`, dimsOpt)
      .addOption(numOption("--epochs <n>", "epochs (lenEpoch + validation patterns each)", B.epochs))
      .addOption(numOption("--seeds <n>", "number of seeds (seed, seed+1, ...)", B.count))
      .addOption(
        numOption(
          "--pattern-steps <n>",
          "steps per student pattern (authors: 20000); the teacher's: --teacher-pattern-steps",
          MC_PATTERN_STEPS,
        ),
      )
      .addOption(
        numOption(
          "--teacher-pattern-steps <n>",
          "steps per teacher pattern, every condition (authors: sal 20000, bp and fa 200000)",
          MC_PATTERN_STEPS,
        ),
      )
      .addOption(
        numOption(
          "--learning-lag <n>",
          "steps per pattern without plasticity (authors: 2000)",
          narrow(MC_PATTERN_STEPS, { min: 0, name: "lag steps" }),
        ),
      )
      .addOption(numOption("--eta-hidden <x>", "learning rate of W10", B.rate))
      .addOption(numOption("--eta-output <x>", "learning rate of W21", B.rate))
      .addOption(numOption("--eta-b <x>", "SAL learning rate of B12", B.rate))
      .option("--free-validation", "validate with the output un-nudged (turns the authors' quirk off)")
      .addOption(
        new Option(
          "--sal-pairing <p>",
          "SAL pairs a spike with the most recent partner spike (nearest: authors; paper and quick) or with all earlier ones (all: wide)",
        ).choices(["nearest", "all"]),
      )
      .addOption(
        numOption("--checkpoint-every <n>", "write --out/checkpoint.json after every n epochs of a run (0 = never)", B.everyOrNever),
      )
      .option(
        "--resume <dir>",
        "continue the experiment whose checkpoint is in DIR (its config and backend; outputs go to DIR)",
        pathArg("--resume"),
      ),
  bounds: MC_CONFIG_BOUNDS,
  yes: true,
  help: EXAMPLES,
  async action(opts, ctx) {
    let cfg: McConfig,
      resume: McCheckpointState | undefined,
      backend = opts.backend;
    if (opts.resume !== undefined) {
      ctx.onlyWithResume(["backend", "yes"]);
      const r = loadResume(opts.resume);
      cfg = r.cfg;
      resume = r.state;
      backend ??= r.backend;
    } else {
      cfg = resolve(opts);
      if (cfg.checkpointEvery > 0 && opts.out === undefined)
        throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
    }
    const est = microcircuitEstimate(cfg, backend ?? "wasm");
    guardResources({ ...opts, backend }, "microcircuit", {
      what: `dims ${cfg.dims.join(",")}`,
      bytes: est.bytes,
      wasmBytes: est.wasmBytes,
      firstEpochSeconds: est.firstEpochSeconds,
      unit: { seconds: est.patternSeconds, name: "pattern" },
    });
    const out = openRunDir(opts, "microcircuit", opts.resume !== undefined ? { dir: opts.resume, resume: true, flag: "--resume" } : {});
    const k = await backendFor({ ...opts, backend });
    out?.writeJson("config.json", cfg); // the backend is in the checkpoint; config.json stays a valid --config
    out?.writeJsonl("metrics.jsonl", resume ? [...resume.done.flatMap((r) => r.epochs), ...resume.current.epochs] : []);
    const ck = out
      ? new Checkpointer<McCheckpointState>(
          out,
          "microcircuit",
          (s) => firstNonFinite({ F: s.current.net.F, D: s.current.net.D }),
          encodeState,
        )
      : null;
    const hooks = cliHooks<EpochMetrics>(opts, out, "microcircuit", totalPatterns(cfg), {
      check: (m) =>
        m.epoch > 0 ? firstNonFinite({ validationLoss: m.validationLoss, freeLoss: m.freeLoss, weights: m.weights }, true) : null,
      epoch: (m) => m.epoch,
      checkpoint: ck,
    });
    const byFeedback = runMicrocircuit(k, cfg, { ...hooks, onCheckpoint: (s) => ck?.write(k.name, s, s.current.epoch) }, resume);
    hooks.stop();
    const summary = microcircuitSummary(cfg, byFeedback, k.name);
    if (out) writeMicrocircuitOutputs(out, cfg, byFeedback, summary);
    for (const line of microcircuitLines(byFeedback, summary)) say(opts, line);
    if (out) say(opts, `wrote ${out.dir}`);
    printSummary(summary, opts);
  },
});

/** The JSON fields of a checkpoint: the student's buffers as tensors. */
function encodeState(s: McCheckpointState): object {
  const n = s.current.net;
  return {
    ...s,
    current: { ...s.current, net: { F: encodeTensor(n.F), I: encodeTensor(n.I), U: encodeTensor(n.U), D: encodeTensor(n.D) } },
  };
}

/** The config, checkpoint and backend of the experiment in `dir`; every problem is exit 2 naming the field. */
function loadResume(dir: string): { cfg: McConfig; state: McCheckpointState; backend: "wasm" | "js" } {
  const opened = openCheckpoint(dir, "microcircuit");
  const cfg = readRunConfig(dir, microcircuitConfigSchema);
  const ck = checkCheckpoint(opened, microcircuitCheckpointSchema(cfg));
  const { format: _f, version: _v, command: _c, backend, ...state } = ck;
  return { cfg, state: state as McCheckpointState, backend };
}

/** preset <- config file (ours or the authors' layout) <- flags. */
export function resolve(opts: McOptions): McConfig {
  let file: unknown;
  if (opts.config !== undefined) {
    file = loadConfigFile(opts.config);
    if (isMicrocircuitAuthorLayout(file)) file = fromMicrocircuitAuthorLayout(file);
  }
  const t = opts.teacherPatternSteps;
  return resolveConfig({
    schema: microcircuitConfigSchema,
    presets: MICROCIRCUIT_PRESETS,
    defaultPreset: "paper",
    preset: opts.preset,
    config: file,
    configPath: opts.config,
    overrides: {
      feedback: opts.feedback,
      dims: opts.dims,
      epochs: opts.epochs,
      seed: opts.seed,
      seeds: opts.seeds,
      "schedule.patternSteps": opts.patternSteps,
      "schedule.learningLag": opts.learningLag,
      "schedule.teacherPatternSteps": t === undefined ? undefined : { bp: t, fa: t, sal: t },
      "model.etaHidden": opts.etaHidden,
      "model.etaOutput": opts.etaOutput,
      "model.etaB": opts.etaB,
      "quirks.nudgeDuringValidation": opts.freeValidation ? false : undefined,
      "quirks.salNearestPairing": opts.salPairing === undefined ? undefined : opts.salPairing === "nearest",
      checkpointEvery: opts.checkpointEvery,
    },
  });
}
