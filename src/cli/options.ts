// The shared options of every command and the parsers of option values:
// numbers within a bound of src/config/numbers.ts (the same bound the config
// field's schema uses; --help lists every such flag in its Bounds table) and
// paths that are not empty (--config, --out, --resume).
import { Command, InvalidArgumentError, Option } from "commander";
import { B, checkNumber, rangeText, type Bound } from "../config/numbers.js";
import type { BackendName } from "../backend/index.js";

export interface SharedOptions {
  config?: string;
  preset?: string;
  seed?: number;
  backend?: BackendName;
  out?: string;
  /** Replace an earlier run's outputs in --out (the files its manifest lists). */
  force?: boolean;
  /** Run sizes that guardResources would refuse. */
  yes?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Bounds of the options made by numOption / numArg, for the --help table. */
const OPTION_BOUNDS = new WeakMap<(v: string) => number, Bound>();

/** A commander parser for a number within `b` (the bound its config field uses). */
export function numArg(flag: string, b: Bound): (v: string) => number {
  const parse = (v: string): number => {
    const x = v.trim() === "" ? NaN : Number(v);
    const problem = checkNumber(x, b);
    if (problem) throw new InvalidArgumentError(`It ${problem}.`);
    return x;
  };
  OPTION_BOUNDS.set(parse, b);
  return parse;
}

/** An option taking one number within `b`, e.g. numOption("--w01 <x>", "initial W01", B.weight). */
export function numOption(flags: string, description: string, b: Bound): Option {
  const o = new Option(flags, description);
  return o.argParser(numArg(o.long ?? o.short ?? flags, b));
}

/**
 * Integer option parser with bounds (its messages as before; --help lists it). Prefer numOption with
 * a bound of src/config/numbers.ts, so that the flag and its config field share one bound.
 */
export function intOpt(name: string, min = -Infinity, max = Infinity): (v: string) => number {
  const parse = (v: string) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isInteger(x)) throw new InvalidArgumentError(`${name} must be an integer.`);
    if (x < min || x > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}].`);
    return x;
  };
  OPTION_BOUNDS.set(parse, { name: name.replace(/^--/, ""), int: true, min, max, why: "bounds of this option" });
  return parse;
}

/** Finite number option parser with bounds (see intOpt). */
export function floatOpt(name: string, min = -Infinity, max = Infinity): (v: string) => number {
  const parse = (v: string) => {
    const x = Number(v);
    if (v.trim() === "" || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a finite number.`);
    if (x < min || x > max) throw new InvalidArgumentError(`${name} must be in [${min}, ${max}].`);
    return x;
  };
  OPTION_BOUNDS.set(parse, { name: name.replace(/^--/, ""), min, max, why: "bounds of this option" });
  return parse;
}

/** A commander parser for a path: not empty. */
export function pathArg(flag: string): (v: string) => string {
  return (v: string) => {
    if (v === "") throw new InvalidArgumentError(`An empty string is not a path; give one (or leave ${flag} out).`);
    if (v.includes("\0")) throw new InvalidArgumentError("A path cannot contain a NUL character.");
    return v;
  };
}

/** The --help section listing every bounded flag of `cmd` (and config-only `extra` fields), one row per bound. */
export function boundsHelp(cmd: Command, extra: [string, Bound][] = []): string {
  const rows = new Map<string, { names: string[]; b: Bound }>();
  const add = (name: string, b: Bound) => {
    const key = `${rangeText(b)}|${b.name}`;
    const r = rows.get(key);
    if (r) r.names.push(name);
    else rows.set(key, { names: [name], b });
  };
  for (const o of cmd.options) {
    const parse = (o as unknown as { parseArg?: (v: string) => number }).parseArg;
    const b = parse && OPTION_BOUNDS.get(parse);
    if (b) add(o.long ?? o.flags, b);
  }
  for (const [n, b] of extra) add(n, b);
  if (!rows.size) return "";
  const W = 40;
  // names wrap onto continuation lines at W characters
  const wrap = (names: string[]): string[] => {
    const out = [""];
    for (const n of names) {
      const last = out[out.length - 1];
      if (last && last.length + 2 + n.length > W) {
        out[out.length - 1] += ",";
        out.push(n);
      } else out[out.length - 1] = last ? `${last}, ${n}` : n;
    }
    return out;
  };
  const list = [...rows.values()].map(({ names, b }) => [wrap(names), rangeText(b), b.name] as const);
  const w = Math.max(...list.flatMap(([n]) => n.map((x) => x.length)));
  const rw = Math.max(...list.map(([, r]) => r.length));
  const lines = list.flatMap(([n, r, name]) => [`  ${n[0].padEnd(w)}  ${r.padEnd(rw)}  ${name}`, ...n.slice(1).map((x) => `    ${x}`)]);
  const why = new Map<string, string[]>();
  for (const { b } of rows.values()) {
    const names = why.get(b.why) ?? [];
    if (!names.includes(b.name)) names.push(b.name);
    why.set(b.why, names);
  }
  const whyLines = [...why].map(([y, names]) => `  ${names.join(", ")}: ${y}`);
  return (
    "\nBounds (--flags and the config fields they set; names without -- are config fields; every number finite; " +
    `f32 = kept in f32 by the kernels):\n${lines.join("\n")}\nWhy:\n${whyLines.join("\n")}`
  );
}

export interface SharedOptionsSpec {
  /** --force (for commands that open --out with openRunDir). */
  force?: boolean;
  /** --yes (for commands that call guardResources). */
  yes?: boolean;
}

/** Adds --config, --preset, --seed, --backend, --out, --json, --quiet (and --force, --yes when asked). */
export function addSharedOptions(cmd: Command, presets?: string[], extra: SharedOptionsSpec = {}): Command {
  cmd
    .option("--config <file>", "YAML or JSON config file (flags override it; .json is read as JSON, else YAML)", pathArg("--config"))
    .addOption(
      presets ? new Option("--preset <name>", "named paper preset").choices(presets) : new Option("--preset <name>", "named preset"),
    )
    .addOption(numOption("--seed <n>", "random seed", B.seed))
    .addOption(new Option("--backend <name>", "kernel backend").choices(["wasm", "js"]))
    .option(
      "--out <dir>",
      "write config.json, results, summary.json and SVG plots here (a new or empty directory, or use --force)",
      pathArg("--out"),
    );
  if (extra.force) cmd.option("--force", "--out may hold an earlier run's outputs: remove them first (only the files that run listed)");
  if (extra.yes) cmd.option("--yes", "run even if the estimated memory exceeds the machine's or the first epoch takes over an hour");
  cmd.option("--json", "print the summary JSON as the last stdout line").option("--quiet", "no progress output");
  return cmd;
}

/** Option names (camelCase, as in opts) that were given on the command line. */
export function givenOptions(cmd: Command): Set<string> {
  const given = new Set<string>();
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) === "cli") given.add(key);
  }
  return given;
}
