// Summary and figures of the inference comparison: the final B against W per
// method (the paper's scatter panels, side by side) and the angle over time.
import { linePlot, scatterPlot, PALETTE } from "../../report/svg.js";
import type { OutDir } from "../../io/out.js";
import type { InferConfig, InferMethod } from "./config.js";
import type { InferResult } from "./run.js";

export const METHOD_COLORS: Record<InferMethod, string> = { sal: PALETTE[0], rdd: PALETTE[4], stdwi: PALETTE[3] };
const NAMES: Record<InferMethod, string> = { sal: "SAL", rdd: "RDD", stdwi: "STDWI" };

/** The --json / summary.json object (issue 12): final angle and correlation per method, and the wall seconds. */
export function inferSummary(r: InferResult) {
  return {
    command: "infer",
    methods: Object.fromEntries(
      r.methods.map((m) => {
        const last = m.curve[m.curve.length - 1];
        return [m.method, { angleDeg: last.angleDeg, corrcoef: last.corrcoef }];
      }),
    ),
    seconds: r.seconds,
  };
}

/** Per-method details for results.json: cost, rates and the time course. */
export function inferDetails(cfg: InferConfig, r: InferResult) {
  return {
    n: cfg.n,
    simulatedSeconds: cfg.seconds,
    methods: r.methods.map((m) => ({
      method: m.method,
      steps: m.steps,
      seconds: m.seconds,
      ratesHz: m.rates,
      curve: m.curve.map(({ time, angleDeg, corrcoef }) => ({ time, angleDeg, corrcoef })),
    })),
  };
}

/** Puts standalone SVGs next to each other in one SVG. */
export function sideBySide(svgs: string[]): string {
  const sizes = svgs.map((s) => {
    const m = /<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"/.exec(s);
    return m ? [Number(m[1]), Number(m[2])] : [640, 400];
  });
  const width = sizes.reduce((a, [w]) => a + w, 0),
    height = Math.max(...sizes.map(([, h]) => h));
  let x = 0;
  const inner = svgs.map((s, i) => {
    const placed = s.replace("<svg ", `<svg x="${x}" y="0" `);
    x += sizes[i][0];
    return placed;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    ...inner,
    "</svg>",
  ].join("\n");
}

/** name -> SVG text: scatter.svg (one B vs W panel per method) and angle.svg (angle vs simulated time). */
export function inferFigures(cfg: InferConfig, r: InferResult): Record<string, string> {
  const bound = Math.max(...[r.W, ...r.methods.map((m) => m.B)].flatMap((a) => Array.from(a, Math.abs))) * 1.05;
  const panels = r.methods.map((m) => {
    const last = m.curve[m.curve.length - 1];
    return scatterPlot({
      title: `${NAMES[m.method]}: angle ${last.angleDeg.toFixed(1)} deg, r = ${last.corrcoef.toFixed(2)}`,
      xLabel: "W",
      yLabel: "B",
      width: 460,
      height: 400,
      xRange: [-bound, bound],
      yRange: [-bound, bound],
      diagonal: true,
      series: [{ label: NAMES[m.method], x: r.W, y: m.B, color: METHOD_COLORS[m.method] }],
    });
  });
  return {
    "scatter.svg": sideBySide(panels),
    "angle.svg": linePlot({
      title: `angle(B, W) over ${cfg.seconds} s of simulated time (${cfg.n} -> ${cfg.n})`,
      xLabel: "simulated time (s)",
      yLabel: "angle (deg)",
      series: r.methods.map((m) => ({
        label: NAMES[m.method],
        x: m.curve.map((p) => p.time),
        y: m.curve.map((p) => p.angleDeg),
        color: METHOD_COLORS[m.method],
      })),
      hLines: [{ y: 90, label: "90", dashed: true }],
    }),
  };
}

/** The files of a run beside config.json and metrics.jsonl: results.json, the .npy arrays, the figures, summary.json. */
export function writeInferOutputs(out: OutDir, cfg: InferConfig, r: InferResult, summary: object): void {
  out.writeJson("results.json", inferDetails(cfg, r));
  out.writeNpy("W.npy", r.W, [cfg.n, cfg.n]);
  out.writeNpy("B_init.npy", r.B0, [cfg.n, cfg.n]);
  for (const m of r.methods) out.writeNpy(`B_${m.method}.npy`, m.B, [cfg.n, cfg.n]);
  for (const [name, svg] of Object.entries(inferFigures(cfg, r))) out.writeText(name, svg);
  out.writeJson("summary.json", summary);
}

/** The human-readable result lines. */
export function inferLines(cfg: InferConfig, r: InferResult, backend: string): string[] {
  return [
    ...r.methods.map((m) => {
      const last = m.curve[m.curve.length - 1];
      return (
        `${m.method.padEnd(5)} angle ${m.curve[0].angleDeg.toFixed(1)} -> ${last.angleDeg.toFixed(1)} deg` +
        `, corrcoef ${last.corrcoef.toFixed(3)}; ${m.steps} steps in ${m.seconds.toFixed(2)} s` +
        ` (rates ${m.rates.input.toFixed(1)} / ${m.rates.output.toFixed(1)} Hz)`
      );
    }),
    `${cfg.seconds} s simulated per method on ${backend}, ${r.seconds.toFixed(2)} s in all`,
  ];
}
