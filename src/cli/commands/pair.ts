// `spike-align pair`: the two-neuron SAL learning run of the paper's Fig. 2d
// (src/experiments/pair.ts). Writes config.json, results.json, weights.csv,
// weights.svg and summary.json to --out; --json prints the summary.
import { Command, Option } from "commander";
import { addSharedOptions, backendFor, floatOpt, intOpt, printSummary, progress, resolveConfig, runAction, say } from "../common.js";
import type { Register, SharedOptions } from "../common.js";
import { OutDir } from "../../io/out.js";
import { linePlot, PALETTE } from "../../report/svg.js";
import { PAIR_PRESETS, pairConfigSchema, runPair } from "../../experiments/pair.js";
import type { PairConfig, PairResult } from "../../experiments/pair.js";

interface PairOptions extends SharedOptions {
  epochs?: number;
  stepsPerEpoch?: number;
  lr?: number;
  freeze?: "none" | "01" | "10";
  w01?: number;
  w10?: number;
}

export function pairSummary(cfg: PairConfig, r: PairResult, backend: string) {
  const E = cfg.epochs;
  return {
    command: "pair",
    preset: cfg.preset,
    seed: cfg.seed,
    backend,
    frozen: cfg.freeze,
    epochs: E,
    final: { W01: r.W01[E], W10: r.W10[E] },
    initial: { W01: r.W01[0], W10: r.W10[0] },
    steps: r.steps,
    nsPerStep: r.nsPerStep,
  };
}

function writeOutputs(out: OutDir, cfg: PairConfig, r: PairResult, summary: unknown): void {
  const epochs = Array.from({ length: cfg.epochs + 1 }, (_, e) => e);
  out.writeJson("config.json", cfg);
  out.writeJson("results.json", { epochs: cfg.epochs, W01: Array.from(r.W01), W10: Array.from(r.W10), spikesPerEpoch: r.rate });
  out.writeCsv("weights.csv", ["epoch", "W01", "W10"], epochs.map((e) => [e, r.W01[e], r.W10[e]]));
  out.writeText(
    "weights.svg",
    linePlot({
      title: `SAL on two neurons (${cfg.freeze === "none" ? "both weights plastic" : `W${cfg.freeze} frozen`})`,
      xLabel: "epoch",
      yLabel: "weight",
      series: [
        { label: "W01 (1 -> 0)", x: epochs, y: r.W01, color: PALETTE[2], dashed: cfg.freeze === "01" },
        { label: "W10 (0 -> 1)", x: epochs, y: r.W10, color: PALETTE[1], dashed: cfg.freeze === "10" },
      ],
      hLines: [{ y: (r.W01[0] + r.W10[0]) / 2, label: "initial mean", dashed: true }],
    }),
  );
  out.writeJson("summary.json", summary);
}

export const register: Register = (program: Command) => {
  const cmd = program
    .command("pair")
    .description("Two coupled sampling neurons learn with SAL only (paper Fig. 2d): asymmetric weights become symmetric")
    .option("--epochs <n>", "learning epochs (fig2d: 1500)", intOpt("--epochs", 1, 10_000_000))
    .option("--steps-per-epoch <n>", "steps per epoch, each epoch a fresh run (fig2d: 1500)", intOpt("--steps-per-epoch", 1, 100_000_000))
    .option("--lr <x>", "learning rate of W += lr * S * t_ref / T (fig2d: 0.03)", floatOpt("--lr"))
    .option("--w01 <x>", "initial W[0][1], the synapse 1 -> 0 (fig2d: 1.5)", floatOpt("--w01"))
    .option("--w10 <x>", "initial W[1][0], the synapse 0 -> 1 (fig2d: 0.5)", floatOpt("--w10"))
    .addOption(new Option("--freeze <which>", "keep one weight fixed: 01 = W[0][1], 10 = W[1][0]").choices(["none", "01", "10"]));
  addSharedOptions(cmd, Object.keys(PAIR_PRESETS));
  cmd.addHelpText(
    "after",
    `
Examples:
  spike-align pair                          # both weights plastic: 1.5 / 0.5 meet near 1.0
  spike-align pair --freeze 01 --out runs/pair-frozen   # W01 fixed: W10 climbs to 1.5
  spike-align pair --preset quick --backend js --json`,
  );
  cmd.action(
    runAction(async (opts: PairOptions) => {
      const cfg = resolveConfig({
        schema: pairConfigSchema,
        presets: PAIR_PRESETS,
        defaultPreset: "fig2d",
        preset: opts.preset,
        configPath: opts.config,
        overrides: { seed: opts.seed, epochs: opts.epochs, stepsPerEpoch: opts.stepsPerEpoch, lr: opts.lr, freeze: opts.freeze },
      });
      if (opts.w01 !== undefined) cfg.W[0][1] = opts.w01;
      if (opts.w10 !== undefined) cfg.W[1][0] = opts.w10;
      const out = opts.out ? new OutDir(opts.out) : null;
      const k = await backendFor(opts);
      const bar = progress(opts, cfg.epochs, "pair");
      const r = runPair(k, cfg, (e) => bar.tick(e));
      bar.stop();
      const summary = pairSummary(cfg, r, k.name);
      if (out) writeOutputs(out, cfg, r, summary);
      say(opts, `pair (${cfg.preset}, ${k.name}, freeze ${cfg.freeze}): W01 ${r.W01[0].toFixed(3)} -> ${r.W01[cfg.epochs].toFixed(4)}, W10 ${r.W10[0].toFixed(3)} -> ${r.W10[cfg.epochs].toFixed(4)} after ${cfg.epochs} epochs (${r.steps} steps, ${r.nsPerStep.toFixed(1)} ns/step)`);
      printSummary(summary, opts);
    }),
  );
};
