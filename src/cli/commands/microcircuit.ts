// `spike-align microcircuit` (src/experiments/microcircuit/): the command of
// its descriptor, and --resume and checkpoints.
import type { Command } from "commander";
import { firstNonFinite } from "../../config/numbers.js";
import { encodeTensor } from "../../checkpoint/format.js";
import { usage } from "../../errors.js";
import { checkCheckpoint, openCheckpoint } from "../../checkpoint/files.js";
import { microcircuitConfigSchema, microcircuitExperiment, runMicrocircuit, type McConfig } from "../../experiments/microcircuit/index.js";
import type { McCheckpointState } from "../../experiments/microcircuit/run.js";
import { microcircuitCheckpointSchema } from "../../experiments/microcircuit/checkpoint.js";
import { pathArg, type SharedOptions } from "../options.js";
import { readRunConfig } from "../config.js";
import { experimentCommand, type HooksOf, type Resumed } from "../run/command.js";
import { resolveExperiment } from "../run/flags.js";

interface McOptions extends SharedOptions {
  resume?: string;
}

/** The JSON fields of a checkpoint: the student's buffers as tensors. */
function encodeState(s: McCheckpointState): object {
  const n = s.current.net;
  return {
    ...s,
    current: { ...s.current, net: { F: encodeTensor(n.F), I: encodeTensor(n.I), U: encodeTensor(n.U), D: encodeTensor(n.D) } },
  };
}

/** The config, checkpoint and backend of the experiment in `dir`; every problem is exit 2 naming the field. */
function loadResume(dir: string): Resumed<McConfig, McCheckpointState, undefined> {
  const opened = openCheckpoint(dir, "microcircuit");
  const cfg = readRunConfig(dir, microcircuitConfigSchema);
  const ck = checkCheckpoint(opened, microcircuitCheckpointSchema(cfg));
  const { format: _f, version: _v, command: _c, backend, ...rest } = ck;
  const state = rest;
  return { cfg, backend, state, metrics: [...state.done.flatMap((r) => r.epochs), ...state.current.epochs] };
}

/** preset <- config file (ours or the authors' layout) <- flags. */
export function resolve(opts: SharedOptions & Record<string, unknown>): McConfig {
  return resolveExperiment(microcircuitExperiment, opts);
}

const hooks: HooksOf<typeof microcircuitExperiment, McOptions, McCheckpointState> = {
  options: (cmd: Command) =>
    cmd.option(
      "--resume <dir>",
      "continue the experiment whose checkpoint is in DIR (its config and backend; outputs go to DIR)",
      pathArg("--resume"),
    ),
  configure(cfg, opts) {
    if (cfg.checkpointEvery > 0 && opts.out === undefined)
      throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
    return cfg;
  },
  resume: { allowed: ["backend", "yes"], load: (dir) => loadResume(dir) },
  // the backend is in the checkpoint; config.json stays a valid --config
  checkpoint: {
    check: (s) => firstNonFinite({ F: s.current.net.F, D: s.current.net.D }),
    encode: encodeState,
    epoch: (s) => s.current.epoch,
  },
  run: async ({ kernels, cfg, hooks, resume }) => runMicrocircuit(await kernels(), cfg, hooks, resume),
};

export const register = experimentCommand(microcircuitExperiment, hooks);
