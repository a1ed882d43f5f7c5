// `spike-align infer`: SAL, RDD and STDWI infer the feedback B of a fixed
// random 50 -> 50 W from spiking activity (spec/deepnets.md section 7, the
// paper's scatter figure).
import { Option } from "commander";
import {
  backendFor,
  cliHooks,
  defineCommand,
  numOption,
  openRunDir,
  printSummary,
  resolveConfig,
  say,
  type SharedOptions,
} from "../common.js";
import { B } from "../../config/numbers.js";
import { UsageError } from "../../errors.js";
import { INFER_CONFIG_BOUNDS, INFER_N } from "../../experiments/infer/config.js";
import {
  INFER_METHODS,
  INFER_PRESETS,
  inferConfigSchema,
  inferLines,
  inferSummary,
  inferTotal,
  runInfer,
  writeInferOutputs,
  type CurvePoint,
  type InferConfig,
} from "../../experiments/infer/index.js";

interface InferOptions extends SharedOptions {
  method?: string;
  seconds?: number;
  n?: number;
}

export function resolveInfer(opts: InferOptions): InferConfig {
  return resolveConfig({
    schema: inferConfigSchema,
    presets: INFER_PRESETS,
    defaultPreset: "paper",
    preset: opts.preset,
    configPath: opts.config,
    overrides: { method: opts.method, seconds: opts.seconds, n: opts.n, seed: opts.seed },
  });
}

export const register = defineCommand<InferOptions>({
  name: "infer",
  description: "SAL vs RDD vs STDWI: infer the feedback of a fixed random 50 -> 50 W from spikes (paper's scatter figure)",
  presets: Object.keys(INFER_PRESETS),
  runDir: true,
  options: (cmd) =>
    cmd
      .addOption(new Option("--method <m>", "inference method").choices([...INFER_METHODS, "all"]))
      .addOption(numOption("--seconds <s>", "simulated seconds per method (paper: 100)", B.simSeconds))
      .addOption(numOption("--n <n>", "neurons per population (paper: 50)", INFER_N)),
  bounds: INFER_CONFIG_BOUNDS,
  help: `
Examples:
  spike-align infer                                     # all three methods, 100 s each, the notebook's settings
  spike-align infer --method sal --seconds 20 --json
  spike-align infer --out runs/infer                    # scatter.svg: B vs W per method, side by side

SAL: a two-population SAL network (W bottom-up, B top-down, 8 copies, one B update per simulated
second). RDD: two LIF populations, the lower one driven by Poisson input; B set from the regression
discontinuity estimates every 10 s. STDWI: the authors' LIF toy (stimulus -> input -> output,
dt 0.25 ms) with the spike-timing-dependent weight-inference rule. All start from the same random B.`,
  async action(opts) {
    const cfg = resolveInfer(opts);
    const out = openRunDir(opts, "infer");
    const k = await backendFor(opts);
    out?.writeJson("config.json", { ...cfg, backend: k.name });
    out?.writeJsonl("metrics.jsonl", []);
    const hooks = cliHooks<CurvePoint>(opts, out, "infer", Math.round(inferTotal(cfg)));
    const r = runInfer(k, cfg, {
      onMetrics: (m) => {
        // a B that turned non-finite (a learning rate too large) shows in its angle with W
        if (!Number.isFinite(m.angleDeg)) {
          hooks.stop();
          throw new UsageError(
            `infer: ${m.method}: the angle of B with W is ${m.angleDeg} after ${m.time} s simulated` +
              ` (B is no longer finite); the run stops; lower the learning rates`,
          );
        }
        hooks.onMetrics(m);
      },
      onProgress: (done, total, info) => hooks.onProgress(Math.round(done), total, info),
    });
    hooks.stop();
    const summary = inferSummary(r);
    if (out) writeInferOutputs(out, cfg, r, summary);
    for (const line of inferLines(cfg, r, k.name)) say(opts, line);
    if (out) say(opts, `wrote ${out.dir}`);
    printSummary(summary, opts);
  },
});
