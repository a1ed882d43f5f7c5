// `spike-align pair`: the two-neuron SAL learning run of the paper's Fig. 2d
// (src/experiments/pair/). Writes config.json, metrics.jsonl, results.json,
// weights.csv, weights.svg and summary.json to --out; --json prints the summary.
import { Option } from "commander";
import { backendFor, cliHooks, defineCommand, numOption, openRunDir, printSummary, resolveConfig, say } from "../common.js";
import type { SharedOptions } from "../common.js";
import { B, firstNonFinite } from "../../config/numbers.js";
import { PAIR_PRESETS, pairConfigSchema, runPair, pairLine, pairSummary, writePairOutputs } from "../../experiments/pair/index.js";
import { PAIR_CONFIG_BOUNDS } from "../../experiments/pair/config.js";
import type { PairEpoch } from "../../experiments/pair/index.js";

interface PairOptions extends SharedOptions {
  epochs?: number;
  stepsPerEpoch?: number;
  lr?: number;
  freeze?: "none" | "01" | "10";
  w01?: number;
  w10?: number;
}

export const register = defineCommand<PairOptions>({
  name: "pair",
  description: "Two coupled sampling neurons learn with SAL only (paper Fig. 2d): asymmetric weights become symmetric",
  presets: Object.keys(PAIR_PRESETS),
  runDir: true,
  options: (cmd) =>
    cmd
      .addOption(numOption("--epochs <n>", "learning epochs (fig2d: 1500)", B.epochs))
      .addOption(numOption("--steps-per-epoch <n>", "steps per epoch, each epoch a fresh run (fig2d: 1500)", B.runSteps))
      .addOption(numOption("--lr <x>", "learning rate of W += lr * S * t_ref / T (fig2d: 0.03)", B.rate))
      .addOption(numOption("--w01 <x>", "initial W[0][1], the synapse 1 -> 0 (fig2d: 1.5)", B.weight))
      .addOption(numOption("--w10 <x>", "initial W[1][0], the synapse 0 -> 1 (fig2d: 0.5)", B.weight))
      .addOption(new Option("--freeze <which>", "keep one weight fixed: 01 = W[0][1], 10 = W[1][0]").choices(["none", "01", "10"])),
  bounds: PAIR_CONFIG_BOUNDS,
  help: `
Examples:
  spike-align pair                          # both weights plastic: 1.5 / 0.5 meet near 1.0
  spike-align pair --freeze 01 --out runs/pair-frozen   # W01 fixed: W10 climbs to 1.5
  spike-align pair --preset quick --backend js --json`,
  async action(opts) {
    const cfg = resolveConfig({
      schema: pairConfigSchema,
      presets: PAIR_PRESETS,
      defaultPreset: "fig2d",
      preset: opts.preset,
      configPath: opts.config,
      overrides: { seed: opts.seed, epochs: opts.epochs, stepsPerEpoch: opts.stepsPerEpoch, lr: opts.lr, freeze: opts.freeze },
    });
    // --w01 / --w10 set one element each (their parser checked the bound)
    if (opts.w01 !== undefined) cfg.W[0][1] = opts.w01;
    if (opts.w10 !== undefined) cfg.W[1][0] = opts.w10;
    const out = openRunDir(opts, "pair");
    const k = await backendFor(opts);
    out?.writeJson("config.json", cfg);
    out?.writeJsonl("metrics.jsonl", []);
    const hooks = cliHooks<PairEpoch>(opts, out, "pair", cfg.epochs, {
      check: (row) => firstNonFinite({ W01: row.W01, W10: row.W10 }, true),
      epoch: (row) => row.epoch,
    });
    const r = runPair(k, cfg, hooks);
    hooks.stop();
    const summary = pairSummary(cfg, r, k.name);
    if (out) writePairOutputs(out, cfg, r, summary);
    say(opts, pairLine(cfg, r, k.name));
    printSummary(summary, opts);
  },
});
