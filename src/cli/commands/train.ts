// `spike-align train`: a conv net or MLP trained on images with one feedback
// method (spec/deepnets.md; src/experiments/train/). Writes config.json,
// metrics.jsonl (per epoch, as it goes), summary.json, SVG plots, the final
// parameters (params/*.npy) and, with --checkpoint-every, checkpoint.ckpt.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { addSharedOptions, backendFor, floatOpt, intOpt, printSummary, progress, resolveConfig, runAction, say } from "../common.js";
import type { Progress, Register, SharedOptions } from "../common.js";
import { parseConfig } from "../../config/load.js";
import { usage, UsageError } from "../../errors.js";
import { OutDir } from "../../io/out.js";
import { DATASET_NAMES, loadDataset } from "../../data/datasets.js";
import { METHOD_NAMES } from "../../learning/feedback.js";
import { TRAIN_PRESETS, trainConfigSchema } from "../../experiments/train/config.js";
import type { TrainConfig } from "../../experiments/train/config.js";
import { runTrain } from "../../experiments/train/run.js";
import type { LayeredNet } from "../../models/layered/net.js";
import { decodeCheckpoint, restoreNet } from "../../experiments/train/checkpoint.js";
import type { DecodedCheckpoint } from "../../experiments/train/checkpoint.js";
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

const CHECKPOINT = "checkpoint.ckpt";

function hiddenOpt(v: string): number[] {
  const parts = v.split(",").map((s) => Number(s.trim()));
  if (!parts.length || parts.some((x) => !Number.isInteger(x) || x < 1 || x > 65536)) throw new InvalidArgumentError("comma-separated layer sizes, integers in [1, 65536], e.g. 1024,384,192");
  return parts;
}

function loadResume(dir: string): { cfg: TrainConfig; ck: DecodedCheckpoint; backend?: string } {
  const cfgPath = join(dir, "config.json"), ckPath = join(dir, CHECKPOINT);
  if (!existsSync(ckPath)) throw usage("--resume", dir, `no ${CHECKPOINT} there (runs write one every --checkpoint-every epochs)`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(cfgPath, "utf8"));
  } catch (err) {
    throw usage("--resume", dir, `cannot read config.json: ${(err as Error).message}`);
  }
  const { backend, ...rest } = raw;
  const cfg = parseConfig(trainConfigSchema, rest, cfgPath);
  let ck: DecodedCheckpoint;
  try {
    ck = decodeCheckpoint(new Uint8Array(readFileSync(ckPath)));
  } catch (err) {
    throw new UsageError(`${ckPath}: ${(err as Error).message}`);
  }
  return { cfg, ck, backend: typeof backend === "string" ? backend : undefined };
}

/** A checkpoint that does not fit the network of its config.json is bad input (exit 2). */
function restoreChecked(net: LayeredNet, ck: DecodedCheckpoint, path: string): void {
  try {
    restoreNet(net, ck);
  } catch (err) {
    throw new UsageError(`${path}: does not match config.json: ${(err as Error).message}`);
  }
}

export const register: Register = (program: Command) => {
  const cmd = program
    .command("train")
    .description("Train a conv net or MLP on images with BP, FA, bp_w_fa, KP, SCFA, SAL or RDD feedback and track how B aligns with W (paper Fig. 8)")
    .addOption(new Option("--dataset <name>", "fmnist (default), mnist or cifar10").choices([...DATASET_NAMES]))
    .option("--data <dir>", "data directory (fmnist default: /usr/share/datasets/fashion-mnist)")
    .addOption(new Option("--arch <name>", "conv: the paper's ConvNet; mlp: 784-1024-384-192-10").choices(["conv", "mlp"]))
    .addOption(
      new Option("--method <name>", "feedback: bp, fa, bp_w_fa (BP on fc, FA on conv), kp (Kolen-Pollack), scfa (sign-concordant), sal / rdd (a spiking SAL / RDD phase sets the fc B before every epoch)")
        .choices([...METHOD_NAMES]),
    )
    .option("--hidden <sizes>", "hidden fc sizes (conv: 384,192; mlp: 1024,384,192)", hiddenOpt)
    .option("--epochs <n>", "SGD epochs (paper: 100)", intOpt("--epochs", 1, 100_000))
    .option("--lr <x>", "SGD learning rate (paper: 0.01)", floatOpt("--lr", 1e-12, 100))
    .option("--momentum <x>", "SGD momentum (paper: 0.9)", floatOpt("--momentum", 0, 0.999999))
    .option("--batch <n>", "training batch (paper: 128)", intOpt("--batch", 1, 4096))
    .option("--test-batch <n>", "evaluation batch (paper: 256)", intOpt("--test-batch", 1, 4096))
    .option("--no-augment", "no training augmentation (default: flips; random crops for 32x32)")
    .option("--no-double-softmax", "plain cross-entropy on the logits (paper preset: CrossEntropyLoss on the softmax output, the authors' quirk)")
    .option("--train-subset <n>", "only the first N training samples", intOpt("--train-subset", 1))
    .option("--test-subset <n>", "only the first N test samples", intOpt("--test-subset", 1))
    .option("--fc-weight-decay <x>", "weight decay of fc W and a learned B (default: kp 0.001, others 0)", floatOpt("--fc-weight-decay", 0, 1))
    .option("--checkpoint-every <n>", "write --out/checkpoint.ckpt every n epochs (0 = never)", intOpt("--checkpoint-every", 0))
    .option("--resume <dir>", "continue the run whose checkpoint is in DIR (its config and backend, --epochs may extend it; outputs go to DIR)");
  addSharedOptions(cmd, Object.keys(TRAIN_PRESETS));
  cmd.addHelpText(
    "after",
    `
Presets: paper (default: conv net, Fashion-MNIST, 100 epochs, batch 128, SGD lr 0.01 momentum 0.9,
double softmax as the authors' code), quick (the MLP for 2 epochs).

Examples:
  spike-align train --preset quick --method bp                       # MLP, 2 epochs on Fashion-MNIST
  spike-align train --preset quick --method fa --out runs/mlp-fa --json
  spike-align train --arch conv --method kp --epochs 1 --out runs/conv-kp
  spike-align train --dataset cifar10 --data ~/data/cifar-10-batches-bin --method scfa --epochs 100 --checkpoint-every 5 --out runs/c10
  spike-align train --resume runs/c10                                # continue after a crash
  spike-align train --preset quick --train-subset 5000 --test-subset 1000 --backend js`,
  );
  cmd.action(
    runAction(async (opts: TrainOptions) => {
      let cfg: TrainConfig, ck: DecodedCheckpoint | undefined, backend = opts.backend;
      if (opts.resume) {
        const r = loadResume(opts.resume);
        cfg = r.cfg;
        ck = r.ck;
        if (opts.epochs !== undefined) {
          if (opts.epochs <= ck.state.epoch) throw usage("--epochs", opts.epochs, `with --resume: more than the ${ck.state.epoch} epochs the checkpoint has done`);
          cfg = { ...cfg, epochs: opts.epochs };
        }
        backend ??= r.backend as "wasm" | "js" | undefined;
      } else {
        cfg = resolveConfig({
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
        if (cfg.checkpointEvery > 0 && !opts.out) throw usage("--checkpoint-every", cfg.checkpointEvery, "needs --out DIR to write checkpoints into");
      }
      const data = loadDataset(cfg.dataset, cfg.data, cfg.trainSubset, cfg.testSubset);
      const outDir = opts.out ?? opts.resume;
      const out = outDir ? new OutDir(outDir) : null;
      const k = await backendFor({ ...opts, backend });
      if (out) {
        out.writeJson("config.json", { ...cfg, backend: k.name });
        out.writeJsonl("metrics.jsonl", ck ? [{ epoch: 0, fc: ck.state.initial }, ...ck.state.metrics] : []);
      }
      let bar: Progress | null = null;
      let lastCheckpoint = ck ? ck.state.epoch : 0, lastEpoch = lastCheckpoint;
      const tag = `${cfg.method} ${cfg.arch} ${cfg.dataset}`;
      const t0 = performance.now();
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
              out?.appendJsonl("metrics.jsonl", m);
              if (!("trainLoss" in m)) return;
              bar?.stop();
              say(opts, `epoch ${m.epoch}/${cfg.epochs} (${tag}): train loss ${m.trainLoss.toFixed(4)} acc ${m.trainAccuracy.toFixed(2)}%, test loss ${m.testLoss.toFixed(4)} acc ${m.testAccuracy.toFixed(2)}%, angle ${m.fc.map((l) => l.angleDeg.toFixed(1)).join("/")} deg, ${m.trainSeconds.toFixed(1)} s`);
              lastEpoch = m.epoch;
            },
            onCheckpoint: (bytes) => {
              out?.write(CHECKPOINT, bytes);
              lastCheckpoint = lastEpoch;
            },
          },
          ck ? { state: ck.state, restore: (net) => restoreChecked(net, ck!, join(opts.resume!, CHECKPOINT)) } : undefined,
        );
        const summary = trainSummary(cfg, r.state, k.name);
        if (out) writeTrainOutputs(out, cfg, r, summary);
        const f = summary.final;
        say(opts, `train ${tag} (${k.name}): test accuracy ${f.testAccuracy.toFixed(2)}%, train ${f.trainAccuracy.toFixed(2)}%; angle B vs W ${summary.initial.angleDeg.map((a) => a.toFixed(1)).join("/")} -> ${f.angleDeg.map((a) => a.toFixed(1)).join("/")} deg; ${summary.secondsPerEpoch.toFixed(1)} s per epoch (${((performance.now() - t0) / 1000).toFixed(1)} s in all)`);
        printSummary(summary, opts);
      } catch (err) {
        (bar as Progress | null)?.stop();
        if (err instanceof UsageError && out && lastCheckpoint > 0) throw new UsageError(`${err.message}; the last good checkpoint (epoch ${lastCheckpoint}) is kept in ${out.path(CHECKPOINT)}`);
        throw err;
      }
    }),
  );
};
