// `spike-align train`: a conv net or MLP trained on images with one feedback
// method (spec/deepnets.md; src/experiments/train/). Writes config.json,
// metrics.jsonl (per epoch, as it goes), summary.json, SVG plots, the final
// parameters (params/*.npy) and, with --checkpoint-every, checkpoint.ckpt.
import { InvalidArgumentError, Option } from "commander";
import {
  backendFor,
  cliHooks,
  defineCommand,
  fmtSeconds,
  guardResources,
  numArg,
  numOption,
  openRunDir,
  pathArg,
  printSummary,
  progress,
  readRunConfig,
  resolveConfig,
  say,
} from "../common.js";
import type { CommandContext, Progress, SharedOptions } from "../common.js";
import { parseConfig } from "../../config/load.js";
import { B, firstNonFinite } from "../../config/numbers.js";
import { usage, UsageError } from "../../errors.js";
import { checkCheckpoint, checkEnvelope, Checkpointer, readCheckpointBytes } from "../../checkpoint/files.js";
import type { BackendName, Kernels } from "../../backend/index.js";
import { DATASET_NAMES, loadDataset, type LoadedData } from "../../data/datasets.js";
import { METHOD_NAMES, METHODS } from "../../learning/feedback.js";
import { layeredShapes, type LayeredShapes } from "../../models/layered/spec.js";
import { MAX_HIDDEN_LAYERS, TRAIN_CONFIG_BOUNDS, TRAIN_PRESETS, trainConfigSchema, trainEstimate } from "../../experiments/train/config.js";
import type { TrainConfig } from "../../experiments/train/config.js";
import { checkTrainConfig, layeredSpecFor, runTrain, type TrainMetricsRow, type TrainState } from "../../experiments/train/run.js";
import {
  decodeCheckpoint,
  firstNonFiniteTensor,
  restoreNet,
  stateTensorList,
  TRAIN_CHECKPOINT_FILE,
  trainCheckpointSchema,
  type DecodedCheckpoint,
} from "../../experiments/train/checkpoint.js";
import { trainSummary, writeTrainOutputs } from "../../experiments/train/report.js";

interface TrainOptions extends SharedOptions {
  dataset?: TrainConfig["dataset"];
  data?: string;
  arch?: TrainConfig["arch"];
  method?: TrainConfig["method"];
  hidden?: number[];
  epochs?: number;
  lr?: number;
  momentum?: number;
  batch?: number;
  testBatch?: number;
  augment?: boolean;
  doubleSoftmax?: boolean;
  trainSubset?: number;
  testSubset?: number;
  checkpointEvery?: number;
  fcWeightDecay?: number;
  resume?: string;
}

const hiddenArg = numArg("--hidden", B.fcSize);
function hiddenOpt(v: string): number[] {
  const parts = v.split(",").map((p) => hiddenArg(p));
  if (parts.length > MAX_HIDDEN_LAYERS) throw new InvalidArgumentError(`at most ${MAX_HIDDEN_LAYERS} hidden layers, e.g. 1024,384,192.`);
  return parts;
}

/** preset <- config file <- flags. */
function resolve(opts: TrainOptions): TrainConfig {
  const cfg = resolveConfig({
    schema: trainConfigSchema,
    presets: TRAIN_PRESETS,
    defaultPreset: "paper",
    preset: opts.preset,
    configPath: opts.config,
    overrides: {
      dataset: opts.dataset,
      data: opts.data,
      arch: opts.arch,
      method: opts.method,
      hidden: opts.hidden,
      epochs: opts.epochs,
      lr: opts.lr,
      momentum: opts.momentum,
      batch: opts.batch,
      testBatch: opts.testBatch,
      seed: opts.seed,
      augment: opts.augment === false ? false : undefined,
      doubleSoftmax: opts.doubleSoftmax === false ? false : undefined,
      trainSubset: opts.trainSubset,
      testSubset: opts.testSubset,
      checkpointEvery: opts.checkpointEvery,
      fcWeightDecay: opts.fcWeightDecay,
    },
  });
  if (cfg.checkpointEvery > 0 && opts.out === undefined)
    throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
  return cfg;
}

/** A resumed run: its checkpoint (layout checked, header not yet) and config.json (with --epochs and --data applied). */
interface Resume {
  path: string;
  ck: DecodedCheckpoint;
  /** config.json as the run was started (the checkpoint is validated against it). */
  started: TrainConfig;
  cfg: TrainConfig;
  backend: BackendName;
}

function openResume(dir: string, opts: TrainOptions): Resume {
  const { path, bytes } = readCheckpointBytes(dir, TRAIN_CHECKPOINT_FILE);
  let ck: DecodedCheckpoint;
  try {
    ck = decodeCheckpoint(bytes);
  } catch (err) {
    throw new UsageError(`--resume ${path}: ${(err as Error).message}`);
  }
  const raw = checkEnvelope(ck.header, path, "train").raw;
  const backend: BackendName = raw.backend === "js" ? "js" : "wasm"; // validated with the rest below
  const started = readRunConfig(dir, trainConfigSchema);
  let cfg = started;
  if (opts.data !== undefined) cfg = parseConfig(trainConfigSchema, { ...cfg, data: opts.data }, "--data");
  return { path, ck, started, cfg, backend };
}

/**
 * Validates the checkpoint of `r` against its config.json and the network that config builds on this
 * data (tensor names and lengths, epochs, metrics, finite values); applies --epochs. Exit 2 naming the field.
 */
function checkResume(k: Kernels, r: Resume, data: LoadedData, opts: TrainOptions): { cfg: TrainConfig; state: TrainState } {
  const spec = layeredSpecFor(r.cfg, data.train);
  const shapes = layeredShapes(spec) as LayeredShapes;
  const head = checkCheckpoint(
    { path: r.path, raw: r.ck.header, flag: "--resume" },
    trainCheckpointSchema(r.started, stateTensorList(k, spec, r.cfg.seed), shapes.fc.length - 1),
  );
  const bad = firstNonFiniteTensor(r.ck.tensors);
  if (bad) throw new UsageError(`--resume ${r.path} tensors: ${bad}; a checkpoint holds finite values only`);
  let cfg = r.cfg;
  const done = head.state.epoch;
  if (opts.epochs !== undefined) {
    if (opts.epochs <= done) throw usage("--epochs", opts.epochs, `with --resume: more than the ${done} epochs the checkpoint has done`);
    cfg = parseConfig(trainConfigSchema, { ...cfg, epochs: opts.epochs }, "--epochs");
  }
  return { cfg, state: r.ck.state }; // as read: the schema's output would reorder the metrics' keys
}

/** The first epoch's memory and time: refused over the machine's memory or an hour (unless --yes); announced over 10 s. */
function guardTrain(cfg: TrainConfig, data: LoadedData, opts: TrainOptions, backend: BackendName): number {
  const d = data.train;
  const est = trainEstimate(cfg, { c: d.c, h: d.h, w: d.w, nTrain: d.n, nTest: data.test.n }, backend)!;
  const fc = (layeredShapes(layeredSpecFor(cfg, d)) as LayeredShapes).fc;
  const phase = METHODS[cfg.method].phase;
  guardResources({ ...opts, backend }, "train", {
    what: `${cfg.arch === "conv" ? `conv ${cfg.convChannels.join(",")} + ` : "mlp "}fc ${fc.join("-")}, batch ${cfg.batch}, ${d.n} images`,
    bytes: est.bytes,
    wasmBytes: est.wasmBytes,
    firstEpochSeconds: est.firstEpochSeconds,
    span: phase ? `the first epoch (its ${phase.toUpperCase()} phase about ${fmtSeconds(est.phaseSeconds)})` : undefined,
    unit: { seconds: est.batchSeconds, name: "batch" },
  });
  return est.phaseSeconds;
}

const EXAMPLES = `
Presets: paper (default: conv net, Fashion-MNIST, 100 epochs, batch 128, SGD lr 0.01 momentum 0.9,
double softmax as the authors' code), quick (the MLP for 2 epochs).

Examples:
  spike-align train --preset quick --method bp                       # MLP, 2 epochs on Fashion-MNIST
  spike-align train --preset quick --method fa --out runs/mlp-fa --json
  spike-align train --arch conv --method kp --epochs 1 --out runs/conv-kp
  spike-align train --dataset cifar10 --data ~/data/cifar-10-batches-bin --method scfa --epochs 100 --checkpoint-every 5 --out runs/c10
  spike-align train --resume runs/c10                                # continue after a crash
  spike-align train --resume runs/c10 --epochs 150                   # ... and train longer
  spike-align train --preset quick --train-subset 5000 --test-subset 1000 --backend js

With --resume the run continues with the config in its directory; allowed besides are --epochs (more
than the checkpoint has done), --data (the same dataset moved elsewhere), --yes, --json and --quiet.
A size whose memory exceeds the machine's or whose first epoch takes over an hour is refused unless
--yes; a first epoch over 10 s is announced with its estimate.`;

export const register = defineCommand<TrainOptions>({
  name: "train",
  description:
    "Train a conv net or MLP on images with BP, FA, bp_w_fa, KP, SCFA, SAL or RDD feedback and track how B aligns with W (paper Fig. 8)",
  presets: Object.keys(TRAIN_PRESETS),
  runDir: true,
  yes: true,
  options: (cmd) =>
    cmd
      .addOption(new Option("--dataset <name>", "fmnist (default), mnist or cifar10").choices([...DATASET_NAMES]))
      .option("--data <dir>", "data directory (fmnist default: /usr/share/datasets/fashion-mnist)", pathArg("--data"))
      .addOption(new Option("--arch <name>", "conv: the paper's ConvNet; mlp: 784-1024-384-192-10").choices(["conv", "mlp"]))
      .addOption(
        new Option(
          "--method <name>",
          "feedback: bp, fa, bp_w_fa (BP on fc, FA on conv), kp (Kolen-Pollack), scfa (sign-concordant), sal / rdd (a spiking SAL / RDD phase sets the fc B before every epoch)",
        ).choices([...METHOD_NAMES]),
      )
      .option("--hidden <sizes>", "hidden fc sizes (conv: 384,192; mlp: 1024,384,192)", hiddenOpt)
      .addOption(numOption("--epochs <n>", "SGD epochs (paper: 100)", B.epochs))
      .addOption(numOption("--lr <x>", "SGD learning rate (paper: 0.01)", B.sgdRate))
      .addOption(numOption("--momentum <x>", "SGD momentum (paper: 0.9)", B.momentum))
      .addOption(numOption("--batch <n>", "training batch (paper: 128)", B.batch))
      .addOption(numOption("--test-batch <n>", "evaluation batch (paper: 256)", B.batch))
      .option("--no-augment", "no training augmentation (default: flips; random crops for 32x32)")
      .option(
        "--no-double-softmax",
        "plain cross-entropy on the logits (paper preset: CrossEntropyLoss on the softmax output, the authors' quirk)",
      )
      .addOption(numOption("--train-subset <n>", "only the first N training samples", B.samples))
      .addOption(numOption("--test-subset <n>", "only the first N test samples", B.samples))
      .addOption(numOption("--fc-weight-decay <x>", "weight decay of fc W and a learned B (default: kp 0.001, others 0)", B.weightDecay))
      .addOption(numOption("--checkpoint-every <n>", "write --out/checkpoint.ckpt every n epochs (0 = never)", B.everyOrNever))
      .option(
        "--resume <dir>",
        "continue the run whose checkpoint is in DIR (its config and backend; --epochs may extend it; outputs go to DIR)",
        pathArg("--resume"),
      ),
  bounds: [["--hidden (each)", B.fcSize], ...TRAIN_CONFIG_BOUNDS],
  help: EXAMPLES,
  async action(opts, ctx: CommandContext) {
    let cfg: TrainConfig,
      resume: Resume | undefined,
      backend = opts.backend;
    if (opts.resume !== undefined) {
      ctx.onlyWithResume(["epochs", "data", "yes"]);
      resume = openResume(opts.resume, opts);
      cfg = resume.cfg;
      backend = resume.backend;
    } else cfg = resolve(opts);
    const data = loadDataset(cfg.dataset, cfg.data, cfg.trainSubset, cfg.testSubset);
    checkTrainConfig(cfg, data);
    const phaseSeconds = guardTrain(cfg, data, opts, backend ?? "wasm");
    const k = await backendFor({ ...opts, backend });
    let state: TrainState | undefined;
    if (resume) ({ cfg, state } = checkResume(k, resume, data, opts));
    const out = openRunDir(opts, "train", resume ? { dir: opts.resume, resume: true, flag: "--resume" } : {});
    if (out) {
      out.writeJson("config.json", { ...cfg, backend: k.name });
      out.writeJsonl("metrics.jsonl", state ? [{ epoch: 0, fc: state.initial }, ...state.metrics] : []);
    }
    const ck = out
      ? new Checkpointer<Uint8Array>(
          out,
          "train",
          (b) => firstNonFiniteTensor(decodeCheckpoint(b).tensors),
          (b) => b,
          TRAIN_CHECKPOINT_FILE,
        )
      : null;
    if (ck && state) ck.lastEpoch = state.epoch;
    const guard = cliHooks<TrainMetricsRow>({ ...opts, quiet: true }, out, "train", 0, {
      check: (m) => ("trainLoss" in m ? firstNonFinite({ trainLoss: m.trainLoss, testLoss: m.testLoss }) : null),
      epoch: (m) => m.epoch,
      checkpoint: ck,
    });
    const tag = `${cfg.method} ${cfg.arch} ${cfg.dataset}`;
    const phase = METHODS[cfg.method].phase;
    // a spiking phase runs before every epoch's first batch: say so when it takes a while
    const phaseLine = (e: number) => {
      if (phase && phaseSeconds >= 2 && e <= cfg.epochs && !opts.quiet)
        process.stderr.write(`train: epoch ${e}/${cfg.epochs}: ${phase.toUpperCase()} phase (about ${fmtSeconds(phaseSeconds)})\n`);
    };
    let bar: Progress | null = null;
    let lastEpoch = state?.epoch ?? 0;
    const t0 = performance.now();
    phaseLine(lastEpoch + 1);
    try {
      const r = runTrain(
        k,
        cfg,
        data,
        {
          onProgress: (done, total, info) => {
            if (done === 1) bar = progress(opts, total, info?.split(",")[0] ?? "epoch");
            bar?.tick(done, info?.split(", ")[1] ?? "");
          },
          onMetrics: (m) => {
            guard.onMetrics(m);
            if (!("trainLoss" in m)) return;
            bar?.stop();
            say(
              opts,
              `epoch ${m.epoch}/${cfg.epochs} (${tag}): train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(2)}%, test loss ${m.testLoss.toFixed(4)} acc ${m.testAccuracy.toFixed(2)}%, angle ${m.fc.map((l) => l.angleDeg.toFixed(1)).join("/")} deg, ${m.trainSeconds.toFixed(1)} s`,
            );
            lastEpoch = m.epoch;
            phaseLine(m.epoch + 1);
          },
          onCheckpoint: (bytes) => ck?.write(k.name, bytes, lastEpoch),
        },
        state ? { state, restore: (net) => restoreNet(net, resume!.ck) } : undefined,
      );
      const summary = trainSummary(cfg, r.state, k.name);
      if (out) writeTrainOutputs(out, cfg, r, summary);
      const f = summary.final;
      say(
        opts,
        `train ${tag} (${k.name}): test accuracy ${f.testAccuracy.toFixed(2)}%, train ${f.trainAccuracy.toFixed(2)}%; angle B vs W ${summary.initial.angleDeg.map((a) => a.toFixed(1)).join("/")} -> ${f.angleDeg.map((a) => a.toFixed(1)).join("/")} deg; ${summary.secondsPerEpoch.toFixed(1)} s per epoch (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`,
      );
      printSummary(summary, opts);
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
});
