// Summary and figures of the standalone SAL alignment run: angle and
// correlation of every B_l with W_{l+1}^T vs epoch (the paper's time course).
import { linePlot, PALETTE } from "../../report/svg.js";
import type { OutDir } from "../../io/out.js";
import type { AlignConfig } from "./config.js";
import type { AlignResult } from "./run.js";

/** The --json / summary.json object (issue 12): exactly these keys. */
export function alignSummary(cfg: AlignConfig, r: AlignResult, backend: string) {
  const first = r.epochs[0],
    last = r.epochs[r.epochs.length - 1];
  return {
    command: "align",
    layers: cfg.layers,
    epochs: cfg.epochs,
    batch: cfg.batch,
    final: { angleDeg: last.angleDeg, corrcoef: last.corrcoef },
    initial: { angleDeg: first.angleDeg },
    nsPerStep: r.nsPerStep,
    backend,
  };
}

/** name -> SVG text. */
export function alignFigures(cfg: AlignConfig, r: AlignResult): Record<string, string> {
  const x = r.epochs.map((m) => m.epoch);
  const label = (l: number) => `B${l} / W${l + 1}^T`;
  const series = (get: (m: AlignResult["epochs"][number], l: number) => number) =>
    cfg.layers.slice(1).map((_, l) => ({ label: label(l), x, y: r.epochs.map((m) => get(m, l)), color: PALETTE[l % PALETTE.length] }));
  return {
    "angle.svg": linePlot({
      title: `SAL alignment: angle(B_l, W_{l+1}^T), batch ${cfg.batch}, lr ${cfg.salLr}`,
      xLabel: "epoch",
      yLabel: "angle (deg)",
      series: series((m, l) => m.angleDeg[l]),
      hLines: [{ y: 90, label: "90", dashed: true }],
    }),
    "corrcoef.svg": linePlot({
      title: "SAL alignment: correlation of B_l and W_{l+1}^T",
      xLabel: "epoch",
      yLabel: "Pearson r",
      series: series((m, l) => m.corrcoef[l]),
      hLines: [{ y: 0, dashed: true }],
    }),
  };
}

/** The files of a run beside config.json and metrics.jsonl: summary.json, angle.svg, corrcoef.svg. */
export function writeAlignOutputs(out: OutDir, cfg: AlignConfig, r: AlignResult, summary: object): void {
  out.writeJson("summary.json", summary);
  for (const [name, svg] of Object.entries(alignFigures(cfg, r))) out.writeText(name, svg);
}

/** The human-readable result lines. */
export function alignLines(cfg: AlignConfig, r: AlignResult, backend: string): string[] {
  const s = alignSummary(cfg, r, backend);
  const f = (xs: number[], d: number) => xs.map((x) => x.toFixed(d)).join(" / ");
  return [
    `align [${cfg.layers.join(", ")}], batch ${cfg.batch}, ${cfg.epochs} epochs (${backend})` +
      `: angle ${f(s.initial.angleDeg, 1)} -> ${f(s.final.angleDeg, 1)} deg, corrcoef -> ${f(s.final.corrcoef, 3)}`,
    `${r.steps} steps in ${r.seconds.toFixed(1)} s (${(r.nsPerStep / 1000).toFixed(1)} us/step)`,
  ];
}
