// A sweep: many runs of one command, from a YAML/JSON file or a built-in
// preset. The file names the command, a base preset and/or config, and either
// a `grid` (lists of values for config paths, combined as a product, the
// first path varying slowest) or an explicit `runs` list (one object of config
// paths per run). Every run's config is resolved (preset <- config <- the
// run's values), validated by the command's schema, and gets a stable id from
// its resolved config, so re-running a sweep finds the runs already done.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { UsageError, usage } from "../../errors.js";
import { loadConfigFile, parseConfig } from "../../config/load.js";
import { EXPERIMENT_NAMES, experiment, type SomeExperiment } from "../../experiments/index.js";
import { deepMerge, expandDotted } from "../config.js";
import { SWEEP_PRESETS } from "./presets.js";

/** Sweeps larger than this need --yes. */
export const MAX_RUNS_WITHOUT_YES = 2000;

const value = z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const sweepSchema = z
  .strictObject({
    /** A name for reports (default: the file's or preset's name). */
    name: z.string().min(1).optional(),
    command: z.enum(EXPERIMENT_NAMES as [string, ...string[]]),
    /** The base preset of the command (default: the command's default preset). */
    preset: z.string().min(1).optional(),
    /** A config file (path relative to the sweep file) or an inline config object, applied over the preset. */
    config: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    /** config path -> the values it takes; runs are the product, in the order the paths are given. */
    grid: z.record(z.string(), z.array(value).min(1, "a grid path needs at least one value")).optional(),
    /** One object of config paths per run. */
    runs: z.array(z.record(z.string(), value)).min(1).optional(),
  })
  .refine((s) => (s.grid === undefined) !== (s.runs === undefined), { message: "give either `grid` or `runs` (exactly one)" });

export type SweepFile = z.output<typeof sweepSchema>;

export interface RunSpec {
  /** Position in the sweep (0-based). */
  index: number;
  /** The run's own values, by config path. */
  values: Record<string, unknown>;
  /** The fully resolved, validated config. */
  config: Record<string, unknown>;
  /** Stable id from the command and the resolved config. */
  id: string;
}

export interface Sweep {
  name: string;
  command: string;
  /** Config paths the runs vary, in order. */
  paths: string[];
  runs: RunSpec[];
}

/** JSON with object keys sorted at every level, so equal configs give equal text. */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(",")}]`;
  if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(x);
}

/** The id of a run: 12 hex digits of the SHA-256 of the command and its resolved config. */
export function runId(command: string, config: unknown): string {
  return createHash("sha256")
    .update(`${command}\n${canonicalJson(config)}`)
    .digest("hex")
    .slice(0, 12);
}

/** Unwraps optional / nullable / default wrappers down to the schema that holds the shape. */
function core(s: z.ZodType): z.ZodType {
  let cur: z.ZodType = s;
  for (let i = 0; i < 8; i++) {
    const def = (cur as unknown as { def?: { type?: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
    if (def?.innerType) cur = def.innerType;
    else if (def?.type === "pipe" && def.in) cur = def.in;
    else break;
  }
  return cur;
}

function shapeOf(s: z.ZodType): Record<string, z.ZodType> | null {
  const c = core(s);
  return c instanceof z.ZodObject ? c.shape : null;
}

/** Throws a UsageError unless `path` (a.b.c) names a field of the schema; the message lists the allowed keys there. */
export function checkPath(schema: z.ZodType, path: string, command: string, where: string): void {
  let s = schema;
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i++) {
    const shape = shapeOf(s);
    if (!shape) {
      // below an array, a record or a scalar nothing more can be checked by name
      if (i > 0) return;
      throw new UsageError(`${where}: '${path}' is not a config path of ${command}`);
    }
    const key = parts[i];
    if (!Object.hasOwn(shape, key) || key === "preset") {
      const at = parts.slice(0, i).join(".");
      const allowed = Object.keys(shape).filter((k) => k !== "preset");
      throw new UsageError(
        `${where}: unknown config path '${path}' for ${command}; allowed${at ? ` in ${at}` : ""}: ${allowed.join(", ")}`,
      );
    }
    s = shape[key];
  }
}

/** The product of the grid's value lists, first path slowest. */
export function gridProduct(grid: Record<string, unknown[]>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [path, values] of Object.entries(grid)) out = out.flatMap((o) => values.map((v) => ({ ...o, [path]: v })));
  return out;
}

/**
 * Expands a sweep definition into validated runs. `base` is the directory config paths are relative
 * to; `name` the default name. Unknown paths, empty grids and configs the command rejects are
 * UsageErrors naming the path or the run.
 */
export function expandSweep(raw: unknown, base: string, name: string, source = "sweep"): Sweep {
  const def = parseConfig(sweepSchema, raw, source);
  const exp: SomeExperiment = experiment(def.command)!;
  const presetName = def.preset ?? exp.defaultPreset;
  if (!(presetName in exp.presets)) throw usage(`${source} preset`, presetName, `one of ${Object.keys(exp.presets).join(", ")}`);
  let file: unknown = {};
  if (typeof def.config === "string") file = exp.fromFile(loadConfigFile(resolvePath(base, def.config)));
  else if (def.config) file = exp.fromFile(def.config);
  const valuesList = def.grid ? gridProduct(def.grid) : def.runs!;
  const paths = def.grid ? Object.keys(def.grid) : [...new Set(def.runs!.flatMap((r) => Object.keys(r)))];
  for (const p of paths) checkPath(exp.schema, p, def.command, `${source} ${def.grid ? "grid" : "runs"}`);
  const baseCfg = deepMerge(structuredClone(exp.presets[presetName]) as Record<string, unknown>, file);
  const runs = valuesList.map((values, index) => {
    const merged = deepMerge(structuredClone(baseCfg), expandDotted(values));
    merged.preset = presetName;
    const config = parseConfig(exp.schema, merged, `${source} run ${index} (${canonicalJson(values)})`) as Record<string, unknown>;
    return { index, values, config, id: runId(def.command, config) };
  });
  const seen = new Map<string, number>();
  for (const r of runs) {
    const first = seen.get(r.id);
    if (first !== undefined)
      throw new UsageError(`${source}: runs ${first} and ${r.index} have the same resolved config (id ${r.id}); every run must differ`);
    seen.set(r.id, r.index);
  }
  return { name: def.name ?? name, command: def.command, paths, runs };
}

/** Reads a sweep file (YAML or JSON) and expands it. */
export function loadSweepFile(path: string): Sweep {
  const raw = loadConfigFile(path);
  const name = path.replace(/^.*\//, "").replace(/\.(ya?ml|json)$/i, "");
  return expandSweep(raw, dirname(path), name, path);
}

/** A sweep file path or a built-in preset name. */
export function resolveSweep(arg: string): Sweep {
  if (arg === "") throw usage("sweep", arg, "a sweep file or one of the presets: " + Object.keys(SWEEP_PRESETS).join(", "));
  if (arg in SWEEP_PRESETS) return expandSweep(SWEEP_PRESETS[arg].def(), process.cwd(), arg, `sweep preset ${arg}`);
  if (!existsSync(arg)) throw usage("sweep", arg, `neither a file nor a preset (presets: ${Object.keys(SWEEP_PRESETS).join(", ")})`);
  return loadSweepFile(arg);
}
