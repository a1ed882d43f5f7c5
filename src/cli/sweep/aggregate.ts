// Aggregation of a sweep's runs by condition: the grid values other than seeds.
// Per condition and metric, the median and 25-75 % band over its runs at every
// epoch, and the distribution of final values
// (docs/models/alignment-metrics.md#over-seeds: medians, quartiles 25 / 75 %;
// quantiles interpolate linearly).
import { quantile } from "../../metrics/stats.js";
import { canonicalJson } from "./definition.js";

/** A finished run as the report sees it. */
export interface RunRecord {
  id: string;
  index: number;
  /** The run's sweep values by config path. */
  values: Record<string, unknown>;
  /** metrics.jsonl lines. */
  rows: Record<string, unknown>[];
  /** Final values by name (the experiment's `finals` of its summary). */
  finals: Record<string, number>;
}

export interface Band {
  x: number[];
  median: number[];
  q25: number[];
  q75: number[];
  /** Runs contributing at each x. */
  n: number[];
}

export interface Condition {
  /** Stable key: canonical JSON of `values`. */
  key: string;
  /** The condition's values by config path (seed paths left out). */
  values: Record<string, unknown>;
  label: string;
  runs: RunRecord[];
  /** metric (with `split` suffix, e.g. "validationLoss [sal]") -> band over runs vs epoch. */
  curves: Record<string, Band>;
  /** final metric -> the runs' values (in run order) and their quartiles. */
  finals: Record<string, { values: number[]; median: number; q25: number; q75: number }>;
}

/** Seed paths (any path segment containing "seed") are what varies within a condition. */
export function isSeedPath(path: string): boolean {
  return path.split(".").some((p) => /seed/i.test(p));
}

/** A value of a run's config or metrics as label text: a string, number or boolean as is; null, arrays and objects as JSON. */
function valueText(v: unknown): string {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === undefined ? String(v) : canonicalJson(v);
}

/** "a=1, b=true" of the values (seed paths left out). */
export function conditionLabel(values: Record<string, unknown>): string {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${valueText(v)}`);
  return parts.length ? parts.join(", ") : "all runs";
}

function getPath(o: unknown, path: string): unknown {
  let v = o;
  for (const p of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}

const num = (v: unknown): number => (typeof v === "number" ? v : NaN);

/** Median and 25-75 % band of the series at each x (x = union of all series' x, ascending). */
export function band(series: { x: number[]; y: number[] }[]): Band {
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const at = series.map((s) => new Map(s.x.map((x, i) => [x, s.y[i]])));
  const out: Band = { x: xs, median: [], q25: [], q75: [], n: [] };
  for (const x of xs) {
    const v = at.map((m) => m.get(x)).filter((y): y is number => y !== undefined && Number.isFinite(y));
    out.median.push(quantile(v, 0.5));
    out.q25.push(quantile(v, 0.25));
    out.q75.push(quantile(v, 0.75));
    out.n.push(v.length);
  }
  return out;
}

/**
 * Groups runs by condition (their values without seed paths), in the order conditions first
 * appear, and computes each condition's curves of `metrics` vs `epoch` (one per value of `splitBy`
 * in the rows, if given) and the quartiles of every final metric.
 */
export function aggregate(runs: RunRecord[], curves: { metrics: string[]; splitBy?: string }): Condition[] {
  const byKey = new Map<string, Condition>();
  for (const r of [...runs].sort((a, b) => a.index - b.index)) {
    const values = Object.fromEntries(Object.entries(r.values).filter(([p]) => !isSeedPath(p)));
    const key = canonicalJson(values);
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { key, values, label: conditionLabel(values), runs: [], curves: {}, finals: {} }));
    c.runs.push(r);
  }
  for (const c of byKey.values()) {
    for (const metric of curves.metrics) {
      const perSplit = new Map<string, { x: number[]; y: number[] }[]>();
      for (const r of c.runs) {
        const bySplit = new Map<string, { x: number[]; y: number[] }>();
        for (const row of r.rows) {
          const x = num(row.epoch);
          if (!Number.isFinite(x)) continue;
          const split = curves.splitBy ? valueText(row[curves.splitBy] ?? "") : "";
          let s = bySplit.get(split);
          if (!s) bySplit.set(split, (s = { x: [], y: [] }));
          s.x.push(x);
          s.y.push(num(getPath(row, metric)));
        }
        for (const [split, s] of bySplit) {
          if (!perSplit.has(split)) perSplit.set(split, []);
          perSplit.get(split)!.push(s);
        }
      }
      for (const [split, series] of perSplit) {
        const b = band(series);
        // a metric the runs do not have (e.g. a fourth fc layer of a net with three) gives no curve
        if (b.median.some(Number.isFinite)) c.curves[split ? `${metric} [${split}]` : metric] = b;
      }
    }
    const names = [...new Set(c.runs.flatMap((r) => Object.keys(r.finals)))];
    for (const name of names) {
      const values = c.runs.map((r) => r.finals[name] ?? NaN);
      c.finals[name] = { values, median: quantile(values, 0.5), q25: quantile(values, 0.25), q75: quantile(values, 0.75) };
    }
  }
  return [...byKey.values()];
}
