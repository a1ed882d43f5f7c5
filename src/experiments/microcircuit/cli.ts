// The command line of the microcircuit experiment: `spike-align
// microcircuit`, spiking dendritic cortical microcircuits learning a
// student-teacher regression with BP, FA or SAL feedback (arXiv:2503.02642,
// fig. 6). --resume and the checkpoints are src/cli/commands/microcircuit.ts's.
import { B, checkNumber, narrow } from "../../config/numbers.js";
import { OptionValueError } from "../../errors.js";
import type { ExperimentCli } from "../descriptor.js";
import { totalPatterns } from "./run.js";
import { FEEDBACKS, MC_CONFIG_BOUNDS, MC_PATTERN_STEPS, type McConfig } from "./config.js";

function dimsOpt(v: string): [number, number, number] {
  const parts = v.split(",").map((s) => (s.trim() === "" ? NaN : Number(s.trim())));
  if (parts.length !== 3 || parts.some((x) => checkNumber(x, B.layer) !== null)) {
    throw new OptionValueError(`--dims must be three integers n0,n1,n2 (input, hidden, output) in [1, ${B.layer.max}], e.g. 5,10,3.`);
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
  spike-align microcircuit --config sal-code/scripts/microcircuits/sal/sal.yaml   # a file of unibe-cns/sal-code, the authors' layout, as-is

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

export const microcircuitCli: ExperimentCli<McConfig> = {
  description: "Spiking cortical microcircuits: student-teacher regression with BP / FA / SAL feedback (paper fig. 6)",
  options: [
    { flags: "--feedback <c>", description: "feedback condition", choices: [...FEEDBACKS, "all"], field: "feedback" },
    {
      flags: "--dims <n0,n1,n2>",
      description: `layer sizes (input, hidden, output), each 1..${B.layer.max}`,
      parse: dimsOpt,
      field: "dims",
    },
    { flags: "--epochs <n>", description: "epochs (lenEpoch + validation patterns each)", bound: B.epochs, field: "epochs" },
    { flags: "--seeds <n>", description: "number of seeds (seed, seed+1, ...)", bound: B.count, field: "seeds" },
    {
      flags: "--pattern-steps <n>",
      description: "steps per student pattern (authors: 20000); the teacher's: --teacher-pattern-steps",
      bound: MC_PATTERN_STEPS,
      field: "schedule.patternSteps",
    },
    {
      flags: "--teacher-pattern-steps <n>",
      description: "steps per teacher pattern, every condition (authors: sal 20000, bp and fa 200000)",
      bound: MC_PATTERN_STEPS,
      set: (t) => ({ "schedule.teacherPatternSteps": { bp: t, fa: t, sal: t } }),
    },
    {
      flags: "--learning-lag <n>",
      description: "steps per pattern without plasticity (authors: 2000)",
      bound: narrow(MC_PATTERN_STEPS, { min: 0, name: "lag steps" }),
      field: "schedule.learningLag",
    },
    { flags: "--eta-hidden <x>", description: "learning rate of W10", bound: B.rate, field: "model.etaHidden" },
    { flags: "--eta-output <x>", description: "learning rate of W21", bound: B.rate, field: "model.etaOutput" },
    { flags: "--eta-b <x>", description: "SAL learning rate of B12", bound: B.rate, field: "model.etaB" },
    {
      flags: "--free-validation",
      description: "validate with the output un-nudged (turns the authors' quirk off)",
      set: (v) => ({ "quirks.nudgeDuringValidation": v ? false : undefined }),
    },
    {
      flags: "--sal-pairing <p>",
      description:
        "SAL pairs a spike with the most recent partner spike (nearest: authors; paper and quick) or with all earlier ones (all: wide)",
      choices: ["nearest", "all"],
      set: (v) => ({ "quirks.salNearestPairing": v === "nearest" }),
    },
    {
      flags: "--checkpoint-every <n>",
      description: "write --out/checkpoint.json after every n epochs of a run (0 = never)",
      bound: B.everyOrNever,
      field: "checkpointEvery",
    },
  ],
  bounds: MC_CONFIG_BOUNDS,
  yes: true,
  // progress counts patterns
  progressTotal: totalPatterns,
  help: EXAMPLES,
};
