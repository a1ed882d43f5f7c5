// `spike-align infer`: SAL, RDD and STDWI infer the feedback B of a fixed
// random 50 -> 50 W from spiking activity (spec/deepnets.md section 7, the
// paper's scatter figure).
import { Command, Option } from "commander";
import { addSharedOptions, backendFor, floatOpt, intOpt, printSummary, progress, resolveConfig, runAction, say, type SharedOptions } from "../common.js";
import { OutDir } from "../../io/out.js";
import { INFER_METHODS, INFER_PRESETS, inferConfigSchema, type InferConfig } from "../../experiments/infer/config.js";
import { runInfer } from "../../experiments/infer/run.js";
import { inferDetails, inferFigures, inferSummary } from "../../experiments/infer/report.js";

interface InferOptions extends SharedOptions {
  method?: string;
  seconds?: number;
  n?: number;
}

const EXAMPLES = `
Examples:
  spike-align infer                                     # all three methods, 100 s each, the notebook's settings
  spike-align infer --method sal --seconds 20 --json
  spike-align infer --out runs/infer                    # scatter.svg: B vs W per method, side by side

SAL: a two-population SAL network (W bottom-up, B top-down, 8 copies, one B update per simulated
second). RDD: two LIF populations, the lower one driven by Poisson input; B set from the regression
discontinuity estimates every 10 s. STDWI: the authors' LIF toy (stimulus -> input -> output,
dt 0.25 ms) with the spike-timing-dependent weight-inference rule. All start from the same random B.`;

export function register(program: Command): void {
  const cmd = program
    .command("infer")
    .description("SAL vs RDD vs STDWI: infer the feedback of a fixed random 50 -> 50 W from spikes (paper's scatter figure)");
  addSharedOptions(cmd, Object.keys(INFER_PRESETS));
  cmd
    .addOption(new Option("--method <m>", "inference method").choices([...INFER_METHODS, "all"]))
    .option("--seconds <s>", "simulated seconds per method (paper: 100)", floatOpt("--seconds", 0.001, 1e5))
    .option("--n <n>", "neurons per population (paper: 50)", intOpt("--n", 2, 4096))
    .addHelpText("after", EXAMPLES)
    .action(runAction(async (opts: InferOptions) => runCommand(opts)));
}

export function resolveInfer(opts: InferOptions): InferConfig {
  return resolveConfig({
    schema: inferConfigSchema, presets: INFER_PRESETS, defaultPreset: "paper", preset: opts.preset, configPath: opts.config,
    overrides: { method: opts.method, seconds: opts.seconds, n: opts.n, seed: opts.seed },
  });
}

async function runCommand(opts: InferOptions): Promise<void> {
  const cfg = resolveInfer(opts);
  const out = opts.out ? new OutDir(opts.out) : null;
  const k = await backendFor(opts);
  const methods = cfg.method === "all" ? INFER_METHODS.length : 1;
  const bar = progress(opts, Math.round(methods * cfg.seconds), "infer");
  let done = 0, current = "";
  const r = runInfer(k, cfg, {
    onProgress: (m, time) => {
      if (m !== current) { if (current) done += cfg.seconds; current = m; }
      bar.tick(Math.round(done + time), m);
    },
  });
  bar.stop();
  const summary = inferSummary(r);
  if (out) {
    out.writeJson("config.json", { ...cfg, backend: k.name });
    out.writeJsonl("metrics.jsonl", r.methods.flatMap((m) => m.curve));
    out.writeJson("results.json", inferDetails(cfg, r));
    out.writeNpy("W.npy", r.W, [cfg.n, cfg.n]);
    out.writeNpy("B_init.npy", r.B0, [cfg.n, cfg.n]);
    for (const m of r.methods) out.writeNpy(`B_${m.method}.npy`, m.B, [cfg.n, cfg.n]);
    for (const [name, svg] of Object.entries(inferFigures(cfg, r))) out.writeText(name, svg);
    out.writeJson("summary.json", summary);
  }
  for (const m of r.methods) {
    const last = m.curve[m.curve.length - 1];
    say(opts, `${m.method.padEnd(5)} angle ${m.curve[0].angleDeg.toFixed(1)} -> ${last.angleDeg.toFixed(1)} deg, corrcoef ${last.corrcoef.toFixed(3)}; ${m.steps} steps in ${m.seconds.toFixed(2)} s (rates ${m.rates.input.toFixed(1)} / ${m.rates.output.toFixed(1)} Hz)`);
  }
  say(opts, `${cfg.seconds} s simulated per method on ${k.name}, ${r.seconds.toFixed(2)} s in all${out ? `; wrote ${out.dir}` : ""}`);
  printSummary(summary, opts);
}
