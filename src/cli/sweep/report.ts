// `spike-align report OUT`: the figures and tables of a sweep directory, from
// whatever runs are complete (a partial sweep reports, and says how many runs
// are missing). Per condition the median and 25-75 % band of each metric vs
// epoch and the distribution of final values; SVG plots in the style of the
// paper's figures: one panel per combination of the grid values but the last,
// one line per value of the last (e.g. per noise level, SAL on vs off; or
// bp / fa / sal), final values against the first numeric grid path, and strip
// plots of the final values per condition.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UsageError } from "../../errors.js";
import { parseConfig, parseConfigText, readRegularFile } from "../../config/load.js";
import { RunDir } from "../../io/rundir.js";

import { linePlot, scatterPlot, PALETTE, type Band as PlotBand, type Series } from "../../report/svg.js";
import { experiment } from "../../experiments/index.js";
import { aggregate, conditionLabel, isSeedPath, type Condition, type RunRecord } from "./aggregate.js";
import { readDone, runDir } from "./execute.js";

export const SWEEP_FILE = "sweep.json";
export const REPORT_DIR = "report";

/** What sweep.json holds: the expanded sweep without the resolved configs. */
export interface SweepIndex {
  name: string;
  command: string;
  paths: string[];
  runs: { index: number; id: string; values: Record<string, unknown> }[];
}

/** Largest file of a sweep directory the report reads (sweep.json, a run's summary and metrics). */
const MAX_SWEEP_FILE_BYTES = 256 * 1024 * 1024;

const sweepIndexSchema = z.strictObject({
  name: z.string(),
  command: z.string().refine((c) => experiment(c) !== undefined, { error: "must be a command a sweep runs" }),
  paths: z.array(z.string()),
  runs: z.array(
    z.strictObject({
      index: z.number().int().min(0),
      id: z.string().regex(/^[0-9a-f]{12}$/, { error: "must be 12 hex digits (a run id)" }),
      values: z.record(z.string(), z.unknown()),
    }),
  ),
});

/** OUT/sweep.json, validated (one line naming the field otherwise). */
export function readSweepIndex(out: string): SweepIndex {
  const p = join(out, SWEEP_FILE);
  if (!existsSync(p)) throw new UsageError(`report: ${out} holds no ${SWEEP_FILE}; give the --out directory of a sweep`);
  return parseConfig(sweepIndexSchema, parseConfigText(readRegularFile(p, "report", MAX_SWEEP_FILE_BYTES), p, "report"), `report ${p}`);
}

/** A JSON file of a complete run (summary.json), or its JSON lines (metrics.jsonl); one line naming the file otherwise. */
function readRunJson(path: string, lines: boolean): unknown {
  const text = readRegularFile(path, "report", MAX_SWEEP_FILE_BYTES);
  try {
    return lines
      ? text
          .split("\n")
          .filter((l) => l.trim())
          .map((l): unknown => JSON.parse(l))
      : JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `report: ${path}: not valid JSON (${(err as Error).message.split("\n")[0]})` +
        `; the run is marked complete: remove its directory to run it again`,
    );
  }
}

/** The complete runs of a sweep directory, as the aggregation reads them. */
export function loadRuns(out: string, index: SweepIndex): { runs: RunRecord[]; missing: number[] } {
  const exp = experiment(index.command);
  if (!exp) throw new UsageError(`report: unknown command '${index.command}' in ${SWEEP_FILE}`);
  const runs: RunRecord[] = [];
  const missing: number[] = [];
  for (const r of index.runs) {
    const dir = runDir(out, r.id);
    if (!readDone(dir)) {
      missing.push(r.index);
      continue;
    }
    const summary = readRunJson(join(dir, "summary.json"), false);
    const rows = readRunJson(join(dir, "metrics.jsonl"), true) as Record<string, unknown>[];
    runs.push({ id: r.id, index: r.index, values: r.values, rows, finals: exp.finals(summary as object) });
  }
  return { runs, missing };
}

const slug = (s: string) =>
  s
    .replace(/[^A-Za-z0-9._=-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "") || "all";
const fmt = (x: number) =>
  Number.isFinite(x) ? (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : String(+x.toPrecision(4))) : "n/a";
const LOG_METRICS = /^(dkl|validationLoss|freeLoss|loss|testLoss|trainLoss)\b/;

/** The panel and legend of a condition: its values without the last non-seed path, and that path's value. */
function split(c: Condition, paths: string[]): { panel: Record<string, unknown>; legend: string } {
  const keys = paths.filter((p) => !isSeedPath(p));
  const last = keys[keys.length - 1];
  const panel = Object.fromEntries(Object.entries(c.values).filter(([k]) => k !== last));
  return { panel, legend: last === undefined ? "all runs" : `${last}=${String(c.values[last])}` };
}

export interface SweepReport {
  name: string;
  command: string;
  runs: number;
  complete: number;
  missing: number;
  conditions: {
    label: string;
    values: Record<string, unknown>;
    runs: number;
    finals: Record<string, { median: number; q25: number; q75: number }>;
  }[];
  files: string[];
}

/**
 * Writes OUT/report/ (and nothing else): summary.md, finals.csv, conditions.json and the SVG figures.
 * The report directory is a run directory of its own (src/io/rundir.ts): locked while written, and
 * a new report replaces the files of the last one.
 */
export function writeSweepReport(outDir: string): SweepReport {
  const index = readSweepIndex(outDir);
  const exp = experiment(index.command)!;
  const { runs, missing } = loadRuns(outDir, index);
  const conds = aggregate(runs, exp.curves);
  const out = RunDir.open(join(outDir, REPORT_DIR), { command: "report", replaceSameCommand: true, flag: "report" });
  try {
    return writeReportFiles(out, index, runs, missing, conds);
  } finally {
    out.close();
  }
}

function writeReportFiles(out: RunDir, index: SweepIndex, runs: RunRecord[], missing: number[], conds: Condition[]): SweepReport {
  const files: string[] = [];
  const write = (name: string, text: string) => {
    out.writeText(name, text);
    files.push(name);
  };

  // curves: one SVG per metric and panel, one line (median) and band (25-75 %) per legend value
  const curveNames = [...new Set(conds.flatMap((c) => Object.keys(c.curves)))];
  const panels = new Map<string, Condition[]>();
  for (const c of conds) {
    const key = conditionLabel(split(c, index.paths).panel);
    if (!panels.has(key)) panels.set(key, []);
    panels.get(key)!.push(c);
  }
  for (const metric of curveNames) {
    for (const [panel, cs] of panels) {
      const series: Series[] = [],
        bands: PlotBand[] = [];
      cs.forEach((c, i) => {
        const b = c.curves[metric];
        if (!b) return;
        const color = PALETTE[i % PALETTE.length];
        series.push({ label: `${split(c, index.paths).legend} (median of ${c.runs.length})`, x: b.x, y: b.median, color });
        if (c.runs.length > 1) bands.push({ x: b.x, lo: b.q25, hi: b.q75, color });
      });
      if (!series.length) continue;
      const name = panels.size > 1 ? `${slug(metric)}-${slug(panel)}.svg` : `${slug(metric)}.svg`;
      write(
        name,
        linePlot({
          title: `${metric} (${panel}), median and 25-75 % band`,
          xLabel: "epoch",
          yLabel: metric,
          logY: LOG_METRICS.test(metric),
          series,
          bands,
        }),
      );
    }
  }

  // finals against the first numeric non-seed path, one line per value of the last path
  const keys = index.paths.filter((p) => !isSeedPath(p));
  const xPath = keys.find((p) => conds.every((c) => typeof c.values[p] === "number"));
  const finalNames = [...new Set(conds.flatMap((c) => Object.keys(c.finals)))].slice(0, 12);
  if (xPath && keys.length >= 1) {
    for (const f of finalNames) {
      const groups = new Map<string, Condition[]>();
      for (const c of conds) {
        const rest = conditionLabel(Object.fromEntries(Object.entries(c.values).filter(([k]) => k !== xPath)));
        if (!groups.has(rest)) groups.set(rest, []);
        groups.get(rest)!.push(c);
      }
      const series: Series[] = [],
        bands: PlotBand[] = [];
      [...groups].forEach(([label, cs], i) => {
        const sorted = [...cs].sort((a, b) => (a.values[xPath] as number) - (b.values[xPath] as number));
        const color = PALETTE[i % PALETTE.length];
        const x = sorted.map((c) => c.values[xPath] as number);
        series.push({ label, x, y: sorted.map((c) => c.finals[f]?.median ?? NaN), color });
        bands.push({ x, lo: sorted.map((c) => c.finals[f]?.q25 ?? NaN), hi: sorted.map((c) => c.finals[f]?.q75 ?? NaN), color });
      });
      write(
        `final-${slug(f)}-vs-${slug(xPath)}.svg`,
        linePlot({ title: `final ${f} vs ${xPath} (median, 25-75 %)`, xLabel: xPath, yLabel: f, logY: LOG_METRICS.test(f), series, bands }),
      );
    }
  }
  // strip plots of the final values per condition
  for (const f of finalNames) {
    const series = conds.map((c, ci) => ({
      label: c.label,
      color: PALETTE[ci % PALETTE.length],
      x: c.finals[f]?.values.map((_, i) => ci + 0.3 * ((i % 7) / 6 - 0.5)) ?? [],
      y: c.finals[f]?.values ?? [],
    }));
    write(
      `final-${slug(f)}.svg`,
      scatterPlot({ title: `final ${f} per run (x = condition index)`, xLabel: "condition", yLabel: f, logY: LOG_METRICS.test(f), series }),
    );
  }

  // tables
  const finalCols = finalNames;
  out.writeCsv(
    "finals.csv",
    ["index", "id", ...index.paths, ...finalCols],
    runs.map((r) => [
      r.index,
      r.id,
      ...index.paths.map((p) => (typeof r.values[p] === "object" ? JSON.stringify(r.values[p]) : (r.values[p] as number | string))),
      ...finalCols.map((f) => r.finals[f] ?? NaN),
    ]),
  );
  files.push("finals.csv");
  const indices = `${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ", ..." : ""}`;
  const md = [
    `# Sweep ${index.name}: ${index.command}`,
    "",
    `${runs.length} of ${index.runs.length} runs complete${missing.length ? `; ${missing.length} missing (indices ${indices})` : ""}.`,
    "",
    `| condition | runs | ${finalCols.map((f) => `${f} median [25 %, 75 %]`).join(" | ")} |`,
    `|---|---|${finalCols.map(() => "---|").join("")}`,
    ...conds.map((c) => {
      const cell = (f: string) => (c.finals[f] ? `${fmt(c.finals[f].median)} [${fmt(c.finals[f].q25)}, ${fmt(c.finals[f].q75)}]` : "");
      return `| ${c.label} | ${c.runs.length} | ${finalCols.map(cell).join(" | ")} |`;
    }),
    "",
    ...files.filter((f) => f.endsWith(".svg")).map((f) => `![${f}](${f})`),
    "",
  ].join("\n");
  write("summary.md", md);
  const report: SweepReport = {
    name: index.name,
    command: index.command,
    runs: index.runs.length,
    complete: runs.length,
    missing: missing.length,
    conditions: conds.map((c) => ({
      label: c.label,
      values: c.values,
      runs: c.runs.length,
      finals: Object.fromEntries(Object.entries(c.finals).map(([k, v]) => [k, { median: v.median, q25: v.q25, q75: v.q75 }])),
    })),
    files,
  };
  out.writeJson("conditions.json", report);
  return report;
}
