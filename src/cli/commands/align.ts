// `spike-align align`: the standalone SAL alignment run (spec/deepnets.md
// section 5, last paragraph): fixed random W, feedback B learned by SAL alone,
// angle / correlation / diffVar of every B_l with W_{l+1}^T after each epoch.
import { InvalidArgumentError } from "commander";
import {
  backendFor,
  cliHooks,
  defineCommand,
  guardResources,
  numArg,
  numOption,
  openRunDir,
  printSummary,
  resolveConfig,
  say,
  type SharedOptions,
} from "../common.js";
import { B, firstNonFinite } from "../../config/numbers.js";
import { SALNET_MAX_POPS } from "../../backend/salnet.js";
import {
  ALIGN_PRESETS,
  alignConfigSchema,
  alignLines,
  alignSummary,
  runAlign,
  writeAlignOutputs,
  type AlignConfig,
  type AlignEpoch,
} from "../../experiments/align/index.js";
import { ALIGN_CONFIG_BOUNDS, ALIGN_EPOCH_STEPS, alignEstimate } from "../../experiments/align/config.js";

interface AlignOptions extends SharedOptions {
  layers?: number[];
  epochs?: number;
  batch?: number;
  stepsPerEpoch?: number;
  salLr?: number;
  tRef?: number;
}

const layerArg = numArg("--layers", B.population);
function layersOpt(v: string): number[] {
  const parts = v.split(",").map((p) => layerArg(p));
  if (parts.length < 2 || parts.length > SALNET_MAX_POPS)
    throw new InvalidArgumentError(`--layers must list 2 to ${SALNET_MAX_POPS} population sizes, e.g. 1600,384,192,10.`);
  return parts;
}

export function resolveAlign(opts: AlignOptions): AlignConfig {
  return resolveConfig({
    schema: alignConfigSchema,
    presets: ALIGN_PRESETS,
    defaultPreset: "paper",
    preset: opts.preset,
    configPath: opts.config,
    overrides: {
      layers: opts.layers,
      epochs: opts.epochs,
      batch: opts.batch,
      seed: opts.seed,
      stepsPerEpoch: opts.stepsPerEpoch,
      salLr: opts.salLr,
      tRef: opts.tRef,
    },
  });
}

export const register = defineCommand<AlignOptions>({
  name: "align",
  description:
    "Standalone SAL alignment of a layered spiking network: angle and correlation of B with W^T per epoch (paper's time-course figure)",
  presets: Object.keys(ALIGN_PRESETS),
  runDir: true,
  yes: true,
  options: (cmd) =>
    cmd
      .option("--layers <sizes>", "population sizes, comma separated (paper: 1600,384,192,10)", layersOpt)
      .addOption(numOption("--epochs <n>", "epochs (one B update each)", B.epochs))
      .addOption(numOption("--batch <n>", "independent copies averaged per update", B.copies))
      .addOption(numOption("--steps-per-epoch <n>", "steps per epoch (paper: 10000; epochs x steps <= 2^30-1)", ALIGN_EPOCH_STEPS))
      .addOption(numOption("--sal-lr <x>", "SAL learning rate (paper: 0.01)", B.rate))
      .addOption(numOption("--t-ref <n>", "refractory period = PSP length = window tau, in steps (paper: 10)", B.tRef)),
  bounds: ALIGN_CONFIG_BOUNDS,
  help: `
Examples:
  spike-align align                                   # the paper's run: [1600, 384, 192, 10], 100 epochs of 10,000 steps, batch 1
  spike-align align --preset quick --out runs/align   # 10 epochs
  spike-align align --layers 200,50,10 --epochs 20 --batch 4 --json

The network runs freely (no input data): sampling neurons driven by their biases and by each other
through W (bottom-up) and B (top-down). After every epoch, B += sal_lr * mean_copies(STDP sums) / L
(L = 2 t_ref), the authors' rule; W stays fixed. Metrics compare B_l with W_{l+1}^T per layer.
A size whose memory exceeds the machine's or whose first epoch takes over an hour is refused
unless --yes.`,
  async action(opts) {
    const cfg = resolveAlign(opts);
    const backend = opts.backend ?? "wasm";
    const est = alignEstimate(cfg, backend);
    guardResources(opts, "align", { what: `layers ${cfg.layers.join(",")}, batch ${cfg.batch}`, ...est });
    const out = openRunDir(opts, "align");
    const k = await backendFor(opts);
    out?.writeJson("config.json", { ...cfg, backend: k.name });
    out?.writeJsonl("metrics.jsonl", []);
    const hooks = cliHooks<AlignEpoch>(opts, out, "align", cfg.epochs, {
      // a B that turned non-finite shows in its angle (corrcoef and diffVar are NaN for 1-entry layers)
      check: (m) => firstNonFinite({ angleDeg: m.angleDeg }),
      epoch: (m) => m.epoch,
    });
    const r = runAlign(k, cfg, hooks);
    hooks.stop();
    const summary = alignSummary(cfg, r, k.name);
    if (out) writeAlignOutputs(out, cfg, r, summary);
    for (const line of alignLines(cfg, r, k.name)) say(opts, line);
    if (out) say(opts, `wrote ${out.dir}`);
    printSummary(summary, opts);
  },
});
