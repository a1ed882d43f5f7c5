// `spike-align demo`: the main job. The minimal SSN preset under plasticity
// noise, SAL on and SAL off side by side (src/cli/demo/): a table of
// final DKL, ASYM, steps, wall time and ns/step, both runs' outputs and a
// one-page report.md.
import { join } from "node:path";
import { backendFor } from "../resources.js";
import { cliHooks } from "../progress.js";
import { defineCommand } from "../define.js";
import { openRunDir, printSummary, say } from "../output.js";
import { demoRuns, runDemo, type DemoMetrics } from "../demo/run.js";
import { demoSummary, demoTable, writeDemoOutputs } from "../demo/report.js";
import { SSN_CONFIG_BOUNDS, SSN_PRESETS } from "../../experiments/ssn/config.js";
import { SSN_OPTIONS } from "../../experiments/ssn/cli.js";
import { ssnUnsound } from "../../experiments/ssn/index.js";
import { addOptionSpecs } from "../run/flags.js";
import { guardSsn, resolveSsnConfig } from "./ssn.js";
import type { SsnOptions } from "./ssn.js";

/** Where the demo writes without --out; an earlier demo's outputs there are replaced. */
const DEFAULT_DIR = "spike-align-demo";

export const register = defineCommand<SsnOptions>({
  name: "demo",
  description: "The main job: a spiking Boltzmann machine under plasticity noise, SAL on vs off (minimal preset, < 1 min)",
  presets: Object.keys(SSN_PRESETS),
  runDir: true,
  yes: true,
  options: (cmd) => addOptionSpecs(cmd, SSN_OPTIONS),
  bounds: SSN_CONFIG_BOUNDS,
  help: `
Examples:
  spike-align demo                          # writes ./spike-align-demo/report.md and both runs' outputs
  spike-align demo --epochs 301 --out /tmp/demo --json
  spike-align demo --backend js --epochs 101   # the pure TypeScript backend (slower)

Takes the ssn options except --sal (both runs), --checkpoint-every and --resume. Without --out it
writes ./${DEFAULT_DIR}, replacing an earlier demo's outputs there; --out DIR follows the usual rules
(a new or empty directory, or --force).`,
  async action(opts) {
    const cfg = resolveSsnConfig({ ...opts, sal: "on" });
    guardSsn(opts, cfg, "demo");
    const dir = opts.out ?? DEFAULT_DIR;
    const root = openRunDir(opts, "demo", { dir, replaceSameCommand: opts.out === undefined })!;
    const runDirs = demoRuns(cfg).map((c) => root.sub(c.sal ? "sal-on" : "sal-off"));
    const k = await backendFor(opts);
    demoRuns(cfg).forEach((c, i) => {
      runDirs[i].writeJson("config.json", { ...c, backend: k.name });
      runDirs[i].writeJsonl("metrics.jsonl", []);
    });
    // metrics.jsonl: both runs' lines (with `run`) at the top, each run's own in its directory
    root.writeJsonl("metrics.jsonl", []);
    const hooks = cliHooks<DemoMetrics>(opts, root, "demo", 2 * cfg.epochs, {
      check: ssnUnsound,
      epoch: (m) => m.epoch,
    });
    const runs = runDemo(k, cfg, {
      onProgress: hooks.onProgress,
      onMetrics: (row) => {
        hooks.onMetrics(row);
        const { run, ...m } = row;
        runDirs[run === "sal-on" ? 0 : 1].appendJsonl("metrics.jsonl", m);
      },
    });
    hooks.stop();
    const summary = demoSummary(runs, k.name, dir);
    writeDemoOutputs(root, runDirs, runs, summary);
    say(opts, `\n${demoTable(summary)}\n\nwrote ${join(dir, "report.md")}`);
    printSummary(summary, opts);
  },
});
