// The config of a run: the preset, then the config file, then the flags
// (preset <- config file <- flags), validated by the experiment's schema;
// and the config.json of a run directory read back for --resume.
import { join } from "node:path";
import type { z } from "zod";
import { usage } from "../errors.js";
import { loadConfigFile, MAX_CONFIG_BYTES, parseConfig, parseConfigText, readRegularFile } from "../config/load.js";

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Deep merge: objects merge key by key, everything else (arrays too) replaces; undefined never overrides. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) out[k] = deepMerge(out[k], v);
  return out as T;
}

/** Expands {"a.b": 1} into {a: {b: 1}}; drops undefined values. */
export function expandDotted(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(flat)) {
    if (v === undefined) continue;
    const parts = key.split(".");
    let o = out;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]] = v;
  }
  return out;
}

export interface ResolveArgs<S extends z.ZodType> {
  schema: S;
  presets: Record<string, unknown>;
  defaultPreset: string;
  preset?: string;
  /** Raw config-file content (already loaded/translated), or a path to load. */
  config?: unknown;
  configPath?: string;
  /** Flag values by (dotted) config key; undefined = flag not given. */
  overrides?: Record<string, unknown>;
}

/** preset <- config file <- flags, then validated by the schema. */
export function resolveConfig<S extends z.ZodType>(a: ResolveArgs<S>): z.output<S> {
  const fileRaw = a.config ?? (a.configPath ? loadConfigFile(a.configPath) : undefined);
  if (fileRaw !== undefined && !isPlainObject(fileRaw))
    throw usage("--config", a.configPath ?? "config", "the file must hold a mapping of keys to values");
  const filePreset = fileRaw && typeof fileRaw.preset === "string" ? fileRaw.preset : undefined;
  const name = a.preset ?? filePreset ?? a.defaultPreset;
  if (!(name in a.presets)) throw usage("--preset", name, `one of ${Object.keys(a.presets).join(", ")}`);
  let merged = deepMerge(structuredClone(a.presets[name]) as Record<string, unknown>, fileRaw ?? {});
  merged = deepMerge(merged, expandDotted(a.overrides ?? {}));
  merged.preset = name;
  return parseConfig(a.schema, merged, a.configPath ? `config (${a.configPath})` : "config");
}

/** The config.json of a run directory (for --resume), validated by `schema`; its `backend` key is dropped. */
export function readRunConfig<S extends z.ZodType>(dir: string, schema: S, flag = "--resume"): z.output<S> {
  const path = join(dir, "config.json");
  const raw = parseConfigText(readRegularFile(path, flag, MAX_CONFIG_BYTES), path, flag);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw usage(flag, path, "config.json must hold a mapping of keys to values");
  const { backend: _backend, ...rest } = raw as Record<string, unknown>;
  return parseConfig(schema, rest, `${flag} ${path}`);
}
