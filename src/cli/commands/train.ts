// `spike-align train` (src/experiments/train/): the command of its
// descriptor, and what it does besides: --resume (the binary checkpoint,
// checked against the net this config builds on this data), checkpoints, a
// progress bar per epoch with a line after each, the spiking phase's notice,
// and where a diverged run's last good checkpoint is.
import type { Command } from "commander";
import type { BackendName, Kernels } from "../../backend/index.js";
import { checkCheckpoint, checkEnvelope, readCheckpointBytes } from "../../checkpoint/files.js";
import { parseConfig } from "../../config/load.js";
import type { LoadedData } from "../../data/datasets.js";
import { usage, UsageError } from "../../errors.js";
import { METHODS } from "../../learning/feedback.js";
import { layeredShapes, type LayeredShapes } from "../../models/layered/spec.js";
import { fmtSeconds } from "../../report/format.js";
import {
  decodeCheckpoint,
  firstNonFiniteTensor,
  layeredSpecFor,
  restoreNet,
  runTrain,
  stateTensorList,
  TRAIN_CHECKPOINT_FILE,
  trainCheckpointSchema,
  trainConfigSchema,
  trainExperiment,
  trainFirstEpoch,
  type DecodedCheckpoint,
  type TrainConfig,
  type TrainResume,
} from "../../experiments/train/index.js";
import { pathArg, type SharedOptions } from "../options.js";
import { progress, type Progress } from "../progress.js";
import { readRunConfig } from "../config.js";
import { say } from "../output.js";
import { experimentCommand, type HooksOf, type Resumed } from "../run/command.js";

interface TrainOptions extends SharedOptions {
  data?: string;
  epochs?: number;
  checkpointEvery?: number;
  resume?: string;
}

/**
 * The run in `dir`: its config.json (with --data applied) and checkpoint (layout and envelope
 * checked); once the backend exists, the checkpoint is validated against that config and the net it
 * builds on this data (tensor names and lengths, epochs, metrics, finite values) and --epochs
 * applied. Exit 2 naming the field.
 */
function openResume(dir: string, opts: TrainOptions): Resumed<TrainConfig, TrainResume, LoadedData> {
  const { path, bytes } = readCheckpointBytes(dir, TRAIN_CHECKPOINT_FILE);
  let ck: DecodedCheckpoint;
  try {
    ck = decodeCheckpoint(bytes);
  } catch (err) {
    throw new UsageError(`--resume ${path}: ${(err as Error).message}`);
  }
  const raw = checkEnvelope(ck.header, path, "train").raw;
  const backend: BackendName = raw.backend === "js" ? "js" : "wasm"; // validated with the rest in finish
  // config.json as the run was started: the checkpoint is validated against it
  const started = readRunConfig(dir, trainConfigSchema);
  let cfg = started;
  if (opts.data !== undefined) cfg = parseConfig(trainConfigSchema, { ...cfg, data: opts.data }, "--data");
  const finish = (k: Kernels, data: LoadedData) => {
    const spec = layeredSpecFor(cfg, data.train);
    const shapes = layeredShapes(spec) as LayeredShapes;
    const head = checkCheckpoint(
      { path, raw: ck.header, flag: "--resume" },
      trainCheckpointSchema(started, stateTensorList(k, spec, cfg.seed), shapes.fc.length - 1),
    );
    const bad = firstNonFiniteTensor(ck.tensors);
    if (bad) throw new UsageError(`--resume ${path} tensors: ${bad}; a checkpoint holds finite values only`);
    let resumed = cfg;
    const done = head.state.epoch;
    if (opts.epochs !== undefined) {
      if (opts.epochs <= done) throw usage("--epochs", opts.epochs, `with --resume: more than the ${done} epochs the checkpoint has done`);
      resumed = parseConfig(trainConfigSchema, { ...cfg, epochs: opts.epochs }, "--epochs");
    }
    const state = ck.state; // as read: the schema's output would reorder the metrics' keys
    return {
      cfg: resumed,
      state: { state, restore: (net: Parameters<TrainResume["restore"]>[0]) => restoreNet(net, ck) },
      metrics: [{ epoch: 0, fc: state.initial }, ...state.metrics],
    };
  };
  return { cfg, backend, finish };
}

const hooks: HooksOf<typeof trainExperiment, TrainOptions, TrainResume, Uint8Array> = {
  options: (cmd: Command) =>
    cmd.option(
      "--resume <dir>",
      "continue the run whose checkpoint is in DIR (its config and backend; --epochs may extend it; outputs go to DIR)",
      pathArg("--resume"),
    ),
  configure(cfg, opts) {
    if (cfg.checkpointEvery > 0 && opts.out === undefined)
      throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
    return cfg;
  },
  resume: { allowed: ["epochs", "data", "yes"], load: openResume },
  checkpoint: {
    check: (b) => firstNonFiniteTensor(decodeCheckpoint(b).tensors),
    encode: (b) => b,
    file: TRAIN_CHECKPOINT_FILE,
    resumedAt: (r) => r.state.epoch,
  },
  async run({ kernels, cfg, input: data, opts, backend, hooks, resume, out, checkpointer: ck }) {
    const k = await kernels();
    const tag = `${cfg.method} ${cfg.arch} ${cfg.dataset}`;
    const phase = METHODS[cfg.method].phase;
    const phaseSeconds = trainFirstEpoch(cfg, data, backend).phaseSeconds;
    // a spiking phase runs before every epoch's first batch: say so when it takes a while
    const phaseLine = (e: number) => {
      if (phase && phaseSeconds >= 2 && e <= cfg.epochs && !opts.quiet)
        process.stderr.write(`train: epoch ${e}/${cfg.epochs}: ${phase.toUpperCase()} phase (about ${fmtSeconds(phaseSeconds)})\n`);
    };
    let bar: Progress | null = null;
    let lastEpoch = resume?.state.epoch ?? 0;
    phaseLine(lastEpoch + 1);
    try {
      return runTrain(
        k,
        cfg,
        data,
        {
          onProgress: (done, total, info) => {
            if (done === 1) bar = progress(opts, total, info?.split(",")[0] ?? "epoch");
            bar?.tick(done, info?.split(", ")[1] ?? "");
          },
          onMetrics: (m) => {
            hooks.onMetrics(m);
            if (!("trainLoss" in m)) return;
            bar?.stop();
            say(
              opts,
              `epoch ${m.epoch}/${cfg.epochs} (${tag}): train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(2)}%, ` +
                `test loss ${m.testLoss.toFixed(4)} acc ${m.testAccuracy.toFixed(2)}%, ` +
                `angle ${m.fc.map((l) => l.angleDeg.toFixed(1)).join("/")} deg, ${m.trainSeconds.toFixed(1)} s`,
            );
            lastEpoch = m.epoch;
            phaseLine(m.epoch + 1);
          },
          onCheckpoint: (bytes) => ck?.write(k.name, bytes, lastEpoch),
        },
        resume,
      );
    } catch (err) {
      (bar as Progress | null)?.stop();
      // a diverged loss (runTrain stops at the batch): name the checkpoint that stays
      if (err instanceof UsageError && /^training diverged/.test(err.message) && ck?.lastEpoch)
        throw new UsageError(
          `${err.message}; the last good checkpoint (epoch ${ck.lastEpoch}) is kept in ${out!.path(TRAIN_CHECKPOINT_FILE)}`,
        );
      throw err;
    }
  },
};

export const register = experimentCommand(trainExperiment, hooks);
