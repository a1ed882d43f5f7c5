// The ssn experiment as one descriptor (src/experiments/descriptor.ts).
import { firstNonFinite } from "../../config/numbers.js";
import { numericLeaves, type Experiment } from "../descriptor.js";
import { ssnCli } from "./cli.js";
import { fromAuthorLayout, isAuthorLayout, SSN_PRESETS, ssnConfigSchema, ssnFirstEpoch, type SsnConfig } from "./config.js";
import { ssnLine, ssnSummary, writeSsnOutputs, type SsnSummary } from "./report.js";
import { runSsn, SsnSession, type SsnMetrics, type SsnResult } from "./run.js";

/** What is wrong with the weights or biases of a state or a metrics line ("W[3] is NaN"), or null. */
export const ssnUnsound = (s: { W: unknown; b: unknown; asym?: unknown }) => firstNonFinite({ W: s.W, b: s.b, asym: s.asym }, true);

export const ssnExperiment: Experiment<"ssn", SsnConfig, SsnResult, SsnMetrics, SsnSummary> = {
  name: "ssn",
  schema: ssnConfigSchema,
  presets: SSN_PRESETS,
  defaultPreset: "minimal",
  fromFile: (raw) => (isAuthorLayout(raw) ? fromAuthorLayout(raw) : raw),
  unit: "epoch",
  total: (cfg) => cfg.epochs,
  open(k, cfg, emit) {
    const s = new SsnSession(k, cfg, { onMetrics: emit });
    return {
      total: cfg.epochs,
      position: () => s.state.epoch,
      steps: () => s.state.steps,
      done: () => s.done,
      advance: (n) => s.advance(n),
      summary: () => ssnSummary(cfg, s.result(), k.name),
      dispose: () => s.dispose(),
    };
  },
  run: (k, cfg, hooks) => runSsn(k, cfg, hooks),
  summary: ssnSummary,
  write: writeSsnOutputs,
  files(cfg, r) {
    const dist = r.q && r.problem.p;
    return [
      ...["W.npy", "b.npy", "target_W.npy", "target_b.npy", "weights.csv", "biases.csv"],
      ...(dist ? ["q.npy", "p_target.npy", "distribution.csv"] : []),
      ...(r.state.metrics.some((m) => m.dkl !== null) ? ["dkl.svg"] : []),
      ...["asym.svg", "weights.svg", "biases.svg"],
      ...(dist && r.problem.p!.length <= 1024 ? ["distribution.svg"] : []),
      "summary.json",
    ];
  },
  guard: { check: ssnUnsound, epoch: (m) => m.epoch },
  lines: (_cfg, _r, s) => [ssnLine(s)],
  estimate(cfg, backend) {
    const e = ssnFirstEpoch(cfg, backend);
    return { what: `dim ${cfg.dim}, ${e.steps} steps in the first (validation) epoch`, bytes: 0, firstEpochSeconds: e.seconds };
  },
  curves: { metrics: ["dkl", "asym", "marginalErr", "corrErr"] },
  finals: (s) => {
    const { epoch: _epoch, ...f } = numericLeaves(s.final);
    return f;
  },
  cli: ssnCli,
};
