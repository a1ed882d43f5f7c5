// `spike-align align`: the standalone SAL alignment run (spec/deepnets.md
// section 5, last paragraph): fixed random W, feedback B learned by SAL alone,
// angle / correlation / diffVar of every B_l with W_{l+1}^T after each epoch.
import { InvalidArgumentError } from "commander";
import { backendFor, cliHooks, defineCommand, floatOpt, intOpt, printSummary, resolveConfig, say, type SharedOptions } from "../common.js";
import { OutDir } from "../../io/out.js";
import { ALIGN_PRESETS, alignConfigSchema, alignLines, alignSummary, runAlign, writeAlignOutputs, type AlignConfig, type AlignEpoch } from "../../experiments/align/index.js";

interface AlignOptions extends SharedOptions {
  layers?: number[];
  epochs?: number;
  batch?: number;
  stepsPerEpoch?: number;
  salLr?: number;
  tRef?: number;
}

function layersOpt(v: string): number[] {
  const parts = v.split(",").map((s) => Number(s.trim()));
  if (parts.length < 2 || parts.length > 8 || parts.some((x) => !Number.isInteger(x) || x < 1 || x > 1 << 20)) {
    throw new InvalidArgumentError("--layers must list 2 to 8 positive integers, e.g. 1600,384,192,10.");
  }
  return parts;
}

export function resolveAlign(opts: AlignOptions): AlignConfig {
  return resolveConfig({
    schema: alignConfigSchema, presets: ALIGN_PRESETS, defaultPreset: "paper", preset: opts.preset, configPath: opts.config,
    overrides: { layers: opts.layers, epochs: opts.epochs, batch: opts.batch, seed: opts.seed, stepsPerEpoch: opts.stepsPerEpoch, salLr: opts.salLr, tRef: opts.tRef },
  });
}

export const register = defineCommand<AlignOptions>({
  name: "align",
  description: "Standalone SAL alignment of a layered spiking network: angle and correlation of B with W^T per epoch (paper's time-course figure)",
  presets: Object.keys(ALIGN_PRESETS),
  options: (cmd) =>
    cmd
      .option("--layers <sizes>", "population sizes, comma separated (paper: 1600,384,192,10)", layersOpt)
      .option("--epochs <n>", "epochs (one B update each)", intOpt("--epochs", 1, 1_000_000))
      .option("--batch <n>", "independent copies averaged per update", intOpt("--batch", 1, 4096))
      .option("--steps-per-epoch <n>", "steps per epoch (paper: 10000)", intOpt("--steps-per-epoch", 1, 2 ** 29))
      .option("--sal-lr <x>", "SAL learning rate (paper: 0.01)", floatOpt("--sal-lr"))
      .option("--t-ref <n>", "refractory period = PSP length = window tau, in steps (paper: 10)", intOpt("--t-ref", 1, 10_000)),
  help: `
Examples:
  spike-align align                                   # the paper's run: [1600, 384, 192, 10], 100 epochs of 10,000 steps, batch 1
  spike-align align --preset quick --out runs/align   # 10 epochs
  spike-align align --layers 200,50,10 --epochs 20 --batch 4 --json

The network runs freely (no input data): sampling neurons driven by their biases and by each other
through W (bottom-up) and B (top-down). After every epoch, B += sal_lr * mean_copies(STDP sums) / L
(L = 2 t_ref), the authors' rule; W stays fixed. Metrics compare B_l with W_{l+1}^T per layer.`,
  async action(opts) {
    const cfg = resolveAlign(opts);
    const out = opts.out ? new OutDir(opts.out) : null;
    const k = await backendFor(opts);
    out?.writeJson("config.json", { ...cfg, backend: k.name });
    out?.writeJsonl("metrics.jsonl", []);
    const hooks = cliHooks<AlignEpoch>(opts, out, "align", cfg.epochs);
    const r = runAlign(k, cfg, hooks);
    hooks.stop();
    const summary = alignSummary(cfg, r, k.name);
    if (out) writeAlignOutputs(out, cfg, r, summary);
    for (const line of alignLines(cfg, r, k.name)) say(opts, line);
    if (out) say(opts, `wrote ${out.dir}`);
    printSummary(summary, opts);
  },
});
